"""Checking a document file handed in with a dossier, before anything is stored.

A file is accepted when the procedure asks for that document, it is not empty or too
large, and it really is a PDF, JPEG or PNG: the type the browser claims, the type the
content starts with and the file name's extension must agree. A PDF must be complete (end
with ``%%EOF``) and carry no script or launch action. A document the agency already holds
is refused with the rule that forbids asking for it. Every refusal is an
:class:`~ansinh.core.errors.InvalidInput` naming the field and the rule, with a stable code.

The PDF check reads the file as bytes: it catches the actions a PDF names openly (also
when hex-escaped, ``/J#61vaScript``), not those hidden in compressed object streams. It is
a screen, not a sanitiser; stored files are served back only as downloads.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import filetype

from ansinh.core.errors import InvalidInput
from ansinh.services.schemas import Document, HeldDocument, ProcedureFile

ACCEPTED_TYPES = ("application/pdf", "image/jpeg", "image/png")
"""The media types a document may have."""

EXTENSIONS = {"application/pdf": (".pdf",), "image/jpeg": (".jpg", ".jpeg"), "image/png": (".png",)}
TYPE_NAMES = {"application/pdf": "a PDF", "image/jpeg": "a JPEG image", "image/png": "a PNG image"}
FILENAME_MAX = 200
PDF_TAIL = 1024
HOSTILE_PDF_NAMES = ("JavaScript", "Launch")


def _name_pattern(name: str) -> bytes:
    """A PDF name as written, each character either itself or its ``#xx`` escape."""
    spelled = b"".join(
        b"(?:" + re.escape(ch.encode()) + b"|#" + f"{ord(ch):02x}".encode() + b")" for ch in name)
    return b"/(" + spelled + rb")(?=[\s/<>\[\]()%{}]|$)"


_HOSTILE_NAME = re.compile(b"|".join(_name_pattern(name) for name in HOSTILE_PDF_NAMES), re.IGNORECASE)
"""Case-insensitive for the hex digits; a name is compared exactly after the match (names are case-sensitive)."""
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
ACCEPTED_RULE = "a document is a PDF, JPEG or PNG file whose name, declared type and content agree"


@dataclass(frozen=True)
class CheckedUpload:
    """A file that passed every check, with what is stored beside its content."""

    document_code: str
    filename: str
    media_type: str
    size: int
    sha256: str


def sanitise_filename(filename: str) -> str:
    """The name alone: no folders, no control or invisible format characters, at most 200 characters.

    Format characters go too, since a right-to-left override can show ``invoice<U+202E>fdp.exe``
    as ``invoiceexe.pdf``. A long name keeps its extension.
    """
    name = unicodedata.normalize("NFC", filename).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf"}).strip().lstrip(".")
    if len(name) <= FILENAME_MAX:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 10:
        return name[:FILENAME_MAX]
    return f"{stem[: FILENAME_MAX - len(extension) - 1]}.{extension}"


def _check_document(procedure: ProcedureFile, held: Mapping[str, HeldDocument], document_code: str) -> None:
    if any(document.code == document_code for document in procedure.documents):
        return
    if document_code in held:
        document = held[document_code]
        raise InvalidInput(
            f"{document.name_en} is held by {document.held_by.value}: the agency holds it, it must not be asked for",
            code="upload.held_document", field="document_code", rule=document.basis)
    asked = ", ".join(document.code for document in procedure.documents) or "none"
    raise InvalidInput(f"procedure {procedure.code} asks for no document {document_code!r}",
                       code="upload.unknown_document", field="document_code",
                       rule=f"procedure {procedure.code} asks for these documents: {asked}")


def _check_size(content: bytes, max_bytes: int) -> None:
    if not content:
        raise InvalidInput("the file is empty", code="upload.empty", field="content",
                           rule="a document file has content")
    if len(content) > max_bytes:
        limit = f"{max_bytes / (1024 * 1024):g} MB"
        raise InvalidInput(f"the file is {len(content)} bytes, more than {limit}", code="upload.too_large",
                           field="content", rule=f"a document file is at most {limit}")


def _mismatch(message: str, field: str) -> InvalidInput:
    return InvalidInput(message, code="upload.type_mismatch", field=field, rule=ACCEPTED_RULE)


def _check_type(claimed: str, filename: str, content: bytes) -> None:
    if claimed not in ACCEPTED_TYPES:
        raise InvalidInput(f"files of type {claimed!r} are not accepted", code="upload.type_not_accepted",
                           field="media_type", rule=f"accepted types: {', '.join(ACCEPTED_TYPES)}")
    kind = filetype.guess(content)
    sniffed = kind.mime if kind is not None else None
    if sniffed != claimed:
        actual = TYPE_NAMES.get(sniffed or "", "not a PDF, JPEG or PNG file")
        raise _mismatch(f"the file claims {claimed} but the content is {actual}", "media_type")
    if not filename.lower().endswith(EXTENSIONS[claimed]):
        raise _mismatch(f"the file name {filename!r} does not end with {' or '.join(EXTENSIONS[claimed])}, "
                        f"but the content is {TYPE_NAMES[claimed]}", "filename")


def _hostile(reason: str) -> InvalidInput:
    return InvalidInput(reason, code="upload.hostile_pdf", field="content",
                        rule="a PDF is complete (ends with %%EOF) and carries no /JavaScript or /Launch action")


def _check_pdf(content: bytes) -> None:
    if b"%%EOF" not in content[-PDF_TAIL:]:
        raise _hostile("the PDF is incomplete or malformed: no %%EOF marker at its end")
    for match in _HOSTILE_NAME.finditer(content):
        written = next(group for group in match.groups() if group is not None)
        name = _HEX_ESCAPE.sub(lambda escape: bytes([int(escape.group(1), 16)]), written).decode("ascii")
        if name in HOSTILE_PDF_NAMES:
            raise _hostile(f"the PDF carries a /{name} action")


def check_upload(*, procedure: ProcedureFile, held: Mapping[str, HeldDocument], document_code: str,
                 filename: str, media_type: str, content: bytes, max_bytes: int) -> CheckedUpload:
    """Check one file for ``document_code`` of ``procedure``; what to store, or :class:`InvalidInput`."""
    _check_document(procedure, held, document_code)
    _check_size(content, max_bytes)
    claimed = media_type.split(";", 1)[0].strip().lower()
    clean = sanitise_filename(filename)
    _check_type(claimed, clean, content)
    if claimed == "application/pdf":
        _check_pdf(content)
    return CheckedUpload(document_code=document_code, filename=clean, media_type=claimed, size=len(content),
                         sha256=hashlib.sha256(content).hexdigest())


def required_documents_missing(procedure: ProcedureFile, codes: Iterable[str]) -> list[Document]:
    """The documents ``procedure`` requires that are not among ``codes``, in the procedure's order."""
    present = set(codes)
    return [document for document in procedure.documents if document.required and document.code not in present]
