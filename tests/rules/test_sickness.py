"""The sickness benefit: the fact sheet's worked example (si.md §8), the bands of days at each
threshold, child care by age, days used, the law on both sides of 2025-07-01, and bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from ansinh.core.errors import InvalidInput
from ansinh.law import default_parameters
from ansinh.law.params import ParameterSet
from ansinh.rules.short_term_salary import InsuredPeriod
from ansinh.rules.sickness import SicknessCase, SicknessResult, compute

PARAMS: ParameterSet = default_parameters()
D = dt.date


def months_before(event: dt.date, count: int, salary: int = 10_000_000, *, hazardous: bool = False,
                  ) -> tuple[InsuredPeriod, ...]:
    """``count`` months paid, ending with the month before ``event``'s month."""
    last = event.replace(day=1)
    end_index = last.year * 12 + last.month - 2
    start_index = end_index - count + 1
    start = D(start_index // 12, start_index % 12 + 1, 1)
    end = D(end_index // 12, end_index % 12 + 1, 1)
    return (InsuredPeriod(start, end, salary, hazardous=hazardous),)


def sick(event: dt.date, history: tuple[InsuredPeriod, ...], days: int, **fields: object) -> SicknessResult:
    return compute(SicknessCase(as_of=event, history=history, days=days, **fields), PARAMS)  # type: ignore[arg-type]


def test_worked_example_five_days() -> None:
    """si.md §8: base of the previous month 10,000,000, 5 working days:
    75 % × 10,000,000 / 24 × 5 = 7,500,000 / 24 × 5 = 312,500 × 5 = 1,562,500."""
    result = sick(D(2025, 8, 4), months_before(D(2025, 8, 4), 60), 5)
    assert result.eligible and result.reasons == []
    assert result.amounts() == {"days_paid": 5, "daily": 312_500, "amount": 1_562_500}
    assert any("Law 41/2024/QH15" in line.basis for line in result.explanation)


def test_worked_example_one_day_is_the_half_day_base() -> None:
    """si.md §8: a ½-day absence = 156,250, half of the daily 75 % × 10,000,000 / 24 = 312,500
    (half days are not modelled: one whole day is 312,500)."""
    result = sick(D(2025, 8, 4), months_before(D(2025, 8, 4), 60), 1)
    assert result.daily == 312_500 and result.daily // 2 == 156_250


def test_rounded_once_on_the_amount() -> None:
    """75 % × 10,000,001 / 24 = 312,500.03125 a day (shown 312,500); × 3 = 937,500.09375 → 937,500;
    × 16 = 5,000,000.5 → 5,000,001 (rounded once, half up; 16 × 312,500 would be 5,000,000)."""
    history = months_before(D(2025, 8, 4), 24, 10_000_001)
    assert sick(D(2025, 8, 4), history, 3).amount == 937_500
    result = sick(D(2025, 8, 4), history, 16)
    assert (result.daily, result.amount) == (312_500, 5_000_001)


def test_paid_on_the_month_before_not_older_months() -> None:
    """Salary 8,000,000 to 2025-06, then 12,000,000 for 2025-07; leave 2025-08-04:
    75 % × 12,000,000 / 24 = 375,000 a day."""
    history = (InsuredPeriod(D(2024, 1, 1), D(2025, 6, 1), 8_000_000),
               InsuredPeriod(D(2025, 7, 1), D(2025, 7, 1), 12_000_000))
    assert sick(D(2025, 8, 4), history, 2).amounts() == {"days_paid": 2, "daily": 375_000, "amount": 750_000}


def test_first_month_of_joining_uses_that_month() -> None:
    """Joined 2025-08 at 9,600,000, sick on 2025-08-20: 75 % × 9,600,000 / 24 = 300,000 a day (Law 41 art. 45(2))."""
    history = (InsuredPeriod(D(2025, 8, 1), D(2025, 8, 1), 9_600_000),)
    assert sick(D(2025, 8, 20), history, 1).amounts() == {"days_paid": 1, "daily": 300_000, "amount": 300_000}


@pytest.mark.parametrize(("months", "hazardous", "entitled"), [
    (179, False, 30), (180, False, 40), (359, False, 40), (360, False, 60),
    (179, True, 40), (180, True, 50), (359, True, 50), (360, True, 70),
])
def test_days_a_year_at_each_band(months: int, hazardous: bool, entitled: int) -> None:
    """Under 15 years 30 (40 hazardous), 15 to under 30 years 40 (50), 30 years or more 60 (70):
    179 months = 14 full years, 180 = 15, 359 = 29, 360 = 30. Asking 100 days pays the yearly maximum."""
    event = D(2025, 9, 1)
    result = sick(event, months_before(event, months, hazardous=hazardous), 100)
    assert result.days_paid == entitled


@pytest.mark.parametrize("event", [D(2025, 6, 30), D(2025, 7, 1)])
def test_same_days_and_rate_on_both_sides_of_2025_07_01(event: dt.date) -> None:
    """Law 58/2014 art. 26, 28 on 2025-06-30 and Law 41/2024 art. 43, 45 on 2025-07-01 both give
    30 days under 15 years and 75 % × 10,000,000 / 24 = 312,500 a day: 30 days = 9,375,000."""
    result = sick(event, months_before(event, 12), 31)
    assert result.amounts() == {"days_paid": 30, "daily": 312_500, "amount": 9_375_000}
    law = "Law 58/2014/QH13" if event < D(2025, 7, 1) else "Law 41/2024/QH15"
    assert all(law in line.basis or "Law" not in line.basis for line in result.explanation)
    assert any(law in line.basis for line in result.explanation)


def test_hazardous_flag_of_the_latest_period() -> None:
    """Hazardous work long ago, normal work at the event, 5 years: the normal table, 30 days."""
    history = (InsuredPeriod(D(2015, 1, 1), D(2019, 12, 1), 10_000_000, hazardous=True),
               InsuredPeriod(D(2020, 1, 1), D(2020, 12, 1), 10_000_000))
    assert sick(D(2021, 1, 5), history, 60).days_paid == 30


def test_days_used_cap_and_no_days_left() -> None:
    """30 a year, 25 used: 10 asked pay 5 = 5 × 312,500 = 1,562,500; 30 used: nothing left."""
    history = months_before(D(2025, 8, 4), 24)
    assert sick(D(2025, 8, 4), history, 10, days_used_this_year=25).amounts() == {
        "days_paid": 5, "daily": 312_500, "amount": 1_562_500}
    result = sick(D(2025, 8, 4), history, 10, days_used_this_year=30)
    assert not result.eligible and [r.code for r in result.reasons] == ["no_days_left"]
    assert result.amounts() == {"days_paid": 0, "daily": 0, "amount": 0}


@pytest.mark.parametrize(("age", "entitled"), [(0, 20), (35, 20), (36, 15), (83, 15)])
def test_child_days_by_age(age: int, entitled: int) -> None:
    """A sick child under 36 months: 20 days a year; 36 to under 84 months: 15."""
    event = D(2025, 8, 4)
    result = sick(event, months_before(event, 24), 30, kind="child", child_age_months=age)
    assert result.eligible and result.days_paid == entitled
    assert result.amount == entitled * 312_500


def test_child_of_seven_gives_nothing() -> None:
    event = D(2025, 8, 4)
    result = sick(event, months_before(event, 24), 3, kind="child", child_age_months=84)
    assert not result.eligible and [r.code for r in result.reasons] == ["child_too_old"]


def test_not_insured_at_event() -> None:
    """Last paid 2025-06, sick 2025-08-04: neither 2025-07 nor 2025-08 was paid."""
    history = (InsuredPeriod(D(2020, 1, 1), D(2025, 6, 1), 10_000_000),)
    result = sick(D(2025, 8, 4), history, 3)
    assert not result.eligible and [r.code for r in result.reasons] == ["not_insured_at_event"]
    assert sick(D(2025, 8, 4), (), 3).reasons[0].code == "not_insured_at_event"


@pytest.mark.parametrize(("fields", "field"), [
    ({"days": 0}, "days"),
    ({"days": 3, "days_used_this_year": -1}, "days_used_this_year"),
    ({"days": 3, "kind": "spouse"}, "kind"),
    ({"days": 3, "kind": "child"}, "child_age_months"),
    ({"days": 3, "kind": "child", "child_age_months": -1}, "child_age_months"),
])
def test_bad_input_names_the_field(fields: dict[str, object], field: str) -> None:
    event = D(2025, 8, 4)
    with pytest.raises(InvalidInput) as caught:
        compute(SicknessCase(as_of=event, history=months_before(event, 12), **fields), PARAMS)  # type: ignore[arg-type]
    assert caught.value.field == field


@pytest.mark.parametrize(("history", "field"), [
    ((InsuredPeriod(D(2025, 1, 1), D(2025, 6, 1), -1),), "history.0.salary"),
    ((InsuredPeriod(D(2025, 6, 1), D(2025, 1, 1), 1),), "history.0.to"),
    ((InsuredPeriod(D(2025, 1, 1), D(2025, 6, 1), 1), InsuredPeriod(D(2025, 6, 1), D(2025, 7, 1), 1)),
     "history.1.from"),
    ((InsuredPeriod(D(2025, 1, 1), D(2025, 9, 1), 1),), "history.0.to"),
])
def test_bad_history_names_the_period(history: tuple[InsuredPeriod, ...], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        sick(D(2025, 8, 4), history, 3)
    assert caught.value.field == field
