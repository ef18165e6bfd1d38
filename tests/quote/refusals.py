"""One check for a refused quote case: both entry points refuse it naming the same field."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from typer.testing import CliRunner

from ansinh.api.app import create_app
from ansinh.cli import app

runner = CliRunner()


def assert_refused(case: dict[str, Any], field: str) -> None:
    """``POST /api/v1/quote`` answers 422 naming ``field``; ``ansinh quote -`` exits 1 naming it, with no amounts."""
    answer = TestClient(create_app(create_engine("sqlite://"))).post("/api/v1/quote", json=case)
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field
    output = runner.invoke(app, ["quote", "-"], input=json.dumps(case))
    assert output.exit_code == 1
    assert field in output.output and '"amounts"' not in output.output
