"""The ``pension`` regime of the quote contract, answered by its module directly."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import pytest

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.law import default_parameters
from ansinh.quote.pension import answer, salary_periods
from ansinh.quote.schemas import QuoteCase
from ansinh.rules.money import round_half_up
from ansinh.rules.pension_salary import average_salary

CASE: dict[str, Any] = {
    "regime": "pension",
    "as_of": "2026-04-01",
    "person": {"sex": "male", "birth_date": "1964-10-20"},
    "history": [{"from": "1996-04", "to": "2026-03", "salary": 10_000_000}],
}


def quote(case: dict[str, Any]) -> dict[str, Any]:
    return answer(QuoteCase.model_validate(case)).model_dump(mode="json")


def test_man_30_years_retiring_at_61y6m() -> None:
    """Born 10/1964: 61y6m, reached 04/2026. 360 months 1996-04 to 2026-03 at 10,000,000, granted
    2026 (CV 340): 1996 9 months × 4.65, 1997-2023 by year, 2024 × 1.03, 2025 × 1.00, 2026 3 months
    × 1.00. 30 years: 45 % + 2 % × 10 = 65 %; monthly = 65 % × AS, once rounded."""
    result = quote(CASE)
    amounts = result["amounts"]
    assert result["eligible"] is True and result["reasons"] == []
    assert amounts["retirement_age"] == "61y6m"
    assert amounts["years_counted"] == "30y0m"
    assert amounts["rate_percent"] == 65.0
    coefs = {1996: "4.65", 1997: "4.50", 1998: "4.18", 1999: "4.01", 2000: "4.07", 2001: "4.09", 2002: "3.94",
             2003: "3.81", 2004: "3.54", 2005: "3.27", 2006: "3.05", 2007: "2.81", 2008: "2.29", 2009: "2.14",
             2010: "1.96", 2011: "1.65", 2012: "1.51", 2013: "1.42", 2014: "1.36", 2015: "1.36", 2016: "1.32",
             2017: "1.28", 2018: "1.23", 2019: "1.20", 2020: "1.16", 2021: "1.14", 2022: "1.11", 2023: "1.07",
             2024: "1.03", 2025: "1.00", 2026: "1.00"}
    months = dict.fromkeys(coefs, 12) | {1996: 9, 2026: 3}
    total = sum(10_000_000 * months[y] * Fraction(c) for y, c in coefs.items())
    average = total / 360
    assert amounts["average_salary"] == round_half_up(average)
    assert amounts["monthly"] == round_half_up(average * Fraction(65, 100))
    assert amounts["lump_sum"] == 0
    assert set(amounts) == {"retirement_age", "years_counted", "rate_percent", "average_salary", "monthly",
                            "lump_sum"}
    assert all({"label", "label_vi", "value", "basis"} <= set(line) for line in result["explanation"])
    assert any("340/BHXH-CSXH" in line["basis"] for line in result["explanation"])


def test_too_young_the_day_before() -> None:
    """On 2026-03-31 he is 61y5m: not eligible, no average computed."""
    case = {**CASE, "as_of": "2026-03-31", "history": [{"from": "1996-04", "to": "2026-02", "salary": 10_000_000}]}
    result = quote(case)
    assert result["eligible"] is False
    assert [r["code"] for r in result["reasons"]] == ["too_young"]
    assert result["amounts"]["monthly"] == 0


def test_too_few_years() -> None:
    case = {**CASE, "history": [{"from": "2012-01", "to": "2026-03", "salary": 10_000_000}]}
    result = quote(case)
    assert [r["code"] for r in result["reasons"]] == ["too_few_years"]
    assert result["amounts"]["years_counted"] == "14y3m"


def test_woman_above_30_years_gets_the_lump_sum() -> None:
    """Woman born 01/1968 (56y4m, reached 2024-05), 31y2m from 1995-01 to 2026-02, granted
    2026-03-15: Y = 31.5, 75 %; 1.5 years above 30, and the 21 months after the age (2024-06 to
    2026-02) count as 2 years ≥ 1.5, so all 1.5 years are paid at 2 × AS (Law 41/2024 art. 68):
    lump sum = 3 × AS, rounded once."""
    case = {**CASE, "as_of": "2026-03-15", "person": {"sex": "female", "birth_date": "1968-01-10"},
            "history": [{"from": "1995-01", "to": "2026-02", "salary": 5_000_000}]}
    amounts = quote(case)["amounts"]
    assert amounts["rate_percent"] == 75.0
    average, months, _ = average_salary(default_parameters(), salary_periods(QuoteCase.model_validate(case)),
                                        dt.date(2026, 3, 15))
    assert months == 374
    assert amounts["lump_sum"] == round_half_up(3 * average)
    assert amounts["monthly"] == round_half_up(Fraction(3, 4) * average)


def test_hazardous_periods_count_for_the_early_age() -> None:
    """Man born 10/1969 (62y0m): 15 hazardous years let him retire at 57y0m in 10/2026."""
    case = {**CASE, "as_of": "2026-10-01", "early_reason": "hazardous",
            "person": {"sex": "male", "birth_date": "1969-10-20"},
            "history": [{"from": "2001-10", "to": "2016-09", "salary": 8_000_000, "hazardous": True},
                        {"from": "2016-10", "to": "2026-09", "salary": 10_000_000}]}
    result = quote(case)
    assert result["eligible"] is True
    assert result["amounts"]["rate_percent"] == 55.0
    case["history"][0]["from"] = "2001-11"
    assert [r["code"] for r in quote(case)["reasons"]] == ["too_few_hazardous_years", "too_young"]


def test_refused_input_names_the_field() -> None:
    with pytest.raises(InvalidInput) as error:
        quote({key: value for key, value in CASE.items() if key != "person"})
    assert error.value.field == "person"
    with pytest.raises(InvalidInput) as error:
        quote({**CASE, "history": [{**CASE["history"][0], "sector": "state", "salary": 0}]})
    assert (error.value.field, error.value.code) == ("history.0.salary", "sector.state_salary_not_positive")
    with pytest.raises(InvalidInput) as error:
        quote({**CASE, "early_reason": "reduced_capacity"})
    assert (error.value.field, error.value.code) == ("loss_percent", "quote.missing_field")
    with pytest.raises(InvalidInput) as error:
        quote({**CASE, "history": [{**CASE["history"][0], "to": "2026-05"}]})
    assert error.value.field == "history.0.to"


def test_no_revaluation_table_for_2027() -> None:
    """A man born 04/1966 reaches 62y0m in 04/2028: granted 2028, no coefficient table is known."""
    case = {**CASE, "as_of": "2028-04-01", "person": {"sex": "male", "birth_date": "1966-04-01"},
            "history": [{"from": "2000-01", "to": "2028-03", "salary": 10_000_000}]}
    with pytest.raises(ParameterNotInForce):
        quote(case)
