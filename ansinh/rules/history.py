"""Checks every regime applies to a contribution history before computing anything.

A history is a sequence of periods (first and last month, inclusive, at one monthly
salary), oldest first. Each regime names the event that bounds it (a death, a termination,
a retirement); the checks and their error codes are the same everywhere, so that a citizen
gets the same answer for the same mistake whatever they ask.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from ansinh.core.errors import InvalidInput
from ansinh.core.periods import format_month, month_start


class Period(Protocol):
    """What the checks read of a period; each regime's period type has these fields."""

    @property
    def start(self) -> dt.date: ...

    @property
    def end(self) -> dt.date: ...

    @property
    def salary(self) -> int: ...

    @property
    def index(self) -> int | None: ...


def field_of(period: Period, position: int, name: str) -> str:
    """The field of an error in the caller's terms: ``history.<position in its list>.<name>``."""
    return f"history.{period.index if period.index is not None else position}.{name}"


def check_history(
    periods: Sequence[Period], *, event: dt.date | None = None, code: str = "history.after_event",
    event_name: str = "the event", rule: str = "only months up to the month of the event count",
) -> None:
    """Refuse negative salaries, reversed, unordered or overlapping periods, and (when the
    regime is bounded by an ``event``) months after its month, reported with ``code``."""
    last_month = month_start(event) if event is not None else None
    previous_end: dt.date | None = None
    for position, period in enumerate(periods):
        if period.salary < 0:
            raise InvalidInput("a salary cannot be negative", code="salary.negative",
                               field=field_of(period, position, "salary"), rule="salaries are whole đồng, zero or more")
        start, end = month_start(period.start), month_start(period.end)
        if end < start:
            raise InvalidInput(f"the period ends ({format_month(end)}) before it starts ({format_month(start)})",
                               code="period.reversed", field=field_of(period, position, "to"),
                               rule="a period's last month is not before its first")
        if previous_end is not None and start <= previous_end:
            raise InvalidInput(
                f"the period starts {format_month(start)}, not after the previous period's end "
                f"{format_month(previous_end)}", code="history.order", field=field_of(period, position, "from"),
                rule="periods are oldest first and do not overlap",
            )
        if event is not None and last_month is not None and end > last_month:
            raise InvalidInput(f"contributions for {format_month(end)}, after {event_name} on {event.isoformat()}",
                               code=code, field=field_of(period, position, "to"), rule=rule)
        previous_end = end
