"""The SI salary that the short-term benefits (sickness, maternity) are paid on.

Both regimes take the SI salary of the most recent contribution months before the month the
leave starts: sickness the one month immediately before (Law 58/2014 art. 28(1); Law
41/2024 art. 45(1)), maternity the average of the last 6 months (Law 58/2014 art. 39(1)(a);
Law 41/2024 art. 59(1)), or of the months paid if there are fewer. When no month before the
event was paid but the month of the event was (the first month of joining or rejoining),
that month is used (Law 41/2024 art. 45(2), 59(1)). The count of months is a dated parameter
of each regime; this module only picks the months and averages them, exactly.

Salaries are taken as declared in the history (the SI salary of each month); the ceiling of
20 × the reference level is not applied again here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from ansinh.core.periods import add_months, format_month, month_start, months_between
from ansinh.rules.history import check_history


@dataclass(frozen=True)
class InsuredPeriod:
    """Months of compulsory SI contributions (sickness and maternity fund), inclusive.

    ``start`` and ``end`` are month starts (any day is read as its month). ``hazardous``: heavy,
    hazardous or dangerous work (or an especially difficult area). ``index`` is the period's
    position in the caller's history, used to name the field of an error.
    """

    start: dt.date
    end: dt.date
    salary: int
    hazardous: bool = False
    index: int | None = None


@dataclass(frozen=True)
class PaidMonth:
    month: dt.date
    salary: int
    hazardous: bool


@dataclass(frozen=True)
class RecentSalary:
    """The months a short-term benefit is based on and their exact average salary."""

    months: tuple[PaidMonth, ...]
    average: Fraction

    def describe(self) -> str:
        """``2025-01 to 2025-06: 54,000,000 đ / 6``: which months, what total, over how many."""
        if not self.months:
            return "no month paid"
        first, last = format_month(self.months[0].month), format_month(self.months[-1].month)
        span = first if first == last else f"{first} to {last}"
        total = sum(month.salary for month in self.months)
        return f"{span}: {total:,} đ / {len(self.months)}"


def check_periods(periods: tuple[InsuredPeriod, ...], event: dt.date) -> None:
    """Refuse negative salaries, reversed or overlapping periods, and months after the event's month."""
    check_history(periods, event=event, code="history.after_event", event_name="the month of the event",
                  rule="short-term benefits are computed on the months paid up to the event")


def paid_months(periods: tuple[InsuredPeriod, ...]) -> list[PaidMonth]:
    """Every month paid, oldest first."""
    months: list[PaidMonth] = []
    for period in periods:
        start = month_start(period.start)
        for offset in range(months_between(start, month_start(period.end))):
            months.append(PaidMonth(add_months(start, offset), period.salary, period.hazardous))
    return months


def months_in_window(months: list[PaidMonth], event: dt.date, window: int) -> int:
    """Months paid within the ``window`` calendar months immediately before the month of ``event``."""
    last = add_months(month_start(event), -1)
    first = add_months(last, -(window - 1))
    return sum(1 for month in months if first <= month.month <= last)


def recent_salary(periods: tuple[InsuredPeriod, ...], event: dt.date, count: int) -> RecentSalary:
    """The last ``count`` months paid before the month of ``event`` and their average salary.

    If no month before the event's month was paid, the event's own month is used when paid
    (the first month of joining); with no month at all the average is 0 and ``months`` empty.
    """
    if count < 1:
        raise ValueError("count of months must be at least 1")
    event_month = month_start(event)
    months = paid_months(periods)
    before = [month for month in months if month.month < event_month]
    chosen = before[-count:] if before else [month for month in months if month.month == event_month]
    if not chosen:
        return RecentSalary((), Fraction(0))
    return RecentSalary(tuple(chosen), Fraction(sum(month.salary for month in chosen), len(chosen)))


__all__ = ["InsuredPeriod", "PaidMonth", "RecentSalary", "check_periods", "months_in_window", "paid_months",
           "recent_salary"]
