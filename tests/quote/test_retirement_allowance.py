"""The ``retirement_allowance`` regime (Law 41/2024 art. 23), by the command line and the API."""

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
CASE: dict[str, Any] = {
    "regime": "retirement_allowance", "as_of": "2025-08-15",
    "person": {"sex": "male", "birth_date": "1963-01-10"},
    "history": [{"from": "2025-01", "to": "2025-06", "salary": 8_000_000, "region": 1}],
}


def client() -> TestClient:
    return TestClient(create_app(create_engine("sqlite://")))


def test_shortfall_through_the_command_line() -> None:
    """Mbq 8,000,000; N = ½; Ttt = 8,000,000 × 2 × ½ / 500,000 = 16 months; 75 on 2038-01-10,
    Tdt = 2025-08 to 2037-12 = 149; 500,000 đ a month for 16 months; the person may pay
    (149 − 16) × 500,000 = 66,500,000 đ to be paid up to 75 (Decree 158/2025 art. 23(3))."""
    output = runner.invoke(app, ["quote", "-"], input=json.dumps(CASE))
    assert output.exit_code == 0, output.output
    result = json.loads(output.output)
    assert result["eligible"] is True
    assert result["amounts"] == {"average_salary": 8_000_000, "years_counted": "0y6m", "years_for_months": 0.5,
                                 "months": 16, "months_to_social_pension": 149, "months_paid": 16,
                                 "monthly": 500_000, "shortfall": 66_500_000}


def test_higher_amount_through_the_api() -> None:
    """Born 1951-03-05 (75 in 2026-03, Tdt 7), 7 months at 8,000,000 (N = 1, Ttt = 32):
    500,000 × 32 / 7 = 2,285,714 đ for 7 months."""
    case = {**CASE, "person": {"sex": "male", "birth_date": "1951-03-05"},
            "history": [{"from": "2025-01", "to": "2025-07", "salary": 8_000_000}]}
    answer = client().post("/api/v1/quote", json=case)
    assert answer.status_code == 200, answer.text
    amounts = answer.json()["amounts"]
    assert (amounts["months"], amounts["months_paid"], amounts["monthly"], amounts["shortfall"]) == (
        32, 7, 2_285_714, 0)


def test_before_the_law_and_with_fifteen_years() -> None:
    """2025-06-30: not_in_force; 15 years of contributions: pension_eligible."""
    before = client().post("/api/v1/quote", json={**CASE, "as_of": "2025-06-30"}).json()
    assert [reason["code"] for reason in before["reasons"]] == ["not_in_force"]
    long = {**CASE, "history": [{"from": "2010-08", "to": "2025-07", "salary": 8_000_000}]}
    assert [reason["code"] for reason in client().post("/api/v1/quote", json=long).json()["reasons"]] == [
        "pension_eligible"]


@pytest.mark.parametrize(("case", "field"), [
    ({k: v for k, v in CASE.items() if k != "person"}, "person"),
    ({**CASE, "history": []}, "history"),
    ({**CASE, "history": [{"from": "2025-01", "to": "2025-09", "salary": 8_000_000}]}, "history.0.to"),
    ({**CASE, "as_of": "2027-02-01"}, "as_of"),
])
def test_bad_cases_name_the_field(case: dict[str, Any], field: str) -> None:
    assert_refused(case, field)
