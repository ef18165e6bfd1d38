"""``ansinh ledger`` commands against the test database."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from ansinh.core.actor import Actor
from ansinh.db.uow import UnitOfWork
from ansinh.ledger import service
from ansinh.ledger.chart import Fund
from ansinh.ledger.commands import ledger_app
from ansinh.ledger.schemas import LineIn

R = Fund.RETIREMENT_SURVIVOR


@pytest.fixture
def runner(cli_env: Engine) -> CliRunner:
    service.post_entry(uow=UnitOfWork(cli_env), key="assess:2026-03:EMP7", entry_date=dt.date(2026, 3, 31),
                       description="assessment", source_type="test", source_id="1",
                       lines=[LineIn(account_code="135", fund=R, debit=1_400_000),
                              LineIn(account_code="573", fund=R, credit=1_400_000)],
                       actor=Actor(username="system"), at=dt.datetime(2026, 3, 31, tzinfo=dt.UTC))
    return CliRunner()


def test_trial_balance_as_json(runner: CliRunner) -> None:
    result = runner.invoke(ledger_app, ["trial-balance", "--from", "2026-03-01", "--to", "2026-03-31", "--json"])
    assert result.exit_code == 0, result.output
    balance = json.loads(result.output)
    assert balance["balanced"] is True
    assert (balance["total_debits"], balance["total_credits"]) == (1_400_000, 1_400_000)
    assert [(r["account_code"], r["closing"]) for r in balance["rows"]] == [("135", 1_400_000), ("573", -1_400_000)]


def test_trial_balance_table_for_one_fund(runner: CliRunner) -> None:
    result = runner.invoke(ledger_app, ["trial-balance", "--from", "2026-01-01", "--to", "2026-12-31",
                                        "--fund", "retirement_survivor"])
    assert result.exit_code == 0, result.output
    assert "1.400.000" in result.output
    assert "Balanced." in result.output
    empty = runner.invoke(ledger_app, ["trial-balance", "--from", "2026-01-01", "--to", "2026-12-31",
                                       "--fund", "health", "--json"])
    assert json.loads(empty.output)["rows"] == []


def test_bad_dates_end_with_a_message_naming_the_field(runner: CliRunner) -> None:
    result = runner.invoke(ledger_app, ["trial-balance", "--from", "2026-13-01", "--to", "2026-12-31"])
    assert result.exit_code == 1
    assert "from" in result.output
    reversed_period = runner.invoke(ledger_app, ["trial-balance", "--from", "2026-05-01", "--to", "2026-04-01"])
    assert reversed_period.exit_code == 1
    assert "ledger.period" in reversed_period.output


def test_accounts_lists_the_chart(runner: CliRunner) -> None:
    result = runner.invoke(ledger_app, ["accounts"])
    assert result.exit_code == 0, result.output
    for code in ("112", "135", "573", "673", "3371", "373"):
        assert code in result.output
