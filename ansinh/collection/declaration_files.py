"""Declaration files: the CSV or Excel (.xlsx) list of changes an employer uploads.

The layout (docs/declarations.md) is one header row, then one row per change; headers are
accepted in Vietnamese or English, with or without diacritics, in any order:

=====================================  ===============  ========
header                                 field            required
=====================================  ===============  ========
STT / line_no                          (ignored)        no
Loại / kind                            kind             yes
Số định danh / Mã số BHXH / person_key person_key       yes
Họ tên / full_name                     full_name        no
Từ tháng / from_month                  from_month       yes
Đến tháng / to_month                   to_month         no
Mức lương / salary                     salary           no
Mã nhóm / hi_group_code                hi_group_code    no
Lý do / reason                         reason           no
=====================================  ===============  ========

Kinds and reasons may be written in Vietnamese (``tăng``, ``giảm``, ``điều chỉnh lương``,
``nghỉ không đóng``, ``đi làm lại``; ``thai sản``, ``nghỉ không lương``, ``ốm đau``,
``tạm hoãn hợp đồng``). Months are ``MM/YYYY`` or ``YYYY-MM`` (or a date cell).

The real type is sniffed from the bytes, never from the name: a zip is read as .xlsx, text
that decodes as UTF-8 as CSV, and anything else is refused. A file that cannot be trusted
is refused whole (:class:`~ansinh.core.errors.InvalidInput`, code ``declaration.file``)
before anything is written: over 5 MB, over 10,000 rows, not UTF-8, binary, a broken or
oversized zip (the members' uncompressed sizes are checked before anything is inflated), a
formula without a stored value, a person key stored as a number (its leading zeros are
lost), or a missing required column. A row that reads but is wrong is a line, and the
declaration rejects it with its reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ansinh.collection.declaration_schemas import MAX_LINES, DeclarationLineIn
from ansinh.core.errors import InvalidInput
from ansinh.registry.identifiers import name_key

MAX_FILE_BYTES = 5 * 1024 * 1024
"""The largest file accepted (10,000 lines of CSV take about 1 MB)."""
MAX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024
"""The most an .xlsx may inflate to (all members together): more is a zip bomb, not a declaration."""
MAX_ZIP_MEMBERS = 200
FILE_RULE = "a declaration file is a CSV (UTF-8) or .xlsx list in the documented layout, at most 5 MB and 10,000 rows"

COLUMNS: dict[str, tuple[str, ...]] = {
    "line_no": ("stt", "line no", "line number", "no"),
    "kind": ("loai", "kind", "loai bien dong"),
    "person_key": ("so dinh danh", "ma so bhxh", "so dinh danh / ma so bhxh", "so dinh danh/ma so bhxh",
                   "person key", "citizen id", "si number", "cccd"),
    "full_name": ("ho ten", "ho va ten", "full name", "name"),
    "from_month": ("tu thang", "from month"),
    "to_month": ("den thang", "to month"),
    "salary": ("muc luong", "salary", "luong"),
    "hi_group_code": ("ma nhom", "hi group code", "hi group", "ma doi tuong"),
    "reason": ("ly do", "reason"),
}
"""Each field and the headers (folded: lower-case ASCII, single spaces) that name it."""
REQUIRED = ("kind", "person_key", "from_month")
HEADERS = {"line_no": "STT", "kind": "Loại", "person_key": "Số định danh / Mã số BHXH", "full_name": "Họ tên",
           "from_month": "Từ tháng", "to_month": "Đến tháng", "salary": "Mức lương", "hi_group_code": "Mã nhóm",
           "reason": "Lý do"}
"""The template's headers, in its column order."""
KIND_WORDS = {"tang": "join", "tang moi": "join", "giam": "leave", "dieu chinh luong": "salary",
              "nghi khong dong": "suspend", "di lam lai": "resume"}
REASON_WORDS = {"thai san": "maternity", "nghi khong luong": "unpaid_leave", "om dau": "sick_leave",
                "tam hoan hop dong": "suspended_contract"}
_MONTH_SLASH = re.compile(r"^(\d{1,2})/(\d{4})$", re.ASCII)
_SAMPLE = (("1", "tăng", "001185004321", "Phạm Thị Thu Hương", "04/2026", "", "10000000", "DN", ""),)


@dataclass(frozen=True)
class DeclarationFile:
    """A file read into lines, with the key that makes uploading it twice a no-op."""

    key: str
    """``file:<sha256 of the bytes>``."""
    kind: str
    """``csv`` or ``xlsx``, as sniffed from the bytes."""
    lines: list[DeclarationLineIn]


def file_key(data: bytes) -> str:
    """The declaration key of a file: the same bytes uploaded again are the same declaration."""
    return "file:" + hashlib.sha256(data).hexdigest()


def _refuse(message: str, *, field: str = "file", **extra: Any) -> InvalidInput:
    return InvalidInput(message, code="declaration.file", field=field, rule=FILE_RULE, extra=extra)


def _fold(header: object) -> str:
    return name_key(str(header or "").replace("_", " ")).strip(" *:")


def _column_map(header: Sequence[object]) -> dict[str, int]:
    """Which column holds each field; refuses a header without the required ones (named)."""
    names = {alias: field for field, aliases in COLUMNS.items() for alias in aliases}
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        field = names.get(_fold(cell))
        if field is not None and field not in found:
            found[field] = index
    missing = [field for field in REQUIRED if field not in found]
    if missing:
        wanted = ", ".join(f"{HEADERS[field]} ({field})" for field in missing)
        raise _refuse(f"the header row lacks the required columns: {wanted}", field=missing[0], missing=missing)
    return found


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _month(value: object) -> str | None:
    """``YYYY-MM`` from a date cell or from ``MM/YYYY``; other text as given (the line is then rejected)."""
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    text = _text(value)
    if text is None:
        return None
    match = _MONTH_SLASH.match(text)
    return f"{match.group(2)}-{int(match.group(1)):02d}" if match else text


def _word(value: object, words: dict[str, str]) -> str | None:
    text = _text(value)
    return None if text is None else words.get(_fold(text), text)


def _line(row: Sequence[object], columns: dict[str, int], row_no: int) -> DeclarationLineIn:
    def cell(field: str) -> object:
        index = columns.get(field)
        return row[index] if index is not None and index < len(row) else None

    key = cell("person_key")
    if isinstance(key, int | float) and not isinstance(key, bool):
        raise _refuse(f"row {row_no}: the person key is stored as a number, which loses its leading zeros; "
                      "format the column as text", field="person_key", row=row_no)
    salary = cell("salary")
    return DeclarationLineIn(
        kind=_word(cell("kind"), KIND_WORDS) or "", person_key=_text(key) or "", full_name=_text(cell("full_name")),
        from_month=_month(cell("from_month")) or "", to_month=_month(cell("to_month")),
        salary=int(salary) if isinstance(salary, int | float) and not isinstance(salary, bool) else _text(salary),
        hi_group_code=_text(cell("hi_group_code")), reason=_word(cell("reason"), REASON_WORDS))


def _blank(row: Sequence[object]) -> bool:
    return all(_text(value) is None for value in row)


def _lines(rows: Iterable[Sequence[object]]) -> list[DeclarationLineIn]:
    """The header row (the first non-blank one), then a line per row; blank rows at the end are dropped."""
    iterator: Iterator[Sequence[object]] = iter(rows)
    header = next((row for row in iterator if not _blank(row)), None)
    if header is None:
        raise _refuse("the file is empty")
    columns = _column_map(header)
    body = list(iterator)
    while body and _blank(body[-1]):
        body.pop()
    if not body:
        raise _refuse("the file has a header but no lines")
    if len(body) > MAX_LINES:
        raise _refuse(f"the file has more than {MAX_LINES:,} rows", rows=len(body))
    return [_line(row, columns, number) for number, row in enumerate(body, start=2)]


class _Rows:
    """Rows as read, refusing the file once it holds more filled rows than a declaration may (header aside)."""

    def __init__(self) -> None:
        self.rows: list[Sequence[object]] = []
        self.filled = 0

    def add(self, row: Sequence[object]) -> None:
        if _blank(row):
            self.rows.append(())
            return
        self.filled += 1
        if self.filled > MAX_LINES + 1:
            raise _refuse(f"the file has more than {MAX_LINES:,} rows", rows=self.filled - 1)
        self.rows.append(row)


def _csv_rows(data: bytes) -> list[Sequence[object]]:
    if b"\x00" in data:
        raise _refuse("the file is binary, not a CSV or .xlsx list")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _refuse(f"the file is not UTF-8 text (byte {error.start}); save the CSV as UTF-8",
                      byte=error.start) from None
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = _Rows()
    try:
        for row in reader:
            rows.add(row)
    except csv.Error as error:
        raise _refuse(f"the CSV does not read: {error}") from None
    return rows.rows


def _check_zip(data: bytes) -> None:
    """A real .xlsx: a sound zip, not too many members, not inflating past the bound (checked before inflating)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise _refuse("the file looks like a zip but is not a valid .xlsx") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise _refuse(f"the .xlsx has {len(members)} parts", members=len(members))
    inflated = sum(member.file_size for member in members)
    if inflated > MAX_UNCOMPRESSED_BYTES:
        raise _refuse(f"the .xlsx would inflate to {inflated:,} bytes", inflated=inflated)
    if "xl/workbook.xml" not in names:
        raise _refuse("the zip is not an .xlsx workbook (no xl/workbook.xml)")


def _sheet_rows(data: bytes, *, data_only: bool) -> list[Sequence[object]]:
    import openpyxl  # imported when a workbook comes: it is slow to load and most uploads are CSV

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception as error:  # any failure of a hostile workbook is the file's fault
        raise _refuse(f"the .xlsx does not open: {type(error).__name__}") from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise _refuse("the .xlsx has no worksheet")
        rows = _Rows()
        for row in sheet.iter_rows(values_only=True):
            rows.add(row)
        return rows.rows
    except InvalidInput:
        raise
    except Exception as error:
        raise _refuse(f"the .xlsx does not read: {type(error).__name__}") from None
    finally:
        workbook.close()


def _xlsx_rows(data: bytes) -> list[Sequence[object]]:
    """The first sheet's values; a formula is read as its stored value, and refused when it has none."""
    _check_zip(data)
    values = _sheet_rows(data, data_only=True)
    formulas = _sheet_rows(data, data_only=False)
    for row_no, (value_row, formula_row) in enumerate(zip(values, formulas, strict=False), start=1):
        for value, formula in zip(value_row, formula_row, strict=False):
            if value is None and isinstance(formula, str) and formula.startswith("="):
                raise _refuse(f"row {row_no}: a formula without a stored value; save the file in Excel, or "
                              "paste values", row=row_no)
    return values


def read_declaration_file(data: bytes) -> DeclarationFile:
    """Lines from a CSV or .xlsx file; :class:`InvalidInput` (``declaration.file``) for a file not to be trusted."""
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(f"the file has {len(data):,} bytes", size=len(data))
    if not data.strip():
        raise _refuse("the file is empty")
    if data.startswith(b"PK\x03\x04"):
        kind, rows = "xlsx", _xlsx_rows(data)
    elif data.startswith((b"PK", b"\xd0\xcf\x11\xe0")):
        raise _refuse("the file is a zip or an old-style .xls, not an .xlsx workbook or a CSV")
    else:
        kind, rows = "csv", _csv_rows(data)
    return DeclarationFile(key=file_key(data), kind=kind, lines=_lines(rows))


def template_csv() -> bytes:
    """The layout as a CSV to fill in: the Vietnamese headers and one example row (UTF-8 with BOM, for Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS.values())
    writer.writerows(_SAMPLE)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
