"""Writing off debts that will not be collected, on a written decision.

When an employer is dissolved or bankrupt with nothing left to pay, the competent authority
decides that its debt is written off. The agency does not decide this itself: the accountant
records the decision (its reference, date and reason) and what it covers, every unpaid
contribution and interest of the employer's months up to ``through``, as they stand on the
decision's date. Then:

- each written-off amount is a ``write_off`` row (month, fund, contribution or interest), so
  balances, payment orders and arrears no longer count it as owed and, from the decision's
  date, it bears no more interest;
- the ledger gets one entry, key ``writeoff:<decision>:<unit code>``, dated the decision's
  date: per fund, debit 6738 (contributions written off) and credit 135 (contributions
  receivable) or 1358 (interest receivable);
- the workers' months stay **not credited**: only money paid credits a month
  (:mod:`ansinh.collection.si_book`). A later payment from the estate is still matched and
  allocated to whatever remains owed.

The same decision recorded again for the same employer writes nothing (the key, and
``UNIQUE(decision_ref, employer_id, month, fund, kind)``).
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from pydantic import BaseModel
from sqlalchemy import select

from ansinh.audit.service import record_event
from ansinh.collection.arrears_models import WriteOff
from ansinh.collection.balances import balances
from ansinh.collection.payment_models import AllocationKind
from ansinh.core.actor import Actor
from ansinh.core.errors import InvalidInput, NotFound
from ansinh.core.periods import format_month
from ansinh.db import bulk
from ansinh.db.uow import UnitOfWork
from ansinh.law import default_parameters
from ansinh.law.params import ParameterSet
from ansinh.ledger.chart import Fund
from ansinh.ledger.schemas import EntryIn, LineIn
from ansinh.ledger.service import post_entries
from ansinh.registry.lookups import employer_by_key

EXPENSE_ACCOUNT = "6738"
"""Xoá nợ đóng bảo hiểm: contributions written off."""
RECEIVABLE = {AllocationKind.CONTRIBUTION.value: "135", AllocationKind.INTEREST.value: "1358"}
COLUMNS = ("decision_ref", "employer_id", "month", "fund", "kind", "amount", "decided_on", "reason", "written_at",
           "actor")


class WrittenOff(BaseModel):
    """What one decision wrote off for one employer."""

    decision_ref: str
    unit_code: str
    decided_on: dt.date
    through: dt.date
    contributions: int
    interest: int
    months: list[dt.date]
    funds: dict[str, int]
    entry_key: str | None
    already_recorded: bool = False


def entry_key(decision_ref: str, unit_code: str) -> str:
    return f"writeoff:{decision_ref}:{unit_code}"


def _check(decision_ref: str, reason: str, through: dt.date, decided_on: dt.date) -> str:
    ref = decision_ref.strip()
    if not 1 <= len(ref) <= 80 or any(ch in ref for ch in "\r\n\t"):
        raise InvalidInput(f"decision reference {decision_ref!r}", code="write_off.decision", field="decision_ref",
                           rule="a write-off records the decision's number (1 to 80 characters on one line)")
    if not reason.strip():
        raise InvalidInput("no reason given", code="write_off.reason", field="reason",
                           rule="a write-off says why the debt will not be collected")
    if through.day != 1 or through > decided_on:
        raise InvalidInput(f"{through} for a decision of {decided_on}", code="write_off.through", field="through",
                           rule="a write-off covers whole months (the first day) up to the decision's month")
    return ref


def _rows(owed: pl.DataFrame, through: dt.date) -> pl.DataFrame:
    """Every unpaid contribution and interest of the months up to ``through``, one row per month, fund and kind."""
    months = owed.filter(pl.col("month") <= through)
    contribution = months.filter(pl.col("unpaid") > 0).select(
        "employer_id", "month", "fund", pl.lit(AllocationKind.CONTRIBUTION.value).alias("kind"),
        pl.col("unpaid").alias("amount"))
    interest = months.filter(pl.col("interest_unpaid") > 0).select(
        "employer_id", "month", "fund", pl.lit(AllocationKind.INTEREST.value).alias("kind"),
        pl.col("interest_unpaid").alias("amount"))
    return pl.concat([contribution, interest]).sort("month", "fund", "kind")


def _entry(rows: pl.DataFrame, *, key: str, employer_id: int, decided_on: dt.date, ref: str) -> EntryIn:
    lines = []
    for month, fund, kind, amount in rows.select("month", "fund", "kind", "amount").iter_rows():
        common = {"fund": Fund(fund), "employer_id": employer_id, "period": format_month(month)}
        lines += [LineIn(account_code=EXPENSE_ACCOUNT, debit=amount, **common),
                  LineIn(account_code=RECEIVABLE[kind], credit=amount, **common)]
    return EntryIn(key=key, entry_date=decided_on, lines=lines, description=f"Debts written off by {ref}"[:500],
                   source_type="write_off", source_id=ref)


def write_off(*, uow: UnitOfWork, employer_unit_code: str, decision_ref: str, decided_on: dt.date, through: dt.date,
              reason: str, actor: Actor, at: dt.datetime, params: ParameterSet | None = None) -> WrittenOff:
    """Record a decision writing off the employer's unpaid dues and interest of the months up to ``through``."""
    ref = _check(decision_ref, reason, through, decided_on)
    params = params or default_parameters()
    with uow:
        session = uow.session
        employer = employer_by_key(session, employer_unit_code, field="employer_unit_code")
        key = entry_key(ref, employer.unit_code)
        recorded = pl.DataFrame(session.execute(
            select(WriteOff.month, WriteOff.fund, WriteOff.kind, WriteOff.amount)
            .where(WriteOff.decision_ref == ref, WriteOff.employer_id == employer.id)).all(),
            schema={"month": pl.Date, "fund": pl.Utf8, "kind": pl.Utf8, "amount": pl.Int64}, orient="row")
        if recorded.height:
            return _summary(recorded, ref=ref, unit_code=employer.unit_code, decided_on=decided_on, through=through,
                            key=key, already=True)
        rows = _rows(balances(session, as_of=decided_on, params=params, employer_ids=[employer.id]), through)
        if not rows.height:
            raise NotFound(f"{employer.unit_code} owes nothing for the months up to {format_month(through)}",
                           code="write_off.nothing_owed", field="through",
                           rule="only unpaid dues and interest can be written off")
        frame = rows.with_columns(decision_ref=pl.lit(ref), decided_on=pl.lit(decided_on, dtype=pl.Date),
                                  reason=pl.lit(reason.strip()[:500]), actor=pl.lit(actor.username),
                                  written_at=pl.lit(at.astimezone(dt.UTC), dtype=pl.Datetime("us", "UTC")))
        bulk.write_frame(session.connection(), WriteOff.__tablename__, frame.select(COLUMNS))
        post_entries(uow=uow, entries=[_entry(rows, key=key, employer_id=employer.id, decided_on=decided_on, ref=ref)],
                     actor=actor, at=at)
        result = _summary(rows, ref=ref, unit_code=employer.unit_code, decided_on=decided_on, through=through,
                          key=key, already=False)
        record_event(uow=uow, actor=actor, action="debt.write_off", record_type="employer", record_id=employer.id,
                     at=at, reason=reason.strip()[:500],
                     detail={"decision_ref": ref, "through": format_month(through),
                             "contributions": result.contributions, "interest": result.interest})
        uow.commit()
        return result


def _summary(rows: pl.DataFrame, *, ref: str, unit_code: str, decided_on: dt.date, through: dt.date, key: str,
             already: bool) -> WrittenOff:
    by_kind = dict(rows.group_by("kind").agg(pl.col("amount").sum()).iter_rows())
    funds = dict(rows.group_by("fund").agg(pl.col("amount").sum()).sort("fund").iter_rows())
    return WrittenOff(decision_ref=ref, unit_code=unit_code, decided_on=decided_on, through=through,
                      contributions=int(by_kind.get(AllocationKind.CONTRIBUTION.value, 0)),
                      interest=int(by_kind.get(AllocationKind.INTEREST.value, 0)),
                      months=sorted(set(rows.get_column("month").to_list())),
                      funds={fund: int(amount) for fund, amount in funds.items()}, entry_key=key,
                      already_recorded=already)
