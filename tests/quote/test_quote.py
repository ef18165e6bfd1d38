"""``ansinh quote`` and ``POST /api/v1/quote``: the public contract, and what bad cases get."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from typer.testing import CliRunner

from ansinh.api.app import create_app
from ansinh.cli import app
from ansinh.quote.schemas import Regime
from ansinh.quote.service import ANSWERS

runner = CliRunner()
CASE = {"regime": "contribution", "as_of": "2025-08-15", "month": "2025-08", "salary": 30_000_000, "region": 1}
HISTORY = [{"from": "2010-01", "to": "2015-12", "salary": 8_000_000, "region": 1},
           {"from": "2016-01", "to": "2025-06", "salary": 12_000_000, "region": 1}]


def client() -> TestClient:
    return TestClient(create_app(create_engine("sqlite://")))


def test_contribution_from_a_file_and_from_stdin(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE), encoding="utf-8")
    from_file = runner.invoke(app, ["quote", str(path)])
    assert from_file.exit_code == 0, from_file.output
    result = json.loads(from_file.output)
    assert result["eligible"] is True
    assert result["amounts"]["employee"]["total"] == 3_150_000
    assert result["amounts"]["employer"]["total"] == 6_450_000
    assert all({"label", "value", "basis"} <= set(line) for line in result["explanation"])
    assert any("Law 41/2024/QH15" in line["basis"] for line in result["explanation"])
    from_stdin = runner.invoke(app, ["quote", "-"], input=json.dumps(CASE))
    assert json.loads(from_stdin.output) == result


def test_unemployment_through_the_command_line() -> None:
    """§4 of the UI sheet: Region I, average 40,000,000, 62 months: 24,000,000 for 5 months."""
    case = {"regime": "unemployment", "as_of": "2026-03-20",
            "history": [{"from": "2021-01", "to": "2026-02", "salary": 40_000_000, "region": 1}]}
    result = json.loads(runner.invoke(app, ["quote", "-"], input=json.dumps(case)).output)
    assert result["amounts"] == {"average_salary": 40_000_000, "monthly": 24_000_000, "months": 5,
                                 "total": 120_000_000}


def test_hi_cost_share_through_the_api() -> None:
    """§2.4 example 3: code-4 card (80 %), self-referred inpatient at a central hospital,
    50,000,000: the fund pays 40 % × 80 % = 32 %, i.e. 16,000,000."""
    case = {"regime": "hi_cost_share", "as_of": "2025-03-10", "total_cost": 50_000_000, "benefit_level": 4,
            "route": "self", "facility_level": "central", "inpatient": True}
    amounts = client().post("/api/v1/quote", json=case).json()["amounts"]
    assert (amounts["fund_pays"], amounts["patient_pays"]) == (16_000_000, 34_000_000)


def test_every_regime_of_the_contract_is_answered() -> None:
    assert set(ANSWERS) == set(Regime)


def test_pension_through_the_command_line() -> None:
    """A man born 1964-03-10 retires at 61y3m on 2025-06 end; 1995-2025 at a flat salary."""
    case = {"regime": "pension", "as_of": "2025-07-01", "person": {"sex": "male", "birth_date": "1964-03-10"},
            "history": [{"from": "1995-07", "to": "2025-06", "salary": 10_000_000, "region": 1}]}
    output = runner.invoke(app, ["quote", "-"], input=json.dumps(case)).output
    result = json.loads(output)
    assert result["eligible"] is True, output
    assert result["amounts"]["retirement_age"] == "61y3m"
    assert result["amounts"]["years_counted"] == "30y0m"
    assert result["amounts"]["rate_percent"] == 65


def test_the_api_answers_the_same() -> None:
    answer = client().post("/api/v1/quote", json=CASE)
    assert answer.status_code == 200
    assert answer.json()["amounts"]["total"] == 9_900_000


BAD_CASES = [
    ({**CASE, "salary": -1}, "salary"),
    ({**CASE, "salary": 1.5}, "salary"),
    ({**CASE, "salary": "30000000"}, "salary"),
    ({**CASE, "region": 5}, "region"),
    ({**CASE, "month": "2025-13"}, "month"),
    ({**CASE, "as_of": "2025-02-30"}, "as_of"),
    ({**CASE, "regime": "lottery"}, "regime"),
    ({**CASE, "salry": 1}, "salry"),
    ({k: v for k, v in CASE.items() if k != "salary"}, "salary"),
    ({**CASE, "month": "2015-12"}, "month"),
    ({**CASE, "history": [HISTORY[1], HISTORY[0]]}, "history"),
    ({**CASE, "history": [HISTORY[0], {**HISTORY[1], "from": "2015-06"}]}, "history"),
    ({**CASE, "history": [{**HISTORY[0], "from": "2016-01", "to": "2015-01"}]}, "history.0"),
    ({**CASE, "regime": "pension"}, "person"),
]


@pytest.mark.parametrize(("case", "field"), BAD_CASES)
def test_bad_cases_are_refused_naming_the_field(case: dict[str, object], field: str) -> None:
    answer = client().post("/api/v1/quote", json=case)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["field"].startswith(field)
    cli = runner.invoke(app, ["quote", "-"], input=json.dumps(case))
    assert cli.exit_code == 1
    assert field.split(".", maxsplit=1)[0] in cli.output
    assert '"amounts"' not in cli.output


@pytest.mark.parametrize("text", ["", "{", "[]", "null", '{"regime": "contribution"', "\x00\x01"])
def test_broken_json(text: str) -> None:
    cli = runner.invoke(app, ["quote", "-"], input=text)
    assert cli.exit_code == 1
    assert "quote.invalid" in cli.output


def test_missing_file_and_oversized_input(tmp_path: Path) -> None:
    assert runner.invoke(app, ["quote", str(tmp_path / "nope.json")]).exit_code == 1
    big = tmp_path / "big.json"
    big.write_text(" " * 1_000_001 + json.dumps(CASE), encoding="utf-8")
    result = runner.invoke(app, ["quote", str(big)])
    assert result.exit_code == 1
    assert "quote.too_large" in result.output
