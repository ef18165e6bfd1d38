"""Pension indexation: each decree's increase on the day before and the day it starts, the
2023 cohort of Decree 42/2023, the pre-1995 top-ups, rounding, the amounts that cannot be
indexed, and the shape of the parameters (one entry per increase)."""

from __future__ import annotations

import datetime as dt

import pytest

from ansinh.core.errors import InvalidInput
from ansinh.law import default_parameters
from ansinh.law.params import ParameterSet
from ansinh.rules.pension_indexation import (
    PER_INCREASE_KEYS,
    RATE_KEY,
    IndexationCase,
    IndexationResult,
    compute,
    increase_dates,
)

PARAMS: ParameterSet = default_parameters()
D = dt.date
ONE_DAY = dt.timedelta(days=1)
INCREASES = [D(2017, 7, 1), D(2018, 7, 1), D(2019, 7, 1), D(2022, 1, 1), D(2023, 7, 1), D(2024, 7, 1),
             D(2026, 7, 1)]


def indexed(as_of: dt.date, monthly: int, started: dt.date, paid_from: dt.date | None = None) -> IndexationResult:
    return compute(IndexationCase(as_of=as_of, monthly=monthly, started=started, paid_from=paid_from), PARAMS)


def steps(result: IndexationResult) -> list[tuple[str, float, int, int]]:
    return [(i.starts.isoformat(), float(i.rate * 100), i.top_up, i.monthly) for i in result.increases]


def test_the_increases_are_the_decrees() -> None:
    """Decrees 76/2017, 88/2018, 44/2019, 108/2021 (2022-01-01), 42/2023, 75/2024, 162/2026;
    none in 2020-2021."""
    assert increase_dates(PARAMS) == INCREASES


@pytest.mark.parametrize("key", PER_INCREASE_KEYS)
def test_every_per_increase_parameter_has_an_entry_on_each_increase(key: str) -> None:
    """The cohort rate and the top-ups belong to one decree: each file has a value (or null) on
    the date of every increase, so that no decree's top-up leaks into the next."""
    dates = [value.starts for value in PARAMS.get(key).values]
    assert dates == [value.starts for value in PARAMS.get(RATE_KEY).values]


def test_worked_example_2022_cohort() -> None:
    """Started 2023-01-01 at 5,000,000 đ: not raised by Decree 108/2021 (it started after
    2022-01-01), so 2023-07-01 is 20.8 % (Decree 42/2023 art. 2(1)(b)): 6,040,000; 2024-07-01
    + 15 %: 6,946,000."""
    result = indexed(D(2024, 7, 1), 5_000_000, D(2023, 1, 1))
    assert result.amounts() == {"monthly": 6_946_000, "increases": [
        {"from": "2023-07-01", "percent": 20.8, "top_up": 0, "monthly": 6_040_000},
        {"from": "2024-07-01", "percent": 15.0, "top_up": 0, "monthly": 6_946_000},
    ]}
    assert indexed(D(2023, 6, 30), 5_000_000, D(2023, 1, 1)).monthly == 5_000_000
    assert indexed(D(2024, 6, 30), 5_000_000, D(2023, 1, 1)).monthly == 6_040_000


def test_worked_example_2020_to_2026() -> None:
    """Started 2020-03-01 at 4,000,000 (nothing in 2020-2021): × 1.074 = 4,296,000 (2022);
    × 1.125 = 4,833,000 (2023, raised by Decree 108 so 12.5 %); × 1.15 = 5,557,950 (2024);
    × 1.08 = 6,002,586 (2026-07-01)."""
    result = indexed(D(2026, 7, 1), 4_000_000, D(2020, 3, 1))
    assert [step[3] for step in steps(result)] == [4_296_000, 4_833_000, 5_557_950, 6_002_586]
    assert result.monthly == 6_002_586


def test_rounded_once_per_increase_half_up() -> None:
    """Started 2017-01-01 at 3,333,333: × 1.0744 = 3,581,332.98 → 3,581,333; × 1.0692 =
    3,829,161.24 → 3,829,161; × 1.0719 = 4,104,477.68 → 4,104,478 (each increase on the
    amount paid, rounded to the đồng)."""
    result = indexed(D(2019, 7, 1), 3_333_333, D(2017, 1, 1))
    assert steps(result) == [("2017-07-01", 7.44, 0, 3_581_333), ("2018-07-01", 6.92, 0, 3_829_161),
                             ("2019-07-01", 7.19, 0, 4_104_478)]


def test_worked_example_before_1995_with_top_ups() -> None:
    """Started 1990-05-01; 2,000,000 đ paid in 2021-12.
    2022-01-01: × 1.074 = 2,148,000 < 2,500,000: + 200,000 = 2,348,000 (Decree 108/2021);
    2023-07-01: × 1.125 = 2,641,500 < 3,000,000: + 300,000 = 2,941,500 (Decree 42/2023);
    2024-07-01: × 1.15 = 3,382,725, between 3,200,000 and 3,500,000: raised to 3,500,000
    (+ 117,275; Decree 75/2024); 2026-07-01: × 1.08 = 3,780,000, above 3,500,000: raised to
    3,800,000 (+ 20,000; Decree 162/2026)."""
    result = indexed(D(2026, 7, 1), 2_000_000, D(1990, 5, 1), paid_from=D(2021, 12, 1))
    assert steps(result) == [("2022-01-01", 7.4, 200_000, 2_348_000), ("2023-07-01", 12.5, 300_000, 2_941_500),
                             ("2024-07-01", 15.0, 117_275, 3_500_000), ("2026-07-01", 8.0, 20_000, 3_800_000)]


def test_the_2026_band_edge_and_above_the_floor() -> None:
    """Before 1995: 3,240,741 × 1.08 = 3,500,000.28 → 3,500,000, 'equal to or lower than
    3,500,000': + 300,000 = 3,800,000 (Decree 162/2026 art. 2(2)(a)). 3,900,000 × 1.08 =
    4,212,000 is above 3,800,000: no top-up. Started on 1995-01-01: no top-up either."""
    assert steps(indexed(D(2026, 7, 1), 3_240_741, D(1994, 12, 31), D(2025, 1, 1))) == [
        ("2026-07-01", 8.0, 300_000, 3_800_000)]
    assert indexed(D(2026, 7, 1), 3_900_000, D(1980, 1, 1), D(2025, 1, 1)).increases[0].top_up == 0
    assert indexed(D(2026, 7, 1), 3_240_741, D(1995, 1, 1), D(2025, 1, 1)).monthly == 3_500_000


def test_the_cohort_boundary_of_decree_108() -> None:
    """Started 2021-12-31: raised 7.4 % on 2022-01-01, then 12.5 % on 2023-07-01:
    10,000,000 → 10,740,000 → 12,082,500. Started 2022-01-01: not raised on 2022-01-01 (an
    increase is for pensions had before its date), then 20.8 %: 12,080,000."""
    assert indexed(D(2023, 7, 1), 10_000_000, D(2021, 12, 31)).monthly == 12_082_500
    started_on_the_day = indexed(D(2023, 7, 1), 10_000_000, D(2022, 1, 1))
    assert steps(started_on_the_day) == [("2023-07-01", 20.8, 0, 12_080_000)]


def test_an_amount_of_a_later_month() -> None:
    """Started 2019-03-01 (so raised by Decree 108/2021), 6,000,000 paid in 2023-01: only the
    increases after it: 2023-07-01 at 12.5 % = 6,750,000."""
    result = indexed(D(2023, 12, 31), 6_000_000, D(2019, 3, 1), paid_from=D(2023, 1, 1))
    assert steps(result) == [("2023-07-01", 12.5, 0, 6_750_000)]


@pytest.mark.parametrize("day", INCREASES)
def test_each_increase_the_day_before_and_the_day_it_starts(day: dt.date) -> None:
    """For every increase: on the day before, the amount is the previous one; on the day, it is
    raised by that decree's rate (a pension paid from 2016-08-01 at 10,000,000)."""
    before = indexed(day - ONE_DAY, 10_000_000, D(2016, 8, 1))
    on_the_day = indexed(day, 10_000_000, D(2016, 8, 1))
    assert len(on_the_day.increases) == len(before.increases) + 1
    last = on_the_day.increases[-1]
    assert last.starts == day
    assert last.monthly > before.monthly
    assert last.monthly == (before.monthly * (1 + last.rate) * 2 + 1) // 2


def test_no_increase_in_between() -> None:
    """2020 to 2021 had no increase: a pension from 2020-01-01 is unchanged on 2021-12-31."""
    result = indexed(D(2021, 12, 31), 4_000_000, D(2020, 1, 1))
    assert (result.monthly, result.increases) == (4_000_000, [])


def test_the_first_month_that_can_be_indexed() -> None:
    """Amounts paid before 2016-08-01 are refused (increases before 2016 are not encoded and
    Decree 55/2016's 8 % counts from each pension's first month); 2016-08 is accepted."""
    with pytest.raises(InvalidInput) as caught:
        indexed(D(2024, 7, 1), 3_000_000, D(2010, 1, 1))
    assert (caught.value.field, caught.value.code) == ("pension_start", "pension_indexation.before_known")
    with pytest.raises(InvalidInput) as caught:
        indexed(D(2024, 7, 1), 3_000_000, D(2010, 1, 1), paid_from=D(2016, 7, 1))
    assert caught.value.field == "month"
    assert len(indexed(D(2024, 7, 1), 3_000_000, D(2010, 1, 1), paid_from=D(2016, 8, 1)).increases) == 6


@pytest.mark.parametrize(("case", "field", "code"), [
    (IndexationCase(as_of=D(2024, 7, 1), monthly=0, started=D(2020, 1, 1)), "monthly_pension",
     "pension_indexation.monthly"),
    (IndexationCase(as_of=D(2024, 7, 1), monthly=1, started=D(2024, 7, 2)), "pension_start",
     "pension_indexation.start_after_as_of"),
    (IndexationCase(as_of=D(2024, 7, 1), monthly=1, started=D(2020, 5, 1), paid_from=D(2020, 4, 1)), "month",
     "pension_indexation.paid_before_start"),
    (IndexationCase(as_of=D(2024, 7, 1), monthly=1, started=D(2020, 5, 1), paid_from=D(2024, 8, 1)), "month",
     "pension_indexation.paid_after_as_of"),
])
def test_bad_input_names_the_field(case: IndexationCase, field: str, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        compute(case, PARAMS)
    assert (caught.value.field, caught.value.code) == (field, code)
