"""Changes to a worker's period with an employer: its end, a salary change, months without contributions.

The registry's periods are laid end to end: a salary change closes the period in force at
the month before and opens a new one (or corrects it in place when the change is from its
first month); the months a period spends without contributions are its suspensions
(maternity leave, which counts as contribution time with nothing paid, Law 41/2024 art.
53(8); 14 working days or more in a month without pay: unpaid or sick leave, a suspended
contract, art. 33(5), 34(3)). The employers' declarations
(:mod:`ansinh.collection.declaration_lines`) call these verbs. Each checks its rule and
raises it as an :class:`~ansinh.core.errors.AnsinhError` naming the field, writes in the
caller's transaction, and audits itself, one event per change. A new period is
:func:`ansinh.registry.service.add_participation`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from ansinh.audit.service import record_event
from ansinh.core.actor import Actor
from ansinh.core.errors import Conflict, InvalidInput
from ansinh.core.periods import add_months, format_month
from ansinh.db.uow import UnitOfWork
from ansinh.registry.checks import check_minimum_wage, check_period
from ansinh.registry.models import Employer, Participation, ParticipationSuspension, Person, Scheme, SuspensionReason

# ----------------------------------------------------------------------------- finding the period


def in_force(session: Session, person: Person, employer: Employer, month: dt.date) -> Participation:
    """The worker's compulsory period with the employer that covers ``month``."""
    period = session.scalar(select(Participation).where(
        Participation.person_id == person.id, Participation.employer_id == employer.id,
        Participation.scheme == Scheme.COMPULSORY.value, Participation.start_month <= month,
        or_(Participation.end_month.is_(None), Participation.end_month >= month)))
    if period is None:
        raise Conflict(f"the worker is not covered by this employer in {format_month(month)}",
                       code="participation.not_in_force", field="from_month",
                       rule="a salary change or a suspension applies to a period the employer has declared")
    return period


def open_period(session: Session, person: Person, employer: Employer) -> Participation:
    """The worker's compulsory period with the employer that has no end yet."""
    period = session.scalar(select(Participation).where(
        Participation.person_id == person.id, Participation.employer_id == employer.id,
        Participation.scheme == Scheme.COMPULSORY.value, Participation.end_month.is_(None)))
    if period is None:
        raise Conflict("the worker has no open period with this employer", code="participation.no_open_participation",
                       field="person_key", rule="a leaver is a worker the employer has declared and not yet ended")
    return period


def _audit(uow: UnitOfWork, *, action: str, person: Person, actor: Actor, at: dt.datetime,
           detail: dict[str, object]) -> None:
    record_event(uow=uow, actor=actor, action=action, record_type="person", record_id=person.id, at=at,
                 detail=detail)


# ----------------------------------------------------------------------------- suspensions follow their months

def _clip_suspensions(session: Session, period: Participation, last: dt.date) -> None:
    """Suspensions of ``period`` end by ``last``; those wholly after it go."""
    session.execute(delete(ParticipationSuspension).where(
        ParticipationSuspension.participation_id == period.id, ParticipationSuspension.start_month > last))
    for suspension in session.scalars(select(ParticipationSuspension).where(
            ParticipationSuspension.participation_id == period.id,
            or_(ParticipationSuspension.end_month.is_(None), ParticipationSuspension.end_month > last))):
        suspension.end_month = last


def _split_suspensions(session: Session, old: Participation, new: Participation) -> None:
    """Suspension months from ``new``'s start move with the months to the new period."""
    for suspension in session.scalars(select(ParticipationSuspension).where(
            ParticipationSuspension.participation_id == old.id,
            or_(ParticipationSuspension.end_month.is_(None),
                ParticipationSuspension.end_month >= new.start_month))).all():
        if suspension.start_month >= new.start_month:
            suspension.participation_id = new.id
        else:
            session.add(ParticipationSuspension(participation_id=new.id, start_month=new.start_month,
                                                end_month=suspension.end_month, reason=suspension.reason))
            suspension.end_month = old.end_month


# ----------------------------------------------------------------------------- the changes

def end_period(uow: UnitOfWork, person: Person, employer: Employer, *, last_month: dt.date, actor: Actor,
               at: dt.datetime) -> Participation:
    """The worker's open period with the employer ends at ``last_month`` (its last covered month)."""
    period = open_period(uow.session, person, employer)
    if last_month < period.start_month:
        raise InvalidInput(f"{format_month(last_month)} is before the period's first month "
                           f"{format_month(period.start_month)}", code="participation.leave_before_start",
                           field="from_month", rule="the last covered month is in the period")
    period.end_month = last_month
    _clip_suspensions(uow.session, period, last_month)
    uow.session.flush()
    _audit(uow, action="participation.end", person=person, actor=actor, at=at,
           detail={"participation_id": period.id, "employer_unit_code": employer.unit_code,
                   "end_month": format_month(last_month)})
    return period


def change_salary(uow: UnitOfWork, person: Person, employer: Employer, *, from_month: dt.date, salary: int,
                  as_of: dt.date, actor: Actor, at: dt.datetime) -> Participation:
    """The worker's salary with the employer is ``salary`` from ``from_month``; the period that now carries it."""
    session = uow.session
    check_period(from_month, None, as_of=as_of, death_date=None)
    period = in_force(session, person, employer, from_month)
    check_minimum_wage(salary, scheme=Scheme.COMPULSORY, region=employer.wage_region, start=from_month,
                       end=period.end_month, as_of=as_of)
    before = period.monthly_salary
    if from_month == period.start_month:
        period.monthly_salary = salary
        changed = period
    else:
        changed = Participation(person_id=person.id, employer_id=employer.id, scheme=period.scheme,
                                hi_group_code=period.hi_group_code, start_month=from_month,
                                end_month=period.end_month, monthly_salary=salary)
        period.end_month = add_months(from_month, -1)
        session.add(changed)
        session.flush()
        _split_suspensions(session, period, changed)
    session.flush()
    _audit(uow, action="participation.salary", person=person, actor=actor, at=at,
           detail={"participation_id": changed.id, "previous_participation_id": period.id,
                   "employer_unit_code": employer.unit_code, "from_month": format_month(from_month),
                   "monthly_salary": [before, salary]})
    return changed


def suspend(uow: UnitOfWork, person: Person, employer: Employer, *, from_month: dt.date, to_month: dt.date | None,
            reason: SuspensionReason, actor: Actor, at: dt.datetime) -> ParticipationSuspension:
    """Months ``from_month``..``to_month`` (open when None) of the period in force go without contributions."""
    session = uow.session
    period = in_force(session, person, employer, from_month)
    end = to_month
    if period.end_month is not None and (end is None or end > period.end_month):
        if end is not None:
            raise InvalidInput(f"{format_month(end)} is after the period's last month "
                               f"{format_month(period.end_month)}", code="participation.suspension_beyond_period",
                               field="to_month", rule="months without contributions are months of the period")
        end = period.end_month
    overlapping = session.scalar(select(ParticipationSuspension.id).where(
        ParticipationSuspension.participation_id == period.id,
        ParticipationSuspension.start_month <= (end or dt.date.max),
        or_(ParticipationSuspension.end_month.is_(None), ParticipationSuspension.end_month >= from_month)))
    if overlapping is not None:
        raise Conflict("these months are already declared without contributions",
                       code="participation.suspension_overlap", field="from_month",
                       rule="a month is suspended once", extra={"suspension_id": overlapping})
    suspension = ParticipationSuspension(participation_id=period.id, start_month=from_month, end_month=end,
                                         reason=reason)
    session.add(suspension)
    session.flush()
    _audit(uow, action="participation.suspend", person=person, actor=actor, at=at,
           detail={"participation_id": period.id, "suspension_id": suspension.id, "reason": reason.value,
                   "start_month": format_month(from_month), "end_month": format_month(end) if end else None})
    return suspension


def resume(uow: UnitOfWork, person: Person, employer: Employer, *, from_month: dt.date, actor: Actor,
           at: dt.datetime) -> ParticipationSuspension:
    """The worker is back at work from ``from_month``: the open suspension ends the month before."""
    session = uow.session
    suspension = session.scalar(
        select(ParticipationSuspension)
        .join(Participation, Participation.id == ParticipationSuspension.participation_id)
        .where(Participation.person_id == person.id, Participation.employer_id == employer.id,
               ParticipationSuspension.end_month.is_(None)))
    if suspension is None:
        raise Conflict("the worker has no open suspension with this employer", code="participation.no_open_suspension",
                       field="person_key", rule="a return to work ends months declared without contributions")
    if from_month <= suspension.start_month:
        raise InvalidInput(f"{format_month(from_month)} is not after the suspension's first month "
                           f"{format_month(suspension.start_month)}", code="participation.resume_before_suspension",
                           field="from_month", rule="a return to work follows at least one suspended month")
    suspension.end_month = add_months(from_month, -1)
    session.flush()
    _audit(uow, action="participation.resume", person=person, actor=actor, at=at,
           detail={"participation_id": suspension.participation_id, "suspension_id": suspension.id,
                   "end_month": format_month(suspension.end_month)})
    return suspension
