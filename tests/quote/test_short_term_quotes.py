"""The ``sickness`` and ``maternity`` regimes of the quote contract, answered by their modules."""

from __future__ import annotations

from typing import Any

import pytest

from ansinh.core.errors import InvalidInput
from ansinh.quote.maternity import answer as maternity_answer
from ansinh.quote.schemas import QuoteCase
from ansinh.quote.sickness import answer as sickness_answer

SICK: dict[str, Any] = {
    "regime": "sickness",
    "as_of": "2025-08-04",
    "days": 5,
    "history": [{"from": "2020-01", "to": "2025-07", "salary": 10_000_000, "region": 1}],
}


def sickness(case: dict[str, Any]) -> dict[str, Any]:
    return sickness_answer(QuoteCase.model_validate(case)).model_dump(mode="json")


def test_sickness_worked_example() -> None:
    """si.md §8: 75 % × 10,000,000 / 24 × 5 = 1,562,500."""
    result = sickness(SICK)
    assert result["regime"] == "sickness" and result["as_of"] == "2025-08-04"
    assert result["eligible"] is True and result["reasons"] == []
    assert result["amounts"] == {"days_paid": 5, "daily": 312_500, "amount": 1_562_500}
    assert all({"label", "label_vi", "value", "basis"} <= set(line) for line in result["explanation"])
    assert any("Law 41/2024/QH15" in line["basis"] for line in result["explanation"])


def test_sickness_hazardous_history_and_days_used() -> None:
    """Hazardous work, 5 years: 40 days a year; 38 used, 5 asked: 2 paid = 625,000."""
    case = {**SICK, "days_used_this_year": 38,
            "history": [{**SICK["history"][0], "hazardous": True}]}
    assert sickness(case)["amounts"] == {"days_paid": 2, "daily": 312_500, "amount": 625_000}


def test_sickness_child() -> None:
    """A sick child of 2 years: 20 days; 5 asked = 1,562,500."""
    case = {**SICK, "kind": "child", "child_age_months": 24}
    assert sickness(case)["amounts"]["amount"] == 1_562_500


def test_sickness_voluntary_months_do_not_count() -> None:
    case = {**SICK, "history": [{**SICK["history"][0], "scheme": "voluntary"}]}
    result = sickness(case)
    assert result["eligible"] is False
    assert [reason["code"] for reason in result["reasons"]] == ["not_insured_at_event"]


def test_sickness_no_days_left() -> None:
    result = sickness({**SICK, "days_used_this_year": 30})
    assert result["eligible"] is False and result["reasons"][0]["code"] == "no_days_left"


@pytest.mark.parametrize(("change", "field"), [
    ({"days": None}, "days"),
    ({"kind": "parent"}, "kind"),
    ({"kind": "child"}, "child_age_months"),
    ({"history": [{"from": "2020-01", "to": "2025-09", "salary": 1}]}, "history.0.to"),
])
def test_sickness_bad_input(change: dict[str, Any], field: str) -> None:
    case = {key: value for key, value in {**SICK, **change}.items() if value is not None}
    with pytest.raises(InvalidInput) as caught:
        sickness(case)
    assert caught.value.field == field


BIRTH: dict[str, Any] = {
    "regime": "maternity",
    "as_of": "2025-08-10",
    "person": {"sex": "female", "birth_date": "1995-03-01"},
    "history": [{"from": "2024-01", "to": "2025-07", "salary": 9_000_000, "region": 1}],
}


def maternity(case: dict[str, Any]) -> dict[str, Any]:
    return maternity_answer(QuoteCase.model_validate(case)).model_dump(mode="json")


def test_maternity_worked_example_single_birth() -> None:
    """si.md §9: 6 × 9,000,000 = 54,000,000 + 2 × 2,340,000 = 4,680,000; total 58,680,000.
    ``event`` defaults to childbirth, ``children`` to 1."""
    result = maternity(BIRTH)
    assert result["regime"] == "maternity" and result["eligible"] is True and result["reasons"] == []
    assert result["amounts"] == {"months": 6, "days": 0, "monthly": 9_000_000, "benefit": 54_000_000,
                                 "childbirth_allowance": 4_680_000, "total": 58_680_000}
    assert all({"label", "label_vi", "value", "basis"} <= set(line) for line in result["explanation"])


def test_maternity_worked_example_twins() -> None:
    """si.md §9: 7 × 9,000,000 = 63,000,000 + 9,360,000 = 72,360,000."""
    assert maternity({**BIRTH, "event": "childbirth", "children": 2})["amounts"]["total"] == 72_360_000


def test_maternity_worked_example_paternity() -> None:
    """si.md §9: 12,000,000 / 24 × 5 = 2,500,000."""
    case = {**BIRTH, "event": "paternity", "history": [{**BIRTH["history"][0], "salary": 12_000_000}]}
    amounts = maternity(case)["amounts"]
    assert (amounts["days"], amounts["monthly"], amounts["benefit"], amounts["total"]) == (
        5, 12_000_000, 2_500_000, 2_500_000)


def test_maternity_prenatal_days() -> None:
    """Law 41/2024: 5 visits × 2 days = 10 at most; 3 asked × 9,000,000 / 24 = 375,000 → 1,125,000."""
    assert maternity({**BIRTH, "event": "prenatal", "days": 3})["amounts"]["benefit"] == 1_125_000


def test_maternity_too_few_months() -> None:
    case = {**BIRTH, "history": [{"from": "2025-03", "to": "2025-07", "salary": 9_000_000}]}
    result = maternity(case)
    assert result["eligible"] is False and result["reasons"][0]["code"] == "too_few_months"


def test_maternity_months_without_the_fund_do_not_count() -> None:
    case = {**BIRTH, "history": [{**BIRTH["history"][0], "funds": ["retirement_survivor"]}]}
    assert maternity(case)["reasons"][0]["code"] == "too_few_months"


@pytest.mark.parametrize(("change", "field"), [
    ({"event": "miscarriage"}, "pregnancy_weeks"),
    ({"event": "prenatal"}, "days"),
    ({"history": [{"from": "2024-01", "to": "2025-09", "salary": 1}]}, "history.0.to"),
])
def test_maternity_bad_input(change: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        maternity({**BIRTH, **change})
    assert caught.value.field == field
