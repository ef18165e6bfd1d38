"""Allocation: applying each employer's matched money to what it owes, oldest first, in the law's order.

Per employer, the money matched to it and not yet allocated is laid end to end in the order
it arrived (value date, then transaction id), and what it owes is laid end to end in the
order it is to be settled:

- oldest month first;
- within a month, in the order of the law parameter ``si.late_payment.allocation_order``
  (interest first, then health, unemployment, work injury, sickness and maternity,
  retirement and survivorship; its source is marked unverified in the parameter file);
  interest items are the interest charged and unpaid per fund (balances' ``interest_unpaid``),
  among themselves in the same order of funds.

On that one axis per employer each transaction is an interval and each item is an interval
(cumulative sums); an allocation row is the overlap of the two, found by a join per
employer and a clip, in Polars, with no Python loop over rows. What is left when every
item is paid stays as the employer's credit for later dues (balances' ``credits``).

A run writes its rows under the key ``allocate:<on>:<n>`` (n counts the day's runs) with the
transaction's value date, the day the money counts as paid from, and posts one ledger entry
per employer, key ``allocate:<on>:<n>:<unit code>``, dated ``on``:

- on fund ``collection``: debit 3371 (unallocated receipts), credit 112 (the bank account):
  the money leaves the collection account;
- on each fund it reaches: debit 112, credit 135 (contributions receivable) or 1358
  (interest receivable), per month.

So the collection account's outflow equals what the funds receive, and each fund's books
balance on their own. A run with nothing to allocate writes nothing and uses no key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ansinh.audit.service import record_event
from ansinh.collection.balances import balances
from ansinh.collection.bank_statements import BANK_ACCOUNT, SUSPENSE_ACCOUNT
from ansinh.collection.payment_models import Allocation, AllocationKind, BankTransaction, TransactionStatus
from ansinh.collection.payment_orders import employer_units
from ansinh.collection.payment_schemas import AllocationSummary
from ansinh.core.actor import Actor
from ansinh.core.periods import format_month
from ansinh.db import bulk
from ansinh.db.uow import UnitOfWork
from ansinh.law import default_parameters
from ansinh.law.params import ParameterSet
from ansinh.ledger.chart import Fund
from ansinh.ledger.schemas import EntryIn, LineIn
from ansinh.ledger.service import post_entries

CONTRIBUTION_RECEIVABLE = "135"
INTEREST_RECEIVABLE = "1358"
INTEREST = AllocationKind.INTEREST.value
CONTRIBUTION = AllocationKind.CONTRIBUTION.value
ROW_COLUMNS = ("key", "transaction_id", "employer_id", "month", "fund", "kind", "amount", "value_date",
               "allocated_on")


def allocation_order(params: ParameterSet, on: dt.date) -> list[str]:
    """The law's order within a month: ``interest`` and the funds, as the parameter lists them."""
    return [part.strip() for part in str(params.value_at("si.late_payment.allocation_order", on)).split(",")]


def unallocated(session: Session, employer_ids: Sequence[int] | None = None) -> pl.DataFrame:
    """Matched transactions with money not yet allocated: id, employer, value date, what remains."""
    spent = (select(Allocation.transaction_id, func.sum(Allocation.amount).label("spent"))
             .group_by(Allocation.transaction_id).subquery())
    query = (select(BankTransaction.id, BankTransaction.employer_id, BankTransaction.value_date,
                    BankTransaction.amount - func.coalesce(spent.c.spent, 0))
             .outerjoin(spent, spent.c.transaction_id == BankTransaction.id)
             .where(BankTransaction.status == TransactionStatus.MATCHED.value,
                    BankTransaction.amount > func.coalesce(spent.c.spent, 0)))
    if employer_ids is not None:
        query = query.where(BankTransaction.employer_id.in_(list(employer_ids)))
    return pl.DataFrame(session.execute(query).all(), orient="row",
                        schema={"transaction_id": pl.Int64, "employer_id": pl.Int64, "value_date": pl.Date,
                                "remaining": pl.Int64})


def items(owed: pl.DataFrame, order: Sequence[str]) -> pl.DataFrame:
    """What each employer owes as items to settle, in settling order, from a balances frame."""
    rank = {name: index for index, name in enumerate(order)}
    fund_rank = pl.col("fund").replace_strict(rank, default=len(rank), return_dtype=pl.Int64)
    contributions = owed.filter(pl.col("unpaid") > 0).select(
        "employer_id", "month", "fund", pl.lit(CONTRIBUTION).alias("kind"), pl.col("unpaid").alias("amount"),
        fund_rank.alias("rank"), fund_rank.alias("within"))
    interest = owed.filter(pl.col("interest_unpaid") > 0).select(
        "employer_id", "month", "fund", pl.lit(INTEREST).alias("kind"), pl.col("interest_unpaid").alias("amount"),
        pl.lit(rank.get(INTEREST, -1), dtype=pl.Int64).alias("rank"), fund_rank.alias("within"))
    return pl.concat([contributions, interest]).sort("employer_id", "month", "rank", "within")


def _on_axis(frame: pl.DataFrame, amount: str, prefix: str) -> pl.DataFrame:
    """Each row's interval [start, end) on its employer's axis, in the frame's order."""
    end = pl.col(amount).cum_sum().over("employer_id")
    return frame.with_columns(end.alias(f"{prefix}_end")).with_columns(
        (pl.col(f"{prefix}_end") - pl.col(amount)).alias(f"{prefix}_start"))


def overlaps(money: pl.DataFrame, owed_items: pl.DataFrame) -> pl.DataFrame:
    """Allocation rows: where each transaction's interval overlaps each item's, per employer."""
    txns = _on_axis(money.sort("employer_id", "value_date", "transaction_id"), "remaining", "t")
    due = _on_axis(owed_items, "amount", "i")
    joined = txns.join(due.drop("amount"), on="employer_id")
    amount = pl.min_horizontal("t_end", "i_end") - pl.max_horizontal("t_start", "i_start")
    return (joined.with_columns(amount=amount).filter(pl.col("amount") > 0)
            .select("transaction_id", "employer_id", "month", "fund", "kind", "amount", "value_date")
            .sort("employer_id", "transaction_id", "month", "fund", "kind"))


def _settled_through(session: Session, employer_ids: Sequence[int], on: dt.date) -> dt.date:
    """The day to read balances on so that every allocation already written counts as paid.

    Balances count a payment from its value date; an earlier run may have allocated money
    whose value date is after ``on``. Read on an earlier day, those items would look unpaid
    and be paid twice.
    """
    latest = session.scalar(select(func.max(Allocation.value_date)).where(Allocation.employer_id.in_(
        list(employer_ids))))
    return max(on, latest) if latest is not None else on


def _run_key(session: Session, on: dt.date) -> str:
    prefix = f"allocate:{on.isoformat()}:"
    runs = session.scalar(select(func.count(func.distinct(Allocation.key))).where(Allocation.key.like(f"{prefix}%")))
    return f"{prefix}{int(runs or 0) + 1}"


def _entries(rows: pl.DataFrame, units: pl.DataFrame, *, key: str, on: dt.date) -> list[EntryIn]:
    """One entry per employer: out of the collection account, into each fund's bank account against its receivable."""
    per_line = (rows.group_by("employer_id", "fund", "kind", "month").agg(pl.col("amount").sum())
                .join(units.select("employer_id", "unit_code"), on="employer_id")
                .sort("employer_id", "month", "fund", "kind"))
    entries = []
    for (employer_id, unit_code), group in per_line.group_by(["employer_id", "unit_code"], maintain_order=True):
        total = int(group.get_column("amount").sum())
        lines = [LineIn(account_code=SUSPENSE_ACCOUNT, fund=Fund.COLLECTION, debit=total, employer_id=employer_id),
                 LineIn(account_code=BANK_ACCOUNT, fund=Fund.COLLECTION, credit=total, employer_id=employer_id)]
        for _, fund, kind, month, amount, _unit in group.iter_rows():  # one per fund, kind and month
            common = {"fund": Fund(fund), "employer_id": employer_id, "period": format_month(month)}
            receivable = INTEREST_RECEIVABLE if kind == INTEREST else CONTRIBUTION_RECEIVABLE
            lines += [LineIn(account_code=BANK_ACCOUNT, debit=amount, **common),
                      LineIn(account_code=receivable, credit=amount, **common)]
        entries.append(EntryIn(key=f"{key}:{unit_code}", entry_date=on, lines=lines,
                               description=f"Payments allocated to {unit_code}'s dues ({key})",
                               source_type="allocation", source_id=key))
    return entries


def allocate(*, uow: UnitOfWork, on: dt.date, actor: Actor, at: dt.datetime, employer_ids: Sequence[int] | None = None,
             params: ParameterSet | None = None) -> AllocationSummary:
    """Apply every employer's unallocated matched money to its dues and interest (one transaction)."""
    params = params or default_parameters()
    with uow:
        session = uow.session
        lock = select(BankTransaction.id).where(BankTransaction.status == TransactionStatus.MATCHED.value)
        if employer_ids is not None:
            lock = lock.where(BankTransaction.employer_id.in_(list(employer_ids)))
        session.execute(lock.with_for_update())  # two runs at once take turns
        money = unallocated(session, employer_ids)
        nothing = AllocationSummary(key=None, rows=0, employers=0, contributions=0, interest=0, funds={})
        if not money.height:
            return nothing
        who = money.get_column("employer_id").unique().to_list()
        owed = balances(session, as_of=_settled_through(session, who, on), params=params, employer_ids=who)
        rows = overlaps(money, items(owed, allocation_order(params, on)))
        if not rows.height:
            return nothing
        key = _run_key(session, on)
        frame = rows.with_columns(key=pl.lit(key), allocated_on=pl.lit(on, dtype=pl.Date)).select(ROW_COLUMNS)
        bulk.write_frame(session.connection(), Allocation.__tablename__, frame)
        units = employer_units(session, rows.get_column("employer_id").unique().to_list())
        post_entries(uow=uow, entries=_entries(rows, units, key=key, on=on), actor=actor, at=at)
        by_kind = dict(rows.group_by("kind").agg(pl.col("amount").sum()).iter_rows())
        funds = dict(rows.group_by("fund").agg(pl.col("amount").sum()).sort("fund").iter_rows())
        summary = AllocationSummary(key=key, rows=rows.height, employers=rows.get_column("employer_id").n_unique(),
                                    contributions=int(by_kind.get(CONTRIBUTION, 0)),
                                    interest=int(by_kind.get(INTEREST, 0)),
                                    funds={fund: int(amount) for fund, amount in funds.items()})
        record_event(uow=uow, actor=actor, action="payment.allocate", record_type="allocation", record_id=key, at=at,
                     detail=summary.model_dump(exclude={"key"}))
        uow.commit()
        return summary
