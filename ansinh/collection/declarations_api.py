"""HTTP routes of employers' declarations: hand in lines or a file, list, read, download the rejections.

Each route checks who may declare for the employer in the path
(:mod:`ansinh.collection.declaration_access`) and makes one service call. A new declaration
answers 201, a key handed in again 200 with the first result (``replayed``). Lines that do
not read are rejected lines inside the result, not a 422: only a request without lines or
with more than 10,000, a bad key, or a file that cannot be trusted is refused whole.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Header, Path, Query, Response, UploadFile, status

from ansinh.accounts.principal import Principal
from ansinh.api.auth import CurrentPrincipal
from ansinh.api.deps import AsOf, UowDep
from ansinh.collection.declaration_access import check_declarer, require_declarer
from ansinh.collection.declaration_files import MAX_FILE_BYTES, read_declaration_file
from ansinh.collection.declaration_models import DeclarationSource
from ansinh.collection.declaration_schemas import MAX_KEY_LENGTH, DeclarationIn, DeclarationResult
from ansinh.collection.declarations import declare, get_declaration, list_declarations, rejection_report_csv
from ansinh.core import clock
from ansinh.core.errors import InvalidInput, NotFound
from ansinh.registry.lookups import employer_by_id
from ansinh.services.downloads import attachment

router = APIRouter(prefix="/employers/{unit_code}/declarations", tags=["declarations"])

UnitCode = Annotated[str, Path(min_length=1, max_length=14, description="The employer's unit code or tax code.")]
DeclarationId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Id of a declaration.")]


def _declarer(principal: CurrentPrincipal) -> Principal:
    return require_declarer(principal)


Declarer = Annotated[Principal, Depends(_declarer)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=MAX_KEY_LENGTH,
                                              description="The declaration's key (or `key` in the body).")]


def _key(header: str | None, body: str | None) -> str:
    if header and body and header != body:
        raise InvalidInput("the Idempotency-Key header and the body's key differ", code="declaration.key",
                           field="key", rule="a declaration has one key")
    key = header or body
    if not key:
        raise InvalidInput("the declaration has no key", code="declaration.key", field="key",
                           rule="give the Idempotency-Key header or the body's key, so a retry is not a second "
                           "declaration")
    return key


def _answer(result: DeclarationResult, response: Response) -> DeclarationResult:
    response.status_code = status.HTTP_200_OK if result.replayed else status.HTTP_201_CREATED
    return result


@router.post("", status_code=status.HTTP_201_CREATED,
             responses={200: {"description": "The key was handed in before: the first result."}})
def declare_lines(*, unit_code: UnitCode, data: DeclarationIn, response: Response, uow: UowDep, as_of: AsOf,
                  principal: Declarer, idempotency_key: IdempotencyKey = None) -> DeclarationResult:
    """Hand in change lines for the employer's workers; each is accepted or rejected with its reason."""
    check_declarer(uow=uow, principal=principal, unit_code=unit_code, on=clock.today())
    result = declare(uow=uow, employer_unit_code=unit_code, key=_key(idempotency_key, data.key), lines=data.lines,
                     source=DeclarationSource.API, as_of=as_of, actor=principal.actor, at=clock.now(),
                     all_or_nothing=data.all_or_nothing)
    return _answer(result, response)


def read_upload(upload: UploadFile) -> bytes:
    """The uploaded bytes, refused past the size limit without reading further."""
    data = upload.file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput("the file is larger than 5 MB", code="declaration.file", field="file",
                           rule="a declaration file is at most 5 MB")
    return data


@router.post("/file", status_code=status.HTTP_201_CREATED,
             responses={200: {"description": "The same file was handed in before: the first result."}})
def declare_file(*, unit_code: UnitCode, response: Response, uow: UowDep, as_of: AsOf, principal: Declarer,
                 file: Annotated[UploadFile, File(description="CSV (UTF-8) or .xlsx in the documented layout.")],
                 all_or_nothing: Annotated[bool, Form()] = False) -> DeclarationResult:
    """Hand in a CSV or .xlsx list of changes; its key is ``file:<sha256>``, so uploading it again is a no-op."""
    check_declarer(uow=uow, principal=principal, unit_code=unit_code, on=clock.today())
    read = read_declaration_file(read_upload(file))
    result = declare(uow=uow, employer_unit_code=unit_code, key=read.key, lines=read.lines,
                     source=DeclarationSource.FILE, as_of=as_of, actor=principal.actor, at=clock.now(),
                     all_or_nothing=all_or_nothing, filename=file.filename)
    return _answer(result, response)


@router.get("")
def list_employer_declarations(unit_code: UnitCode, uow: UowDep, principal: Declarer,
                               limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[DeclarationResult]:
    """The employer's declarations, newest first, with their counts (lines in each declaration's own route)."""
    check_declarer(uow=uow, principal=principal, unit_code=unit_code, on=clock.today())
    return list_declarations(uow=uow, employer_unit_code=unit_code, limit=limit)


def declaration_of(*, uow: UowDep, principal: Principal, unit_code: str, declaration_id: int) -> DeclarationResult:
    """The declaration if it is this employer's and the caller may declare for it; else ``declaration.not_found``."""
    employer_id = check_declarer(uow=uow, principal=principal, unit_code=unit_code, on=clock.today())
    result = get_declaration(uow=uow, declaration_id=declaration_id)
    with uow:
        if employer_by_id(uow.session, employer_id).unit_code != result.employer_unit_code:
            raise NotFound(f"no declaration {declaration_id}", code="declaration.not_found", field="declaration_id")
    return result


@router.get("/{declaration_id}")
def get_employer_declaration(unit_code: UnitCode, declaration_id: DeclarationId, uow: UowDep,
                             principal: Declarer) -> DeclarationResult:
    """One declaration: each line accepted or rejected with its reason, and the months re-assessed."""
    return declaration_of(uow=uow, principal=principal, unit_code=unit_code, declaration_id=declaration_id)


def report_response(result: DeclarationResult) -> Response:
    """The rejection report as a CSV download."""
    return Response(content=rejection_report_csv(result), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": attachment(f"declaration-{result.id}-rejections.csv"),
        "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"})


@router.get("/{declaration_id}/rejections.csv", response_class=Response,
            responses={200: {"description": "The rejected lines, as CSV.", "content": {"text/csv": {}}}})
def download_rejections(unit_code: UnitCode, declaration_id: DeclarationId, uow: UowDep,
                        principal: Declarer) -> Response:
    """The rejected lines with their code, field and reason, as CSV (UTF-8 with BOM, opens in Excel)."""
    return report_response(declaration_of(uow=uow, principal=principal, unit_code=unit_code,
                                          declaration_id=declaration_id))
