"""Reading dossiers: one in full, the public tracking answer, an office's queue, an applicant's list.

Who may read a dossier: its applicant (the account that filed it, the citizen it is
about, the employer that filed it), and staff of the office holding it or of the office
that received it, and central staff. To anyone else a dossier answers as one that does not
exist. Tracking asks for nothing but the receipt code and the citizen ID, and answers
with nothing but where the dossier is and against which deadline.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ansinh.accounts.models import Account
from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import STAFF_ROLES, Role
from ansinh.core.errors import NotFound
from ansinh.db.uow import UnitOfWork
from ansinh.org import work
from ansinh.org.directory import OfficeInfo, offices_by_id
from ansinh.services import calendar, routing
from ansinh.services.catalogue import default_catalogue
from ansinh.services.dossier_schemas import (
    DocumentMeta,
    DossierPublic,
    DossierSummary,
    DossierTrack,
    HistoryStep,
    OfficeRef,
    QueueRow,
    SupplementItem,
    TrackStep,
)
from ansinh.services.dossiers import DECIDED, OPEN, WORK_KIND, holding, is_applicant
from ansinh.services.models import Dossier, DossierDocument, DossierEvent, DossierStatus

S = DossierStatus


def _ref(office: OfficeInfo | None) -> OfficeRef | None:
    return OfficeRef(code=office.code, name=office.name) if office else None


def deadline_status(dossier: Dossier, on: dt.date) -> calendar.DeadlineStatus | None:
    """Where an open dossier stands against its due date on ``on``; None while its clock is stopped."""
    if dossier.due_on is None or dossier.status not in OPEN or dossier.status == S.AWAITING_SUPPLEMENT:
        return None
    return calendar.status_on(dossier.due_on, on)


def on_time(dossier: Dossier) -> bool | None:
    """Whether a decided dossier was decided by its due date."""
    if dossier.decided_on is None or dossier.due_on is None:
        return None
    return dossier.decided_on <= dossier.due_on


def _usernames(session: Session, ids: Collection[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(Account.id, Account.username).where(Account.id.in_(wanted)))
    return {row.id: row.username for row in rows}


def may_read(principal: Principal, dossier: Dossier, item: work.WorkItemInfo | None,
             receiving_now: int | None = None) -> bool:
    """Whether ``principal`` may read ``dossier`` (held as ``item``; ``receiving_now``: the office
    that stands today for the one it was handed in at, after any restructuring)."""
    if is_applicant(principal, dossier):
        return True
    if principal.role not in STAFF_ROLES:
        return False
    if principal.national:
        return True
    return principal.office_id in {dossier.receiving_office_id, receiving_now, item.office_id if item else None}


def _working_day(dossier: Dossier, day: dt.date) -> int | None:
    """Which working day of its period ``day`` was for the dossier: paused days are not counted."""
    if dossier.received_on is None or day < dossier.received_on:
        return None
    pauses = [(dt.date.fromisoformat(a), dt.date.fromisoformat(b) if b else day)
              for a, b in json.loads(dossier.paused_days or "[]")]
    return calendar.working_days_used(dossier.received_on, day, paused=[p for p in pauses if p[0] <= p[1]])


def _public(uow: UnitOfWork, dossier: Dossier, on: dt.date, *, staff_view: bool) -> DossierPublic:
    """The dossier in full; outside the agency (``staff_view`` False) staff accounts are not named."""
    session = uow.session
    procedure = default_catalogue().procedures[dossier.procedure_code]
    item = holding(uow, dossier)
    events = list(session.scalars(select(DossierEvent).where(DossierEvent.dossier_id == dossier.id)
                                  .order_by(DossierEvent.seq)))
    offices = offices_by_id(session, {dossier.receiving_office_id, *(e.office_id for e in events if e.office_id),
                                      *([item.office_id] if item else [])})
    names = _usernames(session, [item.assignee_id if item else None])
    documents = session.scalars(select(DossierDocument).where(DossierDocument.dossier_id == dossier.id)
                                .order_by(DossierDocument.id))
    supplement = json.loads(dossier.supplement_request) if dossier.supplement_request else None
    return DossierPublic(
        id=dossier.id, receipt_code=dossier.receipt_code, procedure_code=dossier.procedure_code,
        procedure_name_vi=procedure.name_vi, procedure_name_en=procedure.name_en, channel=dossier.channel,
        portal_dossier_id=dossier.portal_dossier_id, status=dossier.status, citizen_id=dossier.citizen_id,
        applicant_name=dossier.applicant_name, contact_email=dossier.contact_email,
        contact_phone=dossier.contact_phone, data=json.loads(dossier.data), submitted_at=dossier.submitted_at,
        receiving_office=_ref(offices[dossier.receiving_office_id]),
        office=_ref(offices[item.office_id]) if item else None,
        assignee=names.get(item.assignee_id) if staff_view and item and item.assignee_id else None,
        received_on=dossier.received_on, deadline_working_days=dossier.deadline_working_days,
        due_on=dossier.due_on, deadline_status=deadline_status(dossier, on), on_time=on_time(dossier),
        paused=[(dt.date.fromisoformat(a), dt.date.fromisoformat(b) if b else None)
                for a, b in json.loads(dossier.paused_days or "[]")],
        supplement_request=[SupplementItem.model_validate(i) for i in supplement] if supplement else None,
        decided_on=dossier.decided_on, decision_reasons=dossier.decision_reasons,
        result=json.loads(dossier.result) if dossier.result else None, delivered_on=dossier.delivered_on,
        documents=[DocumentMeta(id=d.id, document_code=d.document_code, filename=d.filename,
                                media_type=d.media_type, size=d.size, sha256=d.sha256, uploaded_at=d.uploaded_at,
                                for_supplement=d.for_supplement) for d in documents],
        history=[HistoryStep(seq=e.seq, action=e.action, from_status=e.from_status, to_status=e.to_status, at=e.at,
                             day=e.day, actor=e.actor if staff_view or e.role not in STAFF_ROLES else None, role=e.role,
                             office=_ref(offices.get(e.office_id)) if e.office_id else None, note=e.note,
                             working_day=_working_day(dossier, e.day)) for e in events],
        version=dossier.version,
    )


def _readable(uow: UnitOfWork, principal: Principal, dossier_id: int, on: dt.date | None) -> Dossier:
    dossier = uow.session.get(Dossier, dossier_id)
    item, receiving_now = None, None
    if dossier is not None:
        item = holding(uow, dossier)
        now = routing.office_now(uow=uow, office_id=dossier.receiving_office_id, on=on) if on else None
        receiving_now = now.id if now else None
    if dossier is None or not may_read(principal, dossier, item, receiving_now):
        raise NotFound(f"no dossier {dossier_id}", code="dossier.not_found", field="dossier_id")
    return dossier


def get_dossier(*, uow: UnitOfWork, principal: Principal, dossier_id: int, on: dt.date) -> DossierPublic:
    """A dossier in full, with its documents and history, for whoever may read it."""
    with uow:
        dossier = _readable(uow, principal, dossier_id, on)
        return _public(uow, dossier, on, staff_view=principal.role in STAFF_ROLES)


def document(*, uow: UnitOfWork, principal: Principal, dossier_id: int, document_id: int,
             on: dt.date | None = None) -> tuple[DocumentMeta, bytes]:
    """One file of a dossier, for whoever may read the dossier (on ``on``, for an office restructured since)."""
    with uow:
        dossier = _readable(uow, principal, dossier_id, on)
        row = uow.session.get(DossierDocument, document_id)
        if row is None or row.dossier_id != dossier.id:
            raise NotFound(f"dossier {dossier_id} has no document {document_id}", code="dossier.document_not_found",
                           field="document_id")
        meta = DocumentMeta(id=row.id, document_code=row.document_code, filename=row.filename,
                            media_type=row.media_type, size=row.size, sha256=row.sha256, uploaded_at=row.uploaded_at,
                            for_supplement=row.for_supplement)
        return meta, bytes(row.content)


def track(*, uow: UnitOfWork, receipt_code: str, citizen_id: str, on: dt.date) -> DossierTrack:
    """Where the dossier ``receipt_code`` of ``citizen_id`` is; a wrong pair answers as no dossier."""
    with uow:
        dossier = uow.session.scalar(select(Dossier).where(Dossier.receipt_code == receipt_code.strip().upper(),
                                                           Dossier.citizen_id == citizen_id.strip()))
        if dossier is None:
            raise NotFound("no dossier has this receipt code and citizen ID", code="dossier.not_found",
                           field="receipt", rule="tracking takes the receipt code and the citizen ID it was filed for")
        procedure = default_catalogue().procedures[dossier.procedure_code]
        item = holding(uow, dossier)
        office = offices_by_id(uow.session, [item.office_id])[item.office_id] if item else None
        steps = uow.session.execute(select(DossierEvent.to_status, DossierEvent.day)
                                    .where(DossierEvent.dossier_id == dossier.id).order_by(DossierEvent.seq))
        return DossierTrack(
            receipt_code=dossier.receipt_code or "", procedure_code=dossier.procedure_code,
            procedure_name_vi=procedure.name_vi, procedure_name_en=procedure.name_en, status=dossier.status,
            office_name=office.name if office else None, received_on=dossier.received_on, due_on=dossier.due_on,
            deadline_status=deadline_status(dossier, on), on_time=on_time(dossier),
            steps=[TrackStep(status=status, day=day) for status, day in steps])


def _row(dossier: Dossier, item: work.WorkItemInfo | None, offices: dict[int, OfficeInfo],
         names: dict[int, str], on: dt.date) -> QueueRow:
    procedure = default_catalogue().procedures[dossier.procedure_code]
    return QueueRow(
        id=dossier.id, receipt_code=dossier.receipt_code, procedure_code=dossier.procedure_code,
        procedure_name_vi=procedure.name_vi, procedure_name_en=procedure.name_en, status=dossier.status,
        citizen_id=dossier.citizen_id, applicant_name=dossier.applicant_name, channel=dossier.channel,
        received_on=dossier.received_on, due_on=dossier.due_on, deadline_status=deadline_status(dossier, on),
        assignee=names.get(item.assignee_id) if item and item.assignee_id else None,
        receiving_office=OfficeRef(code=offices[dossier.receiving_office_id].code,
                                   name=offices[dossier.receiving_office_id].name))


def _standing_for(uow: UnitOfWork, office_id: int, on: dt.date) -> set[int]:
    """The offices whose submitted dossiers ``office_id`` receives on ``on``: itself, and any
    office closed by a restructuring whose work it took over."""
    receiving = uow.session.scalars(select(Dossier.receiving_office_id).where(Dossier.status == S.SUBMITTED)
                                    .distinct())
    standing = {office_id}
    for other in receiving:
        if other != office_id:
            now = routing.office_now(uow=uow, office_id=other, on=on)
            if now is not None and now.id == office_id:
                standing.add(other)
    return standing


URGENCY = {calendar.DeadlineStatus.OVERDUE: 0, calendar.DeadlineStatus.DUE_SOON: 1, calendar.DeadlineStatus.ON_TIME: 2}


def by_urgency(rows: list[QueueRow]) -> list[QueueRow]:
    """Overdue first, then due soon, then on time, then those without a running clock; by due date within."""
    return sorted(rows, key=lambda r: (URGENCY[r.deadline_status] if r.deadline_status else len(URGENCY),
                                       r.due_on or dt.date.max, r.id))


def office_queue(*, uow: UnitOfWork, principal: Principal, on: dt.date,
                 include_decided: bool = True) -> list[QueueRow]:
    """The dossiers an officer's office has to act on: those it holds (open, and decided but not
    delivered) and those handed in there awaiting receipt; overdue first, then by due date."""
    if principal.role not in STAFF_ROLES or principal.office_id is None:
        return []
    with uow:
        session = uow.session
        held = work.office_work(uow=uow, office_id=principal.office_id, on=on)
        references = [i.reference for i in held if i.kind == WORK_KIND]
        statuses = [*OPEN, *(DECIDED - {S.DELIVERED} if include_decided else ())]
        waiting_at = _standing_for(uow, principal.office_id, on)
        query = select(Dossier).where(or_(
            Dossier.receipt_code.in_(references) & Dossier.status.in_(statuses),
            (Dossier.status == S.SUBMITTED) & Dossier.receiving_office_id.in_(waiting_at)))
        dossiers = list(session.scalars(query))
        items = {i.id: i for i in held}
        offices = offices_by_id(session, {d.receiving_office_id for d in dossiers})
        names = _usernames(session, [i.assignee_id for i in held])
        rows = [_row(d, items.get(d.work_item_id or 0), offices, names, on) for d in dossiers]
    return by_urgency(rows)


def own_dossiers(*, uow: UnitOfWork, principal: Principal, on: dt.date, limit: int = 100) -> list[DossierSummary]:
    """The dossiers a citizen or an employer filed, or that are about the citizen; newest first."""
    conditions = [Dossier.applicant_account_id == principal.account_id]
    if principal.role == Role.CITIZEN and principal.person_id is not None:
        conditions.append(Dossier.person_id == principal.person_id)
    if principal.role == Role.EMPLOYER and principal.employer_id is not None:
        conditions.append(Dossier.employer_id == principal.employer_id)
    with uow:
        rows = uow.session.scalars(select(Dossier).where(or_(*conditions)).order_by(Dossier.id.desc()).limit(limit))
        catalogue = default_catalogue().procedures
        return [DossierSummary(id=d.id, receipt_code=d.receipt_code, procedure_code=d.procedure_code,
                               procedure_name_vi=catalogue[d.procedure_code].name_vi,
                               procedure_name_en=catalogue[d.procedure_code].name_en, status=d.status,
                               citizen_id=d.citizen_id, submitted_at=d.submitted_at, due_on=d.due_on,
                               deadline_status=deadline_status(d, on)) for d in rows]


def due_dossiers(*, uow: UnitOfWork, on: dt.date, office_id: int | None = None,
                 within: int = calendar.DEFAULT_DUE_SOON) -> list[QueueRow]:
    """Open dossiers overdue or due within ``within`` working days on ``on``, in every office (or
    one), most urgent first: the supervisor's view across offices. Dossiers waiting for a
    supplement are left out, their clock being stopped."""
    horizon = calendar.add_working_days(on, within)
    with uow:
        session = uow.session
        running = [s for s in OPEN if s != S.AWAITING_SUPPLEMENT]
        dossiers = list(session.scalars(select(Dossier).where(Dossier.status.in_(running), Dossier.due_on <= horizon)))
        items = work.work_items(uow=uow, ids=[d.work_item_id for d in dossiers if d.work_item_id is not None])
        if office_id is not None:
            dossiers = [d for d in dossiers if d.work_item_id in items and items[d.work_item_id].office_id == office_id]
        offices = offices_by_id(session, {d.receiving_office_id for d in dossiers})
        names = _usernames(session, [i.assignee_id for i in items.values()])
        rows = [_row(d, items.get(d.work_item_id or 0), offices, names, on) for d in dossiers]
    return by_urgency(rows)
