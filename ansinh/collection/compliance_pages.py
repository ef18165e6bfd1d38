
"""Pages of arrears and compliance: the inspector's risk list and cases, the accountant's arrears.

- ``/inspector/risk``: employers ranked by score with their reasons and arrears, and a button
  that opens a case on one of them;
- ``/inspector/cases`` and ``/inspector/cases/{id}``: the cases; a case's findings form, its
  closing with the conclusion, and once closed the declaration it made and the extra dues;
- ``/accountant/arrears``: the ageing table, the interest runs with a form to run one, and the
  written reminders with a form to send them.

As thin as the API: each page reads the request, calls one verb of
:mod:`ansinh.collection` and renders. A form the verb refuses shows the page again with the
refusal and the error's status; one it accepts redirects (303), so a reload never posts twice.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import Permission
from ansinh.api.deps import UowDep
from ansinh.cli_support import parse_date
from ansinh.collection import arrears, inspections, interest, reminders, risk
from ansinh.collection.compliance_access import case_in_reach, check_employer, visible_employer_ids
from ansinh.collection.compliance_models import FindingKind
from ansinh.core import clock
from ansinh.core.errors import AnsinhError, InvalidInput, NotFound
from ansinh.db.uow import UnitOfWork
from ansinh.web.forms import form_date
from ansinh.web.render import redirect, render, render_error
from ansinh.web.session import page_user

router = APIRouter(include_in_schema=False)
Inspector = Annotated[Principal, Depends(page_user(Permission.INSPECTION_MANAGE))]
Accountant = Annotated[Principal, Depends(page_user(Permission.PAYMENT_RECONCILE))]
FormText = Annotated[str, Form(max_length=2000)]
PAGE_ROWS = 50
AGEING_ROWS = 200


def _case_id(value: str) -> int:
    """A case id from the path; anything not a number is a case that does not exist."""
    if not value.isdigit() or len(value) > 18:
        raise NotFound(f"no inspection case {value}", code="inspection.not_found", field="case_id")
    return int(value)


def _number(text: str, field: str) -> int:
    cleaned = text.replace(".", "").replace(",", "").replace(" ", "").strip()
    if not cleaned.isdigit() or len(cleaned) > 15:
        raise InvalidInput(f"{text!r} is not an amount of đồng", code="form.number", field=field,
                           rule="write the amount in whole đồng, digits only")
    return int(cleaned)


def _version(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


# ----------------------------------------------------------------------------- the risk list

def _risk_page(request: Request, uow: UnitOfWork, user: Principal, *, as_of: str = "", offset: int = 0,
               error: AnsinhError | None = None) -> HTMLResponse:
    day = form_date(as_of, default=clock.today(), field="as_of")
    ranked = risk.risk_list(uow=uow, as_of=day, limit=PAGE_ROWS, offset=max(offset, 0),
                            employer_ids=visible_employer_ids(uow=uow, principal=user, on=clock.today()))
    return render(request, "collection/compliance/risk.html", {
        "user": user, "ranked": ranked, "as_of": day, "error": error,
    }, status_code=error.status if error else 200)


@router.get("/inspector/risk", name="compliance_risk")
def risk_page(request: Request, uow: UowDep, user: Inspector, as_of: str = "", offset: int = 0) -> HTMLResponse:
    """Employers ranked by compliance risk, highest first, each with its reasons and a button to open a case."""
    return _risk_page(request, uow, user, as_of=as_of, offset=offset)


@router.post("/inspector/cases", name="compliance_open_case")
def open_case(request: Request, uow: UowDep, user: Inspector, employer_unit_code: FormText = "") -> Response:
    """Open a case on the employer chosen in the list; then show the case."""
    try:
        check_employer(uow=uow, principal=user, key=employer_unit_code.strip(), on=clock.today(),
                       field="employer_unit_code")
        case = inspections.open_case(uow=uow, employer_unit_code=employer_unit_code.strip(), on=clock.today(),
                                     actor=user.actor, at=clock.now())
    except AnsinhError as error:
        return _risk_page(request, uow, user, error=error)
    return redirect(request, str(request.app.url_path_for("compliance_case", case_id=str(case.id))))


# ----------------------------------------------------------------------------- cases

@router.get("/inspector/cases", name="compliance_cases")
def cases_page(request: Request, uow: UowDep, user: Inspector) -> HTMLResponse:
    """The inspection cases, open ones first."""
    return render(request, "collection/compliance/cases.html",
                  {"user": user, "cases": inspections.list_cases(
                      uow=uow, limit=inspections.LIST_LIMIT,
                      employer_ids=visible_employer_ids(uow=uow, principal=user, on=clock.today()))})


def _case_page(request: Request, uow: UnitOfWork, user: Principal, case_id: int,
               error: AnsinhError | None = None) -> HTMLResponse:
    try:
        case = case_in_reach(uow=uow, principal=user, case_id=case_id, on=clock.today())
    except NotFound as missing:
        return render_error(request, missing, value=str(case_id))
    return render(request, "collection/compliance/case.html", {
        "user": user, "case": case, "error": error, "kinds": list(FindingKind),
    }, status_code=error.status if error else 200)


@router.get("/inspector/cases/{case_id}", name="compliance_case")
def case_page(request: Request, uow: UowDep, user: Inspector, case_id: str) -> HTMLResponse:
    """A case: why it was opened, its findings, the forms to add one and to close it, or its outcome."""
    return _case_page(request, uow, user, _case_id(case_id))


@router.post("/inspector/cases/{case_id}/findings", name="compliance_add_finding")
def add_finding(request: Request, uow: UowDep, user: Inspector, case_id: str, *, kind: FormText = "",
                person_key: FormText = "", from_month: FormText = "", salary: FormText = "", note: FormText = "",
                version: FormText = "") -> Response:
    """Record a finding on the case, then show it again."""
    number = _case_id(case_id)
    try:
        case_in_reach(uow=uow, principal=user, case_id=number, on=clock.today())
        inspections.add_finding(uow=uow, case_id=number, kind=kind, person_key=person_key.strip(),
                                from_month=from_month.strip(), salary=_number(salary, "salary"), note=note,
                                on=clock.today(), actor=user.actor, at=clock.now(), version=_version(version))
    except AnsinhError as error:
        return _case_page(request, uow, user, number, error)
    return redirect(request, str(request.app.url_path_for("compliance_case", case_id=str(number))))


@router.post("/inspector/cases/{case_id}/close", name="compliance_close_case")
def close_case(request: Request, uow: UowDep, user: Inspector, case_id: str, *, conclusion: FormText = "",
               version: FormText = "") -> Response:
    """Close the case: its findings are declared for the employer; the page then shows the extra dues."""
    number = _case_id(case_id)
    try:
        case_in_reach(uow=uow, principal=user, case_id=number, on=clock.today())
        inspections.close_case(uow=uow, case_id=number, conclusion=conclusion, on=clock.today(), actor=user.actor,
                               at=clock.now(), version=_version(version))
    except AnsinhError as error:
        return _case_page(request, uow, user, number, error)
    return redirect(request, str(request.app.url_path_for("compliance_case", case_id=str(number))))


# ----------------------------------------------------------------------------- the accountant's arrears

def _arrears_page(request: Request, uow: UnitOfWork, user: Principal, *, as_of: str = "",
                  error: AnsinhError | None = None) -> HTMLResponse:
    day = form_date(as_of, default=clock.today(), field="as_of")
    return render(request, "collection/compliance/arrears.html", {
        "user": user, "as_of": day,
        "report": arrears.ageing(uow=uow, as_of=day, limit=AGEING_ROWS,
                                 employer_ids=visible_employer_ids(uow=uow, principal=user, on=clock.today())),
        "runs": interest.interest_runs(uow=uow), "reminders": reminders.recent_reminders(uow=uow),
        "error": error, "today": clock.today(),
    }, status_code=error.status if error else 200)


@router.get("/accountant/arrears", name="compliance_arrears")
def arrears_page(request: Request, uow: UowDep, user: Accountant, as_of: str = "") -> HTMLResponse:
    """The ageing of arrears, the interest runs and the reminders, with the forms to run them."""
    return _arrears_page(request, uow, user, as_of=as_of)


@router.post("/accountant/arrears/interest", name="compliance_run_interest")
def run_interest(request: Request, uow: UowDep, user: Accountant, through: FormText = "") -> Response:
    """Charge interest through the day given; the run then heads the list."""
    try:
        day = parse_date(through.strip() or None, field="through")
        if day is None:
            raise InvalidInput("the last day to charge is missing", code="date.format", field="through",
                               rule="dates are written YYYY-MM-DD")
        interest.charge_interest(uow=uow, through=day, actor=user.actor, at=clock.now())
    except AnsinhError as error:
        return _arrears_page(request, uow, user, error=error)
    return redirect(request, str(request.app.url_path_for("compliance_arrears")))


@router.post("/accountant/arrears/reminders", name="compliance_send_reminders")
def send_reminders(request: Request, uow: UowDep, user: Accountant, on: FormText = "") -> Response:
    """Send the written reminders due on the day given (default today)."""
    try:
        reminders.send_reminders(uow=uow, on=form_date(on, default=clock.today(), field="on"), actor=user.actor,
                                 at=clock.now())
    except AnsinhError as error:
        return _arrears_page(request, uow, user, error=error)
    return redirect(request, str(request.app.url_path_for("compliance_arrears")))
