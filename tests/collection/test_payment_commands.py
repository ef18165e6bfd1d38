"""``ansinh payments``: orders, import, match, allocate and unmatched from the command line."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from typer.testing import CliRunner

from ansinh.cli import app
from ansinh.collection.payment_orders import orders_of
from ansinh.db.uow import UnitOfWork
from tests.collection.payment_world import build_world, statement


def test_the_payment_cycle_runs_from_the_command_line(cli_env: Engine, tmp_path: Path) -> None:
    world = build_world(cli_env)
    runner = CliRunner()
    issued = runner.invoke(app, ["payments", "orders", "--month", "2026-04", "--on", "2026-05-02"])
    assert issued.exit_code == 0, issued.output
    assert "2 orders issued" in issued.output
    assert "0 orders issued" in runner.invoke(app, ["payments", "orders", "--month", "2026-04"]).output
    order = orders_of(uow=UnitOfWork(cli_env), employer_id=world.ids["anh"])[0]
    file = tmp_path / "vcb.csv"
    file.write_bytes(statement(("T1", "2026-05-01", order.total, "ANH DUONG", "1", order.reference),
                               ("T2", "2026-05-01", 12_345, "X", "2", "?")))
    imported = runner.invoke(app, ["payments", "import", str(file)])
    assert "2 new" in imported.output, imported.output
    assert "imported before" in runner.invoke(app, ["payments", "import", str(file)]).output
    assert "1 by reference" in runner.invoke(app, ["payments", "match", "--on", "2026-05-02"]).output
    allocated = runner.invoke(app, ["payments", "allocate", "--on", "2026-05-02"])
    assert "allocate:2026-05-02:1" in allocated.output, allocated.output
    assert "Nothing to allocate" in runner.invoke(app, ["payments", "allocate", "--on", "2026-05-02"]).output
    assert "12.345" in runner.invoke(app, ["payments", "unmatched"]).output
    bad = runner.invoke(app, ["payments", "orders", "--month", "2026-13"])
    assert bad.exit_code == 1 and "--month" in bad.output
