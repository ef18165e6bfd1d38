"""The monthly allowance of Law 41/2024 art. 23 (Decree 158/2025 arts. 22-24): months Ttt from the
revalued average, months Tdt to the social-pension age, the higher amount when Ttt > Tdt, the
optional payment when Ttt < Tdt, the reasons and their edges, and bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.law import default_parameters
from ansinh.law.params import ParameterSet
from ansinh.rules.pension_salary import SalaryPeriod
from ansinh.rules.retirement_age import Sex
from ansinh.rules.retirement_allowance import RetirementAllowanceCase, RetirementAllowanceResult, compute

PARAMS: ParameterSet = default_parameters()
D = dt.date
REQUEST = D(2025, 8, 15)
MAN = D(1963, 1, 10)  # of retirement age (60y9m) from 2023-10; 75 on 2038-01-10


def period(first: tuple[int, int], last: tuple[int, int], salary: int) -> SalaryPeriod:
    return SalaryPeriod(D(*first, 1), D(*last, 1), salary)


def allowance(*periods: SalaryPeriod, as_of: dt.date = REQUEST, born: dt.date = MAN, sex: Sex = "male",
              poor: bool = False) -> RetirementAllowanceResult:
    return compute(RetirementAllowanceCase(as_of=as_of, sex=sex, birth_date=born, periods=periods,
                                           poor_household=poor), PARAMS)


SIX_MONTHS = period((2025, 1), (2025, 6), 8_000_000)
SEVEN_MONTHS = period((2025, 1), (2025, 7), 8_000_000)


def test_worked_example_shortfall() -> None:
    """A man born 1963-01-10 asks on 2025-08-15 with 6 months of 2025 at 8,000,000 đ.
    Mbq = 8,000,000 × 1.00 (2025 coefficient) = 8,000,000; N = ½ (6 odd months);
    Ttt = 8,000,000 × 2 × ½ / 500,000 = 16 months; 75 on 2038-01-10, so Tdt = 2025-08 to 2037-12
    = 5 + 12 × 12 = 149 months; 500,000 đ for 16 months, and the person may pay once
    (149 − 16) × 500,000 = 66,500,000 đ to be paid to the social-pension age (D158 art. 23(3))."""
    result = allowance(SIX_MONTHS)
    assert result.eligible and result.reasons == []
    assert result.amounts() == {"average_salary": 8_000_000, "years_counted": "0y6m", "years_for_months": 0.5,
                                "months": 16, "months_to_social_pension": 149, "months_paid": 16,
                                "monthly": 500_000, "shortfall": 66_500_000}
    assert any("art. 23(3)" in line.basis and "may pay" in line.value for line in result.explanation)


def test_seven_odd_months_are_a_full_year() -> None:
    """7 months: N = 1 (7-11 odd months = a year); Ttt = 8,000,000 × 2 × 1 / 500,000 = 32;
    shortfall (149 − 32) × 500,000 = 58,500,000."""
    result = allowance(SEVEN_MONTHS)
    assert (result.months, result.monthly, result.shortfall) == (32, 500_000, 58_500_000)


def test_a_part_of_a_month_counts_as_a_month() -> None:
    """8,100,000 × 2 × ½ / 500,000 = 16.2 months → 17 (D158 art. 23(1), last paragraph)."""
    assert allowance(period((2025, 1), (2025, 6), 8_100_000)).months == 17


def test_more_months_than_to_75_raise_the_amount() -> None:
    """Born 1951-03-05: 75 on 2026-03-05, so Tdt = 2025-08 to 2026-02 = 7 months. 7 months at
    8,000,000: Ttt = 32 > 7, so 500,000 × 32 / 7 = 2,285,714.29 → 2,285,714 đ for 7 months
    (D158 art. 24(2)); nothing to pay."""
    result = allowance(SEVEN_MONTHS, born=D(1951, 3, 5))
    assert (result.months, result.months_to_social_pension, result.months_paid) == (32, 7, 7)
    assert (result.monthly, result.shortfall) == (2_285_714, 0)


def test_exactly_the_months_to_75() -> None:
    """Born 1951-12-20: 75 in 2026-12, Tdt = 2025-08 to 2026-11 = 16 = Ttt: 500,000 đ, nothing to pay."""
    result = allowance(SIX_MONTHS, born=D(1951, 12, 20))
    assert (result.months, result.months_to_social_pension, result.monthly, result.shortfall) == (16, 16, 500_000, 0)


def test_poor_household_runs_to_70() -> None:
    """Born 1957-03-05: in a poor or near-poor household the social pension is due at 70, in
    2027-03: Tdt = 2025-08 to 2027-02 = 19 months; Ttt 16: pay (19 − 16) × 500,000 = 1,500,000.
    Otherwise 75, in 2032-03: Tdt = 79 months, pay 63 × 500,000 = 31,500,000."""
    poor = allowance(SIX_MONTHS, born=D(1957, 3, 5), poor=True)
    assert (poor.months_to_social_pension, poor.shortfall) == (19, 1_500_000)
    other = allowance(SIX_MONTHS, born=D(1957, 3, 5))
    assert (other.months_to_social_pension, other.shortfall) == (79, 31_500_000)


def test_revalued_average_over_ten_years() -> None:
    """10 years 2015-08 to 2025-07 at 10,000,000, revalued with the 2025 table (Circular 01/2025):
    5 × 1.31 + 12 × (1.28 + 1.23 + 1.19 + 1.16 + 1.12 + 1.10 + 1.07 + 1.04 + 1.00) + 7 × 1.00
    = 135.83 months' worth → Mbq = 1,358,300,000 / 120 = 11,319,166.67; N = 10;
    Ttt = 11,319,166.67 × 2 × 10 / 500,000 = 452.77 → 453 > Tdt 149:
    500,000 × 453 / 149 = 1,520,134.23 → 1,520,134 đ a month for 149 months."""
    result = allowance(period((2015, 8), (2025, 7), 10_000_000))
    assert (result.average_salary, result.months, result.monthly) == (11_319_167, 453, 1_520_134)


def test_the_day_the_allowance_starts() -> None:
    """Law 41/2024 art. 23 is new: on 2025-06-30 there is no such allowance (not_in_force);
    on 2025-07-01 the same person: Tdt = 2025-07 to 2037-12 = 150, Ttt 16."""
    before = allowance(SIX_MONTHS, as_of=D(2025, 6, 30))
    assert not before.eligible and [r.code for r in before.reasons] == ["not_in_force"]
    assert allowance(SIX_MONTHS, as_of=D(2025, 7, 1)).months_to_social_pension == 150


def test_of_age_from_the_month_the_retirement_age_is_reached() -> None:
    """A man born 1964-06-20 reaches 61y3m in 2025-09: a request on 2025-08-31 is too_young; on
    2025-09-01 he is eligible, Tdt = 2025-09 to 2039-05 = 165 months."""
    early = allowance(period((2025, 1), (2025, 6), 8_000_000), as_of=D(2025, 8, 31), born=D(1964, 6, 20))
    assert [r.code for r in early.reasons] == ["too_young"]
    on_time = allowance(period((2025, 1), (2025, 6), 8_000_000), as_of=D(2025, 9, 1), born=D(1964, 6, 20))
    assert on_time.eligible and on_time.months_to_social_pension == 165


def test_fifteen_years_give_a_pension_instead() -> None:
    """15 whole years (2010-08 to 2025-07): the old-age pension is due (Law 41 art. 64(1));
    14 years 11 months still give the allowance."""
    assert [r.code for r in allowance(period((2010, 8), (2025, 7), 8_000_000)).reasons] == ["pension_eligible"]
    assert allowance(period((2010, 9), (2025, 7), 8_000_000)).eligible


def test_at_the_social_pension_age_the_social_pension_is_due() -> None:
    """Born 1950-01-01, aged 75 in 2025-08: the social pension is due, not this allowance."""
    result = allowance(SIX_MONTHS, born=D(1950, 1, 1))
    assert [r.code for r in result.reasons] == ["social_pension_age"]


def test_no_table_for_2027_is_refused_not_guessed() -> None:
    """A request in 2027 needs the 2027 revaluation table, which is not known: refused."""
    with pytest.raises(ParameterNotInForce):
        allowance(SIX_MONTHS, as_of=D(2027, 1, 4))


@pytest.mark.parametrize(("periods", "as_of", "born", "field"), [
    ((), REQUEST, MAN, "history"),
    ((period((2025, 1), (2025, 9), 8_000_000),), REQUEST, MAN, "history.0.to"),
    ((period((2025, 1), (2025, 6), -1),), REQUEST, MAN, "history.0.salary"),
    ((SIX_MONTHS,), REQUEST, D(2026, 1, 1), "person.birth_date"),
])
def test_bad_input_names_the_field(periods: tuple[SalaryPeriod, ...], as_of: dt.date, born: dt.date,
                                   field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        allowance(*periods, as_of=as_of, born=born)
    assert caught.value.field == field
