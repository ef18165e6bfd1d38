"""``ansinh dossiers``: tracking and the late dossiers at the terminal."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from ansinh.cli import app
from ansinh.services import dossiers
from ansinh.services.dossier_schemas import Assignment
from tests.services.conftest import CITIZEN_ID, HANOI, Desk, correction, vn


@pytest.fixture
def runner(cli_env: Engine) -> CliRunner:
    """A runner whose commands open the test database (the desk fixture fills it)."""
    return CliRunner()


def _counter_dossier(desk: Desk) -> str:
    """A dossier received at the Hà Nội counter on Friday 2026-02-13, before Tết: due 2026-02-27."""
    handled = dossiers.submit(uow=desk.uow, principal=desk.hanoi, data=correction(applicant_name="Phạm Thị Thu Hương"),
                              at=vn(2026, 2, 13))
    dossiers.assign(uow=desk.uow, principal=desk.hanoi, dossier_id=handled.id,
                    data=Assignment(assignee="officer.hanoi2"), at=vn(2026, 2, 13, 10))
    assert handled.receipt_code is not None
    return handled.receipt_code


def test_track_prints_the_status_and_the_due_date(desk: Desk, runner: CliRunner) -> None:
    receipt = _counter_dossier(desk)
    result = runner.invoke(app, ["dossiers", "track", receipt, CITIZEN_ID, "--on", "2026-02-26"])
    assert result.exit_code == 0, result.output
    assert "status assigned" in result.output
    assert "due 2026-02-27; due_soon" in result.output
    assert "Phạm Thị" not in result.output  # tracking shows where, never whose


def test_track_with_another_citizen_id_is_not_found(desk: Desk, runner: CliRunner) -> None:
    receipt = _counter_dossier(desk)
    result = runner.invoke(app, ["dossiers", "track", receipt, "001185004322"])
    assert result.exit_code == 1
    assert "dossier.not_found" in result.output


def test_due_lists_the_overdue_dossiers_of_an_office(desk: Desk, runner: CliRunner) -> None:
    receipt = _counter_dossier(desk)
    before = runner.invoke(app, ["dossiers", "due", "--on", "2026-02-20", "--within", "0"])
    assert before.exit_code == 0, before.output
    assert receipt not in before.output  # Tết: not one working day has passed since receipt
    late = runner.invoke(app, ["dossiers", "due", "--on", "2026-03-02", "--office", HANOI])
    assert late.exit_code == 0, late.output
    assert receipt in late.output
    assert "overdue" in late.output
    elsewhere = runner.invoke(app, ["dossiers", "due", "--on", "2026-03-02", "--office", "P34-79"])
    assert receipt not in elsewhere.output
    assert dt.date(2026, 3, 2).isoformat() in elsewhere.output
