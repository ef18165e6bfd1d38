"""``ansinh procedures``: the catalogue at the terminal."""

from __future__ import annotations

from typer.testing import CliRunner

from ansinh.cli import app

runner = CliRunner()


def test_list_prints_the_catalogue() -> None:
    result = runner.invoke(app, ["procedures", "list"])
    assert result.exit_code == 0, result.output
    assert "Procedures (47)" in result.output
    for code in ("600", "630", "AS-PENSION", "AS-HISTORY-LOOKUP"):
        assert code in result.output


def test_list_filters_by_domain_and_applicant() -> None:
    result = runner.invoke(app, ["procedures", "list", "--domain", "cards"])
    assert result.exit_code == 0, result.output
    assert "Procedures (6)" in result.output
    assert "AS-PENSION" not in result.output
    facility = runner.invoke(app, ["procedures", "list", "--applicant", "facility"])
    assert "AS-HI-SETTLEMENT" in facility.output
    assert "630" not in facility.output


def test_show_prints_one_procedure() -> None:
    result = runner.invoke(app, ["procedures", "show", "AS-LUMP-SUM"])
    assert result.exit_code == 0, result.output
    assert "Giải quyết hưởng bảo hiểm xã hội một lần" in result.output
    assert "7 working days" in result.output
    assert "not asked" in result.output


def test_show_an_unknown_code_exits_1_naming_code() -> None:
    result = runner.invoke(app, ["procedures", "show", "999"])
    assert result.exit_code == 1
    assert "procedure.unknown" in result.output
    assert "code:" in result.output


def test_an_unknown_domain_is_refused() -> None:
    result = runner.invoke(app, ["procedures", "list", "--domain", "lottery"])
    assert result.exit_code == 2
