"""``/api/v1/dossiers``: applications from submission to the delivered result, and the outbox.

Each route parses the request, calls one verb of :mod:`ansinh.services.dossiers` with the
time read here (``clock.now()``), and answers with the dossier as :mod:`ansinh.services.views`
shows it to the caller. Who may do what is two questions: the route's permission (to submit,
to process) and, inside the verb, whether the dossier is the caller's to act on (its
applicant; staff of the office holding it; its assignee). A dossier the caller may not read
answers 404 ``dossier.not_found`` exactly as one that does not exist.

Tracking (``GET /dossiers/track``) is public: it takes the receipt code and the citizen ID
the dossier was filed for, and shows nothing of its content. docs/dossiers.md has the table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response, status

from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import Permission
from ansinh.api.auth import CurrentPrincipal, needs, require
from ansinh.api.deps import AsOf, UowDep
from ansinh.core import clock
from ansinh.core.errors import Forbidden
from ansinh.db.uow import UnitOfWork
from ansinh.services import dossiers, outbox, views
from ansinh.services.dossier_schemas import (
    Assignment,
    Decision,
    Delivery,
    DossierPublic,
    DossierSubmit,
    DossierSummary,
    DossierTrack,
    QueueRow,
    SupplementAnswer,
    SupplementRequest,
)
from ansinh.services.downloads import document_response
from ansinh.services.models import OutboxChannel, OutboxStatus
from ansinh.services.outbox import OutboxMessagePublic

router = APIRouter(prefix="/dossiers", tags=["dossiers"])
outbox_router = APIRouter(prefix="/outbox", tags=["outbox"])

DossierId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Id of a dossier (a 32-bit integer).")]
DocumentId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Id of a document of the dossier.")]


def require_any(*permissions: Permission) -> Callable[[Principal], Principal]:
    """A dependency admitting callers whose role holds at least one of ``permissions``.

    For a step that two kinds of caller take in their own right: a supplement is handed in
    by the applicant (``dossier.submit``) or, at a counter, by an officer for them
    (``dossier.process``). Whether this dossier is theirs is the verb's question.
    """
    names = " or ".join(p.value for p in permissions)

    def check(principal: CurrentPrincipal) -> Principal:
        if not any(principal.may(p) for p in permissions):
            raise Forbidden(f"a {principal.role.value} may not do this ({names})", code="auth.forbidden",
                            rule=f"needs the permission {names}", extra={"permission": names})
        return principal

    check.__name__ = "require_" + "_or_".join(p.name.lower() for p in permissions)
    return check


Submitter = Annotated[Principal, Depends(require(Permission.DOSSIER_SUBMIT))]
Processor = Annotated[Principal, Depends(require(Permission.DOSSIER_PROCESS))]
SupplementGiver = Annotated[Principal, Depends(require_any(Permission.DOSSIER_SUBMIT, Permission.DOSSIER_PROCESS))]


def _read_back(uow: UnitOfWork, principal: Principal, handled: dossiers.Handled) -> DossierPublic:
    """The dossier a verb just moved, as the caller now sees it."""
    return views.get_dossier(uow=uow, principal=principal, dossier_id=handled.id, on=clock.today())


@router.post("", status_code=status.HTTP_201_CREATED)
def submit(data: DossierSubmit, uow: UowDep, principal: Submitter) -> DossierPublic:
    """File a dossier: online by a citizen or an employer, or at a counter by an officer (received at once)."""
    handled = dossiers.submit(uow=uow, principal=principal, data=data, at=clock.now())
    return _read_back(uow, principal, handled)


@router.get("/track")
def track_dossier(
    uow: UowDep, as_of: AsOf,
    receipt: Annotated[str, Query(min_length=1, max_length=40, description="The receipt code, e.g. HS2602130000001.")],
    citizen_id: Annotated[str, Query(min_length=1, max_length=40, description="The citizen ID it was filed for.")],
) -> DossierTrack:
    """Where a dossier is, for anyone holding its receipt code and citizen ID; no sign-in, nothing of its content."""
    return views.track(uow=uow, receipt_code=receipt, citizen_id=citizen_id, on=as_of)


@router.get("/mine")
def own_dossiers(uow: UowDep, as_of: AsOf, principal: Submitter,
                 limit: Annotated[int, Query(ge=1, le=200)] = 100) -> list[DossierSummary]:
    """The dossiers the caller filed, or that are about them; newest first."""
    return views.own_dossiers(uow=uow, principal=principal, on=as_of, limit=limit)


@router.get("/queue")
def office_queue(uow: UowDep, as_of: AsOf, principal: Processor,
                 include_decided: Annotated[bool, Query(description="Also decided dossiers not yet delivered.")]
                 = True) -> list[QueueRow]:
    """What the caller's office has to act on: overdue first, then by due date."""
    return views.office_queue(uow=uow, principal=principal, on=as_of, include_decided=include_decided)


@router.get("/{dossier_id}")
def get_dossier(dossier_id: DossierId, uow: UowDep, as_of: AsOf, principal: CurrentPrincipal) -> DossierPublic:
    """A dossier in full, with its documents and history, for its applicant and the staff handling it."""
    return views.get_dossier(uow=uow, principal=principal, dossier_id=dossier_id, on=as_of)


@router.get("/{dossier_id}/documents/{document_id}", response_class=Response,
            responses={200: {"description": "The file, as a download.",
                             "content": {"application/pdf": {}, "image/jpeg": {}, "image/png": {}}}})
def download_document(dossier_id: DossierId, document_id: DocumentId, uow: UowDep, as_of: AsOf,
                      principal: CurrentPrincipal) -> Response:
    """One file of a dossier, always as a download (never rendered in the API's origin)."""
    meta, content = views.document(uow=uow, principal=principal, dossier_id=dossier_id, document_id=document_id,
                                   on=as_of)
    return document_response(meta, content)


@router.post("/{dossier_id}/receipt")
def receive(dossier_id: DossierId, uow: UowDep, principal: Processor) -> DossierPublic:
    """Receive a dossier handed in at the caller's office: receipt code, due date, routing to the responsible office."""
    handled = dossiers.receive(uow=uow, principal=principal, dossier_id=dossier_id, at=clock.now())
    return _read_back(uow, principal, handled)


@router.post("/{dossier_id}/assignment")
def assign(dossier_id: DossierId, data: Assignment, uow: UowDep, principal: Processor) -> DossierPublic:
    """Give the dossier to an officer of the holding office (or hand it to another)."""
    handled = dossiers.assign(uow=uow, principal=principal, dossier_id=dossier_id, data=data, at=clock.now())
    return _read_back(uow, principal, handled)


@router.post("/{dossier_id}/review")
def start_review(dossier_id: DossierId, uow: UowDep, principal: Processor) -> DossierPublic:
    """The assigned officer opens the dossier for review."""
    handled = dossiers.start_review(uow=uow, principal=principal, dossier_id=dossier_id, at=clock.now())
    return _read_back(uow, principal, handled)


@router.post("/{dossier_id}/supplement-request")
def request_supplement(dossier_id: DossierId, data: SupplementRequest, uow: UowDep,
                       principal: Processor) -> DossierPublic:
    """Return the dossier to its applicant naming exactly what is missing; its clock stops."""
    handled = dossiers.request_supplement(uow=uow, principal=principal, dossier_id=dossier_id, data=data,
                                          at=clock.now())
    return _read_back(uow, principal, handled)


@router.post("/{dossier_id}/supplement")
def answer_supplement(dossier_id: DossierId, data: SupplementAnswer, uow: UowDep,
                      principal: SupplementGiver) -> DossierPublic:
    """Hand in what was missing (the applicant, or a counter officer for them); the clock runs again."""
    handled = dossiers.answer_supplement(uow=uow, principal=principal, dossier_id=dossier_id, data=data,
                                         at=clock.now())
    return _read_back(uow, principal, handled)


@router.post("/{dossier_id}/decision")
def decide(dossier_id: DossierId, data: Decision, uow: UowDep, principal: Processor) -> DossierPublic:
    """Approve (the procedure's verb produces the result) or refuse with reasons."""
    handled = dossiers.decide(uow=uow, principal=principal, dossier_id=dossier_id, data=data, at=clock.now())
    return _read_back(uow, principal, handled)


@router.post("/{dossier_id}/delivery")
def deliver(dossier_id: DossierId, data: Delivery, uow: UowDep, principal: Processor) -> DossierPublic:
    """Record that the result reached the applicant; the office's work on the dossier ends."""
    handled = dossiers.deliver(uow=uow, principal=principal, dossier_id=dossier_id, data=data, at=clock.now())
    return _read_back(uow, principal, handled)


@outbox_router.get("/messages", dependencies=needs(Permission.ACCOUNT_MANAGE))
def outbox_messages(
    uow: UowDep,
    dossier_id: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="Only this dossier's messages.")] = None,
    channel: OutboxChannel | None = None,
    status: OutboxStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 100,
) -> list[OutboxMessagePublic]:
    """The messages written for applicants and the national portal, newest first, with their delivery state.

    Administrators only: the messages carry applicants' contact details and the content of
    their dossiers, across all offices.
    """
    return outbox.messages(uow=uow, dossier_id=dossier_id, channel=channel, status=status, limit=limit)
