"""Languages of the pages: Vietnamese by default, English on request.

Translations live as ``.po`` text under ``locale/<lang>/LC_MESSAGES/messages.po`` and are
compiled in memory when the app starts, so the repository holds no binary ``.mo`` files
that could drift from their source. Dates and money are formatted with Babel so that each
language gets its own conventions (``07/03/1985`` and ``12.500.000 ₫`` in Vietnamese,
``Mar 7, 1985`` and ``12,500,000 ₫`` in English).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
LOCALES = ("vi", "en")
DEFAULT_LOCALE = "vi"
LOCALE_NAMES = {"vi": "Tiếng Việt", "en": "English"}
"""Each language named in itself, as a language switch shows it."""

_DATE_PATTERNS = {"vi": "dd/MM/yyyy", "en": "medium"}
"""Vietnamese officers write dates day first with two-digit days; English uses Babel's medium."""
_MONTH_NAME_PATTERN = "LLLL"
"""The stand-alone month name ("Tháng 3", "March"): history tables group months under their year."""
_MONTH_PATTERNS = {"vi": "MM/yyyy", "en": "MMM yyyy"}
"""A month with its year, as a period's first and last month are written."""
DONG = "\u00a0₫"
"""The đồng sign, after the amount and joined to it by a no-break space, in both languages."""


def po_path(locale: str) -> Path:
    """Where the catalogue of ``locale`` is kept."""
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LOCALES))
def translations(locale: str) -> Translations:
    """The compiled translations of ``locale``, read from its ``.po`` file once."""
    if locale not in LOCALES:
        raise ValueError(f"unsupported locale {locale!r}; expected one of {LOCALES}")
    with po_path(locale).open("rb") as handle:
        catalog = read_po(handle, locale=locale, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def load_all() -> None:
    """Compile every catalogue now, so that a broken ``.po`` file stops the app at start."""
    for locale in LOCALES:
        translations(locale)


def supported(locale: str | None) -> str | None:
    """``locale`` if the pages speak it, else None."""
    return locale if locale in LOCALES else None


def format_day(value: dt.date | None, locale: str) -> str:
    """A calendar date the way ``locale`` writes it; empty for no date."""
    if value is None:
        return ""
    return format_date(value, _DATE_PATTERNS[locale], locale=locale)


def _first_day(month: str) -> dt.date:
    year, number = (int(part) for part in month.split("-"))
    return dt.date(year, number, 1)


def format_month_name(month: str, locale: str) -> str:
    """The month name of a ``YYYY-MM`` period (its year is shown by the group it sits in)."""
    return format_date(_first_day(month), _MONTH_NAME_PATTERN, locale=locale)


def format_month(month: str | None, locale: str) -> str:
    """A ``YYYY-MM`` period with its year (``03/2025``, ``Mar 2025``); empty for none."""
    if month is None:
        return ""
    return format_date(_first_day(month), _MONTH_PATTERNS[locale], locale=locale)


def format_money(amount: int | None, locale: str) -> str:
    """Integer đồng with the locale's digit grouping and the đồng sign; empty for none."""
    if amount is None:
        return ""
    return format_decimal(amount, locale=locale) + DONG


def format_number(value: int, locale: str) -> str:
    """A count with the locale's digit grouping."""
    return format_decimal(value, locale=locale)
