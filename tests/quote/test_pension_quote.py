"""The ``pension`` regime of the quote contract, answered by its module directly: employer-set,
State pay-scale, voluntary and mixed careers, retirements under Law 58 and Law 41, early
retirement by the loss of working capacity."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import pytest

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.core.periods import add_months, format_month
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


def state(first: str, last: str, coefficient: str) -> list[dict[str, Any]]:
    """State pay-scale history periods: salary = coefficient × the base salary of each month."""
    params = default_parameters()
    periods, month, end = [], dt.date.fromisoformat(first + "-01"), dt.date.fromisoformat(last + "-01")
    while month <= end:
        base, start = params.value_at("si.base_salary", month), month
        while month <= end and params.value_at("si.base_salary", month) == base:
            stop, month = month, add_months(month, 1)
        periods.append({"from": format_month(start), "to": format_month(stop),
                        "salary": int(Fraction(coefficient) * base), "sector": "state"})
    return periods


def test_state_career_begun_before_1995_retiring_under_law_58() -> None:
    """Man born 1960-05-10 (60y0m, reached 05/2020 under Law 58 art. 54(1)(a)), State pay scale from
    1990-01 (the months before 1994 are not averaged; their salary is a placeholder) at 4.65, from
    2018 at 4.98, retiring 2020-06-01: the last 5 years average 288.57 / 60 × 1,490,000 = 7,166,155;
    30 years 5 months → 30.5: 45 % for 18 years (men, 2020) + 2 % × 12.5 = 70 %; 70 % × 7,166,155 =
    5,016,308.5 → 5,016,309."""
    history = [{"from": "1990-01", "to": "1993-12", "salary": 500_000, "sector": "state"},
               *state("1994-01", "2017-12", "4.65"), *state("2018-01", "2020-05", "4.98")]
    case = {**CASE, "as_of": "2020-06-01", "person": {"sex": "male", "birth_date": "1960-05-10"}, "history": history}
    amounts = quote(case)["amounts"]
    assert (amounts["retirement_age"], amounts["years_counted"], amounts["rate_percent"]) == ("60y0m", "30y5m", 70.0)
    assert (amounts["average_salary"], amounts["monthly"]) == (7_166_155, 5_016_309)


def test_retiring_on_2020_12_31_and_on_2021_01_01() -> None:
    """Man born 1960-11-20, State 12/1990-11/2020 at 4.98 (before 1994 a placeholder salary, not
    averaged): 60y0m reached 11/2020 both days (before the roadmap); the last 5 years average
    4.98 × 1,490,000 = 7,420,200 both days. Law 58 art. 56(2): men's base years 18
    in 2020 (45 % + 2 % × 12 = 69 %: 5,119,938) and 19 in 2021 (67 %: 4,971,534)."""
    case = {**CASE, "person": {"sex": "male", "birth_date": "1960-11-20"},
            "history": [{"from": "1990-12", "to": "1993-12", "salary": 500_000, "sector": "state"},
                        *state("1994-01", "2020-11", "4.98")]}
    before = quote({**case, "as_of": "2020-12-31"})["amounts"]
    after = quote({**case, "as_of": "2021-01-01"})["amounts"]
    assert (before["retirement_age"], before["average_salary"], before["rate_percent"], before["monthly"]) == (
        "60y0m", 7_420_200, 69.0, 5_119_938)
    assert (after["retirement_age"], after["average_salary"], after["rate_percent"], after["monthly"]) == (
        "60y0m", 7_420_200, 67.0, 4_971_534)


def test_state_career_begun_2010_averaged_over_ten_years() -> None:
    """Woman born 1969-05-15 (57y0m, reached 05/2026), State from 2010: 2.34, 3.00 from 2016, 3.33
    from 2021 to 05/2026. The last 120 months: 381.45 / 120 × 2,340,000 = 7,438,275 on 2026-06-30,
    × 2,530,000 = 8,042,237.5 on 2026-07-01; 16 years 5 months → 16.5: 45 % + 2 % × 1.5 = 48 %:
    3,570,372 and 3,860,274 (3,860,274 = 0.48 × 8,042,237.5)."""
    history = [*state("2010-01", "2015-12", "2.34"), *state("2016-01", "2020-12", "3.00"),
               *state("2021-01", "2026-05", "3.33")]
    case = {**CASE, "person": {"sex": "female", "birth_date": "1969-05-15"}, "history": history}
    before = quote({**case, "as_of": "2026-06-30"})["amounts"]
    after = quote({**case, "as_of": "2026-07-01"})["amounts"]
    assert (before["average_salary"], before["monthly"]) == (7_438_275, 3_570_372)
    assert (after["average_salary"], after["monthly"]) == (8_042_238, 3_860_274)


def test_state_and_enterprise_career() -> None:
    """Man born 1964-01-10 retiring 2026-03-15: employer-set 1998-2009 at 5,000,000 (2,472,000,000
    revalued), then State 2010-2025 at 4.00 (9,360,000 × 192 months): AS 4,269,120,000 / 336;
    28 years: 45 % + 2 % × 8 = 61 %."""
    history = [{"from": "1998-01", "to": "2009-12", "salary": 5_000_000}, *state("2010-01", "2025-12", "4.00")]
    amounts = quote({**CASE, "as_of": "2026-03-15", "person": {"sex": "male", "birth_date": "1964-01-10"},
                     "history": history})["amounts"]
    average = Fraction(4_269_120_000, 336)
    assert amounts["rate_percent"] == 61.0
    assert (amounts["average_salary"], amounts["monthly"]) == (round_half_up(average),
                                                               round_half_up(average * Fraction(61, 100)))


def test_voluntary_only_pension() -> None:
    """Woman born 1969-05-15, voluntary 01/2010-04/2026 at 3,000,000, retiring 2026-06-01: the
    voluntary rules (Law 41 art. 98: the normal age 57y0m, 15 years), AS 760,800,000 / 196, 16 years
    4 months → 16.5: 48 %; no minimum pension."""
    case = {**CASE, "as_of": "2026-06-01", "person": {"sex": "female", "birth_date": "1969-05-15"},
            "history": [{"from": "2010-01", "to": "2026-04", "salary": 3_000_000, "scheme": "voluntary"}]}
    result = quote(case)
    average = Fraction(760_800_000, 196)
    assert result["amounts"]["rate_percent"] == 48.0
    assert (result["amounts"]["average_salary"], result["amounts"]["monthly"]) == (
        round_half_up(average), round_half_up(average * Fraction(48, 100)))
    assert any(line["label"] == "Pension under the voluntary rules" for line in result["explanation"])


def test_compulsory_and_voluntary_career() -> None:
    """Man born 1964-01-10 retiring 2026-03-15: compulsory 2000-2014 (15 years: the compulsory rules,
    Law 41 art. 111(1)(a)), voluntary 2015-02/2026: AS 3,572,720,000 / 314 (Decree 158 art. 17(5)),
    26 years 2 months → 26.5: 45 % + 2 % × 6.5 = 58 %."""
    case = {**CASE, "as_of": "2026-03-15", "person": {"sex": "male", "birth_date": "1964-01-10"},
            "history": [{"from": "2000-01", "to": "2014-12", "salary": 6_000_000},
                        {"from": "2015-01", "to": "2026-02", "salary": 4_000_000, "scheme": "voluntary"}]}
    amounts = quote(case)["amounts"]
    average = Fraction(3_572_720_000, 314)
    assert amounts["rate_percent"] == 58.0
    assert amounts["monthly"] == round_half_up(average * Fraction(58, 100))


def test_reduced_capacity_through_the_quote() -> None:
    """Man born 1968-01-10, 25 years from 2001-06, retiring 2026-06-15 with 61 %: 48 % of AS; with
    60 % refused with capacity_loss_too_low."""
    case = {**CASE, "as_of": "2026-06-15", "early_reason": "reduced_capacity", "loss_percent": 61,
            "person": {"sex": "male", "birth_date": "1968-01-10"},
            "history": [{"from": "2001-06", "to": "2026-05", "salary": 10_000_000}]}
    assert quote(case)["amounts"]["rate_percent"] == 48.0
    assert [r["code"] for r in quote({**case, "loss_percent": 60})["reasons"]] == ["capacity_loss_too_low",
                                                                                  "too_young"]
