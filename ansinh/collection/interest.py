"""Late-payment interest: a run charges every unpaid balance, day by day, up to a date.

The law (Law 41/2024/QH15 arts. 38(1), 40(1), 41(1)): interest is the daily rate
(the parameter ``si.late_payment.daily_interest_rate``, with values from 2025-07-01) × the amount unpaid ×
the days it is late, counted from the day **after** the deadline. Here, per employer, month
and fund:

- the unpaid balance of day *d* is the month's dues (assessment plus re-assessments, as they
  stand now) minus the contribution allocations whose value date is on or before *d*: a
  payment's value date is the first day it no longer bears interest, so money that arrives on
  the deadline leaves nothing to charge;
- the interest owed through ``through`` is Σ rate(d) × balance(d) over the days from the
  deadline + 1 to ``through``, with the rate in force **on each day**. The parameter has no
  value before 2025-07-01 (Law 58/2014 art. 122(3) set an annual rate not encoded here), so
  days before it bear nothing and the run says so;
- what was charged before (``interest_charge``) is subtracted, and a positive difference is
  written as one row spanning the day after the last charged day (or the first day that
  bears interest) to ``through``. Dues raised after a run (a back-dated declaration, an
  inspection) therefore bear interest from their original deadline: the next run's
  difference carries the catch-up. A difference that is negative (dues lowered after a
  charge) is not written back; see docs/arrears.md.

Rounding: the total owed per employer, month and fund is computed exactly (integers over
the rates' common denominator) and rounded once, half up, to the đồng; each run charges the
rounded total minus what was charged, so runs never accumulate rounding drift.

It is set-based: the balance changes only on payment dates (and the rate on its own dates),
so a Polars pipeline cuts each balance into segments between those dates and sums
balance × days × rate per segment; no Python loop over days or over rows.

A run is keyed ``interest:YYYY-MM-DD``; running it again returns it and writes nothing, and a
run ``through`` a date before the last run's is refused. Its ledger postings are one entry per
employer, ``interest:<date>:<unit code>``: per fund and month, debit 1358 (late-payment
interest receivable), credit 5738 (late-payment interest revenue).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction

import polars as pl
from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session

from ansinh.audit.service import record_event
from ansinh.collection.arrears import employer_frame
from ansinh.collection.arrears_models import InterestCharge, InterestRun, WriteOff
from ansinh.collection.balances import deadline, deadline_expr, dues, interest_charged
from ansinh.collection.compliance_schemas import InterestRunSummary
from ansinh.collection.payment_models import Allocation, AllocationKind
from ansinh.core.actor import Actor
from ansinh.core.errors import Conflict
from ansinh.core.periods import format_month
from ansinh.db import bulk
from ansinh.db.uow import UnitOfWork
from ansinh.law import default_parameters
from ansinh.law.params import ParameterSet
from ansinh.ledger.chart import Fund
from ansinh.ledger.schemas import EntryIn, LineIn
from ansinh.ledger.service import post_entries

RATE_KEY = "si.late_payment.daily_interest_rate"
RECEIVABLE_ACCOUNT = "1358"
"""Phải thu tiền lãi chậm đóng: late-payment interest receivable."""
REVENUE_ACCOUNT = "5738"
"""Thu tiền lãi chậm đóng: late-payment interest revenue."""
KEYS = ["employer_id", "month", "fund"]
CHARGE_COLUMNS = ("run_id", "employer_id", "month", "fund", "from_date", "to_date", "balance_days", "daily_rate",
                  "amount")


def run_key(through: dt.date) -> str:
    """The run's key: ``interest:YYYY-MM-DD``."""
    return f"interest:{through.isoformat()}"


def rate_text(rate: Fraction) -> str:
    """A daily rate as the decimal text stored on a charge (``0.0003``)."""
    return format(Decimal(rate.numerator) / Decimal(rate.denominator), "f")


# ----------------------------------------------------------------------------- the rate over time

def rate_table(params: ParameterSet) -> tuple[pl.DataFrame, int]:
    """The daily rate's dated values as integers over their common denominator, and that denominator.

    A repealed value (null) is a rate of 0 from its date.
    """
    values = params.get(RATE_KEY).values
    rates = [Fraction(v.value) if v.value is not None else Fraction(0) for v in values]
    scale = math.lcm(*(r.denominator for r in rates))
    table = pl.DataFrame({"point": [v.starts for v in values],
                          "rate_scaled": [int(r * scale) for r in rates]},
                         schema={"point": pl.Date, "rate_scaled": pl.Int64})
    return table.sort("point"), scale


# ----------------------------------------------------------------------------- the computation

def _payments(session: Session) -> pl.DataFrame:
    """Per employer, month, fund and day: contributions allocated (by value date) and written off
    (by the decision's date, from which the debt no longer bears interest), summed in SQL."""
    paid = (select(Allocation.employer_id, Allocation.month, Allocation.fund, Allocation.value_date.label("point"),
                   Allocation.amount)
            .where(Allocation.kind == AllocationKind.CONTRIBUTION.value))
    gone = (select(WriteOff.employer_id, WriteOff.month, WriteOff.fund, WriteOff.decided_on.label("point"),
                   WriteOff.amount)
            .where(WriteOff.kind == AllocationKind.CONTRIBUTION.value))
    both = union_all(paid, gone).subquery()
    query = (select(both.c.employer_id, both.c.month, both.c.fund, both.c.point, func.sum(both.c.amount))
             .group_by(both.c.employer_id, both.c.month, both.c.fund, both.c.point))
    return pl.DataFrame(session.execute(query).all(), orient="row", schema={
        "employer_id": pl.Int64, "month": pl.Date, "fund": pl.Utf8, "point": pl.Date, "paid": pl.Int64})


def interest_due(dues_frame: pl.DataFrame, payments: pl.DataFrame, charged: pl.DataFrame, *, through: dt.date,
                 params: ParameterSet) -> pl.DataFrame:
    """Per employer, month and fund: the interest owed through ``through``, what is new, and its span.

    ``dues_frame`` has employer_id, month, fund, due; ``payments`` employer_id, month, fund,
    point (value date), paid; ``charged`` employer_id, month, fund, charged, charged_through
    (the frames of :mod:`ansinh.collection.balances`). Columns out: the keys, deadline,
    from_date, to_date, balance_days (of the new span), owed (the rounded total through
    ``through``), charged, amount (owed − charged, positive rows only), daily_rate.
    """
    rates, scale = rate_table(params)
    first_rate_day = rates.get_column("point").min()
    end = through + dt.timedelta(days=1)
    owed = dues_frame.filter(pl.col("due") > 0, pl.col("month") <= through)
    months = owed.get_column("month").unique().to_list()
    owed = (owed.with_columns(deadline=deadline_expr(pl.col("month"), params, months))
            .with_columns(start=pl.col("deadline") + pl.duration(days=1))
            .filter(pl.col("start") <= through)
            .join(charged.select(*KEYS, "charged", "charged_through"), on=KEYS, how="left")
            .with_columns(pl.col("charged").fill_null(0),
                          from_date=pl.max_horizontal(pl.col("start"),
                                                      pl.col("charged_through") + pl.duration(days=1),
                                                      pl.lit(first_rate_day, dtype=pl.Date))))
    keys = owed.select(*KEYS, "start")
    # Every day the balance or the rate may change, per key: its start, the first day not yet
    # charged, each payment's value date, each rate change, and the day after ``through``.
    points = pl.concat([
        owed.select(*KEYS, pl.col("start").alias("point")),
        owed.select(*KEYS, pl.col("from_date").alias("point")),
        payments.join(keys, on=KEYS).filter(pl.col("point") > pl.col("start")).select(*KEYS, "point"),
        keys.join(rates.select("point"), how="cross").filter(pl.col("point") > pl.col("start")).select(*KEYS,
                                                                                                       "point"),
        owed.select(*KEYS, pl.lit(end, dtype=pl.Date).alias("point")),
    ]).filter(pl.col("point") <= end).unique().sort("point")
    paid_so_far = (payments.sort("point").with_columns(paid_cum=pl.col("paid").cum_sum().over(KEYS))
                   .select(*KEYS, "point", "paid_cum"))
    segments = (points.sort(*KEYS, "point")
                .with_columns(next=pl.col("point").shift(-1).over(KEYS))
                .filter(pl.col("next").is_not_null())
                .sort("point")
                .join_asof(paid_so_far, on="point", by=KEYS, strategy="backward", check_sortedness=False)
                .join_asof(rates, on="point", strategy="backward")
                .join(owed.select(*KEYS, "due", "from_date"), on=KEYS)
                .with_columns(pl.col("paid_cum", "rate_scaled").fill_null(0),
                              days=(pl.col("next") - pl.col("point")).dt.total_days())
                .with_columns(balance=(pl.col("due") - pl.col("paid_cum")).clip(lower_bound=0))
                .with_columns(balance_days=pl.col("balance") * pl.col("days"))
                .with_columns(scaled=pl.col("balance_days") * pl.col("rate_scaled")))
    totals = segments.group_by(KEYS).agg(
        scaled=pl.col("scaled").sum(),
        balance_days=pl.col("balance_days").filter((pl.col("point") >= pl.col("from_date"))
                                                   & (pl.col("rate_scaled") > 0)).sum())
    in_force = rates.filter(pl.col("point") <= through)
    rate_now = in_force.get_column("rate_scaled").to_list()[-1] if in_force.height else 0
    return (owed.join(totals, on=KEYS, how="left")
            .with_columns(pl.col("scaled", "balance_days").fill_null(0))
            .with_columns(owed=(2 * pl.col("scaled") + scale) // (2 * scale))  # half up, to the đồng
            .with_columns(amount=pl.col("owed") - pl.col("charged"), to_date=pl.lit(through, dtype=pl.Date),
                          daily_rate=pl.lit(rate_text(Fraction(rate_now, scale))))
            .filter(pl.col("amount") > 0, pl.col("from_date") <= pl.col("to_date"))
            .select(*KEYS, "deadline", "from_date", "to_date", "balance_days", "owed", "charged", "amount",
                    "daily_rate")
            .sort(KEYS))


# ----------------------------------------------------------------------------- the run

def _entries(charges: pl.DataFrame, *, session: Session, through: dt.date, run_id: int) -> list[EntryIn]:
    """One balanced entry per employer: per fund and month, interest receivable against interest revenue."""
    by_line = charges.group_by("employer_id", "fund", "month").agg(pl.col("amount").sum()).sort(
        "employer_id", "month", "fund")
    codes = dict(employer_frame(session, by_line.get_column("employer_id").unique().to_list())
                 .select("employer_id", "unit_code").iter_rows())
    entries = []
    for (employer_id,), lines in by_line.group_by("employer_id", maintain_order=True):  # one per employer
        unit_code = codes[employer_id]
        posted: list[LineIn] = []
        for line in lines.iter_rows(named=True):
            common = {"fund": Fund(line["fund"]), "employer_id": line["employer_id"],
                      "period": format_month(line["month"])}
            posted += [LineIn(account_code=RECEIVABLE_ACCOUNT, debit=line["amount"], **common),
                       LineIn(account_code=REVENUE_ACCOUNT, credit=line["amount"], **common)]
        entries.append(EntryIn(key=f"interest:{through.isoformat()}:{unit_code}", entry_date=through,
                               description=f"Late-payment interest through {through.isoformat()}", lines=posted,
                               source_type="interest", source_id=str(run_id)))
    return entries


def _note(owed: pl.DataFrame, params: ParameterSet, through: dt.date) -> str | None:
    """Why some late days were not charged, when the run reaches back before the rate's first day."""
    first_rate_day = params.get(RATE_KEY).values[0].starts
    late_before = any(deadline(month, params) + dt.timedelta(days=1) < first_rate_day
                      for month in owed.filter(pl.col("due") > 0).get_column("month").unique().to_list())
    if through >= first_rate_day and not late_before:
        return None
    return (f"days before {first_rate_day.isoformat()} bear no interest here: the daily rate {RATE_KEY} is in force "
            "from then (Law 41/2024/QH15 art. 40(1)); the earlier annual rate (Law 58/2014 art. 122(3)) is not encoded")


def _summary(session: Session, run: InterestRun, *, already_run: bool, note: str | None) -> InterestRunSummary:
    rows = session.execute(select(InterestCharge.fund, func.sum(InterestCharge.amount),
                                  func.count(func.distinct(InterestCharge.employer_id)))
                           .where(InterestCharge.run_id == run.id).group_by(InterestCharge.fund)).all()
    employers = session.scalar(select(func.count(func.distinct(InterestCharge.employer_id)))
                               .where(InterestCharge.run_id == run.id)) or 0
    return InterestRunSummary(key=run.key, through=run.through, rows=run.rows, employers=int(employers),
                              total=run.total, funds={fund: int(amount) for fund, amount, _ in rows},
                              ran_at=run.ran_at, actor=run.actor, already_run=already_run, note=note)


def charge_interest(*, uow: UnitOfWork, through: dt.date, actor: Actor, at: dt.datetime,
                    params: ParameterSet | None = None) -> InterestRunSummary:
    """Charge every employer's late-payment interest up to ``through`` (included), in one transaction.

    Idempotent on its key ``interest:YYYY-MM-DD``; a ``through`` before the last run's is a
    Conflict (``interest.through_before_last``): its days are charged already.
    """
    params = params or default_parameters()
    key = run_key(through)
    with uow:
        session = uow.session
        existing = session.scalar(select(InterestRun).where(InterestRun.key == key))
        if existing is not None:
            return _summary(session, existing, already_run=True, note=None)
        last = session.scalar(select(func.max(InterestRun.through)))
        if last is not None and through < last:
            raise Conflict(f"the last interest run charged through {last.isoformat()}",
                           code="interest.through_before_last", field="through",
                           rule="interest runs move forward: each charges from the day after the last charged "
                                "day, so a run cannot end before the last one")
        owed = dues(session, through=through)
        charges = interest_due(owed, _payments(session), interest_charged(session), through=through, params=params)
        run = InterestRun(key=key, through=through, rows=charges.height,
                          total=int(charges.get_column("amount").sum()) if charges.height else 0, ran_at=at,
                          actor=actor.username)
        session.add(run)
        session.flush()
        rows = charges.with_columns(run_id=pl.lit(run.id, dtype=pl.Int64)).select(CHARGE_COLUMNS)
        bulk.write_frame(session.connection(), InterestCharge.__tablename__, rows)
        entries = _entries(charges, session=session, through=through, run_id=run.id)
        if entries:
            post_entries(uow=uow, entries=entries, actor=actor, at=at)
        note = _note(owed, params, through)
        summary = _summary(session, run, already_run=False, note=note)
        record_event(uow=uow, actor=actor, action="interest.run", record_type="interest_run", record_id=run.id,
                     at=at, detail={"key": key, "rows": run.rows, "total": run.total, "employers": summary.employers})
        uow.commit()
    return summary


def interest_runs(*, uow: UnitOfWork, limit: int = 20) -> list[InterestRunSummary]:
    """The latest interest runs, newest first, with their totals per fund."""
    with uow:
        session = uow.session
        runs = session.scalars(select(InterestRun).order_by(InterestRun.through.desc()).limit(limit)).all()
        return [_summary(session, run, already_run=True, note=None) for run in runs]
