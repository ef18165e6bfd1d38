"""The SI book: a person's months of compulsory insurance, and whether each is credited.

A month counts towards a person's record (the years that make a pension) only when it is
**paid**: the person's employer-month is paid when every fund's dues of that month are
fully allocated (balances' ``paid`` reaches ``due`` for every fund with something due; a
debt written off by decision is not paid and does not credit the month).
It is credited on the latest value date of those allocations: the day the last of the
money reached the collection account. Until then the month shows as ``unpaid`` with its
deadline, whatever the person's own share withheld from their salary: the book tells them
which employer has not paid.

Months of a suspension declared by the employer (no contributions assessed) show as
``suspended`` with the reason; maternity months count towards the record though nothing is
paid (Law 41/2024: the months of maternity leave count as months of contribution).

Every row comes from the month's assessment row plus its re-assessments, summed per
participation and month.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from ansinh.audit.service import record_event
from ansinh.collection.assessment import SHARE_COLUMNS
from ansinh.collection.balances import balances, charged
from ansinh.collection.payment_orders import employer_units
from ansinh.collection.payment_schemas import SiBook, SiBookMonth
from ansinh.core.actor import Actor
from ansinh.core.periods import month_start
from ansinh.db.uow import UnitOfWork
from ansinh.law import default_parameters
from ansinh.law.params import ParameterSet
from ansinh.registry.lookups import person_by_key
from ansinh.registry.models import Participation, ParticipationSuspension, SuspensionReason

CREDITED = "credited"
UNPAID = "unpaid"
SUSPENDED = "suspended"
EMPLOYEE_PREFIX = "employee_"
EMPLOYER_PREFIX = "employer_"
AMOUNTS = ("salary", *SHARE_COLUMNS, "total")


def _charged(session: Session, person_id: int) -> pl.DataFrame:
    """The person's assessment rows and re-assessments, summed per participation and month."""
    return (charged(session, AMOUNTS, lambda table: [table.person_id == person_id]).drop("person_id")
            .filter(pl.col("total") != 0))


def _suspended(session: Session, person_id: int, through: dt.date) -> pl.DataFrame:
    """The months of the person's suspensions (open ones up to ``through``), within their participation."""
    query = (select(Participation.id, Participation.employer_id, ParticipationSuspension.start_month,
                    ParticipationSuspension.end_month, Participation.end_month, ParticipationSuspension.reason)
             .join(ParticipationSuspension, ParticipationSuspension.participation_id == Participation.id)
             .where(Participation.person_id == person_id, ParticipationSuspension.start_month <= through))
    frame = pl.DataFrame(session.execute(query).all(), orient="row",
                         schema={"participation_id": pl.Int64, "employer_id": pl.Int64, "start": pl.Date,
                                 "end": pl.Date, "participation_end": pl.Date, "reason": pl.Utf8})
    last = pl.min_horizontal(pl.col("end").fill_null(through), pl.col("participation_end").fill_null(through),
                             pl.lit(through, dtype=pl.Date))
    return (frame.with_columns(month=pl.date_ranges("start", last, interval="1mo"))
            .explode("month").drop_nulls("month").select("participation_id", "employer_id", "month", "reason"))


def _paid_months(session: Session, employer_ids: list[int], as_of: dt.date, params: ParameterSet) -> pl.DataFrame:
    """Per employer-month: paid (every fund's dues allocated), credited on (latest value date), deadline."""
    owed = balances(session, as_of=as_of, params=params, employer_ids=employer_ids)
    return (owed.filter(pl.col("due") > 0).group_by("employer_id", "month")
            .agg(paid=(pl.col("paid") >= pl.col("due")).all(),  # money paid: a write-off does not credit
                 credited_on=pl.col("paid_on").max(),
                 deadline=pl.col("deadline").first()))


def si_book(*, uow: UnitOfWork, person_key: str, actor: Actor, at: dt.datetime,
            params: ParameterSet | None = None) -> SiBook:
    """The person's months, employer, salary, shares per fund and status, with the months credited."""
    params = params or default_parameters()
    today = at.date()
    with uow:
        session = uow.session
        person = person_by_key(session, person_key, field="key")
        charged = _charged(session, person.id)
        suspended = _suspended(session, person.id, month_start(today))
        employer_ids = list({*charged.get_column("employer_id").to_list(),
                             *suspended.get_column("employer_id").drop_nulls().to_list()})
        paid = _paid_months(session, employer_ids, today, params)
        units = employer_units(session, employer_ids)
        record_event(uow=uow, actor=actor, action="person.si_book_read", record_type="person", record_id=person.id,
                     at=at)
        uow.commit()
    rows = (charged.join(paid, on=["employer_id", "month"], how="left").join(units, on="employer_id", how="left")
            .with_columns(status=pl.when(pl.col("paid").fill_null(value=False)).then(pl.lit(CREDITED))
                          .otherwise(pl.lit(UNPAID)))
            .sort("month", "participation_id"))
    months = [_month(row) for row in rows.iter_rows(named=True)]
    months_of_suspension = suspended.join(charged.select("participation_id", "month"), on=["participation_id", "month"],
                                          how="anti").join(units, on="employer_id", how="left")
    months += [SiBookMonth(month=row["month"], unit_code=row["unit_code"], employer_name=row["name"], salary=0,
                           employee={}, employer={}, total=0, status=SUSPENDED, suspension_reason=row["reason"],
                           counts=row["reason"] == SuspensionReason.MATERNITY.value)
               for row in months_of_suspension.iter_rows(named=True)]
    months.sort(key=lambda m: (m.month, m.unit_code or ""))
    counted = {m.month for m in months if m.counts}
    return SiBook(citizen_id=person.citizen_id, full_name=person.full_name, months=months,
                  months_credited=len({m.month for m in months if m.status == CREDITED}),
                  months_unpaid=len({m.month for m in months if m.status == UNPAID}),
                  months_suspended=len({m.month for m in months if m.status == SUSPENDED}),
                  months_counted=len(counted))


def _month(row: dict[str, Any]) -> SiBookMonth:
    """One charged month of the book (a row of the joined frame; the person's months are few)."""
    shares = {c: int(row[c]) for c in SHARE_COLUMNS}
    credited = row["status"] == CREDITED
    return SiBookMonth(
        month=row["month"], unit_code=row["unit_code"], employer_name=row["name"],
        salary=int(row["salary"]), total=int(row["total"]),
        employee={c.removeprefix(EMPLOYEE_PREFIX): v for c, v in shares.items() if c.startswith(EMPLOYEE_PREFIX)},
        employer={c.removeprefix(EMPLOYER_PREFIX): v for c, v in shares.items() if c.startswith(EMPLOYER_PREFIX)},
        status=str(row["status"]), credited_on=row["credited_on"] if credited else None,
        deadline=None if credited else row["deadline"], counts=credited)


def only_employer(book: SiBook, unit_code: str) -> SiBook:
    """The book as an employer may read it: only its own months with the person."""
    months = [m for m in book.months if m.unit_code == unit_code]
    return book.model_copy(update={
        "months": months, "months_credited": len({m.month for m in months if m.status == CREDITED}),
        "months_unpaid": len({m.month for m in months if m.status == UNPAID}),
        "months_suspended": len({m.month for m in months if m.status == SUSPENDED}),
        "months_counted": len({m.month for m in months if m.counts})})
