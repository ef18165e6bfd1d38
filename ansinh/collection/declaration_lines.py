"""One declaration line: read as given, checked against the registry and the law, applied.

Each kind changes the registry the way the employer's paper form (the D02-LT list of
workers joining, leaving and changing) would have an officer change it:

- ``join``: a new compulsory participation with the employer from ``from_month``, through
  :func:`ansinh.registry.service.add_participation`, which checks the period, the regional
  minimum wage, overlaps and death, and audits itself;
- ``leave``: the open participation with the employer ends at ``from_month`` (its last
  covered month);
- ``salary``: the participation in force in ``from_month`` is closed at the month before
  and a new one opened from ``from_month`` with the new salary (corrected in place when
  ``from_month`` is its first month): the history stays periods laid end to end;
- ``suspend``: months ``from_month``..``to_month`` of the participation without
  contributions, open when no ``to_month``: maternity leave (it counts as contribution time
  with nothing paid, Law 41/2024 art. 53(8)), or 14 working days or more in a month without
  pay (unpaid or sick leave, a suspended contract: art. 33(5), 34(3));
- ``resume``: the open suspension ends at the month before ``from_month``.

A line that breaks a rule raises the rule's :class:`~ansinh.core.errors.AnsinhError`; the
caller (:func:`ansinh.collection.declarations.declare`) turns it into a rejected line. The
changes written here other than a join are audited here, one event per change, as the
registry's own verbs do.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from ansinh.audit.service import record_event
from ansinh.collection.declaration_models import ChangeKind
from ansinh.collection.declaration_schemas import DeclarationLineIn
from ansinh.core.actor import Actor
from ansinh.core.errors import Conflict, InvalidInput
from ansinh.core.periods import add_months, format_month, month_start, parse_month
from ansinh.db.uow import UnitOfWork
from ansinh.registry import service as registry
from ansinh.registry.checks import check_minimum_wage, check_period
from ansinh.registry.hi_groups import validate_hi_group
from ansinh.registry.identifiers import name_key
from ansinh.registry.models import (
    Employer,
    Participation,
    ParticipationSuspension,
    Person,
    Scheme,
    SuspensionReason,
)
from ansinh.registry.schemas import MAX_SALARY, ParticipationCreate

DEFAULT_HI_GROUP = "DN"
"""Workers of an enterprise (Decision 1351/QD-BHXH): the group a join line gets when it names none."""
T = TypeVar("T")
_SALARY = re.compile(r"^(?P<sign>-?)(?P<digits>\d{1,3}(?:([.,])\d{3}(?:\3\d{3})*)?|\d+)$", re.ASCII)
KINDS = tuple(kind.value for kind in ChangeKind)
REASONS = tuple(reason.value for reason in SuspensionReason)


@dataclass(frozen=True)
class ParsedLine:
    """A line whose text reads: its kind and months as values."""

    kind: ChangeKind
    from_month: dt.date
    to_month: dt.date | None
    salary: int | None
    hi_group_code: str | None
    reason: SuspensionReason | None


@dataclass(frozen=True)
class Applied:
    """What an accepted line changed: the participation it touched and the months whose charge may differ."""

    participation_id: int | None
    first_changed: dt.date
    """The first month whose contributions the change alters."""
    last_changed: dt.date | None
    """The last such month (open: up to the current month)."""


def _required(value: T | None, field: str) -> T:
    """A value :func:`parse_line` already required for the line's kind (a line built otherwise is refused)."""
    if value is None:
        raise InvalidInput(f"the {field} is missing", code=f"declaration.{field}_missing", field=field,
                           rule="this kind of line is declared with it")
    return value


def _month(text: str | None, field: str) -> dt.date | None:
    return None if text is None or not text.strip() else parse_month(text, field=field)


def read_salary(value: int | str | None) -> int | None:
    """Whole đồng from a number or from text with thousands separators (``10.000.000``, ``10,000,000``)."""
    if value is None or isinstance(value, int):
        return value
    text = value.strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    match = _SALARY.match(text)
    if match is None:
        raise InvalidInput(f"{value!r} is not an amount of whole đồng", code="salary.format", field="salary",
                           rule="a salary is whole đồng: digits, with . or , between thousands")
    return int(match.group("sign") + re.sub(r"[.,]", "", match.group("digits")))


def parse_line(line: DeclarationLineIn) -> ParsedLine:
    """Read a line's kind, months, salary and reason, or raise the rule it breaks."""
    kind_text = line.kind.strip().lower()
    if kind_text not in KINDS:
        raise InvalidInput(f"{line.kind!r} is not a kind of change", code="declaration.kind", field="kind",
                           rule=f"a line declares one of: {', '.join(KINDS)}")
    kind = ChangeKind(kind_text)
    start = _month(line.from_month, "from_month")
    if start is None:
        raise InvalidInput("the month is missing", code="declaration.from_month", field="from_month",
                           rule="every line says from which month it applies")
    end = _month(line.to_month, "to_month")
    if end is not None and kind != ChangeKind.SUSPEND:
        raise InvalidInput(f"a {kind.value} line has no end month", code="declaration.to_month", field="to_month",
                           rule="only a suspension spans months; the other changes apply from one month")
    if end is not None and end < start:
        raise InvalidInput(f"{format_month(end)} is before {format_month(start)}", code="period.order",
                           field="to_month", rule="a period cannot end before it starts")
    salary = read_salary(line.salary)
    if salary is not None and salary < 0:
        raise InvalidInput("a salary cannot be negative", code="salary.negative", field="salary",
                           rule="salaries are whole đồng, zero or more")
    if salary is not None and salary > MAX_SALARY:
        raise InvalidInput(f"{salary:,} đồng is not a monthly salary", code="salary.too_large", field="salary",
                           rule=f"a monthly salary is at most {MAX_SALARY:,} đồng")
    if kind in (ChangeKind.JOIN, ChangeKind.SALARY) and salary is None:
        raise InvalidInput(f"a {kind.value} line needs the salary", code="declaration.salary_missing",
                           field="salary", rule="a new worker or a salary change is declared with the salary")
    reason = _reason(line.reason) if kind == ChangeKind.SUSPEND else None
    group = line.hi_group_code.strip().upper() if line.hi_group_code and line.hi_group_code.strip() else None
    return ParsedLine(kind=kind, from_month=start, to_month=end, salary=salary, hi_group_code=group,
                      reason=reason)


def _reason(text: str | None) -> SuspensionReason:
    value = (text or "").strip().lower()
    if value not in REASONS:
        raise InvalidInput(f"{text!r} is not a reason to suspend contributions", code="declaration.reason",
                           field="reason", rule=f"months without contributions are for: {', '.join(REASONS)} "
                           "(Law 41/2024 art. 33(5), 34(3), 53(8))")
    return SuspensionReason(value)


def check_name(person: Person, full_name: str | None) -> None:
    """A name given with the line must be the registry's (folded: diacritics and case aside)."""
    if full_name and full_name.strip() and name_key(full_name) != person.name_key:
        raise InvalidInput(f"{full_name!r} is not the name registered for this ID", code="declaration.full_name",
                           field="full_name", rule="the name given must match the registry (a mistyped ID "
                           "would otherwise change another worker's record)")


# ----------------------------------------------------------------------------- finding the period

def _in_force(session: Session, person: Person, employer: Employer, month: dt.date) -> Participation:
    period = session.scalar(select(Participation).where(
        Participation.person_id == person.id, Participation.employer_id == employer.id,
        Participation.scheme == Scheme.COMPULSORY.value, Participation.start_month <= month,
        or_(Participation.end_month.is_(None), Participation.end_month >= month)))
    if period is None:
        raise Conflict(f"the worker is not covered by this employer in {format_month(month)}",
                       code="declaration.not_in_force", field="from_month",
                       rule="a salary change or a suspension applies to a period the employer has declared")
    return period


def _open(session: Session, person: Person, employer: Employer) -> Participation:
    period = session.scalar(select(Participation).where(
        Participation.person_id == person.id, Participation.employer_id == employer.id,
        Participation.scheme == Scheme.COMPULSORY.value, Participation.end_month.is_(None)))
    if period is None:
        raise Conflict("the worker has no open period with this employer", code="declaration.no_open_participation",
                       field="person_key", rule="a leaver is a worker the employer has declared and not yet ended")
    return period


def _audit(uow: UnitOfWork, *, action: str, person: Person, actor: Actor, at: dt.datetime,
           detail: dict[str, object]) -> None:
    record_event(uow=uow, actor=actor, action=action, record_type="person", record_id=person.id, at=at,
                 detail=detail)


# ----------------------------------------------------------------------------- the kinds

def _join(uow: UnitOfWork, person: Person, employer: Employer, line: ParsedLine, *, as_of: dt.date,
          actor: Actor, at: dt.datetime) -> Applied:
    group = validate_hi_group(line.hi_group_code or DEFAULT_HI_GROUP, Scheme.COMPULSORY)
    salary = _required(line.salary, "salary")
    period = registry.add_participation(
        uow=uow, key=person.citizen_id, as_of=as_of, actor=actor, at=at,
        data=ParticipationCreate(employer_unit_code=employer.unit_code, scheme=Scheme.COMPULSORY,
                                 hi_group_code=group, start_month=format_month(line.from_month),
                                 monthly_salary=salary))
    return Applied(period.id, line.from_month, None)


def _clip_suspensions(session: Session, period: Participation, last: dt.date) -> None:
    """Suspensions of ``period`` end by ``last``; those wholly after it go."""
    session.execute(delete(ParticipationSuspension).where(
        ParticipationSuspension.participation_id == period.id, ParticipationSuspension.start_month > last))
    for suspension in session.scalars(select(ParticipationSuspension).where(
            ParticipationSuspension.participation_id == period.id,
            or_(ParticipationSuspension.end_month.is_(None), ParticipationSuspension.end_month > last))):
        suspension.end_month = last


def _leave(uow: UnitOfWork, person: Person, employer: Employer, line: ParsedLine, *, actor: Actor,
           at: dt.datetime) -> Applied:
    period = _open(uow.session, person, employer)
    if line.from_month < period.start_month:
        raise InvalidInput(f"{format_month(line.from_month)} is before the period's first month "
                           f"{format_month(period.start_month)}", code="declaration.leave_before_start",
                           field="from_month", rule="the last covered month is in the period")
    period.end_month = line.from_month
    _clip_suspensions(uow.session, period, line.from_month)
    uow.session.flush()
    _audit(uow, action="participation.end", person=person, actor=actor, at=at,
           detail={"participation_id": period.id, "employer_unit_code": employer.unit_code,
                   "end_month": format_month(line.from_month)})
    return Applied(period.id, add_months(line.from_month, 1), None)


def _salary(uow: UnitOfWork, person: Person, employer: Employer, line: ParsedLine, *, as_of: dt.date,
            actor: Actor, at: dt.datetime) -> Applied:
    session = uow.session
    salary = _required(line.salary, "salary")
    check_period(line.from_month, None, as_of=as_of, death_date=None)
    period = _in_force(session, person, employer, line.from_month)
    check_minimum_wage(salary, scheme=Scheme.COMPULSORY, region=employer.wage_region, start=line.from_month,
                       end=period.end_month, as_of=as_of)
    before = period.monthly_salary
    if line.from_month == period.start_month:
        period.monthly_salary = salary
        changed = period
    else:
        changed = Participation(person_id=person.id, employer_id=employer.id, scheme=period.scheme,
                                hi_group_code=period.hi_group_code, start_month=line.from_month,
                                end_month=period.end_month, monthly_salary=salary)
        period.end_month = add_months(line.from_month, -1)
        session.add(changed)
        session.flush()
        _split_suspensions(session, period, changed)
    session.flush()
    _audit(uow, action="participation.salary", person=person, actor=actor, at=at,
           detail={"participation_id": changed.id, "previous_participation_id": period.id,
                   "employer_unit_code": employer.unit_code, "from_month": format_month(line.from_month),
                   "monthly_salary": [before, salary]})
    return Applied(changed.id, line.from_month, changed.end_month)


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


def _suspend(uow: UnitOfWork, person: Person, employer: Employer, line: ParsedLine, *, actor: Actor,
             at: dt.datetime) -> Applied:
    session = uow.session
    period = _in_force(session, person, employer, line.from_month)
    end = line.to_month
    if period.end_month is not None and (end is None or end > period.end_month):
        if end is not None:
            raise InvalidInput(f"{format_month(end)} is after the period's last month "
                               f"{format_month(period.end_month)}", code="declaration.suspension_beyond_period",
                               field="to_month", rule="months without contributions are months of the period")
        end = period.end_month
    overlapping = session.scalar(select(ParticipationSuspension.id).where(
        ParticipationSuspension.participation_id == period.id,
        ParticipationSuspension.start_month <= (end or dt.date.max),
        or_(ParticipationSuspension.end_month.is_(None), ParticipationSuspension.end_month >= line.from_month)))
    if overlapping is not None:
        raise Conflict("these months are already declared without contributions",
                       code="declaration.suspension_overlap", field="from_month",
                       rule="a month is suspended once", extra={"suspension_id": overlapping})
    reason = _required(line.reason, "reason")
    suspension = ParticipationSuspension(participation_id=period.id, start_month=line.from_month, end_month=end,
                                         reason=reason)
    session.add(suspension)
    session.flush()
    _audit(uow, action="participation.suspend", person=person, actor=actor, at=at,
           detail={"participation_id": period.id, "suspension_id": suspension.id, "reason": reason.value,
                   "start_month": format_month(line.from_month),
                   "end_month": format_month(end) if end else None})
    return Applied(period.id, line.from_month, end)


def _resume(uow: UnitOfWork, person: Person, employer: Employer, line: ParsedLine, *, actor: Actor,
            at: dt.datetime) -> Applied:
    session = uow.session
    suspension = session.scalar(
        select(ParticipationSuspension)
        .join(Participation, Participation.id == ParticipationSuspension.participation_id)
        .where(Participation.person_id == person.id, Participation.employer_id == employer.id,
               ParticipationSuspension.end_month.is_(None)))
    if suspension is None:
        raise Conflict("the worker has no open suspension with this employer", code="declaration.no_open_suspension",
                       field="person_key", rule="a return to work ends months declared without contributions")
    if line.from_month <= suspension.start_month:
        raise InvalidInput(f"{format_month(line.from_month)} is not after the suspension's first month "
                           f"{format_month(suspension.start_month)}", code="declaration.resume_before_suspension",
                           field="from_month", rule="a return to work follows at least one suspended month")
    suspension.end_month = add_months(line.from_month, -1)
    session.flush()
    _audit(uow, action="participation.resume", person=person, actor=actor, at=at,
           detail={"participation_id": suspension.participation_id, "suspension_id": suspension.id,
                   "end_month": format_month(suspension.end_month)})
    return Applied(suspension.participation_id, line.from_month, None)


def apply_line(uow: UnitOfWork, person: Person, employer: Employer, line: ParsedLine, *, as_of: dt.date,
               actor: Actor, at: dt.datetime) -> Applied:
    """Change the registry as the line says, or raise the rule it breaks (the caller rolls back the line)."""
    match line.kind:
        case ChangeKind.JOIN:
            return _join(uow, person, employer, line, as_of=as_of, actor=actor, at=at)
        case ChangeKind.LEAVE:
            return _leave(uow, person, employer, line, actor=actor, at=at)
        case ChangeKind.SALARY:
            return _salary(uow, person, employer, line, as_of=as_of, actor=actor, at=at)
        case ChangeKind.SUSPEND:
            return _suspend(uow, person, employer, line, actor=actor, at=at)
        case ChangeKind.RESUME:
            return _resume(uow, person, employer, line, actor=actor, at=at)
    raise AssertionError(line.kind)  # pragma: no cover


def changed_months(applied: Applied, *, as_of: dt.date) -> list[dt.date]:
    """The months from the first changed one up to the current month (or the change's last)."""
    last = month_start(as_of) if applied.last_changed is None else min(applied.last_changed, month_start(as_of))
    months, month = [], applied.first_changed
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months
