"""Months as values: the period unit of contributions and participation."""

from __future__ import annotations

import datetime as dt
import re

from ansinh.core.errors import InvalidInput

_MONTH = re.compile(r"^([1-9]\d{3})-(0[1-9]|1[0-2])$", re.ASCII)


def parse_month(text: str, *, field: str = "month") -> dt.date:
    """Parse ``YYYY-MM`` (years 1000 to 9999) into the first day of that month."""
    match = _MONTH.match(text.strip())
    if not match:
        raise InvalidInput(
            f"{text!r} is not a month written YYYY-MM", code="month.format", field=field,
            rule="a month is written YYYY-MM, with a year from 1000 to 9999",
        )
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def month_start(day: dt.date) -> dt.date:
    """The first day of the month containing ``day``."""
    return day.replace(day=1)


def add_months(month: dt.date, count: int) -> dt.date:
    """The first day of the month ``count`` months after ``month`` (negative goes back)."""
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> int:
    """Number of months from ``first`` to ``last`` inclusive (both month starts)."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def format_month(month: dt.date) -> str:
    """``YYYY-MM`` for a month start."""
    return f"{month.year:04d}-{month.month:02d}"
