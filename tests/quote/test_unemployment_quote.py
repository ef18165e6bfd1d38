"""The ``unemployment`` regime of the quote contract, answered by its module directly."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.quote.schemas import QuoteCase
from ansinh.quote.unemployment import answer

CASE: dict[str, Any] = {
    "regime": "unemployment",
    "as_of": "2026-03-15",
    "history": [{"from": "2022-02", "to": "2026-03", "salary": 40_000_000, "region": 1}],
}


def quote(case: dict[str, Any]) -> dict[str, Any]:
    return answer(QuoteCase.model_validate(case)).model_dump(mode="json")


def test_region_one_2026() -> None:
    """50 months at 40,000,000, Region I, terminated 2026-03-15: 60 % = 24,000,000 (cap
    26,550,000), 4 months, 96,000,000 in all."""
    result = quote(CASE)
    assert result["regime"] == "unemployment"
    assert result["as_of"] == "2026-03-15"
    assert result["eligible"] is True
    assert result["reasons"] == []
    assert result["amounts"] == {"average_salary": 40_000_000, "monthly": 24_000_000, "months": 4,
                                 "total": 96_000_000}
    assert all({"label", "label_vi", "value", "basis"} <= set(line) for line in result["explanation"])
    assert any("Law on Employment 74/2025/QH15" in line["basis"] for line in result["explanation"])


def test_capped_at_five_regional_minimum_wages() -> None:
    case = {**CASE, "history": [{**CASE["history"][0], "salary": 60_000_000}]}
    assert quote(case)["amounts"]["monthly"] == 26_550_000


def test_not_eligible_answers_zero_with_the_reason() -> None:
    case = {**CASE, "history": [{"from": "2025-05", "to": "2026-03", "salary": 40_000_000, "region": 1}]}
    result = quote(case)
    assert result["eligible"] is False
    assert [reason["code"] for reason in result["reasons"]] == ["too_few_months"]
    assert result["amounts"] == {"average_salary": 0, "monthly": 0, "months": 0, "total": 0}


def test_months_without_ui_are_not_counted() -> None:
    """Voluntary SI and periods whose funds leave out unemployment pay no UI: only the 11
    compulsory months with UI remain, so the worker does not qualify."""
    case = {**CASE, "history": [
        {"from": "2023-01", "to": "2024-12", "salary": 5_000_000, "scheme": "voluntary", "region": 1},
        {"from": "2025-01", "to": "2025-04", "salary": 9_000_000, "region": 1,
         "funds": ["retirement_survivor", "health"]},
        {"from": "2025-05", "to": "2026-03", "salary": 9_000_000, "region": 1},
    ]}
    result = quote(case)
    assert result["eligible"] is False
    assert "11 months" in result["reasons"][0]["message"]


def test_state_pay_scale_2025() -> None:
    """State scale, terminated 2025-10-15: cap 5 × 2,340,000 = 11,700,000 < 60 % × 20,000,000."""
    case = {"regime": "unemployment", "as_of": "2025-10-15",
            "history": [{"from": "2023-10", "to": "2025-10", "salary": 20_000_000, "sector": "state"}]}
    assert quote(case)["amounts"]["monthly"] == 11_700_000


def test_a_missing_region_names_the_period_in_the_case() -> None:
    case = {**CASE, "history": [
        {"from": "2020-01", "to": "2020-12", "salary": 5_000_000, "scheme": "voluntary"},
        {"from": "2022-02", "to": "2026-03", "salary": 40_000_000},
    ]}
    with pytest.raises(InvalidInput) as error:
        quote(case)
    assert error.value.field == "history.1.region"


def test_contributions_after_termination_are_refused() -> None:
    case = {**CASE, "history": [{**CASE["history"][0], "to": "2026-04"}]}
    with pytest.raises(InvalidInput) as error:
        quote(case)
    assert error.value.field == "history.0.to"


@pytest.mark.parametrize(
    "history",
    [
        [{"from": "2022-02", "to": "2026-03", "salary": -1, "region": 1}],
        [{"from": "2022-02", "to": "2026-03", "salary": 40_000_000, "region": 5}],
        [{"from": "2026-03", "to": "2022-02", "salary": 40_000_000, "region": 1}],
    ],
    ids=["negative-salary", "region-5", "reversed"],
)
def test_malformed_periods_are_refused_by_the_contract(history: list[dict[str, Any]]) -> None:
    with pytest.raises(ValidationError) as error:
        QuoteCase.model_validate({**CASE, "history": history})
    assert error.value.errors()[0]["loc"][0] == "history"


def test_a_termination_before_the_law_is_refused() -> None:
    case = {"regime": "unemployment", "as_of": "2014-12-31",
            "history": [{"from": "2013-01", "to": "2014-12", "salary": 5_000_000, "region": 1}]}
    with pytest.raises(ParameterNotInForce):
        quote(case)
