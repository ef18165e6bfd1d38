"""Miscarriage, abortion and stillbirth through the quote contract: the module, ``ansinh quote -``
and ``POST /api/v1/quote``.

Worked example (Law 41/2024 arts. 52, 59(3)): 12 months at 9,000,000 to 2025-07, event
2025-08-10; 9,000,000 / 30 = 300,000 a calendar day.
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
from ansinh.quote.maternity import answer
from ansinh.quote.schemas import QuoteCase

LOSS: dict[str, Any] = {
    "regime": "maternity",
    "as_of": "2025-08-10",
    "event": "miscarriage",
    "pregnancy_weeks": 8,
    "history": [{"from": "2024-08", "to": "2025-07", "salary": 9_000_000, "region": 1}],
}
runner = CliRunner()


def quote(case: dict[str, Any]) -> dict[str, Any]:
    return answer(QuoteCase.model_validate(case)).model_dump(mode="json")


def test_miscarriage_at_8_weeks() -> None:
    """8 weeks: band 2 (5 to under 13), at most 20 days × 300,000 = 6,000,000."""
    result = quote(LOSS)
    assert result["eligible"] is True and result["reasons"] == []
    assert result["amounts"] == {"months": 0, "days": 20, "monthly": 9_000_000, "benefit": 6_000_000,
                                 "childbirth_allowance": 0, "total": 6_000_000}
    assert any("art. 52(1)(b)" in line["basis"] for line in result["explanation"])
    assert any("art. 59(3)" in line["basis"] for line in result["explanation"])


def test_days_prescribed() -> None:
    """12 days prescribed at 8 weeks: 12 × 300,000 = 3,600,000."""
    assert quote({**LOSS, "days": 12})["amounts"]["benefit"] == 3_600_000


def test_late_loss_as_a_birth_through_the_command_line() -> None:
    """24 weeks, 12 months paid: Law 41 art. 52(2), 6 × 9,000,000 + 2 × 2,340,000 = 58,680,000."""
    output = runner.invoke(app, ["quote", "-"], input=json.dumps({**LOSS, "pregnancy_weeks": 24})).output
    amounts = json.loads(output)["amounts"]
    assert (amounts["months"], amounts["total"]) == (6, 58_680_000)


def test_the_api_answers_the_same() -> None:
    response = TestClient(create_app(create_engine("sqlite://"))).post("/api/v1/quote", json=LOSS)
    assert response.status_code == 200
    assert response.json()["amounts"]["benefit"] == 6_000_000


@pytest.mark.parametrize(("change", "field"), [
    ({"pregnancy_weeks": None}, "pregnancy_weeks"),
    ({"pregnancy_weeks": 0}, "pregnancy_weeks"),
    ({"pregnancy_weeks": 46}, "pregnancy_weeks"),
    ({"days": 0}, "days"),
])
def test_bad_cases_are_refused_by_the_command_line_and_the_api(change: dict[str, Any], field: str) -> None:
    case = {key: value for key, value in {**LOSS, **change}.items() if value is not None}
    cli = runner.invoke(app, ["quote", "-"], input=json.dumps(case))
    assert cli.exit_code == 1 and field in cli.output and '"amounts"' not in cli.output
    response = TestClient(create_app(create_engine("sqlite://"))).post("/api/v1/quote", json=case)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["field"] == field
