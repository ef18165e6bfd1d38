"""The one-time SI withdrawal: the worked examples of si.md §7.2, the split at 2014 and the
odd months, the under-one-year cap, eligibility on each ground at its threshold (the day
before and the day of), the Law 41/2024 condition of contributions before 2025-07-01, State
pay-scale and voluntary careers with the State support for voluntary SI taken off, the quote
answer and bad input."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import pytest

from ansinh.core.errors import InvalidInput
from ansinh.core.periods import add_months
from ansinh.law import default_parameters
from ansinh.quote.lump_sum_withdrawal import answer
from ansinh.quote.schemas import QuoteCase
from ansinh.rules.lump_sum_withdrawal import (
    WithdrawalCase,
    compute,
    split_months,
    under_one_year_amount,
    withdrawal_amount,
)
from ansinh.rules.money import round_half_up
from ansinh.rules.pension_salary import SalaryPeriod

PARAMS = default_parameters()
DAY = dt.date(2025, 9, 1)


def test_worked_example_225_million() -> None:
    """AS = 10,000,000; 21 months before 2014 (04/2012-12/2013), 114 from 2014 (01/2014-06/2023):
    pre-2014 1 year + 9 months, the 9 move forward: 114 + 9 = 123 months = 10 years 3 months →
    10.5 years; (1.5 × 1 + 2 × 10.5) × 10,000,000 = 225,000,000."""
    history = (SalaryPeriod(dt.date(2012, 4, 1), dt.date(2023, 6, 1), 10_000_000),)
    before, after = split_months(PARAMS, history, DAY)
    assert (before, after) == (21, 114)
    amount, lines = withdrawal_amount(PARAMS, DAY, before, after, Fraction(10_000_000))
    assert amount == 225_000_000
    assert any("41/2024/QH15, art. 70(3)" in line.basis for line in lines)


def test_odd_months_seven_count_a_full_year() -> None:
    """0 months before 2014, 127 from: 10 years 7 months → 11 years; 2 × 11 × 1,000,000 = 22,000,000."""
    assert withdrawal_amount(PARAMS, DAY, 0, 127, Fraction(1_000_000))[0] == 22_000_000


def test_under_one_year_example() -> None:
    """8 months at 6,000,000: paid 22 % × 6,000,000 × 8 = 10,560,000; cap 2 × 6,000,000 =
    12,000,000 → 10,560,000."""
    history = (SalaryPeriod(dt.date(2024, 1, 1), dt.date(2024, 8, 1), 6_000_000),)
    assert under_one_year_amount(PARAMS, DAY, history, Fraction(6_000_000))[0] == 10_560_000


def test_under_one_year_capped() -> None:
    """11 months at 6,000,000: paid 14,520,000 > cap 2 × 6,000,000 = 12,000,000 → 12,000,000."""
    history = (SalaryPeriod(dt.date(2024, 1, 1), dt.date(2024, 11, 1), 6_000_000),)
    assert under_one_year_amount(PARAMS, DAY, history, Fraction(6_000_000))[0] == 12_000_000


def case(history: tuple[SalaryPeriod, ...], day: dt.date = DAY, birth: dt.date = dt.date(1985, 5, 5),
         sex: str = "male") -> WithdrawalCase:
    return WithdrawalCase(as_of=day, sex=sex, birth_date=birth, history=history)  # type: ignore[arg-type]


LEFT = (SalaryPeriod(dt.date(2015, 1, 1), dt.date(2024, 7, 1), 8_000_000),)


def test_left_si_twelve_months_before_the_claim_month() -> None:
    """Last contribution 07/2024: the 12 months 08/2024-07/2025 before a claim in 08/2025 are free:
    eligible on 2025-08-01, not on 2025-07-31. Granted 2025: 2015 × 1.31 ... 2024 × 1.00; 115 months
    = 9 years 7 months → 10 years; amount 2 × 10 × AS."""
    refused = compute(case(LEFT, dt.date(2025, 7, 31)), PARAMS)
    assert [r.code for r in refused.reasons] == ["too_young", "too_soon_after_leaving"]
    result = compute(case(LEFT, dt.date(2025, 8, 1)), PARAMS)
    assert result.eligible
    coefs = ["1.31", "1.28", "1.23", "1.19", "1.16", "1.12", "1.10", "1.07", "1.04"]
    total = sum(8_000_000 * 12 * Fraction(c) for c in coefs) + 8_000_000 * 7
    average = total / 115
    assert result.average_salary == round_half_up(average)
    assert result.amount == round_half_up(20 * average)


def test_twenty_years_is_too_many_after_leaving() -> None:
    """19 years 11 months: eligible; 20 years: refused (too_many_years)."""
    ok = (SalaryPeriod(dt.date(2004, 8, 1), dt.date(2024, 6, 1), 8_000_000),)
    assert compute(case(ok), PARAMS).eligible
    too_many = (SalaryPeriod(dt.date(2004, 7, 1), dt.date(2024, 6, 1), 8_000_000),)
    assert [r.code for r in compute(case(too_many), PARAMS).reasons] == ["too_young", "too_many_years"]


def test_law_41_needs_contributions_before_2025_07_01() -> None:
    """Joined 2025-07 and left 2025-08: twelve months later there is no contribution before 2025-07-01."""
    late = (SalaryPeriod(dt.date(2025, 7, 1), dt.date(2025, 8, 1), 8_000_000),)
    result = compute(case(late, dt.date(2026, 9, 1)), PARAMS)
    assert [r.code for r in result.reasons] == ["too_young", "no_contribution_before_law_41"]


def test_retirement_age_with_too_few_years() -> None:
    """Man born 01/1964 (61y3m, reached 04/2025), 14 years, still contributing to 08/2025: eligible
    on 2025-09-01 under Law 41 (15 needed for a pension); with 15 years he gets a pension instead."""
    birth = dt.date(1964, 1, 10)
    few = (SalaryPeriod(dt.date(2011, 9, 1), dt.date(2025, 8, 1), 8_000_000),)
    assert compute(case(few, birth=birth), PARAMS).eligible
    enough = (SalaryPeriod(dt.date(2010, 9, 1), dt.date(2025, 8, 1), 8_000_000),)
    assert [r.code for r in compute(case(enough, birth=birth), PARAMS).reasons] == [
        "pension_eligible", "too_soon_after_leaving"]


def test_law_58_on_2025_06_30_needs_twenty_years_for_a_pension() -> None:
    """The same man with 15 years on 2025-06-30 (Law 58/2014: 20 for a pension) may withdraw."""
    enough = (SalaryPeriod(dt.date(2010, 6, 1), dt.date(2025, 5, 1), 8_000_000),)
    assert compute(case(enough, dt.date(2025, 6, 30), birth=dt.date(1964, 1, 10)), PARAMS).eligible


QUOTE: dict[str, Any] = {
    "regime": "lump_sum_withdrawal", "as_of": "2025-09-01",
    "person": {"sex": "female", "birth_date": "1985-05-05"},
    "history": [{"from": "2015-01", "to": "2024-07", "salary": 8_000_000}],
}


def test_quote_answer() -> None:
    result = answer(QuoteCase.model_validate(QUOTE)).model_dump(mode="json")
    assert result["eligible"] is True
    assert set(result["amounts"]) == {"average_salary", "amount"}
    assert result["amounts"]["amount"] > 0
    assert all({"label", "label_vi", "value", "basis"} <= set(line) for line in result["explanation"])


def test_quote_refuses_bad_input() -> None:
    with pytest.raises(InvalidInput) as error:
        answer(QuoteCase.model_validate({k: v for k, v in QUOTE.items() if k != "person"}))
    assert error.value.field == "person"
    with pytest.raises(InvalidInput) as error:
        answer(QuoteCase.model_validate({**QUOTE, "history": [{**QUOTE["history"][0], "scheme": "voluntary"}]}))
    assert (error.value.field, error.value.code) == ("support_group", "quote.missing_field")
    with pytest.raises(InvalidInput) as error:
        answer(QuoteCase.model_validate({**QUOTE, "history": []}))
    assert error.value.field == "history"


def state(first: dt.date, last: dt.date, coefficient: str) -> list[SalaryPeriod]:
    """State pay-scale periods: salary = coefficient × the base salary of each month."""
    periods, month = [], first
    while month <= last:
        base, start = PARAMS.value_at("si.base_salary", month), month
        while month <= last and PARAMS.value_at("si.base_salary", month) == base:
            end, month = month, add_months(month, 1)
        periods.append(SalaryPeriod(start, end, int(Fraction(coefficient) * base), sector="state"))
    return periods


def test_state_pay_scale_career() -> None:
    """State from 2012-01 to 2024-06 at 3.00, claimed 2025-09-01: SI began 2012, the last 10 years
    averaged, revalued by the base salary of the grant: 3.00 × 2,340,000 = 7,020,000 (the whole
    period is the same). 24 months before 2014 = 2 years; 126 from 2014 = 10 years 6 months →
    10.5; (1.5 × 2 + 2 × 10.5) × 7,020,000 = 168,480,000."""
    result = compute(case(tuple(state(dt.date(2012, 1, 1), dt.date(2024, 6, 1), "3.00"))), PARAMS)
    assert result.eligible and (result.average_salary, result.amount) == (7_020_000, 168_480_000)


VOLUNTARY = (SalaryPeriod(dt.date(2019, 1, 1), dt.date(2024, 12, 1), 3_000_000, scheme="voluntary"),)
CLAIM = dt.date(2026, 1, 15)


def test_voluntary_withdrawal_less_the_state_support() -> None:
    """Voluntary 2019-2024 at 3,000,000, claimed 2026-01-15 (left 12 months before, under 20 years,
    contributions before 2025-07-01). AS: 36,000,000 × (1.20 + 1.16 + 1.14 + 1.11 + 1.07 + 1.03 =
    6.71) / 72 = 3,355,000 (2026 income table); 6 years from 2014: 2 × 6 × 3,355,000 = 40,260,000.
    State support of the group 'other' (Decree 134/2015: 10 % × 22 % × the rural poverty line):
    36 × 15,400 (700,000 to 2021) + 36 × 33,000 (1,500,000 from 2022) = 1,742,400; Law 41 art.
    102(3), Decree 159 art. 9: 40,260,000 − 1,742,400 = 38,517,600."""
    result = compute(WithdrawalCase(as_of=CLAIM, sex="female", birth_date=dt.date(1985, 5, 5), history=VOLUNTARY,
                                    support_group="other"), PARAMS)
    assert (result.average_salary, result.amount) == (3_355_000, 38_517_600)
    assert any("102(3)" in line.basis for line in result.explanation)


def test_voluntary_support_needs_the_group() -> None:
    """Voluntary months from 2018 had State support: without support_group the amount cannot be
    decided; ethnic minorities had no group of their own before 2025-07-01."""
    with pytest.raises(InvalidInput) as error:
        compute(WithdrawalCase(as_of=CLAIM, sex="female", birth_date=dt.date(1985, 5, 5), history=VOLUNTARY), PARAMS)
    assert (error.value.field, error.value.code) == ("support_group", "quote.missing_field")
    with pytest.raises(InvalidInput) as error:
        compute(WithdrawalCase(as_of=CLAIM, sex="female", birth_date=dt.date(1985, 5, 5), history=VOLUNTARY,
                               support_group="ethnic_minority"), PARAMS)
    assert (error.value.field, error.value.code) == ("support_group", "support_group.not_in_force")


def test_voluntary_before_any_support_and_under_one_year() -> None:
    """Voluntary 2010-2017 at 2,000,000 (no support before 2018, no group needed): AS 24,000,000 ×
    (1.96 + 1.65 + 1.51 + 1.42 + 1.36 + 1.36 + 1.32 + 1.28 = 11.86) / 96 = 2,965,000; 4 years before
    2014 and 4 from: (1.5 × 4 + 2 × 4) × 2,965,000 = 41,510,000. Under one year, 8 months of 2024 at
    3,000,000, near-poor: paid 22 % × 3,000,000 × 8 = 5,280,000 ≤ 2 × 3,090,000; support 25 % × 22 %
    × 1,500,000 × 8 = 660,000; 4,620,000."""
    early = (SalaryPeriod(dt.date(2010, 1, 1), dt.date(2017, 12, 1), 2_000_000, scheme="voluntary"),)
    result = compute(WithdrawalCase(as_of=CLAIM, sex="female", birth_date=dt.date(1985, 5, 5), history=early), PARAMS)
    assert (result.average_salary, result.amount) == (2_965_000, 41_510_000)
    short = (SalaryPeriod(dt.date(2024, 1, 1), dt.date(2024, 8, 1), 3_000_000, scheme="voluntary"),)
    result = compute(WithdrawalCase(as_of=CLAIM, sex="female", birth_date=dt.date(1985, 5, 5), history=short,
                                    support_group="near_poor"), PARAMS)
    assert result.amount == 4_620_000
