"""Reading values typed into the pages' forms and query strings, with the errors the pages show."""

from __future__ import annotations

import datetime as dt

from ansinh.core.errors import InvalidInput


def form_date(text: str, *, default: dt.date, field: str) -> dt.date:
    """A date typed ``YYYY-MM-DD`` (``default`` when left empty); anything else names the field."""
    if not text.strip():
        return default
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{text!r} is not a date", code="date.format", field=field,
                           rule="a date is written YYYY-MM-DD") from None
