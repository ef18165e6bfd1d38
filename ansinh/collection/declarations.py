"""Employers' declarations: a batch of change lines, each accepted or rejected with its reason.

An employer hands in the month's changes for its workers at once (the API, its pages, a
file). :func:`declare` checks every line against the registry and the law and applies the
good ones (:mod:`ansinh.collection.declaration_lines`); a bad line is kept with the code,
field and message of the rule it broke, which is what the employer's rejection report
lists, and does not stop the others. With ``all_or_nothing`` one bad line leaves the
registry untouched: every line is then reported, the good ones as not applied.

Everything is one transaction: the declaration's row, the registry's changes, the
re-assessment of months already assessed and the audit event. Each line runs in a savepoint,
so a line refused half-way leaves nothing behind.

Idempotency: a declaration has a key (the client's ``Idempotency-Key``, or ``file:<sha256>``
of an uploaded file). Handing the same key in again returns the first result with
``replayed`` set and changes nothing; the key is unique in the table, so two copies handed in
at the same moment leave one declaration.

Back-dating: an accepted line whose changed months reach a month already assessed for the
employer (its partition of that month's run is written) is ``back_dated``; after all lines
are applied, :func:`ansinh.collection.reassessment.reassess` charges the differences for those
months under the cause ``declaration:<id>``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ansinh.audit.service import record_event
from ansinh.collection.assessment import FUND_COLUMNS, FUNDS
from ansinh.collection.declaration_lines import apply_line, changed_months, check_name, parse_line
from ansinh.collection.declaration_models import Declaration, DeclarationLine, DeclarationSource, DeclarationStatus
from ansinh.collection.declaration_schemas import (
    MAX_KEY_LENGTH,
    MAX_LINES,
    DeclarationLineIn,
    DeclarationResult,
    LineResult,
    MonthReassessment,
)
from ansinh.collection.models import AssessmentAdjustment, AssessmentPartition, AssessmentRun
from ansinh.collection.reassessment import reassess
from ansinh.core.actor import Actor
from ansinh.core.errors import AnsinhError, Conflict, InvalidInput, NotFound
from ansinh.db.engine import is_sqlite
from ansinh.db.uow import UnitOfWork
from ansinh.registry.lookups import employer_by_id, employer_by_key, person_by_key
from ansinh.registry.models import Employer

__all__ = ["declare", "get_declaration", "list_declarations", "rejection_report_csv"]

ALL_OR_NOTHING_CODE = "declaration.all_or_nothing"
REPORT_COLUMNS = ("line_no", "kind", "person_key", "error_code", "error_field", "error_message")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class _Line:
    """A line on its way through: what was given, what it became."""

    line_no: int
    given: DeclarationLineIn
    values: dict[str, object] = field(default_factory=dict)
    person_id: int | None = None
    participation_id: int | None = None
    accepted: bool = False
    back_dated: bool = False
    error: AnsinhError | None = None


def _check_request(key: str, lines: Sequence[DeclarationLineIn]) -> None:
    if not 1 <= len(key) <= MAX_KEY_LENGTH:
        raise InvalidInput(f"the key has {len(key)} characters", code="declaration.key", field="key",
                           rule=f"a declaration's key has 1 to {MAX_KEY_LENGTH} characters")
    if not 1 <= len(lines) <= MAX_LINES:
        raise InvalidInput(f"the declaration has {len(lines)} lines", code="declaration.lines", field="lines",
                           rule=f"a declaration has 1 to {MAX_LINES:,} lines")


def _clip(text: str | None, length: int) -> str | None:
    return None if text is None else text[:length]


def assessed_months(session: Session, employer_id: int) -> set[dt.date]:
    """The months whose run has charged the employer (its partition is written): one query."""
    rows = session.execute(
        select(AssessmentRun.month).join(AssessmentPartition, AssessmentPartition.run_id == AssessmentRun.id)
        .where(AssessmentPartition.partition == employer_id % AssessmentRun.partitions)).scalars()
    return set(rows)


def _process(uow: UnitOfWork, item: _Line, employer: Employer, *, seen: dict[tuple[int, dt.date], int],
             assessed: set[dt.date], as_of: dt.date, actor: Actor, at: dt.datetime) -> set[dt.date]:
    """Check and apply one line in a savepoint; the assessed months it changed (raises the rule broken)."""
    session = uow.session
    parsed = parse_line(item.given)
    item.values.update(from_month=parsed.from_month, to_month=parsed.to_month, salary=parsed.salary)
    person = person_by_key(session, item.given.person_key, field="person_key")
    item.person_id = person.id
    check_name(person, item.given.full_name)
    earlier = seen.get((person.id, parsed.from_month))
    if earlier is not None:
        raise Conflict(f"line {earlier} already declares this worker for the same month",
                       code="declaration.conflict", field="person_key",
                       rule="one change per worker and month in a declaration; the later line is rejected")
    seen[(person.id, parsed.from_month)] = item.line_no
    with session.begin_nested():
        applied = apply_line(uow, person, employer, parsed, as_of=as_of, actor=actor, at=at)
    item.participation_id = applied.participation_id
    reached = assessed.intersection(changed_months(applied, as_of=as_of))
    item.back_dated = bool(reached)
    return reached


def _row(item: _Line, declaration_id: int) -> dict[str, object]:
    given, error = item.given, item.error
    return {
        "declaration_id": declaration_id, "line_no": item.line_no, "kind": _clip(given.kind, 12) or "",
        "person_key": _clip(given.person_key, 20) or "", "full_name": _clip(given.full_name, 120),
        "person_id": item.person_id, "from_month": item.values.get("from_month"),
        "to_month": item.values.get("to_month"), "salary": item.values.get("salary"),
        "hi_group_code": _clip(given.hi_group_code, 2), "reason": _clip(given.reason, 40),
        "accepted": item.accepted, "error_code": _clip(error.code, 60) if error else None,
        "error_field": _clip(error.field, 60) if error else None,
        "error_message": _clip(error.message, 500) if error else None,
        "participation_id": item.participation_id if item.accepted else None, "back_dated": item.back_dated,
    }


def _status(accepted: int, total: int) -> DeclarationStatus:
    if accepted == total:
        return DeclarationStatus.ACCEPTED
    return DeclarationStatus.PARTLY_ACCEPTED if accepted else DeclarationStatus.REJECTED


def _not_applied(items: list[_Line]) -> None:
    """All-or-nothing with a bad line: the good lines are reported as not applied."""
    bad = [str(item.line_no) for item in items if item.error is not None]
    shown = ", ".join(bad[:10]) + (" …" if len(bad) > 10 else "")
    for item in items:
        if item.accepted:
            item.accepted, item.back_dated, item.participation_id = False, False, None
            item.error = InvalidInput(f"not applied: line {shown} was rejected and the declaration is all-or-nothing",
                                      code=ALL_OR_NOTHING_CODE, rule="all-or-nothing: one bad line refuses all")


def declare(*, uow: UnitOfWork, employer_unit_code: str, key: str, lines: Sequence[DeclarationLineIn],
            source: DeclarationSource, as_of: dt.date, actor: Actor, at: dt.datetime,
            all_or_nothing: bool = False, filename: str | None = None) -> DeclarationResult:
    """Check and apply each line; the declaration as recorded (the first one, ``replayed``, when the key was used)."""
    _check_request(key, lines)
    with uow:
        session = uow.session
        employer = employer_by_key(session, employer_unit_code, field="employer_unit_code")
        first = _replay(session, key, employer)
        if first is not None:
            return first
        declaration = Declaration(key=key, employer_id=employer.id, declared_on=as_of, source=source,
                                  filename=_clip(filename, 200), all_or_nothing=all_or_nothing,
                                  status=DeclarationStatus.REJECTED, lines_total=len(lines), lines_accepted=0,
                                  lines_rejected=0, back_dated_lines=0, submitted_at=at, actor=actor.username)
        if not _written(uow, declaration):
            # The same key was handed in at the same moment and committed first: that one stands.
            first = _replay(session, key, employer)
            if first is None:
                raise Conflict("the key was taken and then undone", code="declaration.key", field="key",
                               rule="a declaration's key names one declaration")
            return first
        items = [_Line(line_no=number, given=line) for number, line in enumerate(lines, start=1)]
        assessed = assessed_months(session, employer.id)
        seen: dict[tuple[int, dt.date], int] = {}
        reached: set[dt.date] = set()
        effects = session.begin_nested()
        for item in items:
            try:
                reached |= _process(uow, item, employer, seen=seen, assessed=assessed, as_of=as_of, actor=actor,
                                    at=at)
                item.accepted = True
            except AnsinhError as error:
                item.error = error
        if all_or_nothing and any(item.error is not None for item in items):
            effects.rollback()
            _not_applied(items)
            reached = set()
        else:
            effects.commit()
        if reached:
            reassess(uow=uow, employer_id=employer.id, months=sorted(reached), cause=f"declaration:{declaration.id}",
                     on=as_of, actor=actor, at=at)
        session.execute(insert(DeclarationLine), [_row(item, declaration.id) for item in items])
        accepted = sum(item.accepted for item in items)
        declaration.lines_accepted, declaration.lines_rejected = accepted, len(items) - accepted
        declaration.back_dated_lines = sum(item.back_dated for item in items)
        declaration.status = _status(accepted, len(items))
        session.flush()
        record_event(uow=uow, actor=actor, action="declaration.submit", record_type="employer",
                     record_id=employer.id, at=at,
                     detail={"declaration_id": declaration.id, "key": key, "source": source.value,
                             "all_or_nothing": all_or_nothing, "lines": len(items), "accepted": accepted,
                             "back_dated": declaration.back_dated_lines})
        result = _result(session, declaration, employer.unit_code)
        uow.commit()
        return result


def _written(uow: UnitOfWork, declaration: Declaration) -> bool:
    """Insert the declaration's row; False when another transaction committed the same key first.

    On PostgreSQL the insert runs in a savepoint, so a caller's own transaction (an inspection
    declaring its findings) survives the refusal. SQLite writers take turns on the whole file and
    its driver would commit a savepoint opened before any write, so there the (outermost)
    transaction is rolled back instead.
    """
    session = uow.session
    try:
        if is_sqlite(uow.engine):
            session.add(declaration)
            session.flush()
        else:
            with session.begin_nested():
                session.add(declaration)
                session.flush()
    except IntegrityError:
        if is_sqlite(uow.engine):
            session.rollback()
        return False  # on PostgreSQL the savepoint's rollback has taken the row out of the session
    return True


def _replay(session: Session, key: str, employer: Employer) -> DeclarationResult | None:
    declaration = session.scalar(select(Declaration).where(Declaration.key == key))
    if declaration is None:
        return None
    if declaration.employer_id != employer.id:
        raise Conflict("this key was used for another employer's declaration", code="declaration.key_reused",
                       field="key", rule="a declaration's key names one declaration")
    return _result(session, declaration, employer.unit_code, replayed=True)


def _reassessed(session: Session, declaration_id: int) -> list[MonthReassessment]:
    """What the declaration's re-assessment changed, per month (one grouped query)."""
    table = AssessmentAdjustment
    fund_sums = [func.sum(sum(getattr(table, c) for c in FUND_COLUMNS[fund])).label(fund) for fund in FUNDS]
    rows = session.execute(
        select(table.month, func.count().label("rows"), func.sum(table.total).label("total"), *fund_sums)
        .where(table.cause == f"declaration:{declaration_id}").group_by(table.month).order_by(table.month)).all()
    return [MonthReassessment(month=row.month, rows=row.rows, total=int(row.total or 0),
                              funds={fund: int(getattr(row, fund) or 0) for fund in FUNDS}) for row in rows]


def _result(session: Session, declaration: Declaration, unit_code: str, *, replayed: bool = False,
            with_lines: bool = True) -> DeclarationResult:
    lines = []
    if with_lines:
        rows = session.execute(select(
            DeclarationLine.line_no, DeclarationLine.kind, DeclarationLine.person_key, DeclarationLine.accepted,
            DeclarationLine.error_code, DeclarationLine.error_field, DeclarationLine.error_message,
            DeclarationLine.back_dated).where(DeclarationLine.declaration_id == declaration.id)
            .order_by(DeclarationLine.line_no)).all()
        lines = [LineResult.model_validate(row._asdict()) for row in rows]
    return DeclarationResult(
        id=declaration.id, key=declaration.key, employer_unit_code=unit_code, declared_on=declaration.declared_on,
        source=DeclarationSource(declaration.source), filename=declaration.filename,
        all_or_nothing=declaration.all_or_nothing, status=DeclarationStatus(declaration.status),
        lines_total=declaration.lines_total, lines_accepted=declaration.lines_accepted,
        lines_rejected=declaration.lines_rejected, back_dated_lines=declaration.back_dated_lines,
        reassessed=_reassessed(session, declaration.id) if with_lines else [], lines=lines, replayed=replayed)


def get_declaration(*, uow: UnitOfWork, declaration_id: int) -> DeclarationResult:
    """One declaration with each line's fate and the months it re-assessed."""
    with uow:
        declaration = uow.session.get(Declaration, declaration_id)
        if declaration is None:
            raise NotFound(f"no declaration {declaration_id}", code="declaration.not_found", field="declaration_id")
        return _result(uow.session, declaration, employer_by_id(uow.session, declaration.employer_id).unit_code)


def list_declarations(*, uow: UnitOfWork, employer_unit_code: str, limit: int = 50) -> list[DeclarationResult]:
    """The employer's declarations, newest first, with their counts (``lines`` and ``reassessed`` left empty)."""
    with uow:
        employer = employer_by_key(uow.session, employer_unit_code, field="employer_unit_code")
        rows = uow.session.scalars(select(Declaration).where(Declaration.employer_id == employer.id)
                                   .order_by(Declaration.id.desc()).limit(max(1, min(limit, 500)))).all()
        return [_result(uow.session, row, employer.unit_code, with_lines=False) for row in rows]


def plain_cell(value: object) -> str:
    """A cell as text a spreadsheet shows, never runs: one starting like a formula gets a leading '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def rejection_report_csv(result: DeclarationResult) -> bytes:
    """The rejected lines as CSV (UTF-8 with a BOM, so Excel reads the Vietnamese), formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(REPORT_COLUMNS)
    for line in result.lines:
        if not line.accepted:
            writer.writerow([plain_cell(getattr(line, column)) for column in REPORT_COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
