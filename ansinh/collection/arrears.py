"""Arrears: every employer's unpaid dues by age, its unpaid interest, and whether it is late or evading.

Built from :func:`ansinh.collection.balances.balances` (dues minus allocated payments per
employer, month and fund) as one Polars pipeline over all employers at once: no Python loop
over employers or months.

Age is counted in days past the month's deadline (the last day of the month after the
contribution month from 2025-07-01, ``si.late_payment.deadline_months_after``), in the
buckets *not yet due*, 1-30, 31-60, 61-90, 91-180 and over 180 days.

Status, per employer on ``as_of``:

- **evasion** (trốn đóng, Law 41/2024/QH15 art. 39(1)): some month's dues are still unpaid
  more than ``si.late_payment.evasion_days_after_deadline`` days (60) after their deadline
  **and** a written reminder (a :class:`~ansinh.collection.arrears_models.Reminder` row) was
  sent after that deadline and before ``as_of``. Without a reminder the same debt is only late:
  the law makes the reminder part of the offence;
- **late** (chậm đóng, art. 38): dues unpaid after their deadline, or interest charged and unpaid;
- **current**: nothing past its deadline (dues of the month not yet due may be unpaid).

Payments are those recorded by the time of reading (allocations carry their value date; the
ageing counts what is unpaid now, aged on ``as_of``). Months after ``as_of`` are left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ansinh.collection.arrears_models import Reminder
from ansinh.collection.balances import balances
from ansinh.collection.compliance_schemas import AgeingReport, AgeingRow
from ansinh.core.errors import ParameterNotInForce
from ansinh.db.uow import UnitOfWork
from ansinh.law import default_parameters
from ansinh.law.params import ParameterSet
from ansinh.registry import extracts

EVASION_KEY = "si.late_payment.evasion_days_after_deadline"
BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("days_1_30", 1, 30),
    ("days_31_60", 31, 60),
    ("days_61_90", 61, 90),
    ("days_91_180", 91, 180),
    ("over_180", 181, None),
)
"""Age buckets: name, first and last day past the deadline (None: no end)."""
AMOUNT_COLUMNS = ("not_yet_due", *(name for name, _, _ in BUCKETS), "unpaid", "overdue", "interest_unpaid")
LATE_BASIS = "Law 41/2024/QH15 art. 38 (chậm đóng)"
EVASION_BASIS = "Law 41/2024/QH15 art. 39(1) (trốn đóng)"
CURRENT_BASIS = "Law 41/2024/QH15 art. 34(4)(a) (deadline)"
STATUS_ORDER = {"evasion": 0, "late": 1, "current": 2}
EMPLOYER_SCHEMA = pl.Schema({"employer_id": pl.Int64, "unit_code": pl.Utf8, "name": pl.Utf8,
                             "industry_code": pl.Utf8, "wage_region": pl.Int64})


def employer_frame(session: Session, employer_ids: Sequence[int] | None = None) -> pl.DataFrame:
    """Employers' codes, names, sector (VSIC section) and minimum-wage region, from the registry's extract."""
    return extracts.employers(session, employer_ids=employer_ids).select(list(EMPLOYER_SCHEMA)).cast(EMPLOYER_SCHEMA)


def evasion_days(params: ParameterSet, as_of: dt.date) -> int | None:
    """Days after the deadline after which unpaid dues (with a reminder) are evasion; None before the rule."""
    try:
        return int(params.value_at(EVASION_KEY, as_of))
    except ParameterNotInForce:
        return None


def last_reminders(session: Session, *, before: dt.date, employer_ids: Sequence[int] | None = None) -> pl.DataFrame:
    """Per employer: the last written reminder sent before ``before``."""
    query = (select(Reminder.employer_id, func.max(Reminder.sent_on)).where(Reminder.sent_on < before)
             .group_by(Reminder.employer_id))
    if employer_ids is not None:
        query = query.where(Reminder.employer_id.in_(list(employer_ids)))
    return pl.DataFrame(session.execute(query).all(), schema={"employer_id": pl.Int64, "last_reminder": pl.Date},
                        orient="row")


def _bucket(name: str, first: int, last: int | None) -> pl.Expr:
    days = pl.col("days_overdue")
    inside = (days >= first) if last is None else days.is_between(first, last)
    return pl.when(inside).then(pl.col("owing")).otherwise(0).alias(name)


def ageing_frame(session: Session, *, as_of: dt.date, params: ParameterSet,
                 employer_ids: Sequence[int] | None = None) -> pl.DataFrame:
    """Per employer with anything unpaid: the age buckets, totals, oldest month, status and reason.

    Columns: employer_id, unit_code, name, industry_code, wage_region, every column of
    :data:`AMOUNT_COLUMNS`, oldest_unpaid_month, max_days_overdue, last_reminder,
    evasion_months, status, reason, legal_basis.
    """
    limit = evasion_days(params, as_of)
    reminders = last_reminders(session, before=as_of, employer_ids=employer_ids)
    rows = (balances(session, as_of=as_of, params=params, employer_ids=employer_ids)
            .filter(pl.col("month") <= as_of)
            .with_columns(owing=pl.col("unpaid").clip(lower_bound=0),
                          interest_owing=pl.col("interest_unpaid").clip(lower_bound=0))
            .filter((pl.col("owing") > 0) | (pl.col("interest_owing") > 0))
            .join(reminders, on="employer_id", how="left"))
    evading = ((pl.col("owing") > 0) & (pl.col("days_overdue") > limit) & pl.col("last_reminder").is_not_null()
               & (pl.col("last_reminder") > pl.col("deadline"))) if limit is not None else pl.lit(value=False)
    rows = rows.with_columns(
        pl.when(pl.col("days_overdue") == 0).then(pl.col("owing")).otherwise(0).alias("not_yet_due"),
        *(_bucket(name, first, last) for name, first, last in BUCKETS),
        evading.alias("evading"),
    )
    per_employer = (rows.group_by("employer_id").agg(
        *(pl.col(name).sum() for name in ("not_yet_due", *(b[0] for b in BUCKETS))),
        unpaid=pl.col("owing").sum(),
        interest_unpaid=pl.col("interest_owing").sum(),
        oldest_unpaid_month=pl.col("month").filter(pl.col("owing") > 0).min(),
        max_days_overdue=pl.col("days_overdue").max(),
        last_reminder=pl.col("last_reminder").first(),
        evasion_months=pl.col("month").filter(pl.col("evading")).unique().len(),
        first_evading_deadline=pl.col("deadline").filter(pl.col("evading")).min(),
    ).with_columns(overdue=pl.sum_horizontal(*(b[0] for b in BUCKETS))))
    status = (pl.when(pl.col("evasion_months") > 0).then(pl.lit("evasion"))
              .when((pl.col("overdue") > 0) | (pl.col("interest_unpaid") > 0)).then(pl.lit("late"))
              .otherwise(pl.lit("current")))
    reason = (
        pl.when(pl.col("status") == "evasion").then(pl.format(
            "{} đồng unpaid up to {} days after the deadline (more than {} days), after a written reminder "
            "sent on {}", pl.col("overdue"), pl.col("max_days_overdue"), pl.lit(limit), pl.col("last_reminder")))
        .when((pl.col("status") == "late") & (pl.col("overdue") > 0)).then(pl.format(
            "{} đồng unpaid past the deadline, the oldest for {} days", pl.col("overdue"),
            pl.col("max_days_overdue")))
        .when(pl.col("status") == "late").then(pl.format("{} đồng of late-payment interest unpaid",
                                                         pl.col("interest_unpaid")))
        .otherwise(pl.format("{} đồng unpaid, not yet due", pl.col("not_yet_due"))))
    basis = (pl.when(pl.col("status") == "evasion").then(pl.lit(EVASION_BASIS))
             .when(pl.col("status") == "late").then(pl.lit(LATE_BASIS)).otherwise(pl.lit(CURRENT_BASIS)))
    employers = employer_frame(session, employer_ids)
    return (per_employer.with_columns(status=status).with_columns(reason=reason, legal_basis=basis)
            .join(employers, on="employer_id", how="left")
            .select(*EMPLOYER_SCHEMA, *AMOUNT_COLUMNS, "oldest_unpaid_month", "max_days_overdue", "last_reminder",
                    "evasion_months", "status", "reason", "legal_basis")
            .with_columns(pl.col(*AMOUNT_COLUMNS, "max_days_overdue").cast(pl.Int64))
            .sort(pl.col("status").replace_strict(STATUS_ORDER, return_dtype=pl.Int8), pl.col("overdue"),
                  pl.col("unit_code"), descending=[False, True, False]))


def ageing(*, uow: UnitOfWork, as_of: dt.date, params: ParameterSet | None = None, limit: int | None = None,
           offset: int = 0, employer_ids: Collection[int] | None = None) -> AgeingReport:
    """The ageing of every employer's arrears on ``as_of`` (or of ``employer_ids``: a jurisdiction):
    evasion first, then late, most overdue first."""
    params = params or default_parameters()
    with uow:
        frame = ageing_frame(uow.session, as_of=as_of, params=params,
                             employer_ids=None if employer_ids is None else list(employer_ids))
    totals = {name: int(frame.get_column(name).sum()) for name in AMOUNT_COLUMNS} if frame.height else dict.fromkeys(
        AMOUNT_COLUMNS, 0)
    shown = frame.slice(offset, limit)
    return AgeingReport(as_of=as_of, evasion_days=evasion_days(params, as_of), employers=frame.height,
                        rows=[AgeingRow.model_validate(row) for row in shown.to_dicts()], totals=totals)
