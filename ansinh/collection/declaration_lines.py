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

All but ``join`` are the registry's verbs in :mod:`ansinh.registry.participation_changes`:
only the registry writes its tables.

A line that breaks a rule raises the rule's :class:`~ansinh.core.errors.AnsinhError`; the
caller (:func:`ansinh.collection.declarations.declare`) turns it into a rejected line. The
registry's verbs audit themselves, one event per change.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TypeVar

from ansinh.collection.declaration_models import ChangeKind
from ansinh.collection.declaration_schemas import DeclarationLineIn
from ansinh.core.actor import Actor
from ansinh.core.errors import InvalidInput
from ansinh.core.periods import add_months, format_month, month_start, parse_month
from ansinh.db.uow import UnitOfWork
from ansinh.registry import participation_changes as changes
from ansinh.registry import service as registry
from ansinh.registry.hi_groups import validate_hi_group
from ansinh.registry.identifiers import name_key
from ansinh.registry.models import (
    Employer,
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


def apply_line(uow: UnitOfWork, person: Person, employer: Employer, line: ParsedLine, *, as_of: dt.date,
               actor: Actor, at: dt.datetime) -> Applied:
    """Change the registry as the line says, or raise the rule it breaks (the caller rolls back the line)."""
    match line.kind:
        case ChangeKind.JOIN:
            return _join(uow, person, employer, line, as_of=as_of, actor=actor, at=at)
        case ChangeKind.LEAVE:
            ended = changes.end_period(uow, person, employer, last_month=line.from_month, actor=actor, at=at)
            return Applied(ended.id, add_months(line.from_month, 1), None)
        case ChangeKind.SALARY:
            changed = changes.change_salary(uow, person, employer, from_month=line.from_month,
                                            salary=_required(line.salary, "salary"), as_of=as_of, actor=actor, at=at)
            return Applied(changed.id, line.from_month, changed.end_month)
        case ChangeKind.SUSPEND:
            suspension = changes.suspend(uow, person, employer, from_month=line.from_month, to_month=line.to_month,
                                         reason=_required(line.reason, "reason"), actor=actor, at=at)
            return Applied(suspension.participation_id, line.from_month, suspension.end_month)
        case ChangeKind.RESUME:
            resumed = changes.resume(uow, person, employer, from_month=line.from_month, actor=actor, at=at)
            return Applied(resumed.participation_id, line.from_month, None)
    raise AssertionError(line.kind)  # pragma: no cover


def changed_months(applied: Applied, *, as_of: dt.date) -> list[dt.date]:
    """The months from the first changed one up to the current month (or the change's last)."""
    last = month_start(as_of) if applied.last_changed is None else min(applied.last_changed, month_start(as_of))
    months, month = [], applied.first_changed
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months
