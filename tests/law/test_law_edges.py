"""Reading the law: ``ansinh law`` and ``/api/v1/law``."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from typer.testing import CliRunner

from ansinh.api.app import create_app
from ansinh.cli import app

runner = CliRunner()


def client() -> TestClient:
    # The law needs no database; an unused in-memory engine satisfies the app factory.
    return TestClient(create_app(create_engine("sqlite://")))


def test_show_a_parameter_on_a_date() -> None:
    body = client().get("/api/v1/law/si.base_salary", params={"at": "2026-06-30"}).json()
    assert body["in_force"]["value"] == 2_340_000
    assert body["in_force"]["source"]["instrument"] == "Decree 73/2024/ND-CP"
    assert body["history"][-1]["starts"] == "2026-07-01"
    later = client().get("/api/v1/law/si.base_salary", params={"at": "2026-07-01"}).json()
    assert later["in_force"]["value"] == 2_530_000


def test_list_on_a_date() -> None:
    body = client().get("/api/v1/law", params={"at": "2025-12-31", "prefix": "labour.minimum_wage"}).json()
    assert body["count"] == 4
    assert [item["value"] for item in body["items"]] == [4_960_000, 4_410_000, 3_860_000, 3_450_000]


def test_errors_are_problems() -> None:
    unknown = client().get("/api/v1/law/si.no_such_thing")
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "law.unknown_parameter"
    early = client().get("/api/v1/law/labour.minimum_wage.region_1", params={"at": "2015-12-31"})
    assert early.status_code == 422
    assert early.json()["code"] == "law.parameter_not_in_force"
    assert client().get("/api/v1/law/si.base_salary", params={"at": "2026-02-30"}).status_code == 422


def test_the_command_line() -> None:
    shown = runner.invoke(app, ["law", "show", "labour.minimum_wage.region_1", "--at", "2026-01-01"])
    assert shown.exit_code == 0, shown.output
    assert "5310000" in shown.output
    assert "Decree 293/2025/ND-CP" in shown.output
    listed = runner.invoke(app, ["law", "list", "si", "--at", "2026-07-01"])
    assert listed.exit_code == 0
    assert "si.base_salary" in listed.output
    assert "2530000" in listed.output
    bad = runner.invoke(app, ["law", "show", "no.such.key"])
    assert bad.exit_code == 1
    assert "law.unknown_parameter" in bad.output
    early = runner.invoke(app, ["law", "show", "si.base_salary", "--at", "1990-01-01"])
    assert early.exit_code == 1
    assert "not in force" in early.output
