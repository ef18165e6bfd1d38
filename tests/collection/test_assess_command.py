"""``ansinh assess --month``: progress and totals, idempotent, resumable after the process is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from ansinh.cli import app
from ansinh.collection.models import Assessment, AssessmentPartition, AssessmentRun
from ansinh.db.uow import UnitOfWork
from ansinh.ledger.models import LedgerEntry, LedgerLine
from tests.factories import add_participation, register_employer, register_person

ROOT = Path(__file__).resolve().parents[2]


def _fill(db: Engine) -> int:
    """Two employers, three people in force in March 2026; the number of participations."""
    uow = UnitOfWork(db)
    first = register_employer(uow, tax_code="0100233488", wage_region=1).unit_code
    second = register_employer(uow, tax_code="0100109106", name="Công ty Cổ phần Sông Hồng", wage_region=3).unit_code
    people = [("001185004301", "0123456701", "Nguyễn Văn An", first, 12_000_000),
              ("001185004302", "0123456702", "Trần Thị Bình", first, 25_000_000),
              ("001185004303", "0123456703", "Lê Văn Cường", second, 9_000_000)]
    for citizen_id, si_number, name, unit, salary in people:
        register_person(uow, citizen_id=citizen_id, si_number=si_number, full_name=name)
        add_participation(uow, citizen_id, start_month="2025-11", end_month=None, monthly_salary=salary,
                          employer_unit_code=unit)
    return len(people)


def _counts(db: Engine) -> dict[str, int]:
    with UnitOfWork(db) as uow:
        return {model.__tablename__: int(uow.session.scalar(select(func.count()).select_from(model)) or 0)
                for model in (Assessment, AssessmentPartition, AssessmentRun, LedgerEntry, LedgerLine)}


def test_assess_prints_progress_and_totals_then_changes_nothing(cli_env: Engine) -> None:
    people = _fill(cli_env)
    runner = CliRunner()
    first = runner.invoke(app, ["assess", "--month", "2026-03", "--partitions", "4"])
    assert first.exit_code == 0, first.output
    assert "partition    0" in first.output
    assert "assess:2026-03: completed, 4/4 partitions, 3 participations" in first.output
    for fund in ("retirement_survivor", "sickness_maternity", "work_injury", "unemployment", "health"):
        assert fund in first.output
    counts = _counts(cli_env)
    assert counts["assessment"] == people
    assert counts["ledger_entry"] == 2

    again = runner.invoke(app, ["assess", "--month", "2026-03"])
    assert again.exit_code == 0, again.output
    assert "already completed" in again.output
    assert "partition    0" not in again.output
    assert _counts(cli_env) == counts


def test_a_bad_month_names_the_option(cli_env: Engine) -> None:
    result = CliRunner().invoke(app, ["assess", "--month", "2026-13"])
    assert result.exit_code == 1
    assert "--month" in result.output
    assert "YYYY-MM" in result.output
    assert _counts(cli_env)["assessment_run"] == 0


def test_a_killed_run_resumes_and_charges_once(cli_env: Engine, database_url: str) -> None:
    """SIGKILL the command once a partition is written; the second run completes it, once.

    PostgreSQL only: the child process and this one share the database while it runs."""
    if cli_env.dialect.name != "postgresql":
        pytest.skip("two processes on one database: run on PostgreSQL")
    people = _fill(cli_env)
    partitions = 512  # many small transactions: the process is still working when it is killed
    command = [sys.executable, "-m", "ansinh.cli", "assess", "--month", "2026-03", "--partitions", str(partitions)]
    environment = os.environ | {"ANSINH_DATABASE_URL": database_url}
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL,  # noqa: S603
                               stderr=subprocess.DEVNULL)
    try:
        while process.poll() is None and _counts(cli_env)["assessment_partition"] == 0:
            time.sleep(0.01)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert _counts(cli_env)["assessment_partition"] >= 1

    resumed = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True,  # noqa: S603
                             check=False)
    assert resumed.returncode == 0, resumed.stderr
    counts = _counts(cli_env)
    assert counts["assessment_partition"] == partitions
    assert counts["assessment"] == people
    assert counts["ledger_entry"] == 2
    with UnitOfWork(cli_env) as uow:
        debits = uow.session.scalar(select(func.sum(LedgerLine.debit)))
        charged = uow.session.scalar(select(func.sum(Assessment.total)))
        status = uow.session.scalar(select(AssessmentRun.status))
    assert debits == charged
    assert status == "completed"
