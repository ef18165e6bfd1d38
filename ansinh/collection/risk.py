"""The compliance risk score: 0-100 per employer, with each factor's points, figure and sentence.

Computed over all employers at once as Polars frames (no Python loop over employers): the
arrears ageing (:func:`ansinh.collection.arrears.ageing_frame`), the dues, the salaries and
headcounts of the last assessed months (assessment rows and re-assessments), the
declarations that changed months already assessed, and the open inspection cases.

The factors and their weights are data, ``risk_weights.yaml`` beside this module: each
factor earns up to its weight, in proportion to its figure up to ``full_at``. docs/compliance.md
says what each factor is evidence of. An open inspection case is shown as a reason with no
points: it says someone is already looking, not that the employer is riskier.

The score ranks employers for an inspector's attention; it decides nothing about any of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path

import polars as pl
from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ansinh.collection.arrears import ageing_frame, employer_frame, evasion_days
from ansinh.collection.balances import charged, dues
from ansinh.collection.compliance_models import CaseStatus, InspectionCase
from ansinh.collection.compliance_schemas import RiskList, RiskReason, RiskRow
from ansinh.collection.declaration_models import Declaration
from ansinh.collection.models import Assessment
from ansinh.core import strict_yaml
from ansinh.core.errors import InvalidInput
from ansinh.core.periods import add_months
from ansinh.db.uow import UnitOfWork
from ansinh.law import default_parameters
from ansinh.law.params import ParameterSet

WEIGHTS_FILE = Path(__file__).with_name("risk_weights.yaml")
MAX_LIMIT = 1000
REGIONS = (1, 2, 3, 4)
REASON_STRUCT = pl.Struct({"factor": pl.Utf8, "points": pl.Float64, "figure": pl.Utf8, "sentence": pl.Utf8,
                           "sentence_en": pl.Utf8})


class Factor(BaseModel):
    """One factor of the score as the weights file gives it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    weight: float
    full_at: float
    why: str
    min_peers: int | None = None
    months: int | None = None


class Weights(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    arrears_age: Factor
    arrears_size: Factor
    evasion: Factor
    low_salaries: Factor
    floor_share: Factor
    headcount_swing: Factor
    late_declarations: Factor


class WeightsError(Exception):
    """The weights file is malformed; raised at load so a wrong file never scores anyone."""


def load_weights(path: Path = WEIGHTS_FILE) -> Weights:
    """Read and check the weights: every factor once, positive weights adding up to 100."""
    try:
        weights = Weights.model_validate(strict_yaml.load(path.read_text(encoding="utf-8")).get("factors"))
    except (ValidationError, AttributeError, ValueError) as error:
        raise WeightsError(f"{path}: {error}") from error
    factors = weights.model_dump()
    if any(f["weight"] < 0 or f["full_at"] <= 0 for f in factors.values()):
        raise WeightsError(f"{path}: weights are not negative and full_at is positive")
    if round(sum(f["weight"] for f in factors.values()), 6) != 100:
        raise WeightsError(f"{path}: the weights add up to {sum(f['weight'] for f in factors.values())}, not 100")
    return weights


@lru_cache(maxsize=1)
def default_weights() -> Weights:
    return load_weights()


def _share(figure: pl.Expr, factor: Factor) -> pl.Expr:
    """The factor's points: its weight × figure / full_at, between 0 and the weight, to 0.1."""
    return ((figure.cast(pl.Float64) / factor.full_at).clip(0, 1) * factor.weight).round(1)


# ----------------------------------------------------------------------------- the frames read

def _salaries(session: Session, first: dt.date, last: dt.date) -> pl.DataFrame:
    """Per month, participation and employer: the salary now charged (run rows plus re-assessments)."""
    return (charged(session, ["salary"], lambda table: [table.month >= first, table.month <= last])
            .select("month", "participation_id", "employer_id", "salary").filter(pl.col("salary") > 0))


def _late_declarations(session: Session, since: dt.date, as_of: dt.date) -> pl.DataFrame:
    query = (select(Declaration.employer_id, func.count()).where(
        Declaration.back_dated_lines > 0, Declaration.declared_on > since, Declaration.declared_on <= as_of)
        .group_by(Declaration.employer_id))
    return pl.DataFrame(session.execute(query).all(), orient="row",
                        schema={"employer_id": pl.Int64, "late_declarations": pl.Int64})


def _open_cases(session: Session, as_of: dt.date) -> pl.DataFrame:
    query = (select(InspectionCase.employer_id, func.max(InspectionCase.id))
             .where(InspectionCase.status == CaseStatus.OPEN.value, InspectionCase.opened_on <= as_of)
             .group_by(InspectionCase.employer_id))
    return pl.DataFrame(session.execute(query).all(), orient="row",
                        schema={"employer_id": pl.Int64, "open_case_id": pl.Int64})


def _workforce(session: Session, *, as_of: dt.date, params: ParameterSet, weights: Weights,
               employers: pl.DataFrame) -> pl.DataFrame:
    """Per employer, from the last assessed months: median salary, peers' median, floor share, headcount swing."""
    latest = session.scalar(select(func.max(Assessment.month)).where(Assessment.month <= as_of))
    schema = {"employer_id": pl.Int64, "median_salary": pl.Float64, "peer_median": pl.Float64, "peers": pl.Int64,
              "floor_share": pl.Float64, "minimum_wage": pl.Int64, "swing": pl.Float64, "headcount_from": pl.Int64,
              "headcount_to": pl.Int64}
    if latest is None:
        return pl.DataFrame(schema=schema)
    months = weights.headcount_swing.months or 3
    first = add_months(latest, -(months - 1))
    rows = _salaries(session, first, latest).join(employers.select("employer_id", "industry_code", "wage_region"),
                                                  on="employer_id")
    floors = pl.DataFrame({"wage_region": list(REGIONS), "minimum_wage": [
        int(params.value_at(f"labour.minimum_wage.region_{region}", latest)) for region in REGIONS]},
        schema={"wage_region": pl.Int64, "minimum_wage": pl.Int64})
    now = rows.filter(pl.col("month") == latest).join(floors, on="wage_region", how="left")
    own = now.group_by("employer_id", "industry_code", "wage_region").agg(
        median_salary=pl.col("salary").median(),
        floor_share=(pl.col("salary") <= pl.col("minimum_wage")).mean(),
        minimum_wage=pl.col("minimum_wage").first())
    peers = now.group_by("industry_code", "wage_region").agg(peer_median=pl.col("salary").median(),
                                                             peers=pl.col("employer_id").n_unique())
    counts = rows.group_by("employer_id", "month").agg(headcount=pl.len())
    grid = (counts.select("employer_id").unique()
            .join(pl.DataFrame({"month": [add_months(first, i) for i in range(months)]}, schema={"month": pl.Date}),
                  how="cross")
            .join(counts, on=["employer_id", "month"], how="left").with_columns(pl.col("headcount").fill_null(0))
            .sort("employer_id", "month")
            .with_columns(before=pl.col("headcount").shift(1).over("employer_id"))
            .filter(pl.col("before").is_not_null())
            .with_columns(change=(pl.col("headcount") - pl.col("before")).abs()
                          / pl.max_horizontal(pl.col("before"), pl.lit(1)).cast(pl.Float64)))
    swings = (grid.sort("change", descending=True).group_by("employer_id", maintain_order=True).first()
              .select("employer_id", swing=pl.col("change"), headcount_from=pl.col("before").cast(pl.Int64),
                      headcount_to=pl.col("headcount").cast(pl.Int64)))
    return (own.join(peers, on=["industry_code", "wage_region"], how="left")
            .join(swings, on="employer_id", how="full", coalesce=True)
            .select(*(pl.col(name).cast(dtype) for name, dtype in schema.items())))


def _monthly_dues(session: Session, as_of: dt.date) -> pl.DataFrame:
    """Per employer: its average monthly dues over its last 12 months with dues up to ``as_of``.

    The employer's own last months, not the calendar's: an employer that stopped declaring
    a year ago still has its arrears measured against what it used to owe.
    """
    return (dues(session, through=as_of).group_by("employer_id", "month").agg(pl.col("due").sum())
            .filter(pl.col("due") > 0)
            .sort("month", descending=True).group_by("employer_id", maintain_order=True).head(12)
            .group_by("employer_id").agg(monthly_due=pl.col("due").mean()))


# ----------------------------------------------------------------------------- the score

def _reason(factor: str, points: pl.Expr, figure: pl.Expr, sentence: pl.Expr, sentence_en: pl.Expr) -> pl.Expr:
    return pl.struct(factor=pl.lit(factor), points=points.cast(pl.Float64), figure=figure.cast(pl.Utf8),
                     sentence=sentence, sentence_en=sentence_en)


def risk_scores(*, uow: UnitOfWork, as_of: dt.date, params: ParameterSet | None = None,
                weights: Weights | None = None) -> pl.DataFrame:
    """Every employer's score on ``as_of`` with its reasons, highest first.

    Columns: employer_id, unit_code, name, industry_code, wage_region, score (0-100), unpaid,
    overdue, status, open_case_id, reasons (a list of structs: factor, points, figure,
    sentence in Vietnamese, sentence_en), sorted by score, then overdue dues, descending.
    """
    params = params or default_parameters()
    w = weights or default_weights()
    with uow:
        session = uow.session
        employers = employer_frame(session)
        arrears = ageing_frame(session, as_of=as_of, params=params).select(
            "employer_id", "unpaid", "overdue", "max_days_overdue", "status")
        workforce = _workforce(session, as_of=as_of, params=params, weights=w, employers=employers)
        late_months = w.late_declarations.months or 12
        declared = _late_declarations(session, add_months(as_of, -late_months), as_of)
        cases = _open_cases(session, as_of)
        monthly = _monthly_dues(session, as_of)
    limit = evasion_days(params, as_of)
    frame = (employers.join(arrears, on="employer_id", how="left").join(workforce, on="employer_id", how="left")
             .join(declared, on="employer_id", how="left").join(cases, on="employer_id", how="left")
             .join(monthly, on="employer_id", how="left")
             .with_columns(pl.col("unpaid", "overdue", "max_days_overdue", "late_declarations").fill_null(0),
                           pl.col("status").fill_null("current"))
             .with_columns(months_owed=pl.when(pl.col("monthly_due") > 0)
                           .then(pl.col("overdue") / pl.col("monthly_due")).otherwise(0.0),
                           salary_gap=pl.when((pl.col("peers") >= (w.low_salaries.min_peers or 0))
                                              & (pl.col("peer_median") > 0))
                           .then(1 - pl.col("median_salary") / pl.col("peer_median")).otherwise(0.0).fill_null(0.0),
                           floor_share=pl.col("floor_share").fill_null(0.0),
                           swing=pl.col("swing").fill_null(0.0)))
    percent = (pl.col("salary_gap") * 100).round(0).cast(pl.Int64)
    floor_percent = (pl.col("floor_share") * 100).round(0).cast(pl.Int64)
    swing_percent = (pl.col("swing") * 100).round(0).cast(pl.Int64)
    months_owed = pl.col("months_owed").round(1)
    candidates = [
        (_share(pl.col("max_days_overdue"), w.arrears_age), _reason(
            "arrears_age", _share(pl.col("max_days_overdue"), w.arrears_age), pl.col("max_days_overdue"),
            pl.format("Nợ quá hạn lâu nhất {} ngày sau hạn đóng", pl.col("max_days_overdue")),
            pl.format("The oldest unpaid dues are {} days past their deadline", pl.col("max_days_overdue")))),
        (_share(pl.col("months_owed"), w.arrears_size), _reason(
            "arrears_size", _share(pl.col("months_owed"), w.arrears_size), months_owed,
            pl.format("Nợ quá hạn {} đồng, bằng {} tháng tiền đóng", pl.col("overdue"), months_owed),
            pl.format("{} đồng overdue, {} months of the employer's dues", pl.col("overdue"), months_owed))),
        (_share((pl.col("status") == "evasion").cast(pl.Int64), w.evasion), _reason(
            "evasion", _share((pl.col("status") == "evasion").cast(pl.Int64), w.evasion), pl.col("status"),
            pl.lit(f"Trốn đóng: nợ quá {limit} ngày sau hạn đóng dù đã được nhắc bằng văn bản (Điều 39 khoản 1 Luật "
                   "Bảo hiểm xã hội số 41/2024/QH15)"),
            pl.lit(f"Evasion: dues unpaid more than {limit} days after the deadline despite a written reminder "
                   "(Law 41/2024/QH15 art. 39(1))"))),
        (_share(pl.col("salary_gap"), w.low_salaries), _reason(
            "low_salaries", _share(pl.col("salary_gap"), w.low_salaries), percent,
            pl.format("Lương đóng trung vị {} đồng, thấp hơn {}% so với trung vị {} đồng của ngành {} vùng {}",
                      pl.col("median_salary").round(0).cast(pl.Int64), percent,
                      pl.col("peer_median").round(0).cast(pl.Int64), pl.col("industry_code"), pl.col("wage_region")),
            pl.format("Median declared salary {} đồng, {}% below the median {} đồng of sector {} in region {}",
                      pl.col("median_salary").round(0).cast(pl.Int64), percent,
                      pl.col("peer_median").round(0).cast(pl.Int64), pl.col("industry_code"),
                      pl.col("wage_region")))),
        (_share(pl.col("floor_share"), w.floor_share), _reason(
            "floor_share", _share(pl.col("floor_share"), w.floor_share), floor_percent,
            pl.format("{}% người lao động được khai đúng bằng lương tối thiểu vùng ({} đồng)", floor_percent,
                      pl.col("minimum_wage")),
            pl.format("{}% of the workers are declared at the regional minimum wage ({} đồng)", floor_percent,
                      pl.col("minimum_wage")))),
        (_share(pl.col("swing"), w.headcount_swing), _reason(
            "headcount_swing", _share(pl.col("swing"), w.headcount_swing), swing_percent,
            pl.format("Số lao động thay đổi {}% giữa hai tháng gần đây ({} → {})", swing_percent,
                      pl.col("headcount_from"), pl.col("headcount_to")),
            pl.format("Headcount changed by {}% between recent months ({} → {})", swing_percent,
                      pl.col("headcount_from"), pl.col("headcount_to")))),
        (_share(pl.col("late_declarations"), w.late_declarations), _reason(
            "late_declarations", _share(pl.col("late_declarations"), w.late_declarations),
            pl.col("late_declarations"),
            pl.format("{} lần khai hồi tố cho tháng đã tính đóng trong {} tháng qua", pl.col("late_declarations"),
                      pl.lit(late_months)),
            pl.format("{} declarations changed months already assessed in the last {} months",
                      pl.col("late_declarations"), pl.lit(late_months)))),
    ]
    points = [p.fill_null(0.0) for p, _ in candidates]
    open_case = _reason("open_case", pl.lit(0.0), pl.col("open_case_id"),
                        pl.format("Đang có cuộc thanh tra, kiểm tra mở (hồ sơ số {})", pl.col("open_case_id")),
                        pl.format("An inspection case is already open (case {})", pl.col("open_case_id")))
    reasons = [pl.when(p > 0).then(r).otherwise(None) for p, (_, r) in zip(points, candidates, strict=True)]
    reasons.append(pl.when(pl.col("open_case_id").is_not_null()).then(open_case).otherwise(None))
    scored = (frame.with_columns(score=pl.min_horizontal(pl.sum_horizontal(points).round(0), pl.lit(100.0))
                                 .cast(pl.Int64),
                                 reasons=pl.concat_list(reasons).list.drop_nulls()))
    return (scored.select("employer_id", "unit_code", "name", "industry_code", "wage_region", "score", "unpaid",
                          "overdue", "status", "open_case_id", "reasons")
            .sort(["score", "overdue", "unit_code"], descending=[True, True, False]))


def risk_list(*, uow: UnitOfWork, as_of: dt.date, limit: int = 50, offset: int = 0,
              params: ParameterSet | None = None, employer_ids: Collection[int] | None = None) -> RiskList:
    """A page of the ranked list: the ``limit`` employers from ``offset``, highest score first.

    ``employer_ids`` keeps only those employers (an inspector's jurisdiction); their ranks
    and scores are the national ones, since peers are compared across the country.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit {limit}", code="risk.limit", field="limit", rule=f"a page has 1 to {MAX_LIMIT} rows")
    if offset < 0:
        raise InvalidInput(f"offset {offset}", code="risk.offset", field="offset", rule="offset is 0 or more")
    frame = risk_scores(uow=uow, as_of=as_of, params=params)
    if employer_ids is not None:
        frame = frame.filter(pl.col("employer_id").is_in(list(employer_ids)))
    rows = []
    for row in frame.slice(offset, limit).to_dicts():
        reasons = sorted((RiskReason.model_validate(r) for r in row.pop("reasons")), key=lambda r: -r.points)
        rows.append(RiskRow(**row, reasons=reasons))
    return RiskList(as_of=as_of, total=frame.height, limit=limit, offset=offset, rows=rows)
