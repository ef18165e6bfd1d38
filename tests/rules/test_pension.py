"""The old-age pension: the five worked examples of si.md §5.7 (average salary AS taken as
given), the minimum years on both sides of 2025-07-01, the rate steps, the 75 % cap and its
lump sum, the early-retirement reduction at its 6-month threshold, the minimum pension, the
retirement age on the day before and the day of, and bad input."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.law import default_parameters
from ansinh.rules.pension import PensionCase, PensionResult, benefit_years, compute
from ansinh.rules.pension_salary import SalaryPeriod, average_salary, coefficient

PARAMS = default_parameters()
MAN = dt.date(1964, 1, 10)  # 61y3m, reached 2025-04
WOMAN = dt.date(1968, 1, 10)  # 56y4m, reached 2024-05
DAY = dt.date(2026, 3, 15)


def pension(months: int, average: int, *, sex: str = "male", birth: dt.date | None = None,
            day: dt.date = DAY, **extra: object) -> PensionResult:
    birth = birth or (MAN if sex == "male" else WOMAN)
    return compute(PensionCase(as_of=day, sex=sex, birth_date=birth, months=months,  # type: ignore[arg-type]
                               average_salary=Fraction(average), **extra), PARAMS)  # type: ignore[arg-type]


def test_example_1_man_22_years_8_months() -> None:
    """22 years 8 months: the 8 odd months count as a year, Y = 23; 45 % + 2 % × 3 = 51 %;
    51 % × 15,000,000 = 7,650,000."""
    result = pension(22 * 12 + 8, 15_000_000)
    assert result.eligible and result.rate == Fraction(51, 100)
    assert (result.monthly, result.lump_sum, result.years_counted) == (7_650_000, 0, "22y8m")


def test_example_2_man_17_years_3_months() -> None:
    """17 years 3 months: Y = 17.5; 40 % + 1 % × 2.5 = 42.5 %; 42.5 % × 8,000,000 = 3,400,000;
    no minimum pension under 20 years."""
    result = pension(17 * 12 + 3, 8_000_000)
    assert result.rate == Fraction(425, 1000)
    assert result.monthly == 3_400_000
    assert result.amounts()["rate_percent"] == 42.5


def test_example_3_woman_31_years_2_months_capped() -> None:
    """31 years 2 months: Y = 31.5; 45 % + 2 % × 16.5 = 78 % → 75 %; 75 % × 12,000,000 =
    9,000,000; lump sum (31.5 − 30) × 0.5 × 12,000,000 = 9,000,000."""
    result = pension(31 * 12 + 2, 12_000_000, sex="female")
    assert result.rate == Fraction(3, 4)
    assert (result.monthly, result.lump_sum) == (9_000_000, 9_000_000)


def test_example_4_man_reduced_capacity_3_years_7_months_early() -> None:
    """Born 01/1968 (normal age 62y0m = 744 months); on 2026-06-15 he is 701 months old, 3 years
    7 months early. 25 years: 45 % + 2 % × 5 = 55 %; reduction 3 × 2 % + 1 % (7 months ≥ 6) = 7 %;
    48 % × 10,000,000 = 4,800,000."""
    result = pension(25 * 12, 10_000_000, birth=dt.date(1968, 1, 10), day=dt.date(2026, 6, 15),
                     early_reason="reduced_capacity", loss_percent=65)
    assert result.eligible and result.rate == Fraction(48, 100)
    assert result.monthly == 4_800_000


def test_early_reduction_remainder_under_6_months_is_free() -> None:
    """Born 01/1968, on 2026-08-15 he is 703 months old, 3 years 5 months early: 55 % − 6 % = 49 %;
    on 2026-07-15, 702 months, 3 years 6 months early: 55 % − 7 % = 48 %."""
    result = pension(25 * 12, 10_000_000, birth=dt.date(1968, 1, 10), day=dt.date(2026, 8, 15),
                     early_reason="reduced_capacity", loss_percent=65)
    assert result.rate == Fraction(49, 100)
    # 3 years 6 months early (702 months, 2026-07): 55 % − 7 % = 48 %.
    result = pension(25 * 12, 10_000_000, birth=dt.date(1968, 1, 10), day=dt.date(2026, 7, 15),
                     early_reason="reduced_capacity", loss_percent=65)
    assert result.rate == Fraction(48, 100)


def test_reduced_capacity_needs_20_years_and_the_lowest_age() -> None:
    """19 years 11 months: too few. Born 06/1970 (normal age 62y0m), the lowest age 57y0m is reached
    in 06/2027: on 2027-05-31 (683 months) too young, on 2027-06-01 eligible, 5 years early:
    55 % − 10 % = 45 %."""
    assert [r.code for r in pension(239, 10_000_000, birth=dt.date(1968, 1, 10), day=dt.date(2026, 6, 15),
                                    early_reason="reduced_capacity", loss_percent=65).reasons] == ["too_few_years"]
    birth = dt.date(1970, 6, 20)
    result = pension(300, 10_000_000, birth=birth, day=dt.date(2027, 5, 31), early_reason="reduced_capacity",
                     loss_percent=65)
    assert [r.code for r in result.reasons] == ["too_young"]
    result = pension(300, 10_000_000, birth=birth, day=dt.date(2027, 6, 1), early_reason="reduced_capacity",
                     loss_percent=65)
    assert result.eligible and result.rate == Fraction(45, 100)


def test_example_5_minimum_pension() -> None:
    """20 years, joined 2010: 45 % × 4,000,000 = 1,800,000 < 2,340,000 → 2,340,000 (art. 141(11))."""
    result = pension(240, 4_000_000, first_month=dt.date(2010, 1, 1))
    assert result.monthly == 2_340_000


def test_minimum_pension_follows_the_reference_level_and_its_conditions() -> None:
    """On 2026-07-01 the reference level is 2,530,000; joined 2025-07: no minimum; 19 years (44 %): none."""
    assert pension(240, 4_000_000, first_month=dt.date(2010, 1, 1), day=dt.date(2026, 7, 1)).monthly == 2_530_000
    assert pension(240, 4_000_000, first_month=dt.date(2025, 7, 1)).monthly == 1_800_000
    assert pension(228, 4_000_000, first_month=dt.date(2010, 1, 1)).monthly == 1_760_000


def test_minimum_years_the_day_before_and_the_day_of_law_41() -> None:
    """A man of 61y3m with 15 years: on 2025-06-30 (Law 58/2014, 20 years) too few; on 2025-07-01
    (Law 41/2024, 15 years) 40 % × 10,000,000 = 4,000,000."""
    before = pension(180, 10_000_000, day=dt.date(2025, 6, 30))
    assert not before.eligible and [r.code for r in before.reasons] == ["too_few_years"]
    after = pension(180, 10_000_000, day=dt.date(2025, 7, 1))
    assert after.eligible and after.monthly == 4_000_000


def test_fourteen_years_eleven_months_is_too_few() -> None:
    assert [r.code for r in pension(179, 10_000_000).reasons] == ["too_few_years"]


def test_law_58_men_base_years_2021_and_2022() -> None:
    """Born 06/1960 (60y0m reached 2020-06), 25 years: on 2021-12-31 the base is 19 years:
    45 % + 2 % × 6 = 57 %; on 2022-01-01 20 years: 55 %."""
    birth = dt.date(1960, 6, 1)
    assert pension(300, 10_000_000, birth=birth, day=dt.date(2021, 12, 31)).rate == Fraction(57, 100)
    assert pension(300, 10_000_000, birth=birth, day=dt.date(2022, 1, 1)).rate == Fraction(55, 100)


def test_law_58_lump_sum_over_35_years_for_men_from_2022() -> None:
    """Man, 36 years in 2024: 75 % from 35 years; lump sum 1 × 0.5 × 10,000,000 = 5,000,000."""
    result = pension(432, 10_000_000, birth=dt.date(1963, 4, 1), day=dt.date(2024, 6, 1))
    assert (result.rate, result.monthly, result.lump_sum) == (Fraction(3, 4), 7_500_000, 5_000_000)


def test_lump_sum_after_retirement_age_is_two_months_per_year() -> None:
    """Woman, 32 years, the last 24 months after reaching 56y4m: 2 years above 30, both after the
    age: 2 × 2 × 10,000,000 = 40,000,000 (Law 41/2024 art. 68)."""
    result = pension(384, 10_000_000, sex="female", months_after_age=24)
    assert result.lump_sum == 40_000_000


def test_retirement_age_the_day_before_and_the_day_of() -> None:
    """Man born 10/1964 reaches 61y6m in 04/2026: on 2026-03-31 too young, on 2026-04-01 eligible."""
    birth = dt.date(1964, 10, 20)
    assert [r.code for r in pension(300, 10_000_000, birth=birth, day=dt.date(2026, 3, 31)).reasons] == ["too_young"]
    result = pension(300, 10_000_000, birth=birth, day=dt.date(2026, 4, 1))
    assert result.eligible and result.retirement_age == "61y6m"


def test_hazardous_jobs_retire_five_years_earlier() -> None:
    """Man born 10/1969 (normal age 62y0m): with 15 years hazardous he may retire at 57y0m, reached
    10/2026, with no reduction (55 % for 25 years); on 2026-09-30 he is too young; with 14 years
    11 months hazardous he is refused."""
    birth = dt.date(1969, 10, 20)
    result = pension(300, 10_000_000, birth=birth, day=dt.date(2026, 10, 1), early_reason="hazardous",
                     hazardous_months=180)
    assert result.eligible and result.rate == Fraction(55, 100)
    result = pension(300, 10_000_000, birth=birth, day=dt.date(2026, 9, 30), early_reason="hazardous",
                     hazardous_months=180)
    assert [r.code for r in result.reasons] == ["too_young"]
    result = pension(300, 10_000_000, birth=birth, day=dt.date(2026, 10, 1), early_reason="hazardous",
                     hazardous_months=179)
    assert [r.code for r in result.reasons] == ["too_few_hazardous_years", "too_young"]


def test_benefit_years_odd_months() -> None:
    """1-6 odd months = ½ year, 7-11 = 1 year."""
    assert [benefit_years(240 + odd) for odd in (0, 1, 6, 7, 11)] == [20, Fraction(41, 2), Fraction(41, 2), 21, 21]


def test_bad_input_names_the_field() -> None:
    with pytest.raises(InvalidInput) as error:
        pension(300, 10_000_000, early_reason="tired")
    assert error.value.field == "early_reason"
    with pytest.raises(InvalidInput) as error:
        pension(-1, 10_000_000)
    assert error.value.field == "history"


def test_explanation_names_its_bases() -> None:
    lines = pension(31 * 12 + 2, 12_000_000, sex="female").explanation
    assert any("41/2024/QH15, art. 66(1)" in line.basis for line in lines)
    assert any("art. 68" in line.basis for line in lines)
    assert any("Decree 135/2020" in line.basis for line in lines)


# The average revalued salary (si.md §6)


WORKED = (
    SalaryPeriod(dt.date(2015, 1, 1), dt.date(2015, 12, 1), 5_000_000),
    SalaryPeriod(dt.date(2020, 1, 1), dt.date(2020, 12, 1), 8_000_000),
    SalaryPeriod(dt.date(2024, 1, 1), dt.date(2024, 12, 1), 12_000_000),
)


def test_average_salary_worked_example_granted_2025() -> None:
    """si.md §6.3: 60,000,000 × 1.31 = 78,600,000; 96,000,000 × 1.12 = 107,520,000;
    144,000,000 × 1.00 = 144,000,000; AS = 330,120,000 / 36 = 9,170,000."""
    average, months, lines = average_salary(PARAMS, WORKED, dt.date(2025, 9, 1))
    assert (average, months) == (9_170_000, 36)
    assert any("Circular 01/2025" in line.basis for line in lines)


def test_average_salary_granted_2026_uses_the_2026_table() -> None:
    """60,000,000 × 1.36 = 81,600,000; 96,000,000 × 1.16 = 111,360,000; 144,000,000 × 1.03 =
    148,320,000; AS = 341,280,000 / 36 = 9,480,000."""
    average, _, _ = average_salary(PARAMS, WORKED, dt.date(2026, 1, 1))
    assert average == 9_480_000


def test_no_table_for_2027_grants() -> None:
    """The tables end with benefits granted in 2026: 2026-12-31 is averaged, 2027-01-01 refused
    rather than revalued with the 2026 table."""
    assert average_salary(PARAMS, WORKED, dt.date(2026, 12, 31))[0] == 9_480_000
    with pytest.raises(ParameterNotInForce):
        average_salary(PARAMS, WORKED, dt.date(2027, 1, 1))


def test_before_1995_and_the_table_ends() -> None:
    """1994 salaries take the before-1995 coefficient (5.63 in 2025, 5.81 in 2026); 1995 4.78;
    2025 1.00; a 2026 contribution has no coefficient in the 2025 table."""
    assert coefficient(PARAMS, 1990, dt.date(2025, 1, 1)) == Fraction("5.63")
    assert coefficient(PARAMS, 1994, dt.date(2026, 1, 1)) == Fraction("5.81")
    assert coefficient(PARAMS, 1995, dt.date(2025, 12, 31)) == Fraction("4.78")
    assert coefficient(PARAMS, 2025, dt.date(2025, 12, 31)) == 1
    with pytest.raises(ParameterNotInForce):
        coefficient(PARAMS, 2026, dt.date(2025, 12, 31))
    for granted, last in ((dt.date(2025, 6, 1), 2025), (dt.date(2026, 6, 1), 2026)):
        assert all(coefficient(PARAMS, year, granted) >= 1 for year in range(1994, last + 1))


def test_average_salary_refuses_what_it_cannot_average() -> None:
    """A history is refused naming the period: months after the grant, no months at all, a
    voluntary period on the State scale, a State salary of 0."""
    with pytest.raises(InvalidInput) as error:
        average_salary(PARAMS, WORKED, dt.date(2024, 11, 1))
    assert error.value.field == "history.2.to"
    with pytest.raises(InvalidInput) as error:
        average_salary(PARAMS, (), dt.date(2025, 9, 1))
    assert error.value.field == "history"
    voluntary_state = (SalaryPeriod(dt.date(2015, 1, 1), dt.date(2015, 12, 1), 5_000_000, scheme="voluntary",
                                    sector="state"),)
    with pytest.raises(InvalidInput) as error:
        average_salary(PARAMS, voluntary_state, dt.date(2025, 9, 1))
    assert (error.value.field, error.value.code) == ("history.0.sector", "scheme.voluntary_not_state")
    zero = (*WORKED[:2], SalaryPeriod(dt.date(2024, 1, 1), dt.date(2024, 12, 1), 0, sector="state"))
    with pytest.raises(InvalidInput) as error:
        average_salary(PARAMS, zero, dt.date(2025, 9, 1))
    assert (error.value.field, error.value.code) == ("history.2.salary", "sector.state_salary_not_positive")


def test_early_reduction_under_law_58_the_day_before_law_41() -> None:
    """Born 01/1968, 25 years, 65 % loss. On 2025-06-30 (Law 58/2014, normal age 62y0m, the
    reduced-capacity age 5 years lower, art. 55(1)(a) as amended) he is 689 months old, 4 years
    7 months before 62y0m: art. 56(3) takes 2 % a year and 1 % for an age with 1 to 6 odd months
    (his age 57y5m has 5): 8 % + 1 % = 9 %; 2025 men's base 20 years: 55 % − 9 % = 46 %. On
    2025-07-01 (Law 41 art. 66(3)) 4 years 6 months early: 8 % + 1 % (6 odd months) = 9 % too:
    46 %."""
    birth = dt.date(1968, 1, 10)
    before = pension(300, 10_000_000, birth=birth, day=dt.date(2025, 6, 30), early_reason="reduced_capacity",
                     loss_percent=65)
    assert before.eligible and before.rate == Fraction(46, 100)
    assert any("58/2014/QH13, art. 56(3)" in line.basis for line in before.explanation)
    after = pension(300, 10_000_000, birth=birth, day=dt.date(2025, 7, 1), early_reason="reduced_capacity",
                    loss_percent=65)
    assert after.eligible and after.rate == Fraction(46, 100)
    assert any("41/2024/QH15, art. 66(3)" in line.basis for line in after.explanation)
