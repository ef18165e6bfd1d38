"""``ansinh org offices``, ``office``, ``load-offices`` and ``restructure`` from the command line.

Reading commands run on the shared test database; ``restructure`` runs on a copy of its
own (``org_engine``, see conftest.py), since it writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from ansinh.audit.models import AuditEvent
from ansinh.core.settings import get_settings
from ansinh.db.engine import dispose_engines
from ansinh.db.uow import UnitOfWork
from ansinh.org.commands import app
from ansinh.org.models import Office

DISSOLVE = """\
key: dissolve-cao-bang
effective_on: 2026-01-01
source: Decision 1/QĐ-TEST
operations:
  - op: dissolve
    offices: [P34-04]
    into: P34-20
"""
CYCLE = DISSOLVE.replace("key: dissolve-cao-bang", "key: circle") + """\
  - op: dissolve
    offices: [P34-20]
    into: P34-04
"""


@pytest.fixture
def runner(cli_env: Engine) -> CliRunner:
    return CliRunner()


@pytest.fixture
def own_runner(org_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """A runner whose commands open the test's own copy of the organisation."""
    monkeypatch.setenv("ANSINH_DATABASE_URL", org_engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    dispose_engines()
    yield CliRunner()
    get_settings.cache_clear()
    dispose_engines()


def test_offices_on_each_side_of_the_reform(runner: CliRunner) -> None:
    before = runner.invoke(app, ["offices", "--on", "2025-06-30"])
    assert before.exit_code == 0, before.output
    assert "Offices on 2025-06-30 (760)" in before.output and "D63-001" in before.output
    after = runner.invoke(app, ["offices", "--on", "2025-07-01", "--kind", "provincial"])
    assert "Offices on 2025-07-01 (34)" in after.output and "P34-01" in after.output
    tree = runner.invoke(app, ["offices", "--on", "2025-07-01", "--tree"])
    assert tree.exit_code == 0 and "VSS" in tree.output and "P34-96" in tree.output


def test_office_shows_areas_and_lineage(runner: CliRunner) -> None:
    result = runner.invoke(app, ["office", "P63-01", "--on", "2025-06-30"])
    assert result.exit_code == 0, result.output
    assert "Bảo hiểm xã hội thành phố Hà Nội" in result.output
    assert "Areas on 2025-06-30 (1)" in result.output
    assert "Went into (rename, 2025-07-01): P34-01" in result.output
    missing = runner.invoke(app, ["office", "NOPE", "--on", "2025-06-30"])
    assert missing.exit_code == 1 and "office.not_found" in missing.output


def test_load_offices_again_applies_nothing(runner: CliRunner) -> None:
    result = runner.invoke(app, ["load-offices"])
    assert result.exit_code == 0, result.output
    assert "Applied 0 plan(s) (none); 3 already applied." in result.output


def test_restructure_dry_run_then_apply(own_runner: CliRunner, org_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(DISSOLVE, encoding="utf-8")

    def offices_closed() -> int:
        with UnitOfWork(org_engine) as uow:
            return uow.session.scalar(select(func.count()).select_from(Office).where(Office.valid_to.is_not(None))) or 0

    before = offices_closed()
    dry = own_runner.invoke(app, ["restructure", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Dry run: nothing written" in dry.output and "offices closed (1): P34-04" in dry.output
    assert offices_closed() == before
    real = own_runner.invoke(app, ["restructure", str(path)])
    assert real.exit_code == 0, real.output
    assert "takes effect on 2026-01-01" in real.output
    assert offices_closed() == before + 1
    with UnitOfWork(org_engine) as uow:
        actions = list(uow.session.scalars(select(AuditEvent.action)))
    assert actions == ["org.restructure"]
    again = own_runner.invoke(app, ["restructure", str(path)])
    assert again.exit_code == 0 and "already applied" in again.output


def test_restructure_refuses_an_invalid_plan_naming_the_field(own_runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(CYCLE, encoding="utf-8")
    result = own_runner.invoke(app, ["restructure", str(path), "--dry-run"])
    assert result.exit_code == 1
    assert "plan.cycle" in result.output and "operations.0.into" in result.output
    assert "Traceback" not in result.output
    missing = own_runner.invoke(app, ["restructure", str(tmp_path / "none.yaml")])
    assert missing.exit_code == 1 and "plan.unreadable" in missing.output
