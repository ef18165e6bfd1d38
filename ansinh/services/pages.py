"""The public-service pages of applicants and the public: the catalogue, applying for a
procedure, one's own dossiers, one dossier with its supplement form, and tracking.

As thin as ``api.py``: each page reads the request, calls the service verbs of
:mod:`ansinh.services.dossiers` and :mod:`ansinh.services.views`, and renders. The
application form is generated from the procedure's data schema, so a procedure added to
the catalogue gets its form without a template of its own. A refused form is shown again
with what was typed and the message next to the field the error names, with the error's
HTTP status. Files travel inline (base64) to the service, which checks them.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException

from ansinh.accounts.models import CredentialKind
from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import STAFF_ROLES, Permission, Role
from ansinh.accounts.service import authenticate
from ansinh.api.auth import cookie_scheme
from ansinh.api.deps import UowDep
from ansinh.core import clock
from ansinh.core.errors import AnsinhError, NotAuthenticated
from ansinh.core.settings import get_settings
from ansinh.db.uow import UnitOfWork
from ansinh.org.directory import OfficeInfo, offices_on
from ansinh.org.models import OfficeKind
from ansinh.registry.lookups import person_by_id
from ansinh.services import dossiers, intake, routing, uploads, views
from ansinh.services.catalogue import default_catalogue, get_procedure
from ansinh.services.dossier_schemas import MAX_DOCUMENTS, DossierPublic, DossierSubmit, SupplementAnswer
from ansinh.services.downloads import document_response
from ansinh.services.models import DossierStatus
from ansinh.services.schemas import Document, ProcedureFile, Status
from ansinh.web.render import redirect, render, render_error
from ansinh.web.session import page_user

router = APIRouter(include_in_schema=False)

ACCEPT = ",".join(ext for exts in uploads.EXTENSIONS.values() for ext in exts)
"""What a file input offers to choose: the extensions of the accepted types."""
SUBJECT = "citizen_id"
"""The data field naming the person a dossier is about: one input fills it and the dossier's citizen_id."""
TEXTAREA_FROM = 200
"""A text field allowing more characters than this is a text area."""
FORM = "form"
"""Where an error naming no field of the form is shown: above the form."""
TOP_FIELDS = frozenset({"contact_email", "contact_phone", "office_code", "applicant_name", "documents"})
FORM_OVERHEAD = 256 * 1024
"""Room for the text fields and the multipart framing of a form with files."""
SMALL_BODY = 4 * 1024
MAX_FIELDS = 100
Submitter = Annotated[Principal, Depends(page_user(Permission.DOSSIER_SUBMIT))]
Reader = Annotated[Principal, Depends(page_user())]


def note_visitor(request: Request, uow: UowDep, cookie: Annotated[str | None, Depends(cookie_scheme)]) -> None:
    """For public pages: note the signed-in user, if any, so the header names them; a stale session
    is just a visitor there, not a reason to send them to sign in."""
    if cookie:
        with suppress(NotAuthenticated):
            request.state.principal = authenticate(uow=uow, secret=cookie, now=clock.now(),
                                                   kinds=frozenset({CredentialKind.WEB_SESSION}))


PUBLIC = [Depends(note_visitor)]


def _refuse_large(request: Request, limit: int) -> None:
    """Refuse a body larger than ``limit`` before anything reads it (413), or one of unknown size (411)."""
    declared = request.headers.get("content-length")
    if declared is None:
        raise HTTPException(411)
    if not declared.isdigit() or int(declared) > limit:
        raise HTTPException(413)


def _files_limit() -> int:
    """A form with files carries at most one file per document of the procedure asking for most, at the largest size."""
    most = max(len(p.documents) for p in default_catalogue().procedures.values())
    return get_settings().upload_max_bytes * max(most, 1) + FORM_OVERHEAD


async def files_form(request: Request) -> AsyncIterator[FormData]:
    """The posted form with its files, bounded in size, read before the session's CSRF check reads it
    and closed (its spooled files removed) once the request is answered, refused or not."""
    _refuse_large(request, _files_limit())
    async with request.form(max_files=MAX_DOCUMENTS, max_fields=MAX_FIELDS) as form:
        yield form


async def small_form(request: Request) -> FormData:
    """A short form without files (tracking), bounded in size."""
    _refuse_large(request, SMALL_BODY)
    return await request.form(max_files=0, max_fields=MAX_FIELDS)


FilesForm = Annotated[FormData, Depends(files_form)]
SmallForm = Annotated[FormData, Depends(small_form)]


# ----------------------------------------------------------------------------- forms from schemas

@dataclass(frozen=True)
class FormField:
    """One input generated from a property of a procedure's data schema."""

    name: str
    control: str
    required: bool
    description: str | None
    options: tuple[str, ...] = ()
    attrs: Mapping[str, str] = field(default_factory=dict)


_ATTRS = {"pattern": "pattern", "minLength": "minlength", "maxLength": "maxlength", "minimum": "min", "maximum": "max"}


def _control(spec: Mapping[str, Any]) -> str:
    kinds = spec.get("type") or []
    kinds = {kinds} if isinstance(kinds, str) else set(kinds)
    if "enum" in spec:
        return "select"
    if "boolean" in kinds:
        return "checkbox"
    if kinds & {"integer", "number"}:
        return "number"
    return "textarea" if int(spec.get("maxLength") or 0) > TEXTAREA_FROM else "text"


def schema_fields(procedure: ProcedureFile) -> list[FormField]:
    """The inputs of a procedure's data, in the schema's order."""
    schema = procedure.data_schema
    found = []
    for name, spec in schema.properties.items():
        attrs = {html: str(spec[key]) for key, html in _ATTRS.items() if key in spec}
        control = _control(spec)
        if control == "number":
            attrs["step"] = "1" if spec.get("type") == "integer" else "any"
        found.append(FormField(name=name, control=control, required=name in schema.required,
                               description=spec.get("description"),
                               options=tuple(str(v) for v in spec.get("enum", ())), attrs=attrs))
    return found


def _typed(form_field: FormField, text: str) -> Any:
    """A posted value as the schema's type; text that is not a number stays text, for the schema to refuse."""
    if form_field.control == "checkbox":
        return text == "on"
    if form_field.control == "number":
        for kind in (int, float):
            try:
                return kind(text)
            except ValueError:
                continue
    return text


def data_of(fields: Sequence[FormField], values: Mapping[str, str], *, only_filled: bool = False) -> dict[str, Any]:
    """The procedure's data from the typed values; blank fields are left out for the schema to name."""
    data = {}
    for form_field in fields:
        text = values.get(f"data.{form_field.name}", "")
        if text or (form_field.control == "checkbox" and not only_filled):
            data[form_field.name] = _typed(form_field, text)
    return data


@dataclass
class FormError:
    """A message on the form: the input it belongs to (``key``), its code, the service's own words."""

    key: str
    code: str
    detail: str = ""

    @property
    def anchor(self) -> str:
        return self.key.replace(".", "-")


def error_key(name: str | None, codes: Sequence[str]) -> str:
    """The input an error's field names: ``documents.1.media_type`` is the second file sent."""
    parts = (name or "").split(".")
    if parts[0] == "documents" and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(codes):
        return f"doc.{codes[int(parts[1])]}"
    if name in {"data.citizen_id", SUBJECT}:
        return SUBJECT
    if parts[0] == "data" and len(parts) > 1:
        return f"data.{parts[1]}"
    return name if name in TOP_FIELDS else FORM


def validation_errors(error: ValidationError, codes: Sequence[str]) -> list[FormError]:
    """Pydantic's refusals of the built input, on the inputs they name."""
    found = []
    for item in error.errors(include_url=False):
        location = ".".join(str(part) for part in item["loc"])
        key = error_key(location, codes)
        code = "missing" if item["type"] == "missing" else {
            "contact_email": "email", "contact_phone": "phone"}.get(location, "invalid")
        if location.endswith("content_base64"):
            code = "upload.empty"
        found.append(FormError(key, code, str(item["msg"]).removeprefix("Value error, ")))
    return found


def service_errors(error: AnsinhError, procedure: ProcedureFile, codes: Sequence[str]) -> list[FormError]:
    """A service's refusal on the input it names; missing documents each on their own input too."""
    found = [FormError(error_key(error.field, codes), error.code, error.message)]
    if error.code == "dossier.documents_missing":
        found += [FormError(f"doc.{d.code}", "missing_document")
                  for d in uploads.required_documents_missing(procedure, codes)]
    return found


async def read_files(form: FormData, wanted: Sequence[str]) -> tuple[list[dict[str, str]], list[str]]:
    """The files chosen for the documents ``wanted``, as the service's uploads, and their codes in order."""
    files, codes = [], []
    for code in wanted:
        for item in form.getlist(f"doc.{code}"):
            if not isinstance(item, UploadFile) or not item.filename:
                continue  # an input left empty
            content = await item.read(get_settings().upload_max_bytes + 1)
            media_type = item.content_type or ""
            if media_type in {"", "application/octet-stream"}:  # the browser did not know: go by the name
                media_type = next((t for t, exts in uploads.EXTENSIONS.items()
                                   if item.filename.lower().endswith(exts)), media_type or "application/octet-stream")
            files.append({"document_code": code, "filename": item.filename, "media_type": media_type,
                          "content_base64": base64.b64encode(content).decode("ascii")})
            codes.append(code)
    return files, codes


def texts(form: FormData) -> dict[str, str]:
    """The form's text values, stripped, to show back as typed."""
    return {name: value.strip() for name, value in form.multi_items() if isinstance(value, str)}


# ----------------------------------------------------------------------------- catalogue

@router.get("/procedures", name="procedures", dependencies=PUBLIC)
def procedures_page(request: Request) -> HTMLResponse:
    """The catalogue: every procedure, whether ansinh does it yet, and its deadline."""
    return render(request, "services/procedures.html", {
        "procedures": list(default_catalogue().procedures.values()), "procedure": None})


@router.get("/procedures/{code}", name="procedure_page", dependencies=PUBLIC)
def procedure_page(request: Request, code: str) -> HTMLResponse:
    """One procedure: the documents asked for, those not asked for (and why), and how to apply."""
    try:
        public = get_procedure(code)
    except AnsinhError as error:
        return render_error(request, error, value=code)
    file = default_catalogue().procedures[code]
    takes_dossiers = file.deadline_working_days is not None and public.availability.status == Status.AVAILABLE
    return render(request, "services/procedures.html", {
        "procedure": public, "fields": schema_fields(file), "takes_dossiers": takes_dossiers, "procedures": []})


# ----------------------------------------------------------------------------- applying

@dataclass
class Applying:
    """What the application page shows: the procedure's inputs, the values typed, the errors."""

    procedure: ProcedureFile
    values: dict[str, str]
    own_citizen_id: str | None = None
    offices: list[OfficeInfo] = field(default_factory=list)
    errors: list[FormError] = field(default_factory=list)

    @property
    def by_key(self) -> dict[str, FormError]:
        return {error.key: error for error in reversed(self.errors)}


def _applying(uow: UnitOfWork, user: Principal, code: str, values: dict[str, str]) -> Applying:
    """The application page's facts: the procedure (or why it takes no dossier), the citizen, the offices."""
    procedure = intake.dossier_procedure(code)
    intake.check_applicant(procedure, user.role)
    today = clock.today()
    page = Applying(procedure, values)
    if user.role == Role.CITIZEN and user.person_id is not None:
        with uow:
            person = person_by_id(uow.session, user.person_id)
            page.own_citizen_id, commune_id = person.citizen_id, person.residence_commune_id
        values[SUBJECT] = page.own_citizen_id
        if "office_code" not in values and commune_id is not None:
            office = routing.responsible_for_commune(uow=uow, commune_id=commune_id, on=today)
            values["office_code"] = office.code if office else ""
    if procedure.any_office and user.role not in STAFF_ROLES:
        page.offices = offices_on(uow=uow, on=today, kind=OfficeKind.PROVINCIAL)
    return page


def _apply_page(request: Request, page: Applying, user: Principal, status: int = 200) -> HTMLResponse:
    return render(request, "services/apply.html", {
        "page": page, "procedure": page.procedure, "fields": schema_fields(page.procedure), "values": page.values,
        "by_key": page.by_key, "staff": user.role in STAFF_ROLES, "accept": ACCEPT, "subject": SUBJECT,
    }, status_code=status)


@router.get("/dossiers/new", name="dossier_new", response_model=None)
def dossier_form(request: Request, uow: UowDep, user: Submitter, procedure: str = "") -> Response:
    """The application form of ``procedure``, generated from its data schema."""
    if not procedure:
        return redirect(request, str(request.app.url_path_for("procedures")))
    try:
        page = _applying(uow, user, procedure.strip(), {})
    except AnsinhError as error:
        return render_error(request, error, value=procedure)
    return _apply_page(request, page, user)


def _submission(page: Applying, values: dict[str, str], files: list[dict[str, str]], staff: bool) -> DossierSubmit:
    fields = schema_fields(page.procedure)
    subject = page.own_citizen_id or values.get(SUBJECT, "")
    data = data_of(fields, values)
    if any(f.name == SUBJECT for f in fields):
        data[SUBJECT] = subject
    return DossierSubmit.model_validate({
        "procedure_code": page.procedure.code, "citizen_id": subject, "data": data, "documents": files,
        "office_code": (values.get("office_code") or None) if page.offices else None,
        "contact_email": values.get("contact_email") or None, "contact_phone": values.get("contact_phone") or None,
        "applicant_name": (values.get("applicant_name") or None) if staff else None})


@router.post("/dossiers/new", name="dossier_new_post", response_model=None)
async def dossier_submit(request: Request, form: FilesForm, uow: UowDep, user: Submitter,
                         procedure: str = "") -> Response:
    """File the posted application; the dossier page on success, else the form with its errors."""
    values = texts(form)
    try:
        page = await run_in_threadpool(_applying, uow, user, procedure.strip(), values)
    except AnsinhError as error:
        return render_error(request, error, value=procedure)
    files, codes = await read_files(form, [d.code for d in page.procedure.documents])
    staff = user.role in STAFF_ROLES
    try:
        data = _submission(page, values, files, staff)
        handled = await run_in_threadpool(lambda: dossiers.submit(uow=uow, principal=user, data=data,
                                                                  at=clock.now()))
    except ValidationError as error:
        page.errors = validation_errors(error, codes)
        return _apply_page(request, page, user, 422)
    except AnsinhError as error:
        page.errors = service_errors(error, page.procedure, codes)
        return _apply_page(request, page, user, error.status)
    return redirect(request, str(request.app.url_path_for("dossier_page", dossier_id=handled.id)))


# ----------------------------------------------------------------------------- one's dossiers

@router.get("/dossiers/mine", name="my_dossiers")
def my_dossiers(request: Request, uow: UowDep, user: Submitter) -> HTMLResponse:
    """The dossiers the user filed or that are about them, newest first."""
    rows = views.own_dossiers(uow=uow, principal=user, on=clock.today())
    return render(request, "services/my_dossiers.html", {"rows": rows, "local_day": dossiers.office_day})


def asked_for(dossier: DossierPublic, procedure: ProcedureFile) -> tuple[list[Document], list[FormField]]:
    """The documents and the data fields a supplement request names, each once, in the procedure's order."""
    items = dossier.supplement_request or []
    codes = {i.document_code for i in items if i.document_code}
    names = {i.field for i in items if i.field}
    return ([d for d in procedure.documents if d.code in codes],
            [f for f in schema_fields(procedure) if f.name in names])


def _dossier_page(request: Request, uow: UnitOfWork, user: Principal, dossier_id: int, *,
                  errors: Sequence[FormError] = (), values: Mapping[str, str] | None = None,
                  status: int = 200) -> HTMLResponse:
    try:
        dossier = views.get_dossier(uow=uow, principal=user, dossier_id=dossier_id, on=clock.today())
    except AnsinhError as error:
        return render_error(request, error)
    procedure = default_catalogue().procedures[dossier.procedure_code]
    asked_documents, asked_fields = asked_for(dossier, procedure)
    if values is None:
        values = {f"data.{name}": str(value) for name, value in dossier.data.items()}
    return render(request, "services/dossier.html", {
        "dossier": dossier, "documents": {d.code: d for d in procedure.documents}, "local_day": dossiers.office_day,
        "answering": dossier.status == DossierStatus.AWAITING_SUPPLEMENT and user.role not in STAFF_ROLES,
        "asked_documents": asked_documents, "asked_fields": asked_fields, "values": values, "accept": ACCEPT,
        "by_key": {e.key: e for e in reversed(errors)}, "errors": errors,
    }, status_code=status)


@router.get("/dossiers/{dossier_id}", name="dossier_page")
def dossier_page(request: Request, dossier_id: int, uow: UowDep, user: Reader) -> HTMLResponse:
    """A dossier as its applicant (or the staff handling it) sees it; unknown to anyone else."""
    return _dossier_page(request, uow, user, dossier_id)


@router.post("/dossiers/{dossier_id}/supplement", name="dossier_supplement", response_model=None)
async def dossier_supplement(request: Request, dossier_id: int, form: FilesForm, uow: UowDep,
                             user: Reader) -> Response:
    """Hand in what the office asked for; the clock runs again and the dossier page shows it."""
    values = texts(form)
    try:
        dossier = await run_in_threadpool(lambda: views.get_dossier(uow=uow, principal=user, dossier_id=dossier_id,
                                                                    on=clock.today()))
    except AnsinhError as error:
        return render_error(request, error)
    procedure = default_catalogue().procedures[dossier.procedure_code]
    documents, fields = asked_for(dossier, procedure)
    files, codes = await read_files(form, [d.code for d in documents])
    try:
        answer = SupplementAnswer.model_validate({"documents": files, "note": values.get("note") or None,
                                                  "data": data_of(fields, values, only_filled=True)})
        await run_in_threadpool(lambda: dossiers.answer_supplement(uow=uow, principal=user, dossier_id=dossier_id,
                                                                   data=answer, at=clock.now()))
    except ValidationError as error:
        found = validation_errors(error, codes)
        for item in found:
            item.code = "supplement.empty" if item.key == FORM else item.code
        return await run_in_threadpool(_dossier_page, request, uow, user, dossier_id, errors=found, values=values,
                                       status=422)
    except AnsinhError as error:
        return await run_in_threadpool(_dossier_page, request, uow, user, dossier_id, values=values,
                                       errors=service_errors(error, procedure, codes), status=error.status)
    return redirect(request, str(request.app.url_path_for("dossier_page", dossier_id=dossier_id)))


@router.get("/dossiers/{dossier_id}/documents/{document_id}", name="dossier_document")
def dossier_document(request: Request, dossier_id: int, document_id: int, uow: UowDep, user: Reader) -> Response:
    """A file of a dossier, always as a download: never shown inside the site's own pages."""
    try:
        meta, content = views.document(uow=uow, principal=user, dossier_id=dossier_id, document_id=document_id)
    except AnsinhError as error:
        return render_error(request, error)
    return document_response(meta, content)


# ----------------------------------------------------------------------------- tracking

@router.get("/track", name="track", dependencies=PUBLIC)
def track_form(request: Request) -> HTMLResponse:
    """The tracking form: a receipt code and the citizen ID the dossier was filed for."""
    return render(request, "services/track.html", {"values": {}, "found": None, "missing": False, "error": None})


@router.post("/track", name="track_post", dependencies=PUBLIC)
async def track(request: Request, form: SmallForm, uow: UowDep) -> HTMLResponse:
    """Where a dossier is; a wrong pair answers exactly as an unknown receipt code (404).

    Posted rather than put in the address, so the citizen ID stays out of browser history and logs.
    """
    values = texts(form)
    receipt, citizen_id = values.get("receipt", "")[:40], values.get("citizen_id", "")[:40]
    if not receipt or not citizen_id:
        return render(request, "services/track.html", {"values": values, "found": None, "missing": True,
                                                       "error": None}, status_code=422)
    try:
        found = await run_in_threadpool(lambda: views.track(uow=uow, receipt_code=receipt, citizen_id=citizen_id,
                                                            on=clock.today()))
    except AnsinhError as error:
        return render(request, "services/track.html", {"values": values, "found": None, "missing": False,
                                                       "error": error}, status_code=error.status)
    return render(request, "services/track.html", {"values": values, "found": found, "missing": False,
                                                   "error": None})
