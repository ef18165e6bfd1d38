"""``ansinh declare FILE --employer UNIT``: summary, rejected lines, report; a second run changes nothing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from ansinh.cli import app
from ansinh.collection.declaration_models import Declaration
from ansinh.db.uow import UnitOfWork
from tests.factories import register_employer, register_person


def test_declare_prints_the_result_writes_the_report_and_declares_a_file_once(cli_env: Engine, tmp_path: Path) -> None:
    uow = UnitOfWork(cli_env)
    unit = register_employer(uow).unit_code
    register_person(uow)
    file = tmp_path / "thang-04.csv"
    file.write_text("Loại,Số định danh,Từ tháng,Mức lương\n"
                    "tăng,001185004321,04/2026,10.000.000\n"
                    "tăng,001185009999,04/2026,10.000.000\n", encoding="utf-8")
    report = tmp_path / "rejected.csv"
    runner = CliRunner()
    first = runner.invoke(app, ["declare", str(file), "--employer", unit, "--as-of", "2026-04-20",
                                "--report", str(report)])
    assert first.exit_code == 0, first.output
    assert "2 lines, 1 accepted, 1 rejected" in first.output
    assert "person.not_found" in first.output
    assert "001185009999" in report.read_text(encoding="utf-8-sig")
    again = runner.invoke(app, ["declare", str(file), "--employer", unit, "--as-of", "2026-04-20"])
    assert again.exit_code == 0 and "nothing was changed" in again.output
    with UnitOfWork(cli_env) as uow2:
        assert uow2.session.scalar(select(func.count()).select_from(Declaration)) == 1


def test_a_hostile_file_ends_with_its_reason(cli_env: Engine, tmp_path: Path) -> None:
    unit = register_employer(UnitOfWork(cli_env)).unit_code
    file = tmp_path / "x.csv"
    file.write_bytes(b"\x00\x01binary")
    result = CliRunner().invoke(app, ["declare", str(file), "--employer", unit])
    assert result.exit_code == 1 and "declaration.file" in result.output
