"""The old-age pension over Polars frames: a national run of new pensions with the scalar's numbers.

``retirees`` has one row per person: ``person_id``, ``sex`` ("male"/"female"),
``birth_date``, ``as_of`` (the day of retirement) and optionally ``early_reason`` ("none"
when absent). ``periods`` has the compulsory contribution periods: ``person_id``, ``start``
and ``end`` (any day of the first and last month, inclusive), ``salary`` (integer đồng) and
optionally ``scheme`` ("compulsory"), ``sector`` ("enterprise") and ``hazardous`` (false).
State pay-scale and voluntary periods are refused with ``InvalidInput``, as the scalar does.

The result has one row per retiree: ``person_id``, ``eligible``, ``years_counted`` (months),
``rate_numerator``/``rate_denominator`` (the exact rate), ``average_salary`` (rounded half up,
as :mod:`ansinh.quote.pension` publishes it; 0 for an ineligible worker, whose average is not
computed), ``monthly`` and ``lump_sum``: the numbers of :func:`ansinh.quote.pension.answer`.

The heavy part is columnar: months per contribution year (each period split by calendar
year, no per-month rows), the revaluation coefficients of :func:`coefficient` looked up once
per distinct (contribution year, retirement day) and joined, and the exact average as an
integer fraction (Int128). The rest depends on a few values per person, so it is decided
once per distinct (retirement day, sex, birth month, months, early reason, hazardous months,
first month, months after the age) by the scalar :func:`ansinh.rules.pension.compute`
(eligibility, rate) and its helpers (the minimum pension, the years that give the maximum
rate); the amounts are then rounded half up in columns, ``(2a + b) // (2b)`` for ``a / b``.
The retirement age depends on the birth month only (the worker is of age from the month it is
reached), so combinations are keyed by the birth month once no birth date is after its
retirement day.
"""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

import polars as pl

from ansinh.core.errors import InvalidInput
from ansinh.law.params import ParameterSet
from ansinh.rules.contribution_law import rate
from ansinh.rules.pension import (
    LUMP_AFTER_AGE_KEY,
    LUMP_KEY,
    PensionCase,
    _in_force,
    _minimum,
    _rate,
    benefit_years,
    compute,
)
from ansinh.rules.pension_salary import coefficient
from ansinh.rules.retirement_age import Sex, normal_retirement_age
from ansinh.rules.unemployment_batch import check_periods_frame, months_between_expr

RETIREE_SCHEMA = {"person_id": pl.Int64, "sex": pl.Utf8, "birth_date": pl.Date, "as_of": pl.Date,
                  "early_reason": pl.Utf8}
PERIOD_SCHEMA = {"person_id": pl.Int64, "start": pl.Date, "end": pl.Date, "salary": pl.Int64, "scheme": pl.Utf8,
                 "sector": pl.Utf8, "hazardous": pl.Boolean}
PERIOD_DEFAULTS = {"scheme": "compulsory", "sector": "enterprise", "hazardous": False}
KEYS = ["as_of", "sex", "birth_month", "months", "early_reason", "hazardous_months", "first_month",
        "months_after_age"]
OUTPUT_SCHEMA = {"person_id": pl.Int64, "eligible": pl.Boolean, "years_counted": pl.Int64,
                 "rate_numerator": pl.Int64, "rate_denominator": pl.Int64, "average_salary": pl.Int64,
                 "monthly": pl.Int64, "lump_sum": pl.Int64}
I128 = pl.Int128


def _big(value: int) -> pl.Expr:
    return pl.lit(value, dtype=I128)


def _refuse(frame: pl.DataFrame, condition: pl.Expr, error: InvalidInput, where: str) -> None:
    bad = frame.filter(condition)
    if bad.height:
        error.field = f"{where}.{bad['_row'][0]}.{error.field}"
        raise error


def _prepare(periods: pl.DataFrame, retirees: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    if "early_reason" not in retirees.columns:
        retirees = retirees.with_columns(early_reason=pl.lit("none"))
    retirees = retirees.select(RETIREE_SCHEMA.keys()).cast(RETIREE_SCHEMA).with_row_index("_row")  # type: ignore[arg-type]
    if retirees["person_id"].is_duplicated().any():
        raise InvalidInput("a person retires more than once in the run", code="retirees.duplicate",
                           field="retirees.person_id", rule="one retirement per person in a run")
    _refuse(retirees, ~pl.col("sex").is_in(["male", "female"]), InvalidInput(
        "sex is not male or female", code="sex.invalid", field="sex", rule="sex is male or female"), "retirees")
    _refuse(retirees, pl.col("birth_date") > pl.col("as_of"), InvalidInput(
        "born after the retirement day", code="birth_date.future", field="birth_date",
        rule="a worker is born before the case arises"), "retirees")
    periods = periods.with_columns(
        pl.lit(value).alias(name) for name, value in PERIOD_DEFAULTS.items() if name not in periods.columns)
    periods = periods.select(PERIOD_SCHEMA.keys()).cast(PERIOD_SCHEMA).with_row_index("_row")  # type: ignore[arg-type]
    periods = periods.join(retirees.select("person_id"), on="person_id", how="semi")
    _refuse(retirees.join(periods, on="person_id", how="anti"), pl.lit(value=True), InvalidInput(
        "no contribution periods given", code="history.empty", field="history",
        rule="an average salary needs at least one contribution month"), "retirees")
    _refuse(periods, pl.col("sector") == "state", InvalidInput(
        "salaries on the State pay scale are not supported: their revaluation by the reference level"
        " and the last-years average (Law 41/2024 arts. 72(1), 73(1)(a)) are not modelled",
        code="sector.state_not_supported", field="sector", rule="only salaries set by the employer are averaged"),
        "periods")
    _refuse(periods, pl.col("scheme") != "compulsory", InvalidInput(
        "voluntary SI periods are not supported by the pension average", code="scheme.voluntary_not_supported",
        field="scheme", rule="only compulsory SI periods are averaged"), "periods")
    periods = periods.with_columns(pl.col("start").dt.month_start(), pl.col("end").dt.month_start())
    periods = check_periods_frame(periods, retirees.select("person_id", "as_of"), event_name="the retirement")
    return periods, retirees


def _reached(params: ParameterSet, combinations: list[tuple[str, dt.date, dt.date]]) -> pl.DataFrame:
    rows = [(sex, birth, day, normal_retirement_age(params, _sex(sex), birth, day).reached)
            for sex, birth, day in combinations]
    return pl.DataFrame(rows, schema={"sex": pl.Utf8, "birth_month": pl.Date, "as_of": pl.Date,
                                      "reached": pl.Date}, orient="row")


def _sex(value: str) -> Sex:
    return "male" if value == "male" else "female"


def _lump_factor(params: ParameterSet, case: PensionCase) -> Fraction:
    """The multiple of the exact average paid as the lump sum (as :func:`pension._lump_sum`)."""
    years = benefit_years(case.months)
    _, full_years, _ = _rate(params, case, years)
    if not full_years or years <= full_years:
        return Fraction(0)
    extra = years - full_years
    after_multiple = _in_force(params, LUMP_AFTER_AGE_KEY, case.as_of)
    after = min(extra, benefit_years(case.months_after_age)) if after_multiple is not None else Fraction(0)
    return rate(params, LUMP_KEY, case.as_of) * (extra - after) + Fraction(int(after_multiple or 0)) * after


def _decisions(params: ParameterSet, combinations: list[tuple[object, ...]]) -> pl.DataFrame:
    """Eligibility, rate, minimum pension and lump-sum factor per combination of :data:`KEYS`."""
    rows = []
    for combination in combinations:
        values = dict(zip(KEYS, combination, strict=True))
        case = PensionCase(
            as_of=values["as_of"], sex=_sex(str(values["sex"])), birth_date=values["birth_month"],  # type: ignore[arg-type]
            months=values["months"], average_salary=Fraction(0),  # type: ignore[arg-type]
            early_reason=str(values["early_reason"]), hazardous_months=values["hazardous_months"],  # type: ignore[arg-type]
            first_month=values["first_month"], months_after_age=values["months_after_age"],  # type: ignore[arg-type]
        )
        result = compute(case, params)
        floor, lump = 0, Fraction(0)
        if result.eligible:
            floor, lump = _minimum(params, case, 0)[0], _lump_factor(params, case)
        rows.append((*combination, result.eligible, result.rate.numerator, result.rate.denominator, floor,
                     lump.numerator, lump.denominator))
    return pl.DataFrame(rows, schema={
        "as_of": pl.Date, "sex": pl.Utf8, "birth_month": pl.Date, "months": pl.Int64, "early_reason": pl.Utf8,
        "hazardous_months": pl.Int64, "first_month": pl.Date, "months_after_age": pl.Int64,
        "eligible": pl.Boolean, "rate_numerator": pl.Int64, "rate_denominator": pl.Int64, "floor": pl.Int64,
        "lump_p": pl.Int64, "lump_q": pl.Int64}, orient="row")


def _coefficients(params: ParameterSet, combinations: list[tuple[int, dt.date]]) -> pl.DataFrame:
    """Each (contribution year, retirement day)'s coefficient as an integer over a denominator
    common to the retirement day."""
    found = {(year, day): coefficient(params, year, day) for year, day in combinations}
    common: dict[dt.date, int] = {}
    for (_, day), value in found.items():
        common[day] = math.lcm(common.get(day, 1), value.denominator)
    rows = [(year, day, int(value * common[day]), common[day]) for (year, day), value in found.items()]
    return pl.DataFrame(rows, schema={"year": pl.Int32, "as_of": pl.Date, "coef": pl.Int64, "coef_q": pl.Int64},
                        orient="row")


def _averages(params: ParameterSet, periods: pl.DataFrame) -> pl.DataFrame:
    """Per person: the exact revalued average as ``average_num / average_den`` (Int128)."""
    years = periods.with_columns(year=pl.int_ranges(pl.col("start").dt.year(), pl.col("end").dt.year() + 1)).explode(
        "year")
    first = pl.date(pl.col("year"), 1, 1)
    last = pl.date(pl.col("year"), 12, 1)
    years = years.with_columns(
        year=pl.col("year").cast(pl.Int32),
        count=months_between_expr(pl.max_horizontal("start", first), pl.min_horizontal("end", last)))
    combos = years.select("year", "as_of").unique().sort(["as_of", "year"]).rows()
    years = years.join(_coefficients(params, combos), on=["year", "as_of"], how="left")
    return years.group_by("person_id").agg(
        average_num=(pl.col("count").cast(I128) * pl.col("salary").cast(I128) * pl.col("coef").cast(I128)).sum(),
        average_den=(pl.col("count").sum().cast(I128) * pl.col("coef_q").first().cast(I128)),
    )


def _half_up(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    return (_big(2) * numerator + denominator) // (_big(2) * denominator)


def compute_batch(periods: pl.DataFrame, retirees: pl.DataFrame, params: ParameterSet) -> pl.DataFrame:
    """The old-age pension of every retiree, as :func:`ansinh.quote.pension.answer` gives it."""
    periods, retirees = _prepare(periods, retirees)
    retirees = retirees.with_columns(birth_month=pl.col("birth_date").dt.month_start())
    age_keys = ["sex", "birth_month", "as_of"]
    reached = _reached(params, retirees.select(age_keys).unique().sort(age_keys).rows())
    periods = periods.join(retirees.select("person_id", "as_of", "sex", "birth_month"), on="person_id").join(
        reached, on=age_keys, how="left")
    months = months_between_expr(pl.col("start"), pl.col("end"))
    after_start = pl.max_horizontal("start", pl.col("reached").dt.offset_by("1mo"))
    per_person = periods.group_by("person_id").agg(
        months=months.sum(),
        hazardous_months=months.filter(pl.col("hazardous")).sum(),
        first_month=pl.col("start").min(),
        months_after_age=months_between_expr(after_start, pl.col("end")).clip(lower_bound=0).sum(),
    )
    retirees = retirees.join(per_person, on="person_id", how="left", maintain_order="left")
    decisions = _decisions(params, retirees.select(KEYS).unique().sort(KEYS).rows())
    retirees = retirees.join(decisions, on=KEYS, how="left", nulls_equal=True, maintain_order="left")
    eligible = periods.join(retirees.filter("eligible").select("person_id"), on="person_id", how="semi")
    retirees = retirees.join(_averages(params, eligible), on="person_id", how="left", maintain_order="left")
    num, den = pl.col("average_num"), pl.col("average_den")
    p, q = pl.col("rate_numerator").cast(I128), pl.col("rate_denominator").cast(I128)
    lump_p, lump_q = pl.col("lump_p").cast(I128), pl.col("lump_q").cast(I128)
    retirees = retirees.with_columns(
        average_salary=_half_up(num, den),
        monthly=pl.max_horizontal(_half_up(p * num, q * den), pl.col("floor").cast(I128)),
        lump_sum=_half_up(lump_p * num, lump_q * den),
    )
    amounts = ["average_salary", "monthly", "lump_sum"]
    return (retirees.with_columns(pl.when("eligible").then(pl.col(amounts)).otherwise(_big(0)),
                                  years_counted=pl.col("months"))
            .select(OUTPUT_SCHEMA.keys()).cast(OUTPUT_SCHEMA))  # type: ignore[arg-type]


__all__ = ["compute_batch"]
