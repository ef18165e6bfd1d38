
"""The officers' and managers' pages of the public services: the office queue, a dossier
with the steps the officer may take on it, the messages sent to applicants, the on-time report.

As thin as ``api.py``: each page reads the request, calls one service function (a verb of
:mod:`ansinh.services.dossiers` for a form, a reader of :mod:`ansinh.services.views` for a
page) and renders. A form that the service refuses shows the dossier again with the
refusal and the HTTP status the error carries; one it accepts redirects (303) back to the
dossier, so a reload never posts twice. Which forms a page shows is only a courtesy: the
verbs decide who may do what. Every form carries the session's CSRF token, checked before
the handler runs (:mod:`ansinh.api.auth`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from babel.dates import format_datetime
from babel.numbers import format_decimal, format_percent
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import Permission
from ansinh.api.deps import UowDep
from ansinh.core import clock
from ansinh.core.errors import AnsinhError, InvalidInput, NotFound
from ansinh.db.uow import UnitOfWork
from ansinh.services import dossiers, outbox, report, views
from ansinh.services.catalogue import default_catalogue
from ansinh.services.dossier_schemas import (
    Assignment,
    Decision,
    Delivery,
    DossierPublic,
    SupplementItem,
    SupplementRequest,
)
from ansinh.services.models import DossierStatus
from ansinh.web.forms import form_date
from ansinh.web.render import locale_of, redirect, render, render_error
from ansinh.web.session import page_user

router = APIRouter(include_in_schema=False)
S = DossierStatus
Officer = Annotated[Principal, Depends(page_user(Permission.DOSSIER_PROCESS))]
Manager = Annotated[Principal, Depends(page_user(Permission.REPORT_READ))]
FormText = Annotated[str, Form(max_length=2000)]
FormRows = Annotated[list[str] | None, Form()]
SUPPLEMENT_ROWS = 3
"""Rows the supplement form shows; most requests name one or two things."""
MESSAGES_LIMIT = 200
PERCENT = "#,##0.#%"
"""A rate as a percent to one place at most, in the reader's digits (66,7% / 66.7%)."""
DAYS = "#,##0.0"
"""An average number of working days, to one place (4,3 / 4.3)."""
MOMENT = {"vi": "dd/MM/yyyy HH:mm", "en": "MMM d, yyyy HH:mm"}
"""An instant as an office reads it, in Vietnam time."""


# ----------------------------------------------------------------------------- helpers

def _dossier_id(value: str) -> int:
    """A dossier id from the path; anything not a number is a dossier that does not exist."""
    if not value.isdigit() or len(value) > 18:  # longer than any 64-bit id
        raise NotFound(f"no dossier {value}", code="dossier.not_found", field="dossier_id")
    return int(value)


def _form_error(error: ValidationError) -> InvalidInput:
    """A form the schemas refuse, as the domain error the page shows."""
    first = error.errors()[0]
    field = ".".join(str(part) for part in first.get("loc", ())) or "form"
    return InvalidInput(f"{field}: {first.get('msg', 'invalid')}", code="form.invalid", field=field,
                        rule=first.get("msg"))


def percent_of(request: Request) -> Callable[[Decimal | None], str]:
    """A formatter of rates (ratios) as percents in the request's language; "—" for no rate."""
    locale = locale_of(request)

    def percent(rate: Decimal | None) -> str:
        return "—" if rate is None else format_percent(rate, PERCENT, locale=locale)

    return percent


def days_of(request: Request) -> Callable[[Decimal | None], str]:
    """A formatter of average working days in the request's language; "—" for none."""
    locale = locale_of(request)

    def days(value: Decimal | None) -> str:
        return "—" if value is None else format_decimal(value, DAYS, locale=locale)

    return days


def moment_of(request: Request) -> Callable[[dt.datetime | None], str]:
    """A formatter of instants in Vietnam time, in the request's language; empty for none."""
    locale = locale_of(request)

    def when(value: dt.datetime | None) -> str:
        return "" if value is None else format_datetime(value, MOMENT[locale], tzinfo=clock.VIETNAM, locale=locale)

    return when


def allowed_actions(dossier: DossierPublic, user: Principal) -> frozenset[str]:
    """The steps ``user`` may take on ``dossier`` now, as the verbs would allow them."""
    here = dossier.office is not None and dossier.office.code == user.office_code
    mine = here and dossier.assignee == user.username
    status = dossier.status
    allowed = set()
    if status == S.SUBMITTED and dossier.receiving_office.code == user.office_code:
        allowed.add("receive")
    if here and status in dossiers.OPEN:
        allowed.add("assign")
    if mine and status == S.ASSIGNED:
        allowed.add("start_review")
    if mine and status == S.IN_REVIEW:
        allowed |= {"request_supplement", "decide"}
    if here and status in {S.APPROVED, S.REFUSED}:
        allowed.add("deliver")
    return frozenset(allowed)


def assignable(uow: UnitOfWork, user: Principal, on: dt.date) -> list[str]:
    """Usernames of the officers posted at the user's office who process dossiers."""
    if user.office_id is None:
        return []
    return sorted(dossiers.officers_of(uow=uow, office_id=user.office_id, on=on))


def _dossier_page(request: Request, uow: UnitOfWork, user: Principal, dossier_id: int,
                  error: AnsinhError | None = None) -> HTMLResponse:
    today = clock.today()
    try:
        dossier = views.get_dossier(uow=uow, principal=user, dossier_id=dossier_id, on=today)
    except NotFound as missing:
        return render_error(request, missing, value=str(dossier_id))
    actions = allowed_actions(dossier, user)
    procedure = default_catalogue().procedures[dossier.procedure_code]
    return render(request, "services/office_dossier.html", {
        "dossier": dossier, "actions": actions, "error": error, "user": user,
        "officers": assignable(uow, user, today) if "assign" in actions else [],
        "documents": procedure.documents, "fields": sorted(procedure.data_schema.properties),
        "supplement_rows": range(SUPPLEMENT_ROWS), "when": moment_of(request),
    }, status_code=error.status if error else 200)


def _act(request: Request, uow: UnitOfWork, user: Principal, dossier_id: str,
         step: Callable[[int, dt.datetime], object]) -> Response:
    """Take one step on a dossier, then show it again: redirected on success, with the error otherwise."""
    number = _dossier_id(dossier_id)
    try:
        step(number, clock.now())
    except ValidationError as invalid:
        return _dossier_page(request, uow, user, number, _form_error(invalid))
    except AnsinhError as error:
        return _dossier_page(request, uow, user, number, error)
    return redirect(request, str(request.app.url_path_for("office_dossier", dossier_id=str(number))))


# ----------------------------------------------------------------------------- the queue and a dossier

@router.get("/officer/dossiers", name="office_dossiers")
def office_dossiers(request: Request, uow: UowDep, user: Officer, status: str = "") -> HTMLResponse:
    """The office's dossiers: awaiting receipt, then those it holds, overdue first."""
    chosen = S(status) if status in set(S) else None
    rows = views.office_queue(uow=uow, principal=user, on=clock.today())
    shown = [r for r in rows if chosen is None or r.status == chosen]
    return render(request, "services/office_queue.html", {
        "user": user, "status": chosen, "statuses": list(S),
        "awaiting": [r for r in shown if r.status == S.SUBMITTED],
        "held": [r for r in shown if r.status != S.SUBMITTED], "total": len(rows)})


@router.get("/officer/dossiers/{dossier_id}", name="office_dossier")
def office_dossier(request: Request, uow: UowDep, user: Officer, dossier_id: str) -> HTMLResponse:
    """A dossier in full, its history and deadline, and the forms of the steps the officer may take."""
    return _dossier_page(request, uow, user, _dossier_id(dossier_id))


@router.post("/officer/dossiers/{dossier_id}/receive", name="office_receive")
def receive(request: Request, uow: UowDep, user: Officer, dossier_id: str) -> Response:
    """Receive a dossier handed in at this office: receipt code, due date, routing."""
    return _act(request, uow, user, dossier_id,
                lambda number, at: dossiers.receive(uow=uow, principal=user, dossier_id=number, at=at))


@router.post("/officer/dossiers/{dossier_id}/assign", name="office_assign")
def assign(request: Request, uow: UowDep, user: Officer, dossier_id: str, assignee: FormText = "") -> Response:
    """Give the dossier to an officer of the holding office (or hand it to another)."""
    return _act(request, uow, user, dossier_id, lambda number, at: dossiers.assign(
        uow=uow, principal=user, dossier_id=number, data=Assignment(assignee=assignee), at=at))


@router.post("/officer/dossiers/{dossier_id}/review", name="office_start_review")
def start_review(request: Request, uow: UowDep, user: Officer, dossier_id: str) -> Response:
    """The assigned officer opens the dossier for review."""
    return _act(request, uow, user, dossier_id,
                lambda number, at: dossiers.start_review(uow=uow, principal=user, dossier_id=number, at=at))


def supplement_items(document_codes: Sequence[str], fields: Sequence[str],
                     notes: Sequence[str]) -> list[SupplementItem]:
    """The filled rows of the supplement form (a row left wholly blank is no request)."""
    items = []
    for code, field, note in zip(document_codes, fields, notes, strict=False):
        if code.strip() or field.strip() or note.strip():
            items.append(SupplementItem(document_code=code.strip() or None, field=field.strip() or None, note=note))
    return items


@router.post("/officer/dossiers/{dossier_id}/supplement", name="office_request_supplement")
def request_supplement(request: Request, uow: UowDep, user: Officer, dossier_id: str, *,
                       document_code: FormRows = None, field: FormRows = None, note: FormRows = None) -> Response:
    """Return the dossier to its applicant for what the rows name; its clock stops."""
    return _act(request, uow, user, dossier_id, lambda number, at: dossiers.request_supplement(
        uow=uow, principal=user, dossier_id=number, at=at,
        data=SupplementRequest(items=supplement_items(document_code or [], field or [], note or []))))


@router.post("/officer/dossiers/{dossier_id}/decision", name="office_decide")
def decide(request: Request, uow: UowDep, user: Officer, dossier_id: str, *, decision: FormText = "",
           reasons: FormText = "") -> Response:
    """Approve (the procedure's verb runs) or refuse with reasons."""
    return _act(request, uow, user, dossier_id, lambda number, at: dossiers.decide(
        uow=uow, principal=user, dossier_id=number, at=at,
        data=Decision(approve=decision == "approve", reasons=reasons.strip() or None)))


@router.post("/officer/dossiers/{dossier_id}/delivery", name="office_deliver")
def deliver(request: Request, uow: UowDep, user: Officer, dossier_id: str, note: FormText = "") -> Response:
    """Record that the result reached the applicant."""
    return _act(request, uow, user, dossier_id, lambda number, at: dossiers.deliver(
        uow=uow, principal=user, dossier_id=number, at=at, data=Delivery(note=note.strip() or None)))


# ----------------------------------------------------------------------------- messages

@router.get("/officer/messages", name="office_messages")
def messages(request: Request, uow: UowDep, user: Officer, dossier: str = "") -> HTMLResponse:
    """The e-mails, SMS and portal callbacks written for applicants, newest first.

    They carry applicants' addresses, so an officer sees those of one dossier they may read;
    central staff may list them all.
    """
    chosen = None
    if dossier.strip():
        chosen = views.get_dossier(uow=uow, principal=user, dossier_id=_dossier_id(dossier.strip()),
                                   on=clock.today())
    listed = None
    if chosen is not None or user.national:
        listed = outbox.messages(uow=uow, dossier_id=chosen.id if chosen else None, limit=MESSAGES_LIMIT)
    return render(request, "services/messages.html",
                  {"user": user, "dossier": chosen, "messages": listed, "limit": MESSAGES_LIMIT,
                   "when": moment_of(request)})


# ----------------------------------------------------------------------------- the on-time report

CHART_LABEL = 90
"""Width of the office codes' column, in the SVG's user units."""
CHART_PLOT = 420
"""Width of a 100 % bar."""
CHART_ROW = 34
CHART_TOP = 24
"""Room above the first bar for the axis labels."""


@dataclass(frozen=True)
class Bar:
    """One office's bar of the chart, in the SVG's user units."""

    code: str
    name: str
    decided: int
    on_time: int
    rate: Decimal
    y: int
    width: float


@dataclass(frozen=True)
class Chart:
    """An SVG bar chart of on-time rates, drawn by the template from these numbers."""

    bars: list[Bar]
    label: int = CHART_LABEL
    plot: int = CHART_PLOT
    row: int = CHART_ROW
    top: int = CHART_TOP

    @property
    def width(self) -> int:
        return self.label + self.plot + 80

    @property
    def height(self) -> int:
        return self.top + len(self.bars) * self.row + 8


def rate_chart(offices: Sequence[report.OfficeTotal], locale: str) -> Chart:
    """The bars of the on-time rate of each office that decided something (none has no rate to draw)."""
    bars: list[Bar] = []
    for total in offices:
        if total.rate is None:
            continue
        code = total.office.code if total.office else "—"
        name = (total.office.name_en if locale == "en" else total.office.name) if total.office else ""
        bars.append(Bar(code, name, total.decided, total.on_time, total.rate, y=CHART_TOP + len(bars) * CHART_ROW,
                        width=round(float(total.rate) * CHART_PLOT, 1)))
    return Chart(bars)


@router.get("/manager/on-time", name="on_time_page")
def on_time_page(request: Request, uow: UowDep, user: Manager, start: str = "", end: str = "") -> HTMLResponse:
    """Dossiers decided on time and late in a period, by office and procedure, with a chart by office."""
    today = clock.today()
    context: dict[str, Any] = {"user": user, "start": start or today.replace(day=1).isoformat(),
                               "end": end or today.isoformat(), "report": None, "chart": None, "error": None,
                               "percent": percent_of(request), "days": days_of(request)}
    try:
        answer = report.on_time_report(uow=uow, start=form_date(start, default=today.replace(day=1), field="start"),
                                       end=form_date(end, default=today, field="end"), on=today,
                                       within=report.offices_seen(uow=uow, principal=user, on=today))
    except InvalidInput as error:
        return render(request, "services/report.html", {**context, "error": error}, status_code=error.status)
    context.update(report=answer, chart=rate_chart(answer.offices, locale_of(request)))
    return render(request, "services/report.html", context)
