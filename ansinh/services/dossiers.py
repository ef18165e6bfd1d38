"""The dossier lifecycle: the service verbs that move an application from submission to
its delivered result.

    submitted ─receive→ received ─assign→ assigned ─start_review→ in_review ─decide→ approved | refused
                                                                      ↑     │                     │
                              awaiting_supplement ─answer_supplement──┘     │            deliver→ delivered
                                       ↑────────request_supplement──────────┘

Every verb is one transaction: the dossier's new state, a history step, an audit event and
the messages it sends (outbox) are written together or not at all; a verb called out of
order is refused (``dossier.transition``), and two officers moving the same dossier at
once cannot both succeed (the row's version). Times are passed in (``at``); the office's
day of a step is its date in Vietnam.

Receipt is where any-office handling happens: the receiving office issues the receipt
code and the due date, and the dossier becomes work of the office responsible for the
person's records on that day (:mod:`ansinh.services.routing`), the receiving office kept.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ansinh.accounts.models import Account
from ansinh.accounts.postings import postings_in_force
from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import STAFF_ROLES, Permission, Role, permits
from ansinh.audit.service import record_event
from ansinh.core.clock import VIETNAM
from ansinh.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from ansinh.core.settings import get_settings
from ansinh.db.uow import UnitOfWork
from ansinh.org import work
from ansinh.org.directory import OfficeInfo, offices_by_id, resolve_office
from ansinh.registry.identifiers import parse_citizen_id
from ansinh.registry.lookups import has_declared
from ansinh.registry.models import Person
from ansinh.services import calendar, intake, notify, routing, uploads
from ansinh.services.catalogue import default_catalogue
from ansinh.services.dossier_schemas import (
    Assignment,
    Decision,
    Delivery,
    DossierSubmit,
    PortalDossierIn,
    SupplementAnswer,
    SupplementItem,
    SupplementRequest,
    UploadIn,
)
from ansinh.services.executors import Execution, executor_for
from ansinh.services.models import Channel, Dossier, DossierDocument, DossierEvent, DossierStatus
from ansinh.services.schemas import ProcedureFile

CHANNEL_VI = {Channel.ONLINE: "nộp trực tuyến", Channel.COUNTER: "nộp trực tiếp tại bộ phận một cửa",
              Channel.PORTAL: "nộp qua Cổng Dịch vụ công quốc gia"}
"""How each channel reads in a history note; notes are in Vietnamese, the agency's language of record."""
WORK_KIND = "dossier"
"""The kind of the org area's work item that holds a received dossier."""
MIN_REASONS = 10
"""A refusal states its reasons (Decree 61/2018 art. 19(5)); ten characters rule out an empty gesture."""
OPEN = frozenset({DossierStatus.RECEIVED, DossierStatus.ASSIGNED, DossierStatus.IN_REVIEW,
                  DossierStatus.AWAITING_SUPPLEMENT})
DECIDED = frozenset({DossierStatus.APPROVED, DossierStatus.REFUSED, DossierStatus.DELIVERED})
S = DossierStatus


def office_day(at: dt.datetime) -> dt.date:
    """The office's date of an instant: its date in Vietnam."""
    if at.tzinfo is None:
        raise ValueError("a step's time must be timezone-aware")
    return at.astimezone(VIETNAM).date()


def after_cutoff(at: dt.datetime) -> bool:
    """Whether ``at`` is after the day's receipt cut-off, local time."""
    return at.astimezone(VIETNAM).time() >= calendar.RECEIPT_CUTOFF


@dataclass(frozen=True)
class Handled:
    """A dossier as a verb left it: its id, for the caller to read back."""

    id: int
    receipt_code: str | None
    status: DossierStatus


# ----------------------------------------------------------------------------- helpers

def _procedure(dossier: Dossier) -> ProcedureFile:
    return default_catalogue().procedures[dossier.procedure_code]


def _load(session: Session, dossier_id: int) -> Dossier:
    dossier = session.get(Dossier, dossier_id)
    if dossier is None:
        raise NotFound(f"no dossier {dossier_id}", code="dossier.not_found", field="dossier_id")
    return dossier


def _expect(dossier: Dossier, action: str, allowed: Iterable[DossierStatus]) -> DossierStatus:
    status = DossierStatus(dossier.status)
    allowed = frozenset(allowed)
    if status not in allowed:
        raise Conflict(f"dossier {dossier.receipt_code or dossier.id} is {status.value}; "
                       f"{action} needs it {' or '.join(sorted(s.value for s in allowed))}",
                       code="dossier.transition", field="status",
                       rule="a dossier moves submitted → received → assigned → in review → decided → delivered")
    return status


def holding(uow: UnitOfWork, dossier: Dossier) -> work.WorkItemInfo | None:
    """The work item holding a received dossier (None before receipt)."""
    if dossier.work_item_id is None:
        return None
    return work.work_items(uow=uow, ids=[dossier.work_item_id]).get(dossier.work_item_id)


def _office_name(uow: UnitOfWork, office_id: int | None) -> str | None:
    if office_id is None:
        return None
    return offices_by_id(uow.session, [office_id])[office_id].name


def _at_office(principal: Principal, office_id: int | None, action: str) -> None:
    if principal.role not in STAFF_ROLES or office_id is None or principal.office_id != office_id:
        raise Forbidden(f"only staff of the office holding the dossier may {action} it",
                        code="dossier.not_your_office", field="dossier_id",
                        rule="a dossier is processed by the office responsible for the person's records")


def _assignee(uow: UnitOfWork, dossier: Dossier, principal: Principal, action: str) -> work.WorkItemInfo:
    item = holding(uow, dossier)
    _at_office(principal, item.office_id if item else None, action)
    assert item is not None  # noqa: S101 - _at_office refuses a dossier no office holds
    if item.assignee_id != principal.account_id:
        raise Forbidden(f"only the officer the dossier is assigned to may {action} it",
                        code="dossier.not_assignee", field="dossier_id",
                        rule="one officer handles a dossier from assignment to decision; reassign it first")
    return item


def is_applicant(principal: Principal, dossier: Dossier) -> bool:
    """Whether ``principal`` filed ``dossier``, or is the citizen it is about, or the employer that filed it."""
    if dossier.applicant_account_id is not None and principal.account_id == dossier.applicant_account_id:
        return True
    if principal.role == Role.CITIZEN:
        return principal.person_id is not None and principal.person_id == dossier.person_id
    if principal.role == Role.EMPLOYER:
        return principal.employer_id is not None and principal.employer_id == dossier.employer_id
    return False


def _step(uow: UnitOfWork, dossier: Dossier, *, action: str, before: DossierStatus | None, principal: Principal,
          at: dt.datetime, office_id: int | None, note: str | None = None) -> int:
    """Record one history step and its audit event; the step's number."""
    session = uow.session
    seq = (session.scalar(select(func.max(DossierEvent.seq)).where(DossierEvent.dossier_id == dossier.id)) or 0) + 1
    before_value = before.value if before else None
    session.add(DossierEvent(dossier_id=dossier.id, seq=seq, action=action, from_status=before_value,
                             to_status=DossierStatus(dossier.status).value,
                             at=at, day=office_day(at), actor=principal.username, role=principal.role.value,
                             office_id=office_id, note=note))
    record_event(uow=uow, actor=principal.actor, action=f"dossier.{action}", record_type="dossier",
                 record_id=dossier.id, at=at, reason=note and note[:500],
                 detail={"receipt_code": dossier.receipt_code, "procedure": dossier.procedure_code,
                         "from": before.value if before else None, "to": DossierStatus(dossier.status).value})
    return seq


def _tell(uow: UnitOfWork, dossier: Dossier, step: int, at: dt.datetime, office_id: int | None, *,
          missing: Sequence[SupplementItem] = (), reasons: str | None = None, note: str | None = None) -> None:
    notify.tell(uow=uow, dossier=dossier, step=step, procedure_name=_procedure(dossier).name_vi,
                office_name=_office_name(uow, office_id), at=at, portal_url=get_settings().portal_callback_url,
                missing=missing, reasons=reasons, note=note)


def _flush(uow: UnitOfWork, dossier: Dossier) -> None:
    try:
        uow.session.flush()
    except StaleDataError:
        raise Conflict(f"dossier {dossier.receipt_code or dossier.id} was changed by someone else meanwhile",
                       code="dossier.changed", field="dossier_id",
                       rule="reload the dossier and act on its current state") from None


def _documents(uow: UnitOfWork, dossier: Dossier, procedure: ProcedureFile, files: Sequence[UploadIn], *,
               principal: Principal, at: dt.datetime, for_supplement: bool) -> list[str]:
    catalogue = default_catalogue()
    codes = []
    for index, upload in enumerate(files):
        try:
            checked = uploads.check_upload(procedure=procedure, held=catalogue.held,
                                           document_code=upload.document_code, filename=upload.filename,
                                           media_type=upload.media_type, content=upload.content(),
                                           max_bytes=get_settings().upload_max_bytes)
        except InvalidInput as error:
            error.field = f"documents.{index}.{(error.field or 'content').rsplit('.', 1)[-1]}"
            raise
        uow.session.add(DossierDocument(
            dossier_id=dossier.id, document_code=checked.document_code, filename=checked.filename,
            media_type=checked.media_type, size=checked.size, sha256=checked.sha256, content=upload.content(),
            uploaded_at=at, uploaded_by=principal.username, for_supplement=for_supplement))
        codes.append(checked.document_code)
    return codes


def _pauses(dossier: Dossier) -> list[list[str | None]]:
    return list(json.loads(dossier.paused_days or "[]"))


def closed_pauses(dossier: Dossier) -> list[tuple[dt.date, dt.date]]:
    """The spans the clock was stopped (stopped, resumed), as the calendar counts them."""
    return [(dt.date.fromisoformat(a), dt.date.fromisoformat(b)) for a, b in _pauses(dossier) if a and b]


# ----------------------------------------------------------------------------- submission

def _subject(uow: UnitOfWork, principal: Principal, citizen_id: str) -> Person:
    """The person a dossier is about, if the applicant may file about them."""
    parse_citizen_id(citizen_id)
    person = uow.session.scalar(select(Person).where(Person.citizen_id == citizen_id))
    hidden = NotFound(f"no person registered as {citizen_id}", code="person.not_found", field="citizen_id",
                      rule="a dossier is about a registered person")
    if person is None:
        raise hidden
    if principal.role == Role.CITIZEN and person.id != principal.person_id:
        raise Forbidden("a citizen files dossiers about themselves only", code="dossier.not_own", field="citizen_id",
                        rule="an applicant files for themselves; a representative files at a counter")
    declared = principal.employer_id is not None and has_declared(
        uow.session, employer_id=principal.employer_id, person_id=person.id)
    if principal.role == Role.EMPLOYER and not declared:
        raise hidden
    return person


def _receiving_office(uow: UnitOfWork, principal: Principal, office_code: str | None,
                      person: Person, on: dt.date) -> OfficeInfo:
    if principal.role in STAFF_ROLES:
        if principal.office_id is None:
            raise Forbidden("staff file dossiers at their own office", code="dossier.no_office", field="office_code")
        own = offices_by_id(uow.session, [principal.office_id])[principal.office_id]
        if office_code is not None and office_code != own.code:
            raise InvalidInput(f"a counter dossier is received at the officer's office {own.code}, not {office_code}",
                               code="dossier.office", field="office_code",
                               rule="at a counter, the receiving office is the officer's own")
        return own
    if office_code is not None:
        return resolve_office(uow=uow, code=office_code, on=on)
    found = routing.responsible_for_commune(uow=uow, commune_id=person.residence_commune_id, on=on)
    if found is None:
        raise InvalidInput("no single office serves the person's commune; choose the office to apply at",
                           code="dossier.office", field="office_code", rule="a dossier is handed in at one office")
    return found


def _check_contact(channel: Channel, data: DossierSubmit | PortalDossierIn) -> None:
    if channel != Channel.COUNTER and not (data.contact_email or data.contact_phone):
        raise InvalidInput("give an e-mail address or a phone number to be told of each step",
                           code="dossier.contact", field="contact_phone",
                           rule="an online dossier names where its applicant is told of its progress")


def _create(uow: UnitOfWork, principal: Principal, data: DossierSubmit | PortalDossierIn, *, channel: Channel,
            applicant_name: str, at: dt.datetime) -> Dossier:
    procedure = intake.dossier_procedure(data.procedure_code)
    intake.check_applicant(procedure, principal.role)
    intake.check_data(procedure, data.data)
    intake.check_subject(data.data, data.citizen_id)
    _check_contact(channel, data)
    missing = uploads.required_documents_missing(procedure, [d.document_code for d in data.documents])
    if missing:
        raise InvalidInput("required documents are missing: " + ", ".join(f"{d.code} ({d.name_en})" for d in missing),
                           code="dossier.documents_missing", field="documents",
                           rule=f"procedure {procedure.code} asks for these documents")
    on = office_day(at)
    session = uow.session
    person = _subject(uow, principal, data.citizen_id)
    receiving = _receiving_office(uow, principal, data.office_code, person, on)
    responsible = routing.route(uow=uow, receiving=receiving, commune_id=person.residence_commune_id, on=on)
    if not procedure.any_office and responsible.forwarded:
        raise InvalidInput(f"procedure {procedure.code} is handled only at the office responsible for the person "
                           f"({responsible.responsible.code}), not at {receiving.code}",
                           code="dossier.office_not_responsible", field="office_code",
                           rule="only any-office procedures may be handed in at any office")
    dossier = Dossier(
        procedure_code=procedure.code, channel=channel, status=S.SUBMITTED, citizen_id=data.citizen_id,
        person_id=person.id, employer_id=principal.employer_id if principal.role == Role.EMPLOYER else None,
        applicant_account_id=principal.account_id, applicant_name=applicant_name,
        contact_email=data.contact_email, contact_phone=data.contact_phone,
        data=json.dumps(data.data, ensure_ascii=False, sort_keys=True), submitted_at=at,
        receiving_office_id=receiving.id, paused_days="[]",
        portal_dossier_id=data.portal_dossier_id if isinstance(data, PortalDossierIn) else None)
    session.add(dossier)
    session.flush()
    _documents(uow, dossier, procedure, data.documents, principal=principal, at=at, for_supplement=False)
    step = _step(uow, dossier, action="submit", before=None, principal=principal, at=at, office_id=None,
                 note=f"{CHANNEL_VI[channel]}, nộp tại {receiving.code}")
    if channel != Channel.COUNTER:
        _tell(uow, dossier, step, at, None)
    return dossier


def submit(*, uow: UnitOfWork, principal: Principal, data: DossierSubmit, at: dt.datetime) -> Handled:
    """File a dossier: online by a citizen or an employer, or at a counter by an officer.

    At a counter the officer receives it at once (receipt code and due date in the same
    transaction); online, it waits for the receiving office.
    """
    staff = principal.role in STAFF_ROLES
    channel = Channel.COUNTER if staff else Channel.ONLINE
    name = (data.applicant_name or "") if staff else principal.display_name
    if staff and not name:
        raise InvalidInput("at a counter, give the name of whoever hands the dossier in", code="dossier.applicant_name",
                           field="applicant_name", rule="a counter dossier records who handed it in")
    with uow:
        dossier = _create(uow, principal, data, channel=channel, applicant_name=name, at=at)
        if staff:
            _receive(uow, dossier, principal, at)
        handled = Handled(dossier.id, dossier.receipt_code, DossierStatus(dossier.status))
        uow.commit()
    return handled


def _same_filing(dossier: Dossier, data: PortalDossierIn) -> bool:
    return (dossier.procedure_code == data.procedure_code and dossier.citizen_id == data.citizen_id
            and json.loads(dossier.data) == data.data)


def submit_from_portal(*, uow: UnitOfWork, principal: Principal, data: PortalDossierIn,
                       at: dt.datetime) -> tuple[Handled, bool]:
    """Take a dossier forwarded by the national portal; the same portal id twice is the same dossier.

    Returns the dossier and whether this call created it. The same id with other content is
    refused (``dossier.portal_duplicate``): the portal sends a correction as a supplement.
    """
    with uow:
        found = uow.session.scalar(select(Dossier).where(Dossier.portal_dossier_id == data.portal_dossier_id))
        if found is not None:
            if not _same_filing(found, data):
                raise Conflict(f"portal dossier {data.portal_dossier_id} was already received with other content",
                               code="dossier.portal_duplicate", field="portal_dossier_id",
                               rule="one portal dossier id is one dossier; send changes as a supplement")
            return Handled(found.id, found.receipt_code, DossierStatus(found.status)), False
        dossier = _create(uow, principal, data, channel=Channel.PORTAL, applicant_name=data.applicant_name, at=at)
        handled = Handled(dossier.id, dossier.receipt_code, DossierStatus(dossier.status))
        uow.commit()
    return handled, True


# ----------------------------------------------------------------------------- receipt and routing

def _receive(uow: UnitOfWork, dossier: Dossier, principal: Principal, at: dt.datetime) -> None:
    procedure = _procedure(dossier)
    on, late = office_day(at), after_cutoff(at)
    session = uow.session
    receiving = offices_by_id(session, [dossier.receiving_office_id])[dossier.receiving_office_id]
    receiving = routing.office_now(uow=uow, office_id=receiving.id, on=on) or receiving
    person = session.get(Person, dossier.person_id) if dossier.person_id else None
    path = routing.route(uow=uow, receiving=receiving, commune_id=person.residence_commune_id if person else None,
                         on=on)
    days = procedure.deadline_working_days or 0
    dossier.received_on = calendar.receipt_day(on, after_cutoff=late)
    dossier.deadline_working_days = days
    dossier.due_on = calendar.due_date(on, days, after_cutoff=late)
    dossier.receipt_code = f"HS{dossier.received_on:%y%m%d}{dossier.id:07d}"
    item = work.open_work(uow=uow, kind=WORK_KIND, reference=dossier.receipt_code, office_id=path.responsible.id,
                          opened_on=on, received_by_office_id=path.receiving.id if path.forwarded else None)
    dossier.work_item_id = item.id
    dossier.status = S.RECEIVED
    _flush(uow, dossier)
    note = (f"tiếp nhận tại {path.receiving.code}; chuyển {path.responsible.code} giải quyết: {path.reason}"
            if path.forwarded else f"tiếp nhận và giải quyết tại {path.receiving.code}: {path.reason}")
    if late:
        note += (f"; nhận sau {calendar.RECEIPT_CUTOFF:%H:%M} hoặc vào ngày nghỉ, thời hạn tính từ ngày "
                 f"{dossier.received_on:%d/%m/%Y}")
    step = _step(uow, dossier, action="receive", before=S.SUBMITTED, principal=principal, at=at,
                 office_id=path.responsible.id, note=note)
    _tell(uow, dossier, step, at, path.responsible.id, note=note)


def receive(*, uow: UnitOfWork, principal: Principal, dossier_id: int, at: dt.datetime) -> Handled:
    """Receive a submitted dossier at the office it was handed in at: receipt code, due date, routing."""
    with uow:
        dossier = _load(uow.session, dossier_id)
        _expect(dossier, "receiving", {S.SUBMITTED})
        receiving = routing.office_now(uow=uow, office_id=dossier.receiving_office_id, on=office_day(at))
        _at_office(principal, receiving.id if receiving else None, "receive")
        _receive(uow, dossier, principal, at)
        handled = Handled(dossier.id, dossier.receipt_code, DossierStatus(dossier.status))
        uow.commit()
    return handled


# ----------------------------------------------------------------------------- processing

def officers_of(*, uow: UnitOfWork, office_id: int, on: dt.date) -> dict[str, int]:
    """The active accounts posted at ``office_id`` on ``on`` in a role that processes dossiers,
    by username: whom a dossier held there may be assigned to."""
    with uow:
        postings = postings_in_force(uow=uow, office_ids={office_id}, on=on)
        ids = {p.account_id for p in postings if permits(p.role, Permission.DOSSIER_PROCESS)}
        if not ids:
            return {}
        rows = uow.session.execute(select(Account.username, Account.id)
                                   .where(Account.id.in_(ids), Account.active.is_(True)))
        return {row.username: row.id for row in rows}


def _officer_of(uow: UnitOfWork, username: str, office_id: int, on: dt.date) -> int:
    account_id = officers_of(uow=uow, office_id=office_id, on=on).get(username)
    if account_id is None:
        raise InvalidInput(f"{username!r} is not an officer of the holding office who processes dossiers",
                           code="dossier.assignee", field="assignee",
                           rule="a dossier is assigned to an officer posted at the office holding it")
    return account_id


def assign(*, uow: UnitOfWork, principal: Principal, dossier_id: int, data: Assignment, at: dt.datetime) -> Handled:
    """Give a received dossier to one officer of the holding office (or hand it to another)."""
    with uow:
        dossier = _load(uow.session, dossier_id)
        before = _expect(dossier, "assigning", OPEN)
        item = holding(uow, dossier)
        _at_office(principal, item.office_id if item else None, "assign")
        assert item is not None  # noqa: S101 - _at_office refuses a dossier no office holds
        account_id = _officer_of(uow, data.assignee, item.office_id, office_day(at))
        work.assign_work(uow=uow, kind=WORK_KIND, reference=item.reference, assignee_id=account_id)
        if before == S.RECEIVED:
            dossier.status = S.ASSIGNED
        _flush(uow, dossier)
        step = _step(uow, dossier, action="assign" if before == S.RECEIVED else "reassign", before=before,
                     principal=principal, at=at, office_id=item.office_id, note=f"giao {data.assignee}")
        if before == S.RECEIVED:  # a status the portal shows; a reassignment changes none
            _tell(uow, dossier, step, at, item.office_id)
        handled = Handled(dossier.id, dossier.receipt_code, DossierStatus(dossier.status))
        uow.commit()
    return handled


def start_review(*, uow: UnitOfWork, principal: Principal, dossier_id: int, at: dt.datetime) -> Handled:
    """The assigned officer opens the dossier for review."""
    with uow:
        dossier = _load(uow.session, dossier_id)
        _expect(dossier, "starting review", {S.ASSIGNED})
        item = _assignee(uow, dossier, principal, "review")
        dossier.status = S.IN_REVIEW
        _flush(uow, dossier)
        step = _step(uow, dossier, action="start_review", before=S.ASSIGNED, principal=principal, at=at,
                     office_id=item.office_id)
        _tell(uow, dossier, step, at, item.office_id)
        handled = Handled(dossier.id, dossier.receipt_code, DossierStatus(dossier.status))
        uow.commit()
    return handled


def _check_items(procedure: ProcedureFile, items: Sequence[SupplementItem]) -> None:
    held = default_catalogue().held
    asked = {d.code for d in procedure.documents}
    fields = set(procedure.data_schema.properties)
    for index, item in enumerate(items):
        if item.document_code is None and item.field is None:
            raise InvalidInput("say which document or which field is missing", code="supplement.item",
                               field=f"items.{index}", rule="a supplement request names exactly what is missing")
        if item.document_code in held:
            raise InvalidInput(f"{item.document_code} is held by {held[item.document_code].held_by.value}; "
                               "it must not be asked for", code="supplement.held_document",
                               field=f"items.{index}.document_code", rule=held[item.document_code].basis)
        if item.document_code is not None and item.document_code not in asked:
            raise InvalidInput(f"procedure {procedure.code} does not ask for {item.document_code}",
                               code="supplement.unknown_document", field=f"items.{index}.document_code",
                               rule="a supplement asks only for documents of the procedure")
        if item.field is not None and item.field not in fields:
            raise InvalidInput(f"procedure {procedure.code} has no field {item.field}", code="supplement.unknown_field",
                               field=f"items.{index}.field", rule="a supplement names fields of the procedure's data")


def request_supplement(*, uow: UnitOfWork, principal: Principal, dossier_id: int, data: SupplementRequest,
                       at: dt.datetime) -> Handled:
    """Return the dossier to its applicant for what is missing; its clock stops until the answer."""
    with uow:
        dossier = _load(uow.session, dossier_id)
        _expect(dossier, "asking for a supplement", {S.IN_REVIEW})
        item = _assignee(uow, dossier, principal, "ask a supplement for")
        _check_items(_procedure(dossier), data.items)
        dossier.status = S.AWAITING_SUPPLEMENT
        dossier.supplement_request = json.dumps([i.model_dump() for i in data.items], ensure_ascii=False)
        dossier.paused_days = json.dumps([*_pauses(dossier), [office_day(at).isoformat(), None]])
        _flush(uow, dossier)
        note = "; ".join(f"{i.document_code or i.field}: {i.note}" for i in data.items)
        step = _step(uow, dossier, action="request_supplement", before=S.IN_REVIEW, principal=principal, at=at,
                     office_id=item.office_id, note=note)
        _tell(uow, dossier, step, at, item.office_id, missing=data.items, note=note)
        handled = Handled(dossier.id, dossier.receipt_code, DossierStatus(dossier.status))
        uow.commit()
    return handled


def answer_supplement(*, uow: UnitOfWork, principal: Principal, dossier_id: int, data: SupplementAnswer,
                      at: dt.datetime) -> Handled:
    """The applicant (or a counter officer for them) hands in what was missing; the clock runs again."""
    with uow:
        dossier = _load(uow.session, dossier_id)
        _expect(dossier, "answering a supplement request", {S.AWAITING_SUPPLEMENT})
        item = holding(uow, dossier)
        if not is_applicant(principal, dossier):
            offices = {item.office_id if item else None, dossier.receiving_office_id}
            if principal.role not in STAFF_ROLES or principal.office_id not in offices:
                raise Forbidden("only the applicant, or an officer at the receiving or holding office, "
                                "hands in a supplement", code="dossier.not_applicant", field="dossier_id",
                                rule="a supplement comes from whoever filed the dossier")
        procedure = _procedure(dossier)
        merged = {**json.loads(dossier.data), **data.data}
        intake.check_data(procedure, merged)
        intake.check_subject(merged, dossier.citizen_id)
        _documents(uow, dossier, procedure, data.documents, principal=principal, at=at, for_supplement=True)
        on = office_day(at)
        pauses = _pauses(dossier)
        pauses[-1][1] = max(on, dt.date.fromisoformat(str(pauses[-1][0]))).isoformat()
        dossier.paused_days = json.dumps(pauses)
        dossier.data = json.dumps(merged, ensure_ascii=False, sort_keys=True)
        assert dossier.received_on is not None  # noqa: S101 - a dossier awaiting a supplement was received
        dossier.due_on = calendar.due_date(dossier.received_on, dossier.deadline_working_days or 0,
                                           paused=closed_pauses(dossier))
        dossier.status = S.IN_REVIEW
        _flush(uow, dossier)
        handed = ", ".join(d.document_code for d in data.documents) or "không"
        fields = ", ".join(sorted(data.data)) or "không"
        note = f"nộp bổ sung giấy tờ: {handed}; sửa thông tin: {fields}; hẹn trả mới {dossier.due_on:%d/%m/%Y}" + (
            f"; {data.note}" if data.note else "")
        step = _step(uow, dossier, action="answer_supplement", before=S.AWAITING_SUPPLEMENT, principal=principal,
                     at=at, office_id=item.office_id if item else None, note=note)
        _tell(uow, dossier, step, at, item.office_id if item else None, note=note)
        handled = Handled(dossier.id, dossier.receipt_code, DossierStatus(dossier.status))
        uow.commit()
    return handled


def decide(*, uow: UnitOfWork, principal: Principal, dossier_id: int, data: Decision, at: dt.datetime) -> Handled:
    """Approve (the procedure's verb produces the result) or refuse (with reasons) a reviewed dossier."""
    with uow:
        dossier = _load(uow.session, dossier_id)
        _expect(dossier, "deciding", {S.IN_REVIEW})
        item = _assignee(uow, dossier, principal, "decide")
        on = office_day(at)
        if data.approve:
            run = executor_for(_procedure(dossier).service_verb)
            result = run(Execution(uow=uow, citizen_id=dossier.citizen_id, data=json.loads(dossier.data), on=on,
                                   actor=principal.actor, at=at))
            dossier.result = json.dumps(result, ensure_ascii=False, default=str)
            dossier.status = S.APPROVED
        else:
            if data.reasons is None or len(data.reasons.strip()) < MIN_REASONS:
                raise InvalidInput("a refusal states its reasons", code="dossier.reasons", field="reasons",
                                   rule=f"a refused dossier is told why in writing (at least {MIN_REASONS} characters)")
            dossier.decision_reasons = data.reasons.strip()
            dossier.status = S.REFUSED
        dossier.decided_on = on
        _flush(uow, dossier)
        timing = ("đúng hạn" if dossier.due_on is None or on <= dossier.due_on
                  else f"quá hạn (hẹn {dossier.due_on:%d/%m/%Y})")
        note = timing + (f"; lý do: {dossier.decision_reasons}" if dossier.decision_reasons else "")
        step = _step(uow, dossier, action="approve" if data.approve else "refuse", before=S.IN_REVIEW,
                     principal=principal, at=at, office_id=item.office_id, note=note)
        _tell(uow, dossier, step, at, item.office_id, reasons=dossier.decision_reasons, note=note)
        handled = Handled(dossier.id, dossier.receipt_code, DossierStatus(dossier.status))
        uow.commit()
    return handled


def deliver(*, uow: UnitOfWork, principal: Principal, dossier_id: int, data: Delivery, at: dt.datetime) -> Handled:
    """Record that the result reached the applicant; the office's work on the dossier ends."""
    with uow:
        dossier = _load(uow.session, dossier_id)
        before = _expect(dossier, "delivering", {S.APPROVED, S.REFUSED})
        item = holding(uow, dossier)
        _at_office(principal, item.office_id if item else None, "deliver")
        assert item is not None  # noqa: S101 - _at_office refuses a dossier no office holds
        on = office_day(at)
        dossier.status, dossier.delivered_on = S.DELIVERED, on
        work.close_work(uow=uow, kind=WORK_KIND, reference=item.reference, closed_on=on)
        _flush(uow, dossier)
        step = _step(uow, dossier, action="deliver", before=before, principal=principal, at=at,
                     office_id=item.office_id, note=data.note)
        _tell(uow, dossier, step, at, item.office_id, note=data.note)
        handled = Handled(dossier.id, dossier.receipt_code, DossierStatus(dossier.status))
        uow.commit()
    return handled


def data_of(dossier: Dossier) -> dict[str, Any]:
    """The dossier's data as filed (and corrected by supplements)."""
    return dict(json.loads(dossier.data))
