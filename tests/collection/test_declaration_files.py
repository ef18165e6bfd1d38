"""Declaration files: CSV and .xlsx layouts read into lines; hostile files refused before anything is written."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from sqlalchemy import Engine

from ansinh.collection.declaration_files import (
    MAX_FILE_BYTES,
    file_key,
    read_declaration_file,
    template_csv,
)
from ansinh.collection.declaration_models import DeclarationSource
from ansinh.collection.declaration_schemas import MAX_LINES
from ansinh.collection.declarations import declare, rejection_report_csv
from ansinh.core.actor import Actor
from ansinh.core.errors import InvalidInput
from ansinh.db.uow import UnitOfWork
from tests.factories import register_employer, register_person

VI_HEADER = "STT,Loại,Số định danh / Mã số BHXH,Họ tên,Từ tháng,Đến tháng,Mức lương,Mã nhóm,Lý do"


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _refused(data: bytes) -> InvalidInput:
    with pytest.raises(InvalidInput) as error:
        read_declaration_file(data)
    assert error.value.code == "declaration.file"
    return error.value


def test_a_vietnamese_csv_with_bom_reads_into_lines() -> None:
    text = (VI_HEADER + "\r\n"
            "1,tăng,001185004321,Phạm Thị Thu Hương,04/2026,,10.000.000,DN,\r\n"
            "2,Nghỉ không đóng,0123456789,,2026-05,7/2026,,,Thai sản\r\n"
            "3,giảm,001185004321,,3/2026,,,,\r\n"
            ",,,,,,,,\r\n")
    data = ("\ufeff" + text).encode("utf-8")
    read = read_declaration_file(data)
    assert read.kind == "csv" and read.key == file_key(data) and read.key.startswith("file:")
    assert [(line.kind, line.from_month, line.to_month) for line in read.lines] == [
        ("join", "2026-04", None), ("suspend", "2026-05", "2026-07"), ("leave", "2026-03", None)]
    assert read.lines[0].salary == "10.000.000" and read.lines[0].full_name == "Phạm Thị Thu Hương"
    assert read.lines[1].reason == "maternity"


def test_english_headers_in_another_order_and_semicolons() -> None:
    data = b"person_key;from_month;kind;salary\n001185004321;2026-04;salary;12000000\n"
    read = read_declaration_file(data)
    assert read.lines[0].kind == "salary" and read.lines[0].person_key == "001185004321"


def test_an_xlsx_reads_dates_and_numbers() -> None:
    data = _xlsx([["Loại", "Số định danh", "Từ tháng", "Mức lương"],
                  ["tăng", "001185004321", dt.date(2026, 4, 1), 10_000_000]])
    read = read_declaration_file(data)
    assert read.kind == "xlsx"
    assert (read.lines[0].kind, read.lines[0].from_month, read.lines[0].salary) == ("join", "2026-04", 10_000_000)


def test_the_template_reads_as_a_declaration() -> None:
    assert read_declaration_file(template_csv()).lines[0].kind == "join"


@pytest.mark.parametrize(("data", "words"), [
    (b"\x00\x01\x02binary\x00", "binary"),
    ("kind,person_key,from_month,full_name\njoin,001185004321,04/2026,Đàm Văn Hà\n".encode("cp1258"), "not UTF-8"),
    (b"kind,full_name\njoin,An\n", "Số định danh / Mã số BHXH (person_key), Từ tháng (from_month)"),
    (b"", "empty"),
    (b"kind,person_key,from_month\n", "no lines"),
    (b"PK\x03\x04garbage that is no zip", "not a valid .xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel", "old-style .xls"),
])
def test_a_hostile_file_is_refused_with_its_reason(data: bytes, words: str) -> None:
    assert words in _refused(data).message


def test_too_many_rows_are_refused() -> None:
    rows = "".join("join,001185004321,2026-04\n" for _ in range(MAX_LINES + 1))
    assert "more than 10,000 rows" in _refused(("kind,person_key,from_month\n" + rows).encode()).message


def test_a_file_over_5_mb_is_refused() -> None:
    assert "bytes" in _refused(b"kind,person_key,from_month\n" + b" " * MAX_FILE_BYTES).message


def test_a_zip_bomb_is_refused_before_it_is_inflated() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (100 * 1024 * 1024))
    assert len(buffer.getvalue()) < MAX_FILE_BYTES
    assert "inflate" in _refused(buffer.getvalue()).message


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", b"hi")
    assert "not an .xlsx workbook" in _refused(buffer.getvalue()).message


def test_a_formula_without_a_stored_value_is_refused() -> None:
    data = _xlsx([["Loại", "Số định danh", "Từ tháng", "Mức lương"], ["tăng", "001185004321", "04/2026", "=5*2"]])
    assert "formula" in _refused(data).message


def test_an_id_stored_as_a_number_is_refused() -> None:
    data = _xlsx([["Loại", "Số định danh", "Từ tháng"], ["tăng", 1185004321, "04/2026"]])
    error = _refused(data)
    assert error.field == "person_key" and "leading zeros" in error.message


def test_formula_looking_cells_are_rejected_lines_and_plain_text_in_the_report(db: Engine) -> None:
    uow = UnitOfWork(db)
    unit = register_employer(uow).unit_code
    register_person(uow)
    data = (b"kind,person_key,from_month,salary\n"
            b"join,001185004321,2025-10,10000000\n"
            b"\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",@SUM(1),+1,-1\n")
    read = read_declaration_file(data)
    result = declare(uow=uow, employer_unit_code=unit, key=read.key, lines=read.lines, source=DeclarationSource.FILE,
                     as_of=dt.date(2025, 12, 15), actor=Actor(username="t"),
                     at=dt.datetime(2025, 12, 15, tzinfo=dt.UTC), filename="list.csv")
    assert (result.lines_accepted, result.lines_rejected) == (1, 1)
    assert result.lines[1].error_code == "declaration.kind"
    report = rejection_report_csv(result).decode("utf-8-sig").splitlines()
    assert report[1].startswith("2,\"'=HYPERLINK(") and ",'@SUM(1),declaration.kind,kind," in report[1]
