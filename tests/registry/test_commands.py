"""The registry at the command line: exit codes and messages, nothing written on error."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from ansinh.cli import app
from ansinh.db.uow import UnitOfWork
from ansinh.registry.models import Person
from tests.registry.conftest import HOAN_KIEM, AddToRegister

runner = CliRunner()
REGISTER = ["people", "register", "--citizen-id", "001085012345", "--name", "Nguyễn Văn An",
            "--birth-date", "1985-03-02", "--sex", "male", "--commune", HOAN_KIEM,
            "--si-number", "0123456789", "--as-of", "2026-11-23"]


@pytest.fixture
def cli_db(cli_env: Engine, add_to_register: AddToRegister) -> Engine:
    add_to_register()
    return cli_env


def people(db: Engine) -> int:
    with UnitOfWork(db) as uow:
        return uow.session.scalar(select(func.count()).select_from(Person)) or 0


def test_register_show_and_history(cli_db: Engine) -> None:
    result = runner.invoke(app, REGISTER)
    assert result.exit_code == 0, result.output
    assert "Nguyễn Văn An" in result.output
    employer = runner.invoke(app, ["employers", "register", "--tax-code", "0100233488", "--name", "Công ty X",
                                   "--commune", HOAN_KIEM, "--region", "1", "--sector", "private",
                                   "--industry", "C", "--as-of", "2026-11-23"])
    assert employer.exit_code == 0, employer.output
    period = runner.invoke(app, ["people", "add-period", "0123456789", "--scheme", "compulsory", "--group",
                                 "DN", "--from", "2026-01", "--salary", "6000000", "--employer",
                                 "0100233488", "--as-of", "2026-11-23"])
    assert period.exit_code == 0, period.output
    history = runner.invoke(app, ["people", "history", "001085012345", "--as-of", "2026-11-23"])
    assert "11 months covered" in history.output


@pytest.mark.parametrize(
    ("replace", "value", "expected"),
    [
        ("--citizen-id", "00108501234X", "citizen_id"),
        ("--birth-date", "1985-02-30", "birth_date"),
        ("--commune", "77777", "residence_commune_code"),
        ("--sex", "x", "sex"),
    ],
)
def test_bad_input_exits_non_zero_naming_the_field(cli_db: Engine, replace: str, value: str,
                                                   expected: str) -> None:
    args = list(REGISTER)
    args[args.index(replace) + 1] = value
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert expected in result.output
    assert people(cli_db) == 0


def test_negative_salary_at_the_cli(cli_db: Engine) -> None:
    runner.invoke(app, REGISTER)
    result = runner.invoke(app, ["people", "add-period", "0123456789", "--scheme", "voluntary", "--group",
                                 "GD", "--from", "2026-01", "--salary", "-1", "--as-of", "2026-11-23"])
    assert result.exit_code == 1
    assert "monthly_salary" in result.output


def test_every_command_has_help() -> None:
    for group in ("people", "employers", "db"):
        result = runner.invoke(app, [group, "--help"])
        assert result.exit_code == 0
        assert "Usage" in result.output
