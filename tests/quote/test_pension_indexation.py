"""The ``pension_indexation`` regime, by the command line and the API."""

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
CASE: dict[str, Any] = {"regime": "pension_indexation", "as_of": "2026-07-01", "monthly_pension": 4_000_000,
                        "pension_start": "2020-03-01"}


def client() -> TestClient:
    return TestClient(create_app(create_engine("sqlite://")))


def test_four_increases_through_the_command_line() -> None:
    """4,000,000 from 2020-03-01: × 1.074 = 4,296,000; × 1.125 = 4,833,000; × 1.15 = 5,557,950;
    × 1.08 = 6,002,586 on 2026-07-01 (Decree 162/2026)."""
    output = runner.invoke(app, ["quote", "-"], input=json.dumps(CASE))
    assert output.exit_code == 0, output.output
    result = json.loads(output.output)
    assert result["eligible"] is True and result["amounts"]["monthly"] == 6_002_586
    assert [step["from"] for step in result["amounts"]["increases"]] == [
        "2022-01-01", "2023-07-01", "2024-07-01", "2026-07-01"]
    assert any("Decree 162/2026/ND-CP" in line["basis"] for line in result["explanation"])


def test_the_day_before_2026_through_the_api() -> None:
    """2026-06-30: 5,557,950, the 2024 amount."""
    answer = client().post("/api/v1/quote", json={**CASE, "as_of": "2026-06-30"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["amounts"]["monthly"] == 5_557_950


def test_a_pension_of_before_1995_with_the_month_of_its_amount() -> None:
    """Started 1990-05-01, 2,000,000 paid in 2021-12 (field month): 2,348,000; 2,941,500;
    3,500,000; 3,800,000 with the pre-1995 top-ups."""
    case = {**CASE, "monthly_pension": 2_000_000, "pension_start": "1990-05-01", "month": "2021-12"}
    amounts = client().post("/api/v1/quote", json=case).json()["amounts"]
    assert [(step["top_up"], step["monthly"]) for step in amounts["increases"]] == [
        (200_000, 2_348_000), (300_000, 2_941_500), (117_275, 3_500_000), (20_000, 3_800_000)]


@pytest.mark.parametrize(("case", "field"), [
    ({k: v for k, v in CASE.items() if k != "monthly_pension"}, "monthly_pension"),
    ({k: v for k, v in CASE.items() if k != "pension_start"}, "pension_start"),
    ({**CASE, "pension_start": "2026-07-02"}, "pension_start"),
    ({**CASE, "pension_start": "2010-01-01"}, "pension_start"),
    ({**CASE, "month": "2019-01"}, "month"),
    ({**CASE, "month": "2026-13"}, "month"),
    ({**CASE, "monthly_pension": 0}, "monthly_pension"),
])
def test_bad_cases_name_the_field(case: dict[str, Any], field: str) -> None:
    assert_refused(case, field)
