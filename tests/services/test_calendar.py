"""The working-day calendar: worked deadlines across Tết, 30/4-1/5, National Day, compensatory
days, swaps and make-up Saturdays; receipt after the cut-off; clock stops; the due-soon and
overdue boundaries; years not covered; the strict loader; and agreement with the `holidays`
package except where the official notices differ.

Counting rule in every docstring: the receipt day is not counted (Civil Code art. 147(3)); each
following working day counts 1, 2, 3 ... and the n-th is the due day."""

from __future__ import annotations

import datetime as dt
import doctest
from pathlib import Path
from typing import Any

import holidays
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ansinh.core.errors import InvalidInput, ParameterLoadError
from ansinh.services import calendar
from ansinh.services.calendar import (
    DayKind,
    DeadlineStatus,
    YearNotCovered,
    YearStatus,
    add_working_days,
    default_calendar,
    due_date,
    is_working_day,
    load_calendar,
    parse_calendar,
    receipt_day,
    status_on,
    working_days_between,
)

D = dt.date
CAL = default_calendar()


# --- worked examples -----------------------------------------------------------------------


def test_friday_before_tet_2025_five_working_days() -> None:
    """Received Fri 24 Jan 2025, limit 5 working days. Sat 25-Sun 26 weekend, Mon 27-Fri 31 Tết
    (28 Chạp-mùng 3), Sat 1-Sun 2 Feb weekend; Mon 3 = 1, Tue 4 = 2, Wed 5 = 3, Thu 6 = 4,
    Fri 7 = 5: due Fri 7 Feb 2025 (14 calendar days)."""
    assert due_date(D(2025, 1, 24), 5) == D(2025, 2, 7)
    assert [is_working_day(D(2025, 1, day)) for day in range(27, 32)] == [False] * 5


def test_friday_before_tet_2026_five_working_days() -> None:
    """Received Fri 13 Feb 2026, limit 5. Sat 14-Sun 15 weekend, Mon 16-Fri 20 Tết (29 Chạp-mùng
    4), Sat 21-Sun 22 weekend; Mon 23 = 1 ... Fri 27 = 5: due Fri 27 Feb 2026."""
    assert due_date(D(2026, 2, 13), 5) == D(2026, 2, 27)


def test_tet_2023_compensatory_days_after_the_weekend() -> None:
    """Tết 2023: five Tết days Fri 20-Tue 24 Jan (two on the weekend), so Wed 25 and Thu 26 are
    compensatory days off (art. 111(3)); Fri 27 Jan is a working day. Received Thu 19 Jan,
    limit 1: Fri 20 off ... Thu 26 off, Fri 27 = 1."""
    assert CAL.entry(D(2023, 1, 25)).kind is DayKind.COMPENSATORY_DAY_OFF  # type: ignore[union-attr]
    assert due_date(D(2023, 1, 19), 1) == D(2023, 1, 27)


def test_30_april_1_may_2025_swap_and_make_up_saturday() -> None:
    """2025: Fri 2 May swapped for Sat 26 Apr (notice 6150/TB-BLĐTBXH). Received Fri 25 Apr,
    limit 1: Sat 26 is the make-up working day = 1, due Sat 26 Apr. Received Tue 29 Apr, limit
    3: Wed 30 and Thu 1 holidays, Fri 2 swapped off, weekend; Mon 5 = 1, Tue 6 = 2, Wed 7 = 3."""
    assert is_working_day(D(2025, 4, 26))
    assert not is_working_day(D(2025, 5, 2))
    assert due_date(D(2025, 4, 25), 1) == D(2025, 4, 26)
    assert due_date(D(2025, 4, 29), 3) == D(2025, 5, 7)


def test_national_day_2025_with_its_extra_day() -> None:
    """2025: 2 Sep (Tue) and the adjacent day Mon 1 Sep (art. 112(1)(đ)). Received Fri 29 Aug,
    limit 2: weekend, Mon 1 and Tue 2 off; Wed 3 = 1, Thu 4 = 2."""
    assert due_date(D(2025, 8, 29), 2) == D(2025, 9, 4)


def test_national_day_2026_swap_and_the_fact_sheet_unemployment_example() -> None:
    """2026: Mon 31 Aug swapped for Sat 22 Aug; 1-2 Sep holidays. A UI dossier completed Mon
    24 Aug, 11 working days: 25, 26, 27, 28 = 4; 31 Aug, 1, 2 Sep off; 3 = 5, 4 = 6, 7 = 7,
    8 = 8, 9 = 9, 10 = 10, 11 = 11: Fri 11 Sep (hi-ui-ids-calendar.md §9.2, with the swap)."""
    assert is_working_day(D(2026, 8, 22))
    assert due_date(D(2026, 8, 24), 11) == D(2026, 9, 11)


def test_compensatory_day_when_hung_kings_falls_on_sunday_2026() -> None:
    """Hùng Kings 2026 is Sun 26 Apr, so Mon 27 Apr is off (art. 111(3)). Received Fri 24 Apr,
    limit 1: Mon 27 off, Tue 28 = 1. Limit 3: Tue 28 = 1, Wed 29 = 2, Thu 30 and Fri 1 May
    holidays, weekend, Mon 4 May = 3."""
    assert CAL.entry(D(2026, 4, 27)).kind is DayKind.COMPENSATORY_DAY_OFF  # type: ignore[union-attr]
    assert due_date(D(2026, 4, 24), 1) == D(2026, 4, 28)
    assert due_date(D(2026, 4, 24), 3) == D(2026, 5, 4)


def test_new_year_2026_swap_is_in_the_data_though_the_package_lacks_it() -> None:
    """2026: Fri 2 Jan swapped for Sat 10 Jan (12729/VPCP-KGVX). Received Wed 31 Dec 2025, limit
    1: Thu 1 holiday, Fri 2 swapped off, weekend, Mon 5 Jan = 1. Received Fri 9 Jan, limit 1:
    Sat 10 = 1."""
    assert due_date(D(2025, 12, 31), 1) == D(2026, 1, 5)
    assert due_date(D(2026, 1, 9), 1) == D(2026, 1, 10)


def test_swap_across_the_year_end_2018_2019() -> None:
    """Mon 31 Dec 2018 off for Sat 5 Jan 2019. Received Fri 28 Dec 2018, limit 2: weekend, Mon
    31 swapped off, Tue 1 Jan holiday; Wed 2 = 1, Thu 3 = 2."""
    assert due_date(D(2018, 12, 28), 2) == D(2019, 1, 3)
    assert is_working_day(D(2019, 1, 5))


# --- receipt after the cut-off or on a day off -----------------------------------------------


def test_receipt_after_cutoff_or_on_a_day_off_counts_from_the_next_working_day() -> None:
    """Fri 24 Jan 2025 after 15:00 counts as received Mon 3 Feb (next working day after Tết);
    then 4 = 1, 5 = 2, 6 = 3, 7 = 4, Mon 10 = 5. An online dossier sent on Sat 25 Jan is the
    same. Before the cut-off, Fri 24 Jan itself is the receipt day."""
    assert receipt_day(D(2025, 1, 24)) == D(2025, 1, 24)
    assert receipt_day(D(2025, 1, 24), after_cutoff=True) == D(2025, 2, 3)
    assert receipt_day(D(2025, 1, 25)) == D(2025, 2, 3)
    assert due_date(D(2025, 1, 24), 5, after_cutoff=True) == D(2025, 2, 10)
    assert due_date(D(2025, 1, 25), 5) == D(2025, 2, 10)


# --- clock stops -----------------------------------------------------------------------------


def test_a_pause_leaves_out_the_working_days_with_the_applicant() -> None:
    """Received Mon 3 Mar 2025, limit 10: without a pause 4..7 = 1..4, 10..14 = 5..9, 17 = 10.
    Returned for supplement after Wed 5 Mar, back on Wed 12 Mar: pause (5, 12] leaves out
    Thu 6, Fri 7, Mon 10, Tue 11, Wed 12; so 4 = 1, 5 = 2, 13 = 3, 14 = 4, 17..21 = 5..9, 24 = 10."""
    assert due_date(D(2025, 3, 3), 10) == D(2025, 3, 17)
    assert due_date(D(2025, 3, 3), 10, paused=[(D(2025, 3, 5), D(2025, 3, 12))]) == D(2025, 3, 24)


def test_pauses_overlap_and_a_weekend_pause_changes_nothing() -> None:
    """Overlapping pauses count once; a pause over Sat 8-Sun 9 Mar only stops no working day."""
    one = [(D(2025, 3, 5), D(2025, 3, 12))]
    two = [(D(2025, 3, 5), D(2025, 3, 10)), (D(2025, 3, 7), D(2025, 3, 12))]
    assert due_date(D(2025, 3, 3), 10, paused=two) == due_date(D(2025, 3, 3), 10, paused=one)
    assert due_date(D(2025, 3, 3), 10, paused=[(D(2025, 3, 7), D(2025, 3, 9))]) == D(2025, 3, 17)


def test_restart_under_decree_61_is_a_new_receipt_day() -> None:
    """Decree 61/2018 art. 19(4): the period is counted again from the start once the full
    dossier is received, e.g. on Wed 12 Mar 2025 with limit 10: 13 = 1 ... 26 = 10."""
    assert due_date(D(2025, 3, 12), 10) == D(2025, 3, 26)


def test_a_pause_that_resumes_before_it_stops_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        due_date(D(2025, 3, 3), 10, paused=[(D(2025, 3, 12), D(2025, 3, 5))])
    assert caught.value.code == "calendar.bad_pause" and caught.value.field == "paused.0"


def test_negative_or_fractional_counts_are_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        add_working_days(D(2025, 3, 3), -1)
    assert caught.value.code == "calendar.bad_working_days" and caught.value.field == "n"
    with pytest.raises(InvalidInput):
        due_date(D(2025, 3, 3), 1.5)  # type: ignore[arg-type]


# --- due soon and overdue ---------------------------------------------------------------------


@pytest.mark.parametrize(("on", "expected"), [
    (D(2025, 2, 3), DeadlineStatus.ON_TIME),    # Mon: 4 working days left
    (D(2025, 2, 4), DeadlineStatus.ON_TIME),    # Tue: 3 left, one more than the window
    (D(2025, 2, 5), DeadlineStatus.DUE_SOON),   # Wed: 2 left
    (D(2025, 2, 7), DeadlineStatus.DUE_SOON),   # the due day itself
    (D(2025, 2, 8), DeadlineStatus.OVERDUE),    # the Saturday after
])
def test_due_soon_and_overdue_boundaries(on: dt.date, expected: DeadlineStatus) -> None:
    """Due Fri 7 Feb 2025, due soon within 2 working days."""
    assert status_on(D(2025, 2, 7), on, due_soon_within=2) is expected


def test_due_soon_counts_working_days_across_tet() -> None:
    """Due Tue 4 Feb 2025; on Fri 24 Jan only Mon 3 and Tue 4 are working days left (Tết and two
    weekends between), so it is already due soon eleven calendar days ahead."""
    assert working_days_between(D(2025, 1, 24), D(2025, 2, 4)) == 2
    assert status_on(D(2025, 2, 4), D(2025, 1, 24)) is DeadlineStatus.DUE_SOON
    assert status_on(D(2025, 2, 4), D(2025, 1, 24), due_soon_within=1) is DeadlineStatus.ON_TIME


def test_a_zero_window_marks_only_the_due_day() -> None:
    assert status_on(D(2025, 2, 7), D(2025, 2, 7), due_soon_within=0) is DeadlineStatus.DUE_SOON
    assert status_on(D(2025, 2, 7), D(2025, 2, 6), due_soon_within=0) is DeadlineStatus.ON_TIME


def test_working_days_between_is_signed() -> None:
    assert working_days_between(D(2025, 2, 7), D(2025, 1, 24)) == -5
    assert working_days_between(D(2025, 1, 24), D(2025, 1, 24)) == 0


# --- years not covered ---------------------------------------------------------------------


def test_a_year_not_covered_is_refused_naming_the_date() -> None:
    with pytest.raises(YearNotCovered) as caught:
        is_working_day(D(2015, 12, 31))
    assert caught.value.code == "calendar.year_not_covered" and "2015-12-31" in caught.value.message
    with pytest.raises(YearNotCovered) as caught:
        add_working_days(D(2027, 12, 31), 1)  # walks into 2028
    assert "2028-01-01" in caught.value.message
    with pytest.raises(YearNotCovered) as caught:
        due_date(D(2028, 1, 3), 1)
    assert caught.value.field == "received_on"


# --- the data --------------------------------------------------------------------------------


def test_the_calendar_covers_2016_to_2027_with_a_source_on_every_day() -> None:
    assert (CAL.first_year, CAL.last_year) == (2016, 2027)
    assert CAL.years[2027].status is YearStatus.UNVERIFIED
    assert all(CAL.years[year].status is YearStatus.SECONDARY for year in range(2016, 2027))
    for year in CAL.years.values():
        for entry in year.days.values():
            assert entry.source.instrument and entry.source.article and entry.name_vi and entry.name_en
            if entry.kind in {DayKind.SWAP_DAY_OFF, DayKind.MAKE_UP_WORKING_DAY}:
                assert entry.source.note, entry.day


def test_agrees_with_the_holidays_package_except_the_documented_differences() -> None:
    """Weekday days off match `holidays` (VN) 2016-2027 except Fri 2 Jan 2026, a swap approved
    after the package's release; every make-up Saturday is the one the package names."""
    differences = set()
    substituted_from = set()
    for year in range(2016, 2028):
        package = holidays.country_holidays("VN", years=year)
        for name in package.values():
            if "substituted from" in name:
                month, mday, y = name.split("substituted from ")[1].rstrip(")").split("/")
                substituted_from.add(D(int(y), int(month), int(mday)))
        day = D(year, 1, 1)
        while day.year == year:
            if day.isoweekday() <= 5 and (day in package) == is_working_day(day):
                differences.add(day)
            day += dt.timedelta(days=1)
    assert differences == {D(2026, 1, 2)}
    make_ups = {d for y in CAL.years.values() for d, e in y.days.items() if e.kind is DayKind.MAKE_UP_WORKING_DAY}
    assert make_ups - substituted_from == {D(2026, 1, 10)}
    assert substituted_from <= make_ups


def test_the_module_examples_hold() -> None:
    assert doctest.testmod(calendar).failed == 0


# --- the strict loader -----------------------------------------------------------------------


def _minimal(**override: Any) -> dict[str, Any]:
    day = {"date": D(2025, 1, 1), "kind": "holiday", "name": {"vi": "Tết Dương lịch", "en": "New Year's Day"},
           "source": {"instrument": "Labour Code 45/2019/QH14", "article": "art. 112(1)(a)"}}
    day.update(override)
    return {"weekly_rest_days": ["saturday", "sunday"],
            "weekly_rest_source": {"instrument": "Decision 188/1999/QĐ-TTg", "article": "art. 1"},
            "years": {2025: {"status": "secondary", "note": "test", "days": [day]}}}


def test_a_minimal_calendar_loads() -> None:
    assert not parse_calendar(_minimal()).is_working_day(D(2025, 1, 1))


@pytest.mark.parametrize(("override", "message"), [
    ({"colour": "red"}, "unknown key 'colour'"),
    ({"kind": "bridge_day"}, "unknown kind"),
    ({"date": D(2024, 12, 31)}, "filed under year 2025"),
    ({"kind": "make_up_working_day", "swapped_with": D(2025, 1, 2)}, "is not a weekly rest day"),
    ({"kind": "swap_day_off"}, "needs swapped_with"),
    ({"swapped_with": D(2025, 1, 4)}, "only swap days"),
    ({"kind": "swap_day_off", "swapped_with": D(2025, 1, 4)}, "does not name it back"),
    ({"source": {"instrument": "x"}}, "missing key 'article'"),
])
def test_malformed_days_are_refused_naming_the_key(override: dict[str, Any], message: str) -> None:
    with pytest.raises(ParameterLoadError, match=message):
        parse_calendar(_minimal(**override))


def test_duplicate_keys_and_days_are_refused(tmp_path: Path) -> None:
    text = yaml.safe_dump(_minimal(), allow_unicode=True, sort_keys=False)
    path = tmp_path / "calendar.yaml"
    path.write_text(text.replace("  2025:\n", "  2025:\n    status: verified\n", 1), encoding="utf-8")
    with pytest.raises(ParameterLoadError, match="duplicate key 'status'"):
        load_calendar(path)
    twice = _minimal()
    twice["years"][2025]["days"] *= 2
    with pytest.raises(ParameterLoadError, match="listed twice"):
        parse_calendar(twice)


# --- properties ------------------------------------------------------------------------------

WORKING_SPAN = st.dates(min_value=D(2016, 1, 1), max_value=D(2027, 10, 31))


@settings(max_examples=300, deadline=None)
@given(start=WORKING_SPAN, n=st.integers(min_value=1, max_value=40))
def test_adding_working_days_lands_on_a_working_day_n_days_on(start: dt.date, n: int) -> None:
    end = add_working_days(start, n)
    assert is_working_day(end)
    assert working_days_between(start, end) == n


@settings(max_examples=100, deadline=None)
@given(start=WORKING_SPAN, n=st.integers(min_value=1, max_value=20),
       stop=st.integers(min_value=0, max_value=15), length=st.integers(min_value=0, max_value=15))
def test_a_pause_never_brings_the_due_date_forward(start: dt.date, n: int, stop: int, length: int) -> None:
    stopped = start + dt.timedelta(days=stop)
    paused = due_date(start, n, paused=[(stopped, stopped + dt.timedelta(days=length))])
    plain = due_date(start, n)
    assert paused >= plain and is_working_day(paused)
