"""What employers owe, per month and fund, and what they have paid: the frames every later step reads.

Dues are the sum of the month's ``assessment`` rows and of its ``assessment_adjustment``
rows (re-assessments), per fund, of the shares the employer pays (its own and the
employee's); the State budget's share is owed by the State, not by the employer. Payments
reach dues only through ``allocation`` rows. Interest is charged in ``interest_charge``
rows and settled by allocations of kind ``interest``. A debt written off by decision
(``write_off``) is no longer owed but is not paid either. Everything here is one grouped SQL
query per table, read into a Polars frame: payment orders, allocation, interest, ageing,
the risk score and the SI book all start from these frames, and none of them loops over
rows in Python.

The deadline of a month's dues is the last day of the month ``si.late_payment.deadline_months_after``
months later (Law 41/2024 art. 34(4)(a): the last day of the following month); interest
runs from the day after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import polars as pl
from sqlalchemy import ColumnElement, Select, func, literal, select, union_all
from sqlalchemy.orm import Session

from ansinh.collection.arrears_models import InterestCharge, WriteOff
from ansinh.collection.assessment import EMPLOYER_FUND_COLUMNS
from ansinh.collection.models import Assessment, AssessmentAdjustment
from ansinh.collection.payment_models import Allocation, AllocationKind, BankTransaction, TransactionStatus
from ansinh.core.periods import add_months
from ansinh.law.params import ParameterSet

FUND_SHARES: dict[str, list[str]] = EMPLOYER_FUND_COLUMNS
"""The share columns the employer pays into each fund: its own and the employee's it withholds.
The State budget's share (the unemployment support) is not the employer's to pay."""
FUNDS: tuple[str, ...] = tuple(FUND_SHARES)
"""The funds contributions go to, in the order of the contribution rules."""

DUES_SCHEMA = {"employer_id": pl.Int64, "month": pl.Date, "fund": pl.Utf8, "due": pl.Int64}
ALLOCATED_SCHEMA = {"employer_id": pl.Int64, "month": pl.Date, "fund": pl.Utf8, "kind": pl.Utf8,
                    "allocated": pl.Int64, "last_value_date": pl.Date}
INTEREST_SCHEMA = {"employer_id": pl.Int64, "month": pl.Date, "fund": pl.Utf8, "charged": pl.Int64,
                   "charged_through": pl.Date}
CREDIT_SCHEMA = {"employer_id": pl.Int64, "received": pl.Int64, "allocated": pl.Int64, "credit": pl.Int64}


def deadline(month: dt.date, params: ParameterSet) -> dt.date:
    """The last day to pay ``month``'s dues (the month given by its first day)."""
    months_after = int(params.value_at("si.late_payment.deadline_months_after", month))
    return add_months(month, months_after + 1) - dt.timedelta(days=1)


def deadline_expr(month: pl.Expr, params: ParameterSet, months: Sequence[dt.date]) -> pl.Expr:
    """:func:`deadline` as a Polars expression over a column of months (first days)."""
    table = {m: deadline(m, params) for m in set(months)}
    return month.replace_strict(table, return_dtype=pl.Date) if table else pl.lit(None, dtype=pl.Date)


def _employer_filter(column: Any, employer_ids: Sequence[int] | None) -> list[ColumnElement[bool]]:
    return [] if employer_ids is None else [column.in_(list(employer_ids))]


def _dues_query(table: type[Assessment] | type[AssessmentAdjustment], fund: str,
                employer_ids: Sequence[int] | None, through: dt.date | None) -> Select[int, dt.date, str, Any]:
    amount = sum((getattr(table, column) for column in FUND_SHARES[fund]), start=literal(0))
    conditions = _employer_filter(table.employer_id, employer_ids)
    if through is not None:
        conditions.append(table.month <= through)
    return (select(table.employer_id, table.month, literal(fund).label("fund"), func.sum(amount).label("due"))
            .where(*conditions).group_by(table.employer_id, table.month))


ChargeFilter = Callable[[type[Assessment] | type[AssessmentAdjustment]], Sequence[ColumnElement[bool]]]
"""The conditions that pick rows, given the table (both tables have the same columns)."""
CHARGE_KEYS = ("participation_id", "month", "employer_id", "person_id")


def charged(session: Session, columns: Sequence[str], where: ChargeFilter) -> pl.DataFrame:
    """Per participation-month: each of ``columns`` summed over its run row and its re-assessments.

    A month's charge is never one table: the run's row plus every signed adjustment since.
    The re-assessment, the SI book and the risk score all read it here, with their own
    conditions (``where(table)``), one ``UNION ALL`` and one group-by.
    """
    parts = [select(*(getattr(table, k) for k in CHARGE_KEYS), *(getattr(table, c) for c in columns))
             .where(*where(table)) for table in (Assessment, AssessmentAdjustment)]
    schema = {"participation_id": pl.Int64, "month": pl.Date, "employer_id": pl.Int64,
              "person_id": pl.Int64} | dict.fromkeys(columns, pl.Int64)
    rows = pl.DataFrame(session.execute(union_all(*parts)).all(), schema=schema, orient="row")
    return rows.group_by(CHARGE_KEYS).agg(pl.col(c).sum() for c in columns)


def dues(session: Session, *, employer_ids: Sequence[int] | None = None,
         through: dt.date | None = None) -> pl.DataFrame:
    """Per employer, month and fund: what is owed (assessments plus re-assessments), months up to ``through``."""
    parts = [_dues_query(table, fund, employer_ids, through)
             for table in (Assessment, AssessmentAdjustment) for fund in FUNDS]
    rows = session.execute(union_all(*parts)).all()
    frame = pl.DataFrame(rows, schema=DUES_SCHEMA, orient="row")
    return (frame.group_by("employer_id", "month", "fund").agg(pl.col("due").sum())
            .sort("employer_id", "month", "fund"))


def allocated(session: Session, *, employer_ids: Sequence[int] | None = None,
              as_of: dt.date | None = None) -> pl.DataFrame:
    """Per employer, month, fund and kind (contribution or interest): what payments have settled,
    counting only money whose value date is on or before ``as_of`` when it is given."""
    conditions = _employer_filter(Allocation.employer_id, employer_ids)
    if as_of is not None:
        conditions.append(Allocation.value_date <= as_of)
    query = (select(Allocation.employer_id, Allocation.month, Allocation.fund, Allocation.kind,
                    func.sum(Allocation.amount), func.max(Allocation.value_date))
             .where(*conditions)
             .group_by(Allocation.employer_id, Allocation.month, Allocation.fund, Allocation.kind))
    return pl.DataFrame(session.execute(query).all(), schema=ALLOCATED_SCHEMA, orient="row")


def interest_charged(session: Session, *, employer_ids: Sequence[int] | None = None) -> pl.DataFrame:
    """Per employer, month and fund: the interest charged so far and the last day it covers."""
    query = (select(InterestCharge.employer_id, InterestCharge.month, InterestCharge.fund,
                    func.sum(InterestCharge.amount), func.max(InterestCharge.to_date))
             .where(*_employer_filter(InterestCharge.employer_id, employer_ids))
             .group_by(InterestCharge.employer_id, InterestCharge.month, InterestCharge.fund))
    return pl.DataFrame(session.execute(query).all(), schema=INTEREST_SCHEMA, orient="row")


WRITTEN_OFF_SCHEMA = {"employer_id": pl.Int64, "month": pl.Date, "fund": pl.Utf8, "kind": pl.Utf8,
                      "written_off": pl.Int64}


def written_off(session: Session, *, employer_ids: Sequence[int] | None = None,
                as_of: dt.date | None = None) -> pl.DataFrame:
    """Per employer, month, fund and kind: what decisions wrote off (decided on or before ``as_of``)."""
    conditions = _employer_filter(WriteOff.employer_id, employer_ids)
    if as_of is not None:
        conditions.append(WriteOff.decided_on <= as_of)
    query = (select(WriteOff.employer_id, WriteOff.month, WriteOff.fund, WriteOff.kind, func.sum(WriteOff.amount))
             .where(*conditions).group_by(WriteOff.employer_id, WriteOff.month, WriteOff.fund, WriteOff.kind))
    return pl.DataFrame(session.execute(query).all(), schema=WRITTEN_OFF_SCHEMA, orient="row")


def credits(session: Session, *, employer_ids: Sequence[int] | None = None) -> pl.DataFrame:
    """Per employer: money matched to it, money allocated, and the difference still to allocate."""
    received = pl.DataFrame(session.execute(
        select(BankTransaction.employer_id, func.sum(BankTransaction.amount))
        .where(BankTransaction.status == TransactionStatus.MATCHED.value,
               *_employer_filter(BankTransaction.employer_id, employer_ids))
        .group_by(BankTransaction.employer_id)).all(), schema={"employer_id": pl.Int64, "received": pl.Int64},
        orient="row")
    spent = pl.DataFrame(session.execute(
        select(Allocation.employer_id, func.sum(Allocation.amount))
        .where(*_employer_filter(Allocation.employer_id, employer_ids))
        .group_by(Allocation.employer_id)).all(), schema={"employer_id": pl.Int64, "allocated": pl.Int64},
        orient="row")
    return (received.join(spent, on="employer_id", how="full", coalesce=True)
            .with_columns(pl.col("received", "allocated").fill_null(0))
            .with_columns(credit=pl.col("received") - pl.col("allocated"))
            .select(list(CREDIT_SCHEMA)).sort("employer_id"))


def balances(session: Session, *, as_of: dt.date, params: ParameterSet,
             employer_ids: Sequence[int] | None = None) -> pl.DataFrame:
    """Per employer, month and fund: due, paid, written off, unpaid; interest charged, paid, written off,
    unpaid; deadline, days overdue.

    ``days_overdue`` counts from the day after the deadline to ``as_of`` (0 when not yet
    due or fully paid). Payments count from their value date: a balance on a past day does
    not include money that arrived later. Months with nothing owed and nothing charged are
    left out.
    """
    owed = dues(session, employer_ids=employer_ids)
    paid = allocated(session, employer_ids=employer_ids, as_of=as_of)
    contribution = (paid.filter(pl.col("kind") == AllocationKind.CONTRIBUTION.value)
                    .select("employer_id", "month", "fund", pl.col("allocated").alias("paid"),
                            pl.col("last_value_date").alias("paid_on")))
    interest_paid = (paid.filter(pl.col("kind") == AllocationKind.INTEREST.value)
                     .select("employer_id", "month", "fund", pl.col("allocated").alias("interest_paid")))
    keys = ["employer_id", "month", "fund"]
    gone = written_off(session, employer_ids=employer_ids, as_of=as_of)
    frame = (owed.join(contribution, on=keys, how="full", coalesce=True)
             .join(interest_charged(session, employer_ids=employer_ids), on=keys, how="full", coalesce=True)
             .join(interest_paid, on=keys, how="full", coalesce=True)
             .join(gone.filter(pl.col("kind") == AllocationKind.CONTRIBUTION.value).select(*keys, "written_off"),
                   on=keys, how="full", coalesce=True)
             .join(gone.filter(pl.col("kind") == AllocationKind.INTEREST.value)
                   .select(*keys, pl.col("written_off").alias("interest_written_off")), on=keys, how="full",
                   coalesce=True)
             .with_columns(pl.col("due", "paid", "charged", "interest_paid", "written_off",
                                  "interest_written_off").fill_null(0))
             .rename({"charged": "interest_charged"}))
    months = frame.get_column("month").unique().to_list()
    frame = frame.with_columns(
        unpaid=pl.col("due") - pl.col("paid") - pl.col("written_off"),
        interest_unpaid=pl.col("interest_charged") - pl.col("interest_paid") - pl.col("interest_written_off"),
        deadline=deadline_expr(pl.col("month"), params, months),
    )
    overdue = (pl.lit(as_of, dtype=pl.Date) - pl.col("deadline")).dt.total_days()
    return (frame.with_columns(days_overdue=pl.when((pl.col("unpaid") > 0) & (overdue > 0)).then(overdue)
                               .otherwise(0).cast(pl.Int64))
            .filter((pl.col("due") != 0) | (pl.col("paid") != 0) | (pl.col("interest_charged") != 0))
            .select("employer_id", "month", "fund", "due", "paid", "written_off", "unpaid", "paid_on",
                    "interest_charged", "interest_paid", "interest_written_off", "interest_unpaid",
                    "charged_through", "deadline", "days_overdue")
            .sort(keys))
