"""The working-day calendar of the civil service and the deadlines counted on it.

Pure functions: no database, no clock; every date is passed in. The days off are data
(``data/calendar.yaml``), each with its legal source; see ``docs/calendar.md``.

The rules encoded here:

* **Working day**: Monday to Friday (Decision 188/1999/QĐ-TTg art. 1: Saturday and Sunday
  off), unless the calendar lists it as a holiday, a compensatory day off or a swapped day
  off; a Saturday listed as a make-up working day is a working day.
* **Counting a period** (Civil Code 91/2015/QH13 art. 147(3)): the day of the event (the
  receipt of a complete dossier) is not counted; counting starts the next day. A period in
  working days therefore ends on the n-th working day after receipt, which is a working day,
  so art. 148(5) (a last day falling on a day off moves to the next working day) never has
  to move it.
* **Receipt after hours or on a day off**: a paper dossier received after 15:00 is passed
  to the deciding office at the start of the next working day (Decree 61/2018/NĐ-CP
  art. 18(2)); a dossier is received by the one-stop desk on a working day (art. 17). A
  dossier handed in after the cut-off, or arriving (online) on a day off, is treated as
  received on the next working day. That the period then counts from that day is this
  module's reading, not a sentence of the decree.
* **Clock stops**: a dossier returned for supplement does not use up the period while it
  is with the applicant. Decree 61/2018 art. 19(4) says the period *restarts* once the full
  dossier is received: model that as a new ``received_on``. Where a specialised law says
  the supplement time "is not counted", pass the interval as a pause.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from ansinh.core import strict_yaml
from ansinh.core.errors import AnsinhError, InvalidInput, ParameterLoadError

DATA_FILE = Path(__file__).parent / "data" / "calendar.yaml"
ONE_DAY = dt.timedelta(days=1)
WEEKDAYS = {"monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7}
DEFAULT_DUE_SOON = 2
RECEIPT_CUTOFF = dt.time(15, 0)
"""Local time after which a dossier counts as received the next working day (Decree 61/2018 art. 18(2))."""


class DayKind(StrEnum):
    HOLIDAY = "holiday"
    COMPENSATORY_DAY_OFF = "compensatory_day_off"
    SWAP_DAY_OFF = "swap_day_off"
    MAKE_UP_WORKING_DAY = "make_up_working_day"


class YearStatus(StrEnum):
    VERIFIED = "verified"
    SECONDARY = "secondary"
    UNVERIFIED = "unverified"


class DeadlineStatus(StrEnum):
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


class YearNotCovered(AnsinhError):
    """A date falls in a year whose days off are not encoded: the calendar will not guess."""

    status: ClassVar[int] = 422
    title: ClassVar[str] = "Working-day calendar does not cover that date"


@dataclass(frozen=True)
class Source:
    instrument: str
    article: str
    note: str | None = None


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    kind: DayKind
    name_vi: str
    name_en: str
    source: Source
    swapped_with: dt.date | None = None

    @property
    def is_day_off(self) -> bool:
        return self.kind is not DayKind.MAKE_UP_WORKING_DAY


@dataclass(frozen=True)
class CalendarYear:
    year: int
    status: YearStatus
    note: str
    days: Mapping[dt.date, CalendarDay]


@dataclass(frozen=True)
class WorkingCalendar:
    weekly_rest_days: frozenset[int]
    weekly_rest_source: Source
    years: Mapping[int, CalendarYear]

    @property
    def first_year(self) -> int:
        return min(self.years)

    @property
    def last_year(self) -> int:
        return max(self.years)

    def covers(self, day: dt.date) -> bool:
        return day.year in self.years

    def require(self, day: dt.date, field: str) -> None:
        if not self.covers(day):
            raise YearNotCovered(
                f"{day.isoformat()} is outside the working-day calendar, which covers "
                f"{self.first_year} to {self.last_year}",
                code="calendar.year_not_covered",
                field=field,
                rule="the days off of each year are data; a year not encoded is refused, not guessed",
            )

    def entry(self, day: dt.date) -> CalendarDay | None:
        self.require(day, "day")
        return self.years[day.year].days.get(day)

    def is_working_day(self, day: dt.date) -> bool:
        listed = self.entry(day)
        if listed is not None:
            return not listed.is_day_off
        return day.isoweekday() not in self.weekly_rest_days


# --- loading -------------------------------------------------------------------------------


def _fail(where: str, message: str) -> ParameterLoadError:
    return ParameterLoadError(f"calendar: {where}: {message}")


def _mapping(raw: Any, where: str, required: set[str], optional: frozenset[str] = frozenset()) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise _fail(where, "expected a mapping")
    unknown = sorted(str(key) for key in set(raw) - required - optional)
    if unknown:
        raise _fail(where, f"unknown key {unknown[0]!r}")
    missing = sorted(required - set(raw))
    if missing:
        raise _fail(where, f"missing key {missing[0]!r}")
    return raw


def _text(raw: Any, where: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise _fail(where, "expected non-empty text")
    return raw


def _date(raw: Any, where: str) -> dt.date:
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    raise _fail(where, f"{raw!r} is not an ISO date (YYYY-MM-DD)")


def _source(raw: Any, where: str) -> Source:
    fields = _mapping(raw, where, {"instrument", "article"}, frozenset({"note"}))
    note = fields.get("note")
    return Source(
        _text(fields["instrument"], f"{where}.instrument"),
        _text(fields["article"], f"{where}.article"),
        None if note is None else _text(note, f"{where}.note"),
    )


def _day(raw: Any, where: str, year: int, rest_days: frozenset[int]) -> CalendarDay:
    fields = _mapping(raw, where, {"date", "kind", "name", "source"}, frozenset({"swapped_with"}))
    day = _date(fields["date"], f"{where}.date")
    if day.year != year:
        raise _fail(f"{where}.date", f"{day.isoformat()} is filed under year {year}")
    try:
        kind = DayKind(fields["kind"])
    except ValueError as exc:
        raise _fail(f"{where}.kind", f"unknown kind {fields['kind']!r}") from exc
    name = _mapping(fields["name"], f"{where}.name", {"vi", "en"})
    swapped = fields.get("swapped_with")
    swapped_with = None if swapped is None else _date(swapped, f"{where}.swapped_with")
    weekend = day.isoweekday() in rest_days
    if kind in {DayKind.SWAP_DAY_OFF, DayKind.MAKE_UP_WORKING_DAY} and swapped_with is None:
        raise _fail(where, f"a {kind} needs swapped_with")
    if kind not in {DayKind.SWAP_DAY_OFF, DayKind.MAKE_UP_WORKING_DAY} and swapped_with is not None:
        raise _fail(f"{where}.swapped_with", f"only swap days have swapped_with, not a {kind}")
    if kind is DayKind.MAKE_UP_WORKING_DAY and not weekend:
        raise _fail(where, f"make-up working day {day.isoformat()} is not a weekly rest day")
    if kind in {DayKind.SWAP_DAY_OFF, DayKind.COMPENSATORY_DAY_OFF} and weekend:
        raise _fail(where, f"{kind} {day.isoformat()} falls on a weekly rest day")
    return CalendarDay(
        day, kind, _text(name["vi"], f"{where}.name.vi"), _text(name["en"], f"{where}.name.en"),
        _source(fields["source"], f"{where}.source"), swapped_with,
    )


def _year(raw: Any, year: Any, rest_days: frozenset[int]) -> CalendarYear:
    where = f"years.{year}"
    if not isinstance(year, int) or isinstance(year, bool):
        raise _fail(where, "a year must be an integer")
    fields = _mapping(raw, where, {"status", "note", "days"})
    try:
        status = YearStatus(fields["status"])
    except ValueError as exc:
        raise _fail(f"{where}.status", f"unknown status {fields['status']!r}") from exc
    if not isinstance(fields["days"], list):
        raise _fail(f"{where}.days", "expected a list")
    days: dict[dt.date, CalendarDay] = {}
    for index, raw_day in enumerate(fields["days"]):
        entry = _day(raw_day, f"{where}.days.{index}", year, rest_days)
        if entry.day in days:
            raise _fail(f"{where}.days.{index}.date", f"{entry.day.isoformat()} is listed twice")
        days[entry.day] = entry
    return CalendarYear(year, status, _text(fields["note"], f"{where}.note"), days)


def _check_swaps(years: Mapping[int, CalendarYear]) -> None:
    """Every swap names its partner, and the partner names it back with the opposite kind."""
    every = {day: entry for year in years.values() for day, entry in year.days.items()}
    opposite = {DayKind.SWAP_DAY_OFF: DayKind.MAKE_UP_WORKING_DAY, DayKind.MAKE_UP_WORKING_DAY: DayKind.SWAP_DAY_OFF}
    for day, entry in every.items():
        if entry.swapped_with is None or entry.swapped_with.year not in years:
            continue
        partner = every.get(entry.swapped_with)
        if partner is None or partner.kind is not opposite[entry.kind] or partner.swapped_with != day:
            raise _fail(f"years.{day.year}", f"{day.isoformat()} is swapped with {entry.swapped_with.isoformat()}, "
                        "which does not name it back as its partner")


def parse_calendar(raw: Any) -> WorkingCalendar:
    """Build a calendar from the parsed YAML document, refusing anything malformed."""
    fields = _mapping(raw, "top level", {"weekly_rest_days", "weekly_rest_source", "years"})
    rest_names = fields["weekly_rest_days"]
    if not isinstance(rest_names, list) or not rest_names or any(name not in WEEKDAYS for name in rest_names):
        raise _fail("weekly_rest_days", f"expected a list of weekday names, got {rest_names!r}")
    rest_days = frozenset(WEEKDAYS[name] for name in rest_names)
    if not isinstance(fields["years"], dict) or not fields["years"]:
        raise _fail("years", "expected a mapping of years")
    years = {year: _year(body, year, rest_days) for year, body in fields["years"].items()}
    if sorted(years) != list(range(min(years), max(years) + 1)):
        raise _fail("years", "the years must be consecutive, without gaps")
    _check_swaps(years)
    return WorkingCalendar(rest_days, _source(fields["weekly_rest_source"], "weekly_rest_source"), years)


def load_calendar(path: Path) -> WorkingCalendar:
    try:
        raw = strict_yaml.load(path.read_text(encoding="utf-8"))
    except strict_yaml.DuplicateKeyError as exc:
        raise ParameterLoadError(f"calendar: {exc}") from None
    return parse_calendar(raw)


@cache
def default_calendar() -> WorkingCalendar:
    return load_calendar(DATA_FILE)


# --- the deadline functions ------------------------------------------------------------------


def is_working_day(day: dt.date, *, calendar: WorkingCalendar | None = None) -> bool:
    """Whether ``day`` is a working day of the civil service.

    >>> is_working_day(dt.date(2025, 4, 26))  # a make-up Saturday
    True
    >>> is_working_day(dt.date(2025, 5, 2))  # the Friday swapped for it
    False
    """
    return (calendar or default_calendar()).is_working_day(day)


def next_working_day(day: dt.date, *, calendar: WorkingCalendar | None = None) -> dt.date:
    """The first working day strictly after ``day``."""
    cal = calendar or default_calendar()
    current = day + ONE_DAY
    while not cal.is_working_day(current):
        current += ONE_DAY
    return current


def receipt_day(received_on: dt.date, *, after_cutoff: bool = False,
                calendar: WorkingCalendar | None = None) -> dt.date:
    """The day a dossier counts as received: the day itself when it is a working day and the
    dossier came in before the cut-off (15:00, Decree 61/2018 art. 18(2)); otherwise the next
    working day."""
    cal = calendar or default_calendar()
    cal.require(received_on, "received_on")
    if cal.is_working_day(received_on) and not after_cutoff:
        return received_on
    return next_working_day(received_on, calendar=cal)


def _check_count(n: int, field: str) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise InvalidInput(f"expected a whole number of working days, 0 or more, got {n!r}",
                           code="calendar.bad_working_days", field=field)


def _paused(day: dt.date, pauses: Sequence[tuple[dt.date, dt.date]]) -> bool:
    return any(stopped < day <= resumed for stopped, resumed in pauses)


def _check_pauses(pauses: Iterable[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    checked = []
    for index, pause in enumerate(pauses):
        stopped, resumed = pause
        if resumed < stopped:
            raise InvalidInput(f"the clock resumes on {resumed.isoformat()}, before it stopped on "
                               f"{stopped.isoformat()}", code="calendar.bad_pause", field=f"paused.{index}")
        checked.append((stopped, resumed))
    return checked


def add_working_days(start: dt.date, n: int, *, calendar: WorkingCalendar | None = None,
                     paused: Iterable[tuple[dt.date, dt.date]] = ()) -> dt.date:
    """The n-th working day after ``start``; ``start`` itself is not counted (Civil Code
    art. 147(3)). With n = 0: ``start`` if it is a working day, else the next one. Working
    days inside a pause (``stopped < day <= resumed``) are not counted.

    >>> add_working_days(dt.date(2025, 1, 24), 5)  # the Friday before Tết 2025
    datetime.date(2025, 2, 7)
    """
    _check_count(n, "n")
    cal = calendar or default_calendar()
    cal.require(start, "start")
    pauses = _check_pauses(paused)
    if n == 0:
        return start if cal.is_working_day(start) else next_working_day(start, calendar=cal)
    current, counted = start, 0
    while counted < n:
        current += ONE_DAY
        if cal.is_working_day(current) and not _paused(current, pauses):
            counted += 1
    return current


def working_days_between(a: dt.date, b: dt.date, *, calendar: WorkingCalendar | None = None) -> int:
    """The number of working days d with a < d <= b (negative when b is before a).

    >>> working_days_between(dt.date(2025, 1, 24), dt.date(2025, 2, 7))
    5
    """
    cal = calendar or default_calendar()
    cal.require(a, "a")
    cal.require(b, "b")
    if b < a:
        return -working_days_between(b, a, calendar=cal)
    count, current = 0, a
    while current < b:
        current += ONE_DAY
        count += cal.is_working_day(current)
    return count


def working_days_used(received_on: dt.date, day: dt.date, *, paused: Iterable[tuple[dt.date, dt.date]] = (),
                      calendar: WorkingCalendar | None = None) -> int:
    """Working days of the period used up by ``day``: those after ``received_on`` up to ``day``,
    leaving out the working days of each pause, as :func:`due_date` counts them (0 before receipt).

    >>> supplement = (dt.date(2026, 2, 24), dt.date(2026, 2, 26))
    >>> working_days_used(dt.date(2026, 2, 13), dt.date(2026, 3, 3), paused=[supplement])
    5
    """
    cal = calendar or default_calendar()
    cal.require(received_on, "received_on")
    cal.require(day, "day")
    pauses = _check_pauses(paused)
    count, current = 0, received_on
    while current < day:
        current += ONE_DAY
        count += cal.is_working_day(current) and not _paused(current, pauses)
    return count


def due_date(received_on: dt.date, working_days: int, *, after_cutoff: bool = False,
             paused: Iterable[tuple[dt.date, dt.date]] = (),
             calendar: WorkingCalendar | None = None) -> dt.date:
    """The last day to return the result of a dossier received on ``received_on`` with a
    time limit of ``working_days``: the receipt day is fixed by :func:`receipt_day`, then the
    limit is counted in working days after it, leaving out the working days in each pause
    ``(stopped, resumed)`` (the clock stops after ``stopped`` and runs again after
    ``resumed``).

    >>> due_date(dt.date(2026, 2, 13), 5)  # Friday before Tết 2026
    datetime.date(2026, 2, 27)
    """
    _check_count(working_days, "working_days")
    cal = calendar or default_calendar()
    start = receipt_day(received_on, after_cutoff=after_cutoff, calendar=cal)
    return add_working_days(start, working_days, calendar=cal, paused=paused)


def status_on(due: dt.date, on: dt.date, *, due_soon_within: int = DEFAULT_DUE_SOON,
              calendar: WorkingCalendar | None = None) -> DeadlineStatus:
    """Where a dossier due on ``due`` stands on ``on``: overdue once ``on`` is past the due
    day; due soon when at most ``due_soon_within`` working days remain (the due day itself
    is due soon); on time otherwise.

    >>> status_on(dt.date(2025, 2, 7), dt.date(2025, 2, 5))
    <DeadlineStatus.DUE_SOON: 'due_soon'>
    """
    _check_count(due_soon_within, "due_soon_within")
    if on > due:
        cal = calendar or default_calendar()
        cal.require(on, "on")
        cal.require(due, "due")
        return DeadlineStatus.OVERDUE
    remaining = working_days_between(on, due, calendar=calendar)
    return DeadlineStatus.DUE_SOON if remaining <= due_soon_within else DeadlineStatus.ON_TIME
