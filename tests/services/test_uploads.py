"""Document files handed in with a dossier: what is accepted and why the rest is refused."""

from __future__ import annotations

import hashlib
import struct
import unicodedata
import zlib

import pytest

from ansinh.core.errors import InvalidInput
from ansinh.services.catalogue import default_catalogue
from ansinh.services.uploads import (
    ACCEPTED_TYPES,
    CheckedUpload,
    check_upload,
    required_documents_missing,
    sanitise_filename,
)

MB = 1024 * 1024
CATALOGUE = default_catalogue()
SICKNESS = CATALOGUE.procedures["630"]
"""Procedure 630 asks for list_01b_hsb (required) and sick_leave_certificate (if any)."""


def _png() -> bytes:
    """A real 1x1 white PNG: signature, IHDR, one IDAT, IEND, each chunk with its CRC."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit greyscale
    pixels = zlib.compress(b"\x00\xff")  # filter byte 0, one white pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _jpeg() -> bytes:
    """A real 1x1 grey baseline JPEG: one 8x8 block whose DC difference and AC are both zero."""

    def segment(marker: int, data: bytes) -> bytes:
        return struct.pack(">BBH", 0xFF, marker, len(data) + 2) + data

    one_code = bytes([1] + [0] * 15) + b"\x00"  # a single 1-bit code for symbol 0
    return b"".join([
        b"\xff\xd8",
        segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
        segment(0xDB, b"\x00" + b"\x01" * 64),
        segment(0xC0, b"\x08\x00\x01\x00\x01\x01\x01\x11\x00"),
        segment(0xC4, b"\x00" + one_code),  # DC table 0: category 0
        segment(0xC4, b"\x10" + one_code),  # AC table 0: end of block
        segment(0xDA, b"\x01\x01\x00\x00\x3f\x00"),
        b"\x3f",  # bits 0 (DC 0), 0 (EOB), padded with ones
        b"\xff\xd9",
    ])


def _pdf(extra: bytes = b"", tail: bytes = b"") -> bytes:
    """A minimal PDF: a catalogue, an empty page tree, a trailer and the %%EOF marker."""
    return (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R " + extra + b">>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
            b"trailer\n<< /Root 1 0 R >>\n%%EOF\n" + tail)


def _check(content: bytes, *, document_code: str = "list_01b_hsb", filename: str = "danh-sach.pdf",
           media_type: str = "application/pdf", max_bytes: int = 10 * MB) -> CheckedUpload:
    return check_upload(procedure=SICKNESS, held=CATALOGUE.held, document_code=document_code, filename=filename,
                        media_type=media_type, content=content, max_bytes=max_bytes)


def _refused(content: bytes, **kwargs: object) -> InvalidInput:
    with pytest.raises(InvalidInput) as error:
        _check(content, **kwargs)  # type: ignore[arg-type]
    return error.value


@pytest.mark.parametrize(("content", "filename", "media_type"), [
    (_pdf(), "Danh sách 01B.pdf", "application/pdf"),
    (_jpeg(), "giay-nghi-om.JPG", "image/jpeg"),
    (_jpeg(), "giay-nghi-om.jpeg", "image/jpeg"),
    (_png(), "anh.png", "Image/PNG"),
])
def test_a_real_pdf_jpeg_or_png_is_accepted(content: bytes, filename: str, media_type: str) -> None:
    checked = _check(content, filename=filename, media_type=media_type, document_code="sick_leave_certificate")
    assert checked == CheckedUpload(document_code="sick_leave_certificate", filename=filename,
                                    media_type=media_type.lower(), size=len(content),
                                    sha256=hashlib.sha256(content).hexdigest())


def test_the_accepted_types_are_pdf_jpeg_and_png() -> None:
    assert ACCEPTED_TYPES == ("application/pdf", "image/jpeg", "image/png")


def test_a_held_document_is_refused_with_the_rule_that_forbids_asking() -> None:
    error = _refused(_pdf(), document_code="si_book")
    assert (error.code, error.field) == ("upload.held_document", "document_code")
    assert "must not be asked for" in error.message
    assert error.rule == CATALOGUE.held["si_book"].basis


def test_a_document_the_procedure_does_not_ask_for_is_refused() -> None:
    error = _refused(_pdf(), document_code="passport")
    assert (error.code, error.field) == ("upload.unknown_document", "document_code")
    assert error.rule is not None and "list_01b_hsb" in error.rule


def test_an_empty_file_is_refused() -> None:
    error = _refused(b"")
    assert (error.code, error.field) == ("upload.empty", "content")


def test_a_file_over_the_limit_is_refused_naming_the_limit_in_mb() -> None:
    content = _pdf(extra=b" " * MB)
    assert _check(content, max_bytes=len(content)).size == len(content)
    error = _refused(content, max_bytes=MB)
    assert (error.code, error.field) == ("upload.too_large", "content")
    assert error.rule == "a document file is at most 1 MB"
    assert "10 MB" in str(_refused(b"x" * (10 * MB + 1), max_bytes=10 * MB).rule)


def test_a_type_not_accepted_is_refused() -> None:
    error = _refused(b"PK\x03\x04rest-of-a-zip", filename="hoso.zip", media_type="application/zip")
    assert (error.code, error.field) == ("upload.type_not_accepted", "media_type")
    assert error.rule is not None and "image/png" in error.rule


def test_content_that_is_not_what_it_claims_is_refused() -> None:
    error = _refused(_pdf(), filename="anh.png", media_type="image/png")
    assert (error.code, error.field) == ("upload.type_mismatch", "media_type")
    assert error.message == "the file claims image/png but the content is a PDF"
    other = _refused(b"MZ\x90\x00 an executable", filename="hoso.pdf", media_type="application/pdf")
    assert other.code == "upload.type_mismatch"
    assert other.message == "the file claims application/pdf but the content is not a PDF, JPEG or PNG file"


def test_a_name_whose_extension_disagrees_is_refused() -> None:
    error = _refused(_png(), filename="anh.pdf", media_type="image/png")
    assert (error.code, error.field) == ("upload.type_mismatch", "filename")
    assert "does not end with .png" in error.message
    assert _refused(_pdf(), filename="danh-sach", media_type="application/pdf").code == "upload.type_mismatch"


@pytest.mark.parametrize(("content", "says"), [
    (_pdf(extra=b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "), "/JavaScript"),
    (_pdf(extra=b"/OpenAction << /S /J#61vaScript /JS (app.alert(1)) >> "), "/JavaScript"),
    (_pdf(extra=b"/OpenAction << /S /Launch /F (cmd.exe) >> "), "/Launch"),
    (_pdf()[: -len(b"%%EOF\n")], "no %%EOF"),
    (_pdf(tail=b"\x00" * 1100), "no %%EOF"),
])
def test_a_hostile_or_incomplete_pdf_is_refused(content: bytes, says: str) -> None:
    error = _refused(content)
    assert (error.code, error.field) == ("upload.hostile_pdf", "content")
    assert says in error.message


def test_a_pdf_naming_a_harmless_action_is_accepted() -> None:
    assert _check(_pdf(extra=b"/OpenAction << /S /GoTo /D [0 /Fit] >> /JavaScriptless true ")).size > 0


@pytest.mark.parametrize(("given", "kept"), [
    ("C:\\Users\\an\\Desktop\\don.pdf", "don.pdf"),
    ("../../etc/don.pdf", "don.pdf"),
    ("don\x00\x1f\x7f.pdf", "don.pdf"),
    ("invoice\u202efdp.pdf", "invoicefdp.pdf"),
    ("  .hidden.pdf ", "hidden.pdf"),
    (unicodedata.normalize("NFD", "Giấy nghỉ ốm.pdf"), "Giấy nghỉ ốm.pdf"),
])
def test_file_names_are_reduced_to_a_safe_base_name(given: str, kept: str) -> None:
    assert sanitise_filename(given) == kept


def test_a_long_file_name_keeps_its_extension() -> None:
    name = sanitise_filename("đơn" * 100 + ".pdf")
    assert len(name) == 200 and name.endswith(".pdf")
    assert _check(_pdf(), filename="a/" + "x" * 300 + ".pdf").filename == "x" * 196 + ".pdf"


def test_required_documents_missing() -> None:
    assert [d.code for d in required_documents_missing(SICKNESS, [])] == ["list_01b_hsb"]
    assert required_documents_missing(SICKNESS, ["list_01b_hsb", "sick_leave_certificate"]) == []
    first = CATALOGUE.procedures["AS-WI-FIRST"]
    missing = required_documents_missing(first, iter(["discharge_paper"]))
    assert [d.code for d in missing] == ["accident_report", "medical_assessment", "claim_letter"]
