"""Validators for the identifiers the registry keys on.

* The 12-digit personal ID (``PPP G YY RRRRRR``; Law on Identification 2023 art. 12,
  Decree 70/2024/ND-CP art. 11; Circular 07/2016/TT-BCA art. 7 for the codes) has no
  check digit: ``PPP`` must be a place-of-birth code, ``G`` encodes century and sex, and
  ``YY`` the year of birth, so all three must agree with the person's sex and birth date.
* The 10-digit SI number is opaque (its structure is not published): ten digits.
* The tax code has a mod-11 check digit (weights 31, 29, 23, 19, 17, 13, 7, 5, 3) and an
  optional ``-NNN`` dependent-unit suffix.

Each validator raises :class:`InvalidInput` naming the field and the rule broken.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from ansinh.core.errors import InvalidInput
from ansinh.org.provinces import citizen_id_province_codes

CITIZEN_ID_RULE = "12 digits: place-of-birth code, century-and-sex digit, year of birth, 6 digits"
_CITIZEN_ID = re.compile(r"^\d{12}$", re.ASCII)
_SI_NUMBER = re.compile(r"^\d{10}$", re.ASCII)
_TAX_CODE = re.compile(r"^(\d{10})(?:-(\d{3}))?$", re.ASCII)
_UNIT_CODE = re.compile(r"^[A-Z]{2}\d{4}[A-Z]$", re.ASCII)
_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
FIRST_CENTURY = 1900
"""Century digit 0/1 stands for 1900-1999, 2/3 for 2000-2099 and so on to 8/9."""


@dataclass(frozen=True)
class CitizenIdParts:
    """What a citizen ID says about its holder."""

    birth_province_code: str
    sex: str
    birth_year: int


def parse_citizen_id(value: str, *, field: str = "citizen_id") -> CitizenIdParts:
    """Check the form of a citizen ID and read the place code, sex and birth year from it."""
    if not _CITIZEN_ID.match(value):
        raise InvalidInput(
            f"{value!r} is not 12 digits", code="citizen_id.format", field=field, rule=CITIZEN_ID_RULE
        )
    province = value[:3]
    if province not in citizen_id_province_codes():
        raise InvalidInput(
            f"{province} is not a place-of-birth code", code="citizen_id.province", field=field,
            rule="the first 3 digits are one of the 63 province codes (Circular 07/2016/TT-BCA)",
        )
    digit = int(value[3])
    return CitizenIdParts(
        birth_province_code=province,
        sex="male" if digit % 2 == 0 else "female",
        birth_year=FIRST_CENTURY + 100 * (digit // 2) + int(value[4:6]),
    )


def validate_citizen_id(
    value: str, *, sex: str, birth_date: dt.date, field: str = "citizen_id"
) -> CitizenIdParts:
    """Check a citizen ID against the holder's sex and birth date."""
    parts = parse_citizen_id(value, field=field)
    if parts.sex != sex:
        raise InvalidInput(
            f"digit 4 of {value} says {parts.sex}, the person is {sex}", code="citizen_id.sex",
            field=field, rule="the century-and-sex digit is even for men, odd for women",
        )
    if parts.birth_year != birth_date.year:
        raise InvalidInput(
            f"{value} encodes birth year {parts.birth_year}, the person was born in {birth_date.year}",
            code="citizen_id.birth_year", field=field,
            rule="digits 4-6 encode the century and the last two digits of the birth year",
        )
    return parts


def validate_si_number(value: str, *, field: str = "si_number") -> str:
    """An SI number is ten digits, issued once for life."""
    if not _SI_NUMBER.match(value):
        raise InvalidInput(
            f"{value!r} is not 10 digits", code="si_number.format", field=field,
            rule="an SI number is 10 digits",
        )
    return value


def tax_check_digit(first_nine: str) -> int | None:
    """The check digit of a tax code's first nine digits, or None when none can exist."""
    total = sum(w * int(d) for w, d in zip(_TAX_WEIGHTS, first_nine, strict=True))
    digit = 10 - total % 11
    return None if digit == 10 else digit % 10


def validate_tax_code(value: str, *, field: str = "tax_code") -> str:
    """An enterprise tax code: 10 digits with a mod-11 check digit, optionally ``-NNN``."""
    match = _TAX_CODE.match(value)
    if not match:
        raise InvalidInput(
            f"{value!r} is not 10 digits (with an optional -NNN branch suffix)",
            code="tax_code.format", field=field, rule="a tax code is NNNNNNNNNN or NNNNNNNNNN-NNN",
        )
    main, branch = match.groups()
    if main[2:9] == "0000000" or branch == "000":
        raise InvalidInput(
            f"{value} has an all-zero serial", code="tax_code.serial", field=field,
            rule="digits 3-9 and the branch suffix cannot be all zeros",
        )
    if tax_check_digit(main[:9]) != int(main[9]):
        raise InvalidInput(
            f"{value} fails its check digit", code="tax_code.check_digit", field=field,
            rule="digit 10 = 10 - (sum of digits 1-9 weighted 31,29,23,19,17,13,7,5,3) mod 11",
        )
    return value


def validate_unit_code(value: str, *, field: str = "unit_code") -> str:
    """A VSS unit code: two letters, four digits, one letter (e.g. ``TA0123A``)."""
    if not _UNIT_CODE.match(value):
        raise InvalidInput(
            f"{value!r} is not a unit code", code="unit_code.format", field=field,
            rule="a unit code is 2 capital letters, 4 digits and a capital letter",
        )
    return value


def name_key(full_name: str) -> str:
    """A name folded for search and duplicate detection: lower case, no diacritics, single spaces.

    Vietnamese names fold to ASCII. ``đ`` does not decompose under NFD, so it is mapped by
    hand; letters of other scripts are composed again (NFC) so that a key has no more
    letters than its name. The stored name keeps its diacritics exactly.
    """
    folded = full_name.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", folded)
    without_marks = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(unicodedata.normalize("NFC", without_marks).lower().split())


def clean_full_name(value: str, *, field: str = "full_name") -> str:
    """A name as written (NFC, single spaces); letters, spaces, apostrophes and hyphens only."""
    name = " ".join(unicodedata.normalize("NFC", value).split())
    if not name or len(name) > 120:
        raise InvalidInput(
            "a name has 1 to 120 characters", code="name.length", field=field,
            rule="a full name has 1 to 120 characters",
        )
    if any(not (c.isalpha() or c in " '-") for c in name):
        raise InvalidInput(
            f"{name!r} contains characters other than letters", code="name.characters",
            field=field, rule="a name holds letters, spaces, apostrophes and hyphens",
        )
    return name
