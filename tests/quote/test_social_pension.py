"""The ``social_pension`` regime of the quote contract, by the command line and the API."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from typer.testing import CliRunner

from ansinh.api.app import create_app
from ansinh.cli import app
from tests.quote.refusals import assert_refused

runner = CliRunner()
CASE: dict[str, Any] = {"regime": "social_pension", "as_of": "2025-07-01",
                        "person": {"sex": "female", "birth_date": "1950-03-10"}}


def client() -> TestClient:
    return TestClient(create_app(create_engine("sqlite://")))


def cli(case: dict[str, Any]) -> dict[str, Any]:
    output = runner.invoke(app, ["quote", "-"], input=json.dumps(case))
    assert output.exit_code == 0, output.output
    result: dict[str, Any] = json.loads(output.output)
    return result


def test_aged_75_through_the_command_line() -> None:
    """Born 1950-03-10, decided 2025-07-01: 75 years 3 months, no pension: 500,000 đ a month
    (Decree 176/2025 art. 3(1)), paid from 2025-07."""
    result = cli(CASE)
    assert result["eligible"] is True and result["reasons"] == []
    assert result["amounts"] == {"monthly": 500_000}
    assert any("Decree 176/2025/ND-CP" in line["basis"] for line in result["explanation"])


def test_the_day_before_through_the_api() -> None:
    """2025-06-30: no social pension yet: answered, not refused, eligible false, not_in_force."""
    answer = client().post("/api/v1/quote", json={**CASE, "as_of": "2025-06-30"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["eligible"] is False
    assert [reason["code"] for reason in body["reasons"]] == ["not_in_force"]
    assert body["amounts"] == {"monthly": 0}


def test_poor_household_and_a_lower_pension_through_the_api() -> None:
    """Aged 72 in a poor household with a 300,000 đ pension: 500,000 đ (art. 21(2); Decree 176
    art. 2(1)(b)); without the household flag: too_young; with a 600,000 đ pension: has_pension."""
    case = {**CASE, "person": {"sex": "male", "birth_date": "1953-01-01"}, "poor_household": True,
            "monthly_pension": 300_000}
    assert client().post("/api/v1/quote", json=case).json()["amounts"] == {"monthly": 500_000}
    young = cli({**case, "poor_household": False})
    assert [reason["code"] for reason in young["reasons"]] == ["too_young"]
    rich = cli({**case, "monthly_pension": 600_000})
    assert [reason["code"] for reason in rich["reasons"]] == ["has_pension"]


@pytest.mark.parametrize(("case", "field"), [
    ({k: v for k, v in CASE.items() if k != "person"}, "person"),
    ({**CASE, "person": {"sex": "female", "birth_date": "2026-01-01"}}, "person.birth_date"),
    ({**CASE, "monthly_pension": -5}, "monthly_pension"),
    ({**CASE, "poor_household": "maybe"}, "poor_household"),
])
def test_bad_cases_name_the_field(case: dict[str, Any], field: str) -> None:
    assert_refused(case, field)
