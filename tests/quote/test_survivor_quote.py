"""Deaths of pensioners, of monthly work-injury recipients and from work through the quote
contract: the module, ``ansinh quote -`` and ``POST /api/v1/quote``.

Worked examples (Law 41/2024, death 2025-08-10, reference level 2,340,000): funeral 10 ×
2,340,000 = 23,400,000; a pensioner in the 10th month of a 5,000,000 pension with no dependant:
48 − 0.5 × (10 − 2) = 44 months = 220,000,000 (art. 89(2)); a recipient of 1,617,200 a month
at 45 % loss: 3 × 1,617,200 = 4,851,600 (art. 89(3)).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from typer.testing import CliRunner

from ansinh.api.app import create_app
from ansinh.cli import app
from ansinh.quote.schemas import QuoteCase
from ansinh.quote.survivor import answer

PENSIONER: dict[str, Any] = {"regime": "survivor", "as_of": "2025-08-10", "deceased": "pensioner",
                             "monthly_received": 5_000_000, "months_received": 10}
RECIPIENT: dict[str, Any] = {"regime": "survivor", "as_of": "2025-08-10", "deceased": "work_injury_recipient",
                             "monthly_received": 1_617_200, "loss_percent": 45}
runner = CliRunner()


def quote(case: dict[str, Any]) -> dict[str, Any]:
    return answer(QuoteCase.model_validate(case)).model_dump(mode="json")


def test_pensioner() -> None:
    result = quote(PENSIONER)
    assert result["eligible"] is True and result["reasons"] == []
    assert result["amounts"] == {"funeral_allowance": 23_400_000, "monthly_per_dependant": [], "monthly_total": 0,
                                 "lump_sum": 220_000_000}
    assert any("art. 89(2)" in line["basis"] for line in result["explanation"])


def test_pensioner_with_a_dependant() -> None:
    """The monthly allowance instead: 70 % × 2,340,000 = 1,638,000 for one with no direct carer."""
    amounts = quote({**PENSIONER, "dependants": [{"needs_support": True}]})["amounts"]
    assert (amounts["monthly_per_dependant"], amounts["lump_sum"]) == ([1_638_000], 0)


def test_work_injury_recipient() -> None:
    assert quote(RECIPIENT)["amounts"] == {"funeral_allowance": 23_400_000, "monthly_per_dependant": [],
                                           "monthly_total": 0, "lump_sum": 4_851_600}


def test_work_related_death_through_the_command_line() -> None:
    """6 months 2025-02 .. 2025-07 at 8,000,000 and a dependant: funeral 23,400,000 and 1,170,000 a
    month (Law 41 arts. 85(1)(b), 86(1)(c)) although under 12 months and 15 years."""
    case = {"regime": "survivor", "as_of": "2025-08-10", "work_related_death": True,
            "history": [{"from": "2025-02", "to": "2025-07", "salary": 8_000_000}],
            "dependants": [{"needs_support": False}]}
    output = runner.invoke(app, ["quote", "-"], input=json.dumps(case)).output
    assert json.loads(output)["amounts"] == {"funeral_allowance": 23_400_000, "monthly_per_dependant": [1_170_000],
                                             "monthly_total": 1_170_000, "lump_sum": 0}


def test_the_api_answers_the_pensioner() -> None:
    response = TestClient(create_app(create_engine("sqlite://"))).post("/api/v1/quote", json=PENSIONER)
    assert response.status_code == 200
    assert response.json()["amounts"]["lump_sum"] == 220_000_000


@pytest.mark.parametrize(("case", "field"), [
    ({**PENSIONER, "months_received": None}, "months_received"),
    ({**PENSIONER, "monthly_received": None}, "monthly_received"),
    ({**RECIPIENT, "loss_percent": None}, "loss_percent"),
    ({**RECIPIENT, "loss_percent": 30}, "loss_percent"),
    ({**PENSIONER, "deceased": "stranger"}, "deceased"),
])
def test_bad_cases_are_refused_by_the_command_line_and_the_api(case: dict[str, Any], field: str) -> None:
    case = {key: value for key, value in case.items() if value is not None}
    cli = runner.invoke(app, ["quote", "-"], input=json.dumps(case))
    assert cli.exit_code == 1 and field in cli.output and '"amounts"' not in cli.output
    response = TestClient(create_app(create_engine("sqlite://"))).post("/api/v1/quote", json=case)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["field"] == field


@pytest.mark.parametrize(("as_of", "barred", "monthly", "lump_sum"), [
    ("2025-06-30", True, [1_170_000], 0),          # Law 58 art. 69(3): a child under 6 bars the choice
    ("2025-06-30", False, [], 220_000_000),
    ("2025-08-10", True, [], 220_000_000),         # Law 41 art. 88(2)(c): no exception
])
def test_dependants_choice_of_the_lump_sum(as_of: str, barred: bool, monthly: list[int], lump_sum: int) -> None:
    """A pensioner dies in the 10th month of a 5,000,000 pension leaving one cared-for dependant
    who chooses the lump sum: 48 − 0.5 × 8 = 44 months = 220,000,000 instead of 50 % × 2,340,000
    = 1,170,000 a month, unless Law 58 bars the choice."""
    case = {**PENSIONER, "as_of": as_of, "lump_sum_chosen": True,
            "dependants": [{"needs_support": False, "choice_barred": barred}]}
    amounts = quote(case)["amounts"]
    assert (amounts["monthly_per_dependant"], amounts["lump_sum"]) == (monthly, lump_sum)


@pytest.mark.parametrize(("dependant", "field"), [
    ({"needs_support": False, "choice_barred": "yes"}, "dependants.0.choice_barred"),
    ({"choice_barred": True}, "dependants.0.needs_support"),
    ({"needs_support": True, "age": 5}, "dependants.0.age"),
])
def test_bad_dependants_name_the_field(dependant: dict[str, Any], field: str) -> None:
    response = TestClient(create_app(create_engine("sqlite://"))).post(
        "/api/v1/quote", json={**PENSIONER, "dependants": [dependant]})
    assert response.status_code == 422
    assert response.json()["field"] == field
