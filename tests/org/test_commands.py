"""``ansinh org`` commands against the test database."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from ansinh.org.commands import app


@pytest.fixture
def runner(cli_env: Engine) -> CliRunner:
    """A runner whose commands open the test database."""
    return CliRunner()


def test_help_lists_every_command(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("load-map", "provinces", "communes", "successors"):
        assert command in result.output


def test_load_map_again_inserts_nothing(runner: CliRunner) -> None:
    result = runner.invoke(app, ["load-map"])
    assert result.exit_code == 0, result.output
    assert "Inserted 0 provinces, 0 districts, 0 communes and 0 successions" in result.output


def test_provinces_on_a_date(runner: CliRunner) -> None:
    result = runner.invoke(app, ["provinces", "--on", "2025-06-30"])
    assert result.exit_code == 0, result.output
    assert "Provinces on 2025-06-30 (63)" in result.output
    assert "Bình Dương" in result.output
    after = runner.invoke(app, ["provinces", "--on", "2025-07-01"])
    assert "Provinces on 2025-07-01 (34)" in after.output


def test_communes_search(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["communes", "--province", "79", "--query", "thu duc", "--on", "2025-07-01"]
    )
    assert result.exit_code == 0, result.output
    assert "26824" in result.output
    assert "Thủ Đức" in result.output


def test_successors_both_ways(runner: CliRunner) -> None:
    forwards = runner.invoke(app, ["successors", "74", "--from", "2024-01-01", "--to", "2025-07-01"])
    assert forwards.exit_code == 0, forwards.output
    assert "79" in forwards.output
    assert "Bình Dương" not in forwards.output
    backwards = runner.invoke(app, ["successors", "79", "--from", "2025-07-01", "--to", "2024-01-01"])
    assert backwards.exit_code == 0, backwards.output
    for name in ("Bình Dương", "Bà Rịa - Vũng Tàu"):
        assert name in backwards.output


def test_domain_error_is_a_message_and_exit_1(runner: CliRunner) -> None:
    result = runner.invoke(app, ["communes", "--province", "74", "--on", "2025-07-01"])
    assert result.exit_code == 1
    assert "province.unknown" in result.output
    assert "Traceback" not in result.output
    bad_date = runner.invoke(app, ["provinces", "--on", "2025-13-01"])
    assert bad_date.exit_code == 2
