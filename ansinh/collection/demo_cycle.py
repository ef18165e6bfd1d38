"""The demo's contribution cycle: three months declared, assessed, ordered, paid, reconciled and credited.

``ansinh demo`` observes the country on a day; this runs the three months before it the way
the agency's monthly cycle would have, each step through the same service verbs as the CLI,
the API and the pages:

1. the demo employer declares by file in the second month: a salary change, a worker who
   joins, and a line with an unknown person (rejected, with its reason in the report);
2. each month is assessed after it ends (``assess:YYYY-MM``) and payment orders are issued;
3. a bank statement arrives mid-month after: most employers pay their order's reference, some
   pay without it (matched by amount and payer), one pays an odd amount (left to the
   accountant), and some do not pay; it is imported, matched and allocated;
4. once the last month is assessed, the demo employer declares a salary raise back-dated to
   the second month: the months already assessed are re-assessed, the shortfall shows as
   arrears on the last month's payment order, and paying the order settles it (oldest first);
5. on the day observed, late-payment interest is charged through the day before, and
   reminders go to employers in arrears; the risk list ranks them.

The demo employer always pays its orders in full, so its workers' months (the demo citizen's
among them) are credited; the back-dated shortfall bears a few days' interest from its
original deadline. The largest other employer never pays, and a share of the rest skip a
month: they accrue interest, get reminders and rise in the list.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from sqlalchemy import Engine, and_, exists, func, or_, select

from ansinh.collection.allocation import allocate
from ansinh.collection.assessment import assess_month
from ansinh.collection.bank_statements import import_statement
from ansinh.collection.declaration_files import read_declaration_file
from ansinh.collection.declaration_models import DeclarationSource
from ansinh.collection.declaration_schemas import DeclarationLineIn
from ansinh.collection.declarations import declare
from ansinh.collection.demo_payments import statement_for
from ansinh.collection.interest import charge_interest
from ansinh.collection.matching import match_transactions
from ansinh.collection.payment_orders import issue_orders
from ansinh.collection.reminders import send_reminders
from ansinh.collection.risk import risk_list
from ansinh.core.actor import Actor
from ansinh.core.periods import add_months, format_month
from ansinh.db.uow import UnitOfWork
from ansinh.registry.lookups import employer_by_key
from ansinh.registry.models import Employer, Participation, Person, Scheme

MONTHS_BEFORE = 3
"""How many months before the day observed the cycle runs."""
PAY_SHARE = 0.85
"""Share of employers that pay each month's order (the others fall into arrears)."""
PAYMENT_DAY = 15
"""Day of the month after a contribution month on which the statement's payments arrive."""
RAISE = 500_000
"""The back-dated salary raise the demo employer declares, in đồng."""


@dataclass
class CycleSummary:
    """What the cycle did, for the demo's printout and its test."""

    months: list[str] = field(default_factory=list)
    assessed_rows: int = 0
    declarations: list[tuple[int, int, int]] = field(default_factory=list)
    """(declaration id, lines accepted, lines rejected)."""
    back_dated_months: int = 0
    orders: int = 0
    transactions: int = 0
    matched: int = 0
    unmatched: int = 0
    allocated: int = 0
    interest: int = 0
    reminders: int = 0
    riskiest: list[tuple[str, int, str]] = field(default_factory=list)
    """(unit code, score, status) of the top of the risk list."""


def _first_workers(uow: UnitOfWork, employer_id: int, month: dt.date, count: int) -> list[tuple[str, int]]:
    """The citizen IDs and salaries of the employer's first workers in force in ``month``."""
    with uow:
        rows = uow.session.execute(
            select(Person.citizen_id, Participation.monthly_salary)
            .join(Participation, Participation.person_id == Person.id)
            .where(Participation.employer_id == employer_id, Participation.scheme == Scheme.COMPULSORY.value,
                   Participation.start_month <= month,
                   or_(Participation.end_month.is_(None), Participation.end_month >= month))
            .order_by(Participation.id).limit(count)).all()
    return [(citizen_id, int(salary)) for citizen_id, salary in rows]


def _largest_employer(uow: UnitOfWork, month: dt.date, *, besides: int | None) -> str | None:
    """The unit code of the employer with the most workers in ``month``, other than ``besides``."""
    in_force = and_(Participation.scheme == Scheme.COMPULSORY.value, Participation.start_month <= month,
                    or_(Participation.end_month.is_(None), Participation.end_month >= month))
    with uow:
        return uow.session.scalar(
            select(Employer.unit_code).join(Participation, Participation.employer_id == Employer.id)
            .where(in_force, Employer.id != (besides or -1)).group_by(Employer.id, Employer.unit_code)
            .order_by(func.count().desc(), Employer.id).limit(1))


def _someone_without_work(uow: UnitOfWork, month: dt.date, as_of: dt.date) -> str | None:
    """A living adult of working age with no period in force in ``month``: the worker who joins."""
    busy = exists().where(Participation.person_id == Person.id, Participation.start_month <= month,
                          or_(Participation.end_month.is_(None), Participation.end_month >= add_months(month, -1)))
    adult = and_(Person.birth_date <= as_of.replace(year=as_of.year - 20),
                 Person.birth_date >= as_of.replace(year=as_of.year - 45))
    with uow:
        return uow.session.scalar(select(Person.citizen_id).where(~busy, adult, Person.death_date.is_(None))
                                  .order_by(Person.id).limit(1))


def _declaration_file(rows: list[tuple[str, str, str, str]]) -> bytes:
    """A CSV in the employers' layout (Vietnamese headers), as the employer's software writes it."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["STT", "Loại", "Số định danh / Mã số BHXH", "Từ tháng", "Mức lương", "Mã nhóm"])
    for number, (kind, person, month, salary) in enumerate(rows, start=1):
        writer.writerow([number, kind, person, month, salary, "DN"])
    return out.getvalue().encode("utf-8-sig")


def _declare_by_file(uow: UnitOfWork, unit_code: str, employer_id: int, month: dt.date, *, actor: Actor,
                     at: dt.datetime) -> tuple[int, int, int]:
    """The demo employer's file for ``month``: a salary change, a new worker, and a line that is rejected."""
    workers = _first_workers(uow, employer_id, month, 1)
    rows = []
    if workers:
        citizen_id, salary = workers[0]
        rows.append(("điều chỉnh lương", citizen_id, f"{month:%m/%Y}", str(salary + RAISE)))
    newcomer = _someone_without_work(uow, month, at.date())
    if newcomer is not None:
        rows.append(("tăng", newcomer, f"{month:%m/%Y}", "9500000"))
    rows.append(("tăng", "001099999999", f"{month:%m/%Y}", "9500000"))  # nobody has this ID: rejected
    content = _declaration_file(rows)
    read = read_declaration_file(content)
    result = declare(uow=uow, employer_unit_code=unit_code, key=read.key, lines=read.lines,
                     source=DeclarationSource.FILE, as_of=add_months(month, 1) - dt.timedelta(days=1), actor=actor,
                     at=at, filename=f"khai-bao-{format_month(month)}.csv")
    return result.id, result.lines_accepted, result.lines_rejected


def _declare_back_dated_raise(uow: UnitOfWork, unit_code: str, employer_id: int, month: dt.date, *, on: dt.date,
                              actor: Actor, at: dt.datetime) -> tuple[int, int, int, int]:
    """A raise declared late: from ``month``, already assessed, so it is re-assessed."""
    workers = _first_workers(uow, employer_id, add_months(month, 1), 2)[1:]
    lines = [DeclarationLineIn(kind="salary", person_key=citizen_id, from_month=format_month(month),
                               salary=salary + RAISE) for citizen_id, salary in workers]
    if not lines:
        return 0, 0, 0, 0
    result = declare(uow=uow, employer_unit_code=unit_code, key=f"demo:raise:{format_month(month)}", lines=lines,
                     source=DeclarationSource.API, as_of=on, actor=actor, at=at)
    return result.id, result.lines_accepted, result.lines_rejected, len(result.reassessed)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC)


def run_demo_cycle(*, engine: Engine, day: dt.date, demo_employer: str | None, actor: Actor,
                   seed: int = 1) -> CycleSummary:
    """Run the months before ``day`` through the whole cycle; what it did."""
    uow = UnitOfWork(engine)
    summary = CycleSummary()
    first = add_months(day.replace(day=1), -MONTHS_BEFORE)
    employer_id = None
    if demo_employer is not None:
        with uow:
            employer_id = employer_by_key(uow.session, demo_employer).id
    late = _largest_employer(uow, first, besides=employer_id)
    for index in range(MONTHS_BEFORE):
        month = add_months(first, index)
        after = add_months(month, 1)
        summary.months.append(format_month(month))
        if index == 1 and demo_employer is not None and employer_id is not None:
            summary.declarations.append(_declare_by_file(uow, demo_employer, employer_id, month, actor=actor,
                                                         at=_at(after - dt.timedelta(days=3))))
        run = assess_month(uow=uow, month=month, actor=actor, at=_at(after))
        summary.assessed_rows += run.rows
        if index == MONTHS_BEFORE - 1 and demo_employer is not None and employer_id is not None:
            raise_id, accepted, rejected, months = _declare_back_dated_raise(
                uow, demo_employer, employer_id, add_months(first, 1), on=after, actor=actor, at=_at(after))
            if raise_id:
                summary.declarations.append((raise_id, accepted, rejected))
                summary.back_dated_months = months
        summary.orders += issue_orders(uow=uow, month=month, on=after, actor=actor, at=_at(after)).issued
        paid_on = after.replace(day=PAYMENT_DAY)
        if paid_on >= day:
            continue  # the statement has not arrived yet
        with uow:
            content = statement_for(uow.session, month=month, on=paid_on, pay_share=PAY_SHARE, seed=seed + index,
                                    always_pay=[demo_employer] if demo_employer else [],
                                    never_pay=[late] if late else [])
        imported = import_statement(uow=uow, content=content, filename=f"sao-ke-{paid_on}.csv", actor=actor,
                                    at=_at(paid_on))
        summary.transactions += imported.new_lines
        matched = match_transactions(uow=uow, on=paid_on, actor=actor, at=_at(paid_on))
        summary.matched += matched.by_reference + matched.by_amount_payer
        summary.unmatched = matched.unmatched
        summary.allocated += allocate(uow=uow, on=paid_on, actor=actor, at=_at(paid_on)).contributions
    through = day - dt.timedelta(days=1)
    summary.interest = charge_interest(uow=uow, through=through, actor=actor, at=_at(day)).total
    summary.reminders = len(send_reminders(uow=uow, on=day, actor=actor, at=_at(day)).sent)
    top = risk_list(uow=uow, as_of=day, limit=3)
    summary.riskiest = [(row.unit_code, row.score, row.status) for row in top.rows]
    return summary
