"""Inspection cases: opened on an employer, findings recorded, closed by declaring them on its behalf.

An inspector opens a case on an employer, usually from the top of the risk list; the case
keeps the score and reasons of that day, so the file shows why it was opened even after the
score moves. There is one open case per employer at a time. Findings are what the inspection
established: a worker who was never declared (from a month, at a salary), or a salary
declared below what was paid.

Closing carries the findings into the registry the way an employer's own declaration would:
one declaration (source ``inspection``, key ``inspection:<case id>``, all-or-nothing)
through :func:`ansinh.collection.declarations.declare`, with the same checks. Its back-dated
lines re-assess the months already charged (extra dues and their ledger entries), and the
next interest run charges interest on the extra dues from each month's original deadline.
A finding line the declaration rejects blocks closing with the line's reason, and nothing is
written: the inspector corrects the finding (or the registry) and closes again.

Every change is audited and bumps the case's ``version``; a caller that passes the version
it saw gets a Conflict when someone else changed the case meanwhile (optimistic locking).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import polars as pl
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ansinh.audit.service import record_event
from ansinh.collection.assessment import FUND_COLUMNS, FUNDS
from ansinh.collection.compliance_models import CaseStatus, FindingKind, InspectionCase, InspectionFinding
from ansinh.collection.compliance_schemas import CasePublic, CaseSummary, ExtraDues, FindingPublic
from ansinh.collection.declaration_models import DeclarationSource, DeclarationStatus
from ansinh.collection.declaration_schemas import DeclarationLineIn
from ansinh.collection.models import AssessmentAdjustment
from ansinh.collection.risk import risk_scores
from ansinh.core.actor import Actor
from ansinh.core.errors import Conflict, InvalidInput, NotFound
from ansinh.core.periods import format_month, parse_month
from ansinh.db.uow import UnitOfWork
from ansinh.registry.lookups import employer_by_id, employer_by_key, person_by_id, person_by_key

LINE_KIND = {FindingKind.UNDECLARED_WORKER: "join", FindingKind.UNDER_DECLARED_SALARY: "salary"}
"""The declaration line each kind of finding becomes."""
MAX_SALARY = 10_000_000_000
LIST_LIMIT = 500


def declaration_key(case_id: int) -> str:
    return f"inspection:{case_id}"


def _case(session: Session, case_id: int, *, lock: bool = False) -> InspectionCase:
    query = select(InspectionCase).where(InspectionCase.id == case_id)
    case = session.scalar(query.with_for_update() if lock else query)
    if case is None:
        raise NotFound(f"no inspection case {case_id}", code="inspection.not_found", field="case_id",
                       rule="cases are listed at /api/v1/inspections")
    return case


def _check_version(case: InspectionCase, version: int | None) -> None:
    if version is not None and version != case.version:
        raise Conflict(f"case {case.id} is at version {case.version}, not {version}", code="inspection.version",
                       field="version", rule="someone else changed the case since you read it; read it again")


def _require_open(case: InspectionCase) -> None:
    if case.status != CaseStatus.OPEN:
        raise Conflict(f"case {case.id} is closed", code="inspection.closed", field="case_id",
                       rule="a closed case is not changed; open a new case for new findings")


# ----------------------------------------------------------------------------- the verbs

def open_case(*, uow: UnitOfWork, employer_unit_code: str, on: dt.date, actor: Actor, at: dt.datetime) -> CasePublic:
    """Open a case on the employer, keeping its risk score and reasons of ``on``; one open case per employer."""
    with uow:
        session = uow.session
        employer = employer_by_key(session, employer_unit_code, field="employer_unit_code")
        already = session.scalar(select(InspectionCase.id).where(InspectionCase.employer_id == employer.id,
                                                                 InspectionCase.status == CaseStatus.OPEN.value))
        if already is not None:
            raise Conflict(f"case {already} is already open on {employer.unit_code}", code="inspection.already_open",
                           field="employer_unit_code", rule="an employer has one open inspection case at a time",
                           extra={"case_id": already})
        scored = risk_scores(uow=uow, as_of=on).filter(pl.col("employer_id") == employer.id)
        score, reasons = (0, []) if scored.height == 0 else (int(scored.item(0, "score")),
                                                             list(scored.item(0, "reasons")))
        case = InspectionCase(employer_id=employer.id, status=CaseStatus.OPEN, opened_on=on,
                              opened_by=actor.username, risk_score=score,
                              risk_reasons=[dict(reason) for reason in reasons], version=1, opened_at=at)
        session.add(case)
        session.flush()
        record_event(uow=uow, actor=actor, action="inspection.open", record_type="inspection_case",
                     record_id=case.id, at=at, detail={"employer": employer.unit_code, "risk_score": score})
        result = _public(session, case)
        uow.commit()
    return result


def add_finding(*, uow: UnitOfWork, case_id: int, kind: FindingKind | str, person_key: str,
                from_month: str | dt.date, salary: int, note: str, on: dt.date, actor: Actor, at: dt.datetime,
                version: int | None = None) -> CasePublic:
    """Record a finding on an open case: a worker not declared, or a salary declared too low, from a month."""
    try:
        kind = FindingKind(kind)
    except ValueError:
        raise InvalidInput(f"{kind!r} is not a kind of finding", code="inspection.finding_kind", field="kind",
                           rule=f"a finding is one of: {', '.join(k.value for k in FindingKind)}") from None
    month = from_month if isinstance(from_month, dt.date) else parse_month(from_month, field="from_month")
    if month.day != 1:
        raise InvalidInput(f"{month} is not a month's first day", code="month.format", field="from_month",
                           rule="a finding starts in a month")
    if not 0 < salary <= MAX_SALARY:
        raise InvalidInput(f"{salary} đồng", code="inspection.salary", field="salary",
                           rule="the salary that should have been declared is a positive monthly amount")
    if month > on:
        raise InvalidInput(f"{format_month(month)} is after {on.isoformat()}", code="inspection.future_month",
                           field="from_month", rule="a finding is about months that have passed")
    with uow:
        session = uow.session
        case = _case(session, case_id, lock=True)
        _require_open(case)
        _check_version(case, version)
        person = person_by_key(session, person_key, field="person_key")
        finding = InspectionFinding(case_id=case.id, kind=kind, person_id=person.id, from_month=month, salary=salary,
                                    note=note.strip()[:1000], recorded_on=on, recorded_by=actor.username)
        session.add(finding)
        case.version += 1
        session.flush()
        record_event(uow=uow, actor=actor, action="inspection.finding", record_type="inspection_case",
                     record_id=case.id, at=at, detail={"finding_id": finding.id, "kind": kind.value,
                                                       "from_month": format_month(month), "salary": salary})
        result = _public(session, case)
        uow.commit()
    return result


def close_case(*, uow: UnitOfWork, case_id: int, conclusion: str, on: dt.date, actor: Actor, at: dt.datetime,
               version: int | None = None) -> CasePublic:
    """Close the case: declare its findings for the employer (all or nothing) and keep the declaration's id.

    A finding the declaration rejects is a Conflict (``inspection.finding_rejected``) naming
    the line, its rule and message; nothing is written then.
    """
    from ansinh.collection.declarations import declare

    if not conclusion.strip():
        raise InvalidInput("the conclusion is empty", code="inspection.conclusion", field="conclusion",
                           rule="a case is closed with its conclusion")
    with uow:
        session = uow.session
        case = _case(session, case_id, lock=True)
        _require_open(case)
        _check_version(case, version)
        findings = session.scalars(select(InspectionFinding).where(InspectionFinding.case_id == case.id)
                                   .order_by(InspectionFinding.id)).all()
        declaration_id = None
        if findings:
            lines = [DeclarationLineIn(kind=LINE_KIND[FindingKind(f.kind)],
                                       person_key=person_by_id(session, f.person_id).citizen_id,
                                       from_month=format_month(f.from_month), salary=f.salary) for f in findings]
            unit_code = employer_by_id(session, case.employer_id).unit_code
            result = declare(uow=uow, employer_unit_code=unit_code, key=declaration_key(case.id), lines=lines,
                             source=DeclarationSource.INSPECTION, as_of=on, actor=actor, at=at, all_or_nothing=True)
            if result.status != DeclarationStatus.ACCEPTED:
                refused = [line for line in result.lines if not line.accepted and line.error_code
                           and line.error_code != "declaration.all_or_nothing"]
                reasons = "; ".join(f"finding {line.line_no} ({line.person_key}): {line.error_message} "
                                    f"[{line.error_code}]" for line in refused) or "the declaration was rejected"
                first = refused[0] if refused else None
                raise Conflict(f"a finding cannot be declared: {reasons}", code="inspection.finding_rejected",
                               field=f"findings.{first.line_no - 1}.{first.error_field}" if first else "findings",
                               rule="closing declares every finding; correct the finding or the registry first",
                               extra={"lines": [line.model_dump() for line in refused]})
            declaration_id = result.id
        case.status, case.closed_on, case.closed_by = CaseStatus.CLOSED, on, actor.username
        case.conclusion, case.declaration_id = conclusion.strip()[:2000], declaration_id
        case.version += 1
        session.flush()
        record_event(uow=uow, actor=actor, action="inspection.close", record_type="inspection_case",
                     record_id=case.id, at=at, detail={"declaration_id": declaration_id, "findings": len(findings)})
        public = _public(session, case)
        uow.commit()
    return public


# ----------------------------------------------------------------------------- reading

def _extra_dues(session: Session, case: InspectionCase) -> list[ExtraDues]:
    """What the case's declaration added to each month's dues, per fund (its re-assessment rows)."""
    if case.declaration_id is None:
        return []
    table = AssessmentAdjustment
    fund_sums = [func.sum(sum(getattr(table, c) for c in FUND_COLUMNS[fund])).label(fund) for fund in FUNDS]
    rows = session.execute(
        select(table.month, func.sum(table.total).label("total"), *fund_sums)
        .where(or_(table.cause == f"declaration:{case.declaration_id}", table.cause == declaration_key(case.id)))
        .group_by(table.month).order_by(table.month)).all()
    return [ExtraDues(month=row.month, total=int(row.total or 0),
                      funds={fund: int(getattr(row, fund) or 0) for fund in FUNDS}) for row in rows]


def _public(session: Session, case: InspectionCase) -> CasePublic:
    employer = employer_by_id(session, case.employer_id)
    findings = []
    for finding in session.scalars(select(InspectionFinding).where(InspectionFinding.case_id == case.id)
                                   .order_by(InspectionFinding.id)):
        person = person_by_id(session, finding.person_id)
        findings.append(FindingPublic(
            id=finding.id, kind=FindingKind(finding.kind), person_id=person.id, citizen_id=person.citizen_id,
            full_name=person.full_name, from_month=finding.from_month, salary=finding.salary, note=finding.note,
            recorded_on=finding.recorded_on, recorded_by=finding.recorded_by))
    extra = _extra_dues(session, case)
    return CasePublic(id=case.id, employer_id=employer.id, unit_code=employer.unit_code, employer_name=employer.name,
                      status=CaseStatus(case.status), opened_on=case.opened_on, opened_by=case.opened_by,
                      risk_score=case.risk_score, risk_reasons=list(case.risk_reasons or []),
                      closed_on=case.closed_on, closed_by=case.closed_by, conclusion=case.conclusion,
                      declaration_id=case.declaration_id, version=case.version, findings=findings,
                      extra_dues=extra, extra_total=sum(e.total for e in extra))


def get_case(*, uow: UnitOfWork, case_id: int) -> CasePublic:
    """A case with its findings, its declaration and the extra dues it brought."""
    with uow:
        return _public(uow.session, _case(uow.session, case_id))


def list_cases(*, uow: UnitOfWork, status: CaseStatus | None = None, limit: int = 100,
               employer_ids: Collection[int] | None = None) -> list[CaseSummary]:
    """Cases (of ``employer_ids`` only, when given: a jurisdiction), open ones first, newest first."""
    if not 1 <= limit <= LIST_LIMIT:
        raise InvalidInput(f"limit {limit}", code="inspection.limit", field="limit",
                           rule=f"a list has 1 to {LIST_LIMIT} cases")
    from ansinh.collection.arrears import employer_frame

    with uow:
        session = uow.session
        counts = (select(InspectionFinding.case_id, func.count().label("findings"))
                  .group_by(InspectionFinding.case_id).subquery())
        query = (select(InspectionCase, func.coalesce(counts.c.findings, 0))
                 .outerjoin(counts, counts.c.case_id == InspectionCase.id)
                 .order_by(InspectionCase.status.desc(), InspectionCase.opened_on.desc(), InspectionCase.id.desc())
                 .limit(limit))
        if status is not None:
            query = query.where(InspectionCase.status == status.value)
        if employer_ids is not None:
            query = query.where(InspectionCase.employer_id.in_(list(employer_ids)))
        rows = session.execute(query).all()
        names = {row["employer_id"]: row for row in employer_frame(session, [c.employer_id for c, _ in rows])
                 .to_dicts()}
        return [CaseSummary(id=case.id, unit_code=names[case.employer_id]["unit_code"],
                            employer_name=names[case.employer_id]["name"], status=CaseStatus(case.status),
                            opened_on=case.opened_on, opened_by=case.opened_by, risk_score=case.risk_score,
                            findings=int(count), closed_on=case.closed_on, declaration_id=case.declaration_id)
                for case, count in rows]
