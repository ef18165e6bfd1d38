"""``ansinh arrears`` and ``ansinh compliance`` at a terminal."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine
from typer.testing import CliRunner

from ansinh.cli import app
from ansinh.db.uow import UnitOfWork
from tests.collection.arrears_helpers import assess, employer_with_workers


def test_ageing_interest_reminders_and_risk(cli_env: Engine) -> None:
    uow = UnitOfWork(cli_env)
    unit, _ = employer_with_workers(uow, salaries=(10_000_000,), start_month="2025-08")
    assess(uow, dt.date(2025, 8, 1), dt.date(2025, 9, 1))
    runner = CliRunner()

    ageing = runner.invoke(app, ["arrears", "ageing", "--as-of", "2025-11-15"])
    assert ageing.exit_code == 0, ageing.output
    assert unit in ageing.output and "late" in ageing.output

    first = runner.invoke(app, ["arrears", "interest", "--through", "2025-11-15"])
    assert first.exit_code == 0, first.output
    assert "interest:2025-11-15: 10 charges, 1 employers" in first.output
    again = runner.invoke(app, ["arrears", "interest", "--through", "2025-11-15"])
    assert "already run" in again.output
    bad = runner.invoke(app, ["arrears", "interest", "--through", "15/11/2025"])
    assert bad.exit_code == 1 and "--through" in bad.output

    remind = runner.invoke(app, ["arrears", "remind", "--on", "2025-11-16"])
    assert remind.exit_code == 0 and "1 reminders written" in remind.output

    risk = runner.invoke(app, ["compliance", "risk", "--as-of", "2025-11-16", "--limit", "5"])
    assert risk.exit_code == 0 and unit in risk.output and "days past their deadline" in risk.output


def test_a_write_off_is_recorded_from_the_command_line(cli_env: Engine) -> None:
    uow = UnitOfWork(cli_env)
    unit, _ = employer_with_workers(uow, salaries=(10_000_000,), start_month="2025-08")
    assess(uow, dt.date(2025, 8, 1))
    arguments = ["arrears", "write-off", "--employer", unit, "--decision", "12/QĐ-BHXH", "--decided-on", "2025-12-20",
                 "--through", "2025-08", "--reason", "Giải thể"]
    first = CliRunner().invoke(app, arguments)
    assert first.exit_code == 0, first.output
    assert "written off by 12/QĐ-BHXH (1 months" in first.output and "not credited" in first.output
    again = CliRunner().invoke(app, arguments)
    assert "already recorded" in again.output
