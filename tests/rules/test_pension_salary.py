"""The average salary of State pay-scale and voluntary careers (Law 58/2014 arts. 62-63, 79;
Law 41/2024 arts. 72-73, 104; Decree 158/2025 arts. 15-17): the last years by the year SI
began, the revaluation by the base salary of the grant (on the day before and the day it
changes), the whole State period where higher (the day before and the day of 2025-07-01),
mixed careers, and the refusals."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.core.periods import add_months
from ansinh.law import default_parameters
from ansinh.rules.pension_salary import SalaryPeriod, average_salary, state_years

PARAMS = default_parameters()
D = dt.date


def state(first: dt.date, last: dt.date, coefficient: str) -> list[SalaryPeriod]:
    """State pay-scale periods at one pay coefficient: salary = coefficient × the base salary of
    each month (one period per base salary), as the quote contract defines them."""
    periods, month = [], first
    while month <= last:
        base, start = PARAMS.value_at("si.base_salary", month), month
        while month <= last and PARAMS.value_at("si.base_salary", month) == base:
            end, month = month, add_months(month, 1)
        periods.append(SalaryPeriod(start, end, int(Fraction(coefficient) * base), sector="state"))
    return periods


def test_the_years_averaged_by_the_year_si_began() -> None:
    """Law 41/2024 art. 72(1) (Law 58/2014 art. 62(1) the same): before 1995 5 years, 1995-2000
    6, 2001-2006 8, 2007-2015 10, 2016-2019 15, 2020-2024 20, from 2025 the whole period."""
    day = D(2026, 1, 1)
    starts = [(D(1994, 12, 1), 5), (D(1995, 1, 1), 6), (D(2000, 12, 1), 6), (D(2001, 1, 1), 8), (D(2006, 12, 1), 8),
              (D(2007, 1, 1), 10), (D(2015, 12, 1), 10), (D(2016, 1, 1), 15), (D(2019, 12, 1), 15),
              (D(2020, 1, 1), 20), (D(2024, 12, 1), 20), (D(2025, 1, 1), None)]
    assert [state_years(PARAMS, began, day)[0] for began, _ in starts] == [years for _, years in starts]
    key = state_years(PARAMS, D(2010, 1, 1), D(2025, 6, 30))[1]
    assert key == "si.pension.average.state_last_years.2007"
    assert PARAMS.source_at(key, D(2025, 6, 30)).article == "art. 62(1)(d)"
    assert PARAMS.source_at(key, D(2025, 7, 1)).article == "art. 72(1)(d)"


def test_began_before_1995_last_five_years_law_58() -> None:
    """SI began 1994-01, coefficient 4.65 to 12/2017 then 4.98, retiring 2020-06-01 (Law 58): the
    last 60 months 06/2015-05/2020 are 31 at 4.65 and 29 at 4.98: coefficients 144.15 + 144.42 =
    288.57, × the base salary on the day of grant 1,490,000 / 60 = 7,166,155 (art. 63(1))."""
    periods = (*state(D(1994, 1, 1), D(2017, 12, 1), "4.65"), *state(D(2018, 1, 1), D(2020, 5, 1), "4.98"))
    average, months, lines = average_salary(PARAMS, periods, D(2020, 6, 1))
    assert (average, months) == (7_166_155, 317)
    assert any("58/2014/QH13, art. 62(1)(a)" in line.basis for line in lines)
    assert any("58/2014/QH13, art. 63(1)" in line.basis for line in lines)


def test_began_2010_last_ten_years_by_the_base_salary_of_the_grant() -> None:
    """SI began 2010-01: 2.34 to 2015, 3.00 2016-2020, 3.33 from 2021 to 05/2026. The last 120
    months 06/2016-05/2026: 55 × 3.00 + 65 × 3.33 = 381.45. Granted 2026-06-30: × 2,340,000 / 120
    = 7,438,275; granted 2026-07-01, when the base salary becomes 2,530,000: 8,042,237.5. The
    whole period (564.93 / 197 = 2.87) is lower: the last years are kept."""
    periods = (*state(D(2010, 1, 1), D(2015, 12, 1), "2.34"), *state(D(2016, 1, 1), D(2020, 12, 1), "3.00"),
               *state(D(2021, 1, 1), D(2026, 5, 1), "3.33"))
    assert average_salary(PARAMS, periods, D(2026, 6, 30))[0] == 7_438_275
    average, _, lines = average_salary(PARAMS, periods, D(2026, 7, 1))
    assert average == Fraction(16_084_475, 2)
    assert any("the last years are kept" in line.value for line in lines)


def test_the_whole_state_period_where_higher_from_2025_07_01() -> None:
    """SI began 2010-01: 5.00 for 120 months, then 3.00 for 65 (to 05/2025). On 2025-06-30 (Law 58)
    the last 120 months: (55 × 5 + 65 × 3) = 470 × 2,340,000 / 120 = 9,165,000. On 2025-07-01
    Decree 158 art. 15(2)(c): the whole period 795 / 185 is higher than 470 / 120: 795 ×
    2,340,000 / 185."""
    periods = (*state(D(2010, 1, 1), D(2019, 12, 1), "5.00"), *state(D(2020, 1, 1), D(2025, 5, 1), "3.00"))
    assert average_salary(PARAMS, periods, D(2025, 6, 30))[0] == 9_165_000
    average, _, lines = average_salary(PARAMS, periods, D(2025, 7, 1))
    assert average == Fraction(795 * 2_340_000, 185)
    assert any("158/2025/ND-CP, art. 15(2)(c)" in line.basis and "whole period is higher" in line.value
               for line in lines)


def test_began_2016_revalued_by_the_cpi() -> None:
    """SI began 2016-01 on the State scale: revalued like employer-set pay (Law 41 art. 73(1)(b));
    15 years are averaged but there are only 120 months, so all: 10,000,000 × 12 × (1.32 + 1.28 +
    1.23 + 1.20 + 1.16 + 1.14 + 1.11 + 1.07 + 1.03 + 1.00 = 11.54) / 120 = 11,540,000 (2026 table)."""
    periods = (SalaryPeriod(D(2016, 1, 1), D(2025, 12, 1), 10_000_000, sector="state"),)
    average, _, lines = average_salary(PARAMS, periods, D(2026, 3, 15))
    assert average == 11_540_000
    assert any("340/BHXH-CSXH" in line.basis for line in lines)


MIXED = (SalaryPeriod(D(1998, 1, 1), D(2009, 12, 1), 5_000_000),)


def test_state_and_employer_set_months_together() -> None:
    """Employer-set 1998-2009 at 5,000,000: 60,000,000 × (4.18 + 4.01 + 4.07 + 4.09 + 3.94 + 3.81 +
    3.54 + 3.27 + 3.05 + 2.81 + 2.29 + 2.14 = 41.20) = 2,472,000,000 (2026 table). State 2010-2025
    at 4.00; SI began 1998: the last 6 years, 4.00 × 2,340,000 = 9,360,000, counted for all 192
    State months: 1,797,120,000. AS = 4,269,120,000 / 336 (Law 41 art. 72(3), Decree 158 art. 15(4))."""
    periods = (*MIXED, *state(D(2010, 1, 1), D(2025, 12, 1), "4.00"))
    average, months, lines = average_salary(PARAMS, periods, D(2026, 3, 15))
    assert (average, months) == (Fraction(4_269_120_000, 336), 336)
    assert any("41/2024/QH15, art. 72(3)" in line.basis for line in lines)


def test_a_mixed_career_whose_whole_state_period_is_higher_is_not_decided() -> None:
    """The same employer-set years, then State 5.00 for 2010-2019 and 3.00 for 2020-2025: the whole
    State period (816 / 192 = 4.25) averages above its last 6 years (3.00). Decree 158 art. 15(4)
    does not say whether art. 15(2)(c) applies to the State time of a mixed career: refused."""
    periods = (*MIXED, *state(D(2010, 1, 1), D(2019, 12, 1), "5.00"), *state(D(2020, 1, 1), D(2025, 12, 1), "3.00"))
    with pytest.raises(InvalidInput) as error:
        average_salary(PARAMS, periods, D(2026, 3, 15))
    assert error.value.code == "sector.state_mixed_whole_period_not_decided"


def test_state_salaries_before_2004_10_are_refused_when_averaged() -> None:
    """State from 2000-01 at 3.00. On 2025-06-30 (Law 58) only the last 6 years are averaged:
    3.00 × 2,340,000 = 7,020,000. From 2025-07-01 the whole period is compared, and its months
    before 2004-10 would first be converted to the pay scale of the grant (Decree 158 art.
    15(1)(a)), which needs the grade and step: refused, naming the period."""
    periods = tuple(state(D(2000, 1, 1), D(2025, 5, 1), "3.00"))
    assert average_salary(PARAMS, periods, D(2025, 6, 30))[0] == 7_020_000
    with pytest.raises(InvalidInput) as error:
        average_salary(PARAMS, periods, D(2025, 7, 1))
    assert (error.value.code, error.value.field) == ("sector.state_conversion_not_modelled", "history.0.from")


def test_a_state_period_before_the_base_salary_table_is_refused() -> None:
    """State 1990-01 to 1992-12, then employer-set pay: with fewer than 5 years of State months all
    of them are averaged, and 1990 has no base salary to derive the coefficient from (the table
    begins 1994-01): refused, naming the period."""
    periods = (SalaryPeriod(D(1990, 1, 1), D(1992, 12, 1), 500_000, sector="state"),
               SalaryPeriod(D(1993, 1, 1), D(2024, 12, 1), 8_000_000))
    with pytest.raises(InvalidInput) as error:
        average_salary(PARAMS, periods, D(2025, 9, 1))
    assert (error.value.code, error.value.field) == ("sector.state_before_base_salary", "history.0.from")
    assert "1990-01" in error.value.message


def test_voluntary_incomes_by_their_own_table() -> None:
    """Voluntary 01/2010-04/2026 at 3,000,000, granted 2026-06-01 (CV 340 income column): 36,000,000
    × (1.96 + 1.65 + 1.51 + 1.42 + 1.36 + 1.36 + 1.32 + 1.28 + 1.23 + 1.20 + 1.16 + 1.14 + 1.11 + 1.07 +
    1.03 + 1.00 = 20.80) + 12,000,000 × 1.00 = 760,800,000 / 196 months (Law 41 art. 104)."""
    periods = (SalaryPeriod(D(2010, 1, 1), D(2026, 4, 1), 3_000_000, scheme="voluntary"),)
    average, months, lines = average_salary(PARAMS, periods, D(2026, 6, 1))
    assert (average, months) == (Fraction(760_800_000, 196), 196)
    assert any("41/2024/QH15, art. 104" in line.basis for line in lines)


def test_compulsory_and_voluntary_months_together() -> None:
    """Compulsory 2000-2014 at 6,000,000: 72,000,000 × 40.91 = 2,945,520,000; voluntary 2015-02/2026
    at 4,000,000: 48,000,000 × 12.90 + 8,000,000 = 627,200,000; AS = 3,572,720,000 / 314 (Decree
    158 art. 17(5): the compulsory average × its months plus the incomes, over all months)."""
    periods = (SalaryPeriod(D(2000, 1, 1), D(2014, 12, 1), 6_000_000),
               SalaryPeriod(D(2015, 1, 1), D(2026, 2, 1), 4_000_000, scheme="voluntary"))
    average, months, lines = average_salary(PARAMS, periods, D(2026, 3, 15))
    assert (average, months) == (Fraction(3_572_720_000, 314), 314)
    assert any("158/2025/ND-CP, art. 17(5)" in line.basis for line in lines)


def test_no_voluntary_table_before_2008() -> None:
    """Voluntary SI and its income table begin in 2008: an income of 2007 has no coefficient."""
    periods = (SalaryPeriod(D(2007, 1, 1), D(2010, 12, 1), 3_000_000, scheme="voluntary"),)
    with pytest.raises(ParameterNotInForce):
        average_salary(PARAMS, periods, D(2026, 1, 1))
