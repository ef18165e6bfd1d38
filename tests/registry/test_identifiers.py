"""Identifier validators, by example and by property."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansinh.core.errors import InvalidInput
from ansinh.org.provinces import citizen_id_province_codes
from ansinh.registry.identifiers import (
    clean_full_name,
    name_key,
    parse_citizen_id,
    tax_check_digit,
    validate_citizen_id,
    validate_si_number,
    validate_tax_code,
    validate_unit_code,
)

PROVINCES = sorted(citizen_id_province_codes())


def test_examples_from_the_law_sheet() -> None:
    assert parse_citizen_id("079203012345").birth_year == 2003
    assert parse_citizen_id("079203012345").sex == "male"
    assert parse_citizen_id("001185000123").sex == "female"
    assert parse_citizen_id("001185000123").birth_year == 1985
    assert validate_tax_code("0100233488") == "0100233488"
    assert validate_tax_code("0314409058-001") == "0314409058-001"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("07920301234", "citizen_id.format"),
        ("0792030123456", "citizen_id.format"),
        ("07920301234A", "citizen_id.format"),
        ("003203012345", "citizen_id.province"),
        ("097203012345", "citizen_id.province"),
        ("", "citizen_id.format"),
    ],
)
def test_malformed_citizen_ids(value: str, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_citizen_id(value)
    assert caught.value.code == code
    assert caught.value.field == "citizen_id"
    assert caught.value.rule


def test_citizen_id_must_agree_with_sex_and_year() -> None:
    with pytest.raises(InvalidInput, match="says male") as caught:
        validate_citizen_id("079203012345", sex="female", birth_date=dt.date(2003, 1, 1))
    assert caught.value.code == "citizen_id.sex"
    with pytest.raises(InvalidInput) as caught:
        validate_citizen_id("079203012345", sex="male", birth_date=dt.date(1903, 1, 1))
    assert caught.value.code == "citizen_id.birth_year"


@given(
    province=st.sampled_from(PROVINCES),
    sex=st.sampled_from(["male", "female"]),
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2399, 12, 31)),
    serial=st.integers(min_value=0, max_value=999_999),
)
def test_every_well_formed_id_round_trips(province: str, sex: str, birth: dt.date, serial: int) -> None:
    century = (birth.year - 1900) // 100
    digit = 2 * century + (0 if sex == "male" else 1)
    value = f"{province}{digit}{birth.year % 100:02d}{serial:06d}"
    parts = validate_citizen_id(value, sex=sex, birth_date=birth)
    assert (parts.birth_province_code, parts.sex, parts.birth_year) == (province, sex, birth.year)


@given(st.text(max_size=14).filter(lambda s: not (len(s) == 12 and s.isascii() and s.isdigit())))
def test_anything_but_twelve_digits_is_refused(value: str) -> None:
    with pytest.raises(InvalidInput):
        parse_citizen_id(value)


@given(st.from_regex(r"^[0-9]{9}$", fullmatch=True))
def test_tax_code_check_digit(first_nine: str) -> None:
    digit = tax_check_digit(first_nine)
    if digit is None or first_nine[2:] == "0000000":
        return
    assert validate_tax_code(f"{first_nine}{digit}")
    wrong = (digit + 1) % 10
    with pytest.raises(InvalidInput) as caught:
        validate_tax_code(f"{first_nine}{wrong}")
    assert caught.value.code == "tax_code.check_digit"


@pytest.mark.parametrize(
    ("value", "code"),
    [("010023348", "tax_code.format"), ("0100233489", "tax_code.check_digit"),
     ("0100000000", "tax_code.serial"), ("0100233488-000", "tax_code.serial"),
     ("0100233488-01", "tax_code.format"), ("01002334 88", "tax_code.format")],
)
def test_malformed_tax_codes(value: str, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_tax_code(value)
    assert (caught.value.code, caught.value.field) == (code, "tax_code")


@pytest.mark.parametrize("value", ["012345678", "01234567890", "012345678a", "０１２３４５６７８９"])
def test_malformed_si_numbers(value: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_si_number(value)
    assert caught.value.field == "si_number"


def test_unit_codes() -> None:
    assert validate_unit_code("TA0123A") == "TA0123A"
    with pytest.raises(InvalidInput):
        validate_unit_code("ta0123a")


VIETNAMESE_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐƠƯ ạảãáàặẳẵắằậẩẫấầệểễếềịỉĩíìọỏõóòộổỗốồợởỡớờụủũúùựửữứừỵỷỹýỳ"


@given(st.text(alphabet=st.sampled_from(VIETNAMESE_LETTERS), max_size=40))
def test_name_key_is_plain_ascii_and_stable(name: str) -> None:
    key = name_key(name)
    assert key.isascii()
    assert key == key.lower()
    assert name_key(key) == key


def test_names_keep_their_diacritics() -> None:
    assert clean_full_name("  Đặng   Thị  Ngọc Ánh ") == "Đặng Thị Ngọc Ánh"
    assert name_key("Đặng Thị Ngọc Ánh") == "dang thi ngoc anh"
    with pytest.raises(InvalidInput) as caught:
        clean_full_name("Robert'); DROP TABLE person;--")
    assert caught.value.code == "name.characters"
