"""The social pension (Law 41/2024 arts. 21-22, Decree 176/2025): the day it starts, the ages,
the birthday, the poor-household age, a lower pension, and bad input."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from ansinh.core.errors import InvalidInput
from ansinh.law import default_parameters
from ansinh.law.params import DatedValue, Parameter, ParameterSet
from ansinh.rules.social_pension import DEDUCTED_KEY, SocialPensionCase, SocialPensionResult, birthday, compute

PARAMS: ParameterSet = default_parameters()
D = dt.date


def social(as_of: dt.date, born: dt.date, *, poor: bool = False, pension: int = 0,
           params: ParameterSet = PARAMS) -> SocialPensionResult:
    return compute(SocialPensionCase(as_of=as_of, birth_date=born, poor_household=poor, monthly_pension=pension),
                   params)


def codes(result: SocialPensionResult) -> list[str]:
    return [reason.code for reason in result.reasons]


def test_worked_example_aged_75_on_the_first_day() -> None:
    """Born 1950-03-10, decided 2025-07-01: aged 75 years 3 months ≥ 75 (Law 41 art. 21(1)(a)),
    no pension: 500,000 đ a month (Decree 176 art. 3(1)), paid from 2025-07 (art. 4)."""
    result = social(D(2025, 7, 1), D(1950, 3, 10))
    assert result.eligible and result.reasons == []
    assert result.amounts() == {"monthly": 500_000}
    assert [line.value for line in result.explanation][-1] == "2025-07"
    assert any("Decree 176/2025/ND-CP, art. 3(1)" in line.basis for line in result.explanation)


def test_the_day_before_the_benefit_existed() -> None:
    """2025-06-30: the social pension of Law 41/2024 did not exist yet: not eligible, reason
    not_in_force (the law gave nothing; the case itself is not malformed)."""
    result = social(D(2025, 6, 30), D(1950, 3, 10))
    assert not result.eligible and codes(result) == ["not_in_force"]
    assert result.monthly == 0
    assert "2025-07-01" in result.reasons[0].message


def test_the_birthday_decides() -> None:
    """Born 1950-07-15: on 2025-07-14 aged 74 years 11 months (too young, reaches 75 on
    2025-07-15); on 2025-07-15 aged 75: 500,000 đ from 2025-07."""
    before = social(D(2025, 7, 14), D(1950, 7, 15))
    assert codes(before) == ["too_young"]
    assert "2025-07-15" in before.reasons[0].message
    assert social(D(2025, 7, 15), D(1950, 7, 15)).monthly == 500_000


def test_poor_or_near_poor_household_from_70() -> None:
    """Born 1955-07-01, decided 2025-07-01: aged 70 exactly. In a poor or near-poor household
    the age is 70 (art. 21(2)): 500,000 đ; otherwise 75 is needed: too young. Born one day
    later, 69 years 11 months: too young even in a poor household."""
    assert social(D(2025, 7, 1), D(1955, 7, 1), poor=True).monthly == 500_000
    assert codes(social(D(2025, 7, 1), D(1955, 7, 1))) == ["too_young"]
    assert codes(social(D(2025, 7, 1), D(1955, 7, 2), poor=True)) == ["too_young"]


@pytest.mark.parametrize(("pension", "eligible", "monthly"), [
    (300_000, True, 500_000),
    (499_999, True, 500_000),
    (500_000, False, 0),
    (2_000_000, False, 0),
])
def test_a_pension_lower_than_the_social_pension(pension: int, eligible: bool, monthly: int) -> None:
    """Decree 176 art. 2(1)(b): a pension or monthly SI allowance lower than 500,000 đ still
    gives the social pension, and art. 3(1) pays 500,000 đ (not deducted: see the parameter
    lower_pension_deducted); 500,000 đ or more is has_pension."""
    result = social(D(2025, 9, 1), D(1948, 1, 1), pension=pension)
    assert (result.eligible, result.monthly) == (eligible, monthly)
    assert codes(result) == ([] if eligible else ["has_pension"])


def test_the_deduction_follows_its_parameter() -> None:
    """Were the lower pension deducted (parameter true), 500,000 − 300,000 = 200,000 đ."""
    parameter = PARAMS.get(DEDUCTED_KEY)
    first = parameter.values[0]
    switched = Parameter(parameter.key, parameter.description, parameter.unit,
                         (DatedValue(first.starts, True, first.source),))
    params = dataclasses.replace(PARAMS, parameters={**PARAMS.parameters, DEDUCTED_KEY: switched})
    assert social(D(2025, 9, 1), D(1948, 1, 1), pension=300_000, params=params).monthly == 200_000
    assert social(D(2025, 9, 1), D(1948, 1, 1), params=params).monthly == 500_000


def test_born_on_29_february() -> None:
    """Born 1952-02-29: 75 full years on 2027-03-01 (2027 has no 29 February)."""
    assert birthday(D(1952, 2, 29), 75) == D(2027, 3, 1)
    assert codes(social(D(2027, 2, 28), D(1952, 2, 29))) == ["too_young"]
    assert social(D(2027, 3, 1), D(1952, 2, 29)).eligible


@pytest.mark.parametrize(("case", "field"), [
    (SocialPensionCase(as_of=D(2025, 7, 1), birth_date=D(2025, 7, 2)), "person.birth_date"),
    (SocialPensionCase(as_of=D(2025, 7, 1), birth_date=D(1940, 1, 1), monthly_pension=-1), "monthly_pension"),
])
def test_bad_input_names_the_field(case: SocialPensionCase, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        compute(case, PARAMS)
    assert caught.value.field == field
