"""The employer's declaration pages: past declarations, one line typed in, a file uploaded, each line's fate.

As thin as the API: each page checks who may declare for which employer
(:mod:`ansinh.collection.declaration_access`), calls one service function and renders. An
employer's account declares for its own unit; staff who record participation name the
employer (``?employer=UNIT``) and declare on its behalf. A declaration handed in redirects
(303) to its page, so a reload never posts twice; the one-line form carries a key made when
the form was shown, so a form sent twice is one declaration. A refused form (a file that
cannot be trusted) shows the list page again with the reason and the error's HTTP status.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from functools import partial
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException

from ansinh.accounts.jurisdiction import employer_unit_code
from ansinh.accounts.principal import Principal
from ansinh.api.deps import UowDep
from ansinh.collection.declaration_access import check_declarer, require_declarer
from ansinh.collection.declaration_files import MAX_FILE_BYTES, read_declaration_file, template_csv
from ansinh.collection.declaration_lines import KINDS, REASONS
from ansinh.collection.declaration_models import DeclarationSource
from ansinh.collection.declaration_schemas import DeclarationLineIn, DeclarationResult
from ansinh.collection.declarations import declare, get_declaration, list_declarations
from ansinh.collection.declarations_api import report_response
from ansinh.core import clock
from ansinh.core.errors import AnsinhError, InvalidInput, NotFound
from ansinh.db.uow import UnitOfWork
from ansinh.services.downloads import attachment
from ansinh.web.render import redirect, render
from ansinh.web.session import page_user

router = APIRouter(include_in_schema=False)

FORM_OVERHEAD = 64 * 1024
"""Room for the text fields and the multipart framing around the file."""
MAX_FIELDS = 20
OPTIONAL_FIELDS = ("full_name", "to_month", "salary", "hi_group_code", "reason")
LINE_FIELDS = ("kind", "person_key", "from_month", *OPTIONAL_FIELDS)


def _declarer(user: Annotated[Principal, Depends(page_user())]) -> Principal:
    return require_declarer(user)


Declarer = Annotated[Principal, Depends(_declarer)]


def _refuse_large(request: Request, limit: int) -> None:
    """Refuse a body larger than ``limit`` before anything reads it (413), or one of unknown size (411)."""
    declared = request.headers.get("content-length")
    if declared is None:
        raise HTTPException(411)
    if not declared.isdigit() or int(declared) > limit:
        raise HTTPException(413)


async def upload_form(request: Request) -> AsyncIterator[FormData]:
    """The posted form (one file at most), bounded in size, read before the CSRF check reads it, closed after."""
    _refuse_large(request, MAX_FILE_BYTES + FORM_OVERHEAD)
    async with request.form(max_files=1, max_fields=MAX_FIELDS) as form:
        yield form


UploadForm = Annotated[FormData, Depends(upload_form)]


def _unit(uow: UnitOfWork, user: Principal, asked: str | None) -> str | None:
    """The employer the page is for: an employer's own unit, or the one staff asked for (checked)."""
    own = employer_unit_code(uow=uow, principal=user)
    unit = own or (asked or "").strip() or None
    if unit is not None:
        check_declarer(uow=uow, principal=user, unit_code=unit, on=clock.today())
    return unit


def _with_employer(path: str, user: Principal, unit: str) -> str:
    """A page path, naming the employer for staff (an employer's pages always mean its own unit)."""
    return path if user.employer_id is not None else f"{path}?{urlencode({'employer': unit})}"


def _text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value.strip() or None if isinstance(value, str) else None


def _list_page(request: Request, uow: UnitOfWork, user: Principal, unit: str | None, *,
               error: AnsinhError | None = None, values: dict[str, str] | None = None) -> HTMLResponse:
    rows = list_declarations(uow=uow, employer_unit_code=unit) if unit else []
    return render(request, "collection/declarations/list.html", {
        "unit": unit, "rows": rows, "staff": user.employer_id is None, "error": error, "values": values or {},
        "kinds": KINDS, "reasons": REASONS, "form_key": secrets.token_urlsafe(18), "max_mb": MAX_FILE_BYTES // 2**20,
        "with_employer": lambda path: _with_employer(path, user, unit or ""),
    }, status_code=error.status if error else 200)


@router.get("/employer/declarations", name="employer_declarations")
def declarations_page(request: Request, uow: UowDep, user: Declarer, employer: str | None = None) -> HTMLResponse:
    """The employer's past declarations and the forms to declare one line or a file."""
    return _list_page(request, uow, user, _unit(uow, user, employer))


@router.get("/employer/declarations/template.csv", name="declaration_template", dependencies=[Depends(_declarer)])
def template_download() -> Response:
    """The file layout to fill in, with its headers and one example row."""
    return Response(content=template_csv(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": attachment("mau-khai-bao.csv"),
                             "X-Content-Type-Options": "nosniff"})


def _done(request: Request, user: Principal, unit: str, result: DeclarationResult) -> Response:
    path = str(request.app.url_path_for("employer_declaration", declaration_id=str(result.id)))
    return redirect(request, _with_employer(path, user, unit))


@router.post("/employer/declarations/line", name="employer_declare_line", response_model=None)
async def declare_line(request: Request, form: UploadForm, uow: UowDep, user: Declarer) -> Response:
    """Declare the one line typed in the form."""
    values = {name: _text(form, name) or "" for name in (*LINE_FIELDS, "employer", "form_key")}
    unit = await run_in_threadpool(_unit, uow, user, values["employer"])
    try:
        if unit is None:
            raise InvalidInput("name the employer", code="declaration.employer", field="employer",
                               rule="a declaration is an employer's")
        line = DeclarationLineIn(kind=values["kind"], person_key=values["person_key"], from_month=values["from_month"],
                                 **{name: values[name] or None for name in OPTIONAL_FIELDS})
        key = f"page:{values['form_key'] or secrets.token_urlsafe(18)}"
        result = await run_in_threadpool(lambda: declare(
            uow=uow, employer_unit_code=unit, key=key, lines=[line], source=DeclarationSource.PAGE,
            as_of=clock.today(), actor=user.actor, at=clock.now()))
    except AnsinhError as error:
        return await run_in_threadpool(partial(_list_page, request, uow, user, unit, error=error, values=values))
    return _done(request, user, unit, result)


@router.post("/employer/declarations/file", name="employer_declare_file", response_model=None)
async def declare_upload(request: Request, form: UploadForm, uow: UowDep, user: Declarer) -> Response:
    """Declare the uploaded CSV or .xlsx file (all or nothing when the box is ticked)."""
    unit = await run_in_threadpool(_unit, uow, user, _text(form, "employer"))
    upload = form.get("file")
    try:
        if unit is None:
            raise InvalidInput("name the employer", code="declaration.employer", field="employer",
                               rule="a declaration is an employer's")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InvalidInput("choose a file to upload", code="declaration.file", field="file",
                               rule="a CSV or .xlsx list in the documented layout")
        data = await upload.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise InvalidInput("the file is larger than 5 MB", code="declaration.file", field="file",
                               rule="a declaration file is at most 5 MB")
        filename = upload.filename
        all_or_nothing = _text(form, "all_or_nothing") is not None

        def work() -> DeclarationResult:
            read = read_declaration_file(data)
            return declare(uow=uow, employer_unit_code=unit, key=read.key, lines=read.lines,
                           source=DeclarationSource.PAGE, as_of=clock.today(), actor=user.actor, at=clock.now(),
                           all_or_nothing=all_or_nothing, filename=filename)

        result = await run_in_threadpool(work)
    except AnsinhError as error:
        return await run_in_threadpool(partial(_list_page, request, uow, user, unit, error=error))
    return _done(request, user, unit, result)


def _declaration(uow: UnitOfWork, user: Principal, declaration_id: str, employer: str | None) -> DeclarationResult:
    """The declaration if it is of the employer the user may declare for; else ``declaration.not_found``."""
    missing = NotFound(f"no declaration {declaration_id}", code="declaration.not_found", field="declaration_id")
    if not declaration_id.isdigit() or len(declaration_id) > 9:
        raise missing
    unit = _unit(uow, user, employer)
    result = get_declaration(uow=uow, declaration_id=int(declaration_id))
    if unit is None or result.employer_unit_code != unit:
        raise missing
    return result


@router.get("/employer/declarations/{declaration_id}", name="employer_declaration")
def declaration_page(request: Request, declaration_id: str, uow: UowDep, user: Declarer,
                     employer: str | None = None) -> HTMLResponse:
    """One declaration: each line accepted or rejected with its reason, the months re-assessed."""
    result = _declaration(uow, user, declaration_id, employer)
    report = str(request.app.url_path_for("employer_declaration_rejections", declaration_id=declaration_id))
    back = str(request.app.url_path_for("employer_declarations"))
    return render(request, "collection/declarations/declaration.html", {
        "d": result, "report_url": _with_employer(report, user, result.employer_unit_code),
        "back_url": _with_employer(back, user, result.employer_unit_code)})


@router.get("/employer/declarations/{declaration_id}/rejections.csv", name="employer_declaration_rejections")
def rejections_download(declaration_id: str, uow: UowDep, user: Declarer, employer: str | None = None) -> Response:
    """The rejected lines as CSV."""
    return report_response(_declaration(uow, user, declaration_id, employer))
