"""``ansinh outbox`` against the test database: deliver, list, requeue."""

from __future__ import annotations

import datetime as dt

import pytest
import typer
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from ansinh.db.uow import UnitOfWork
from ansinh.services.models import OutboxChannel, OutboxMessage
from ansinh.services.outbox import deliver_due, enqueue
from ansinh.services.outbox_commands import outbox_app
from ansinh.services.ports import Ports, RecordingPort

PAST = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
"""When the test messages were written: before the clock the commands read, so they are due."""

cli = typer.Typer()
cli.add_typer(outbox_app, name="outbox")


@pytest.fixture
def runner(cli_env: Engine, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A runner on the test database, with no channel configured (every port records)."""
    for name in ("ANSINH_SMTP_HOST", "ANSINH_SMS_GATEWAY_URL", "ANSINH_PORTAL_CALLBACK_URL"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()


def _write(db: Engine, key: str, channel: OutboxChannel = OutboxChannel.EMAIL) -> int:
    uow = UnitOfWork(db)
    with uow:
        enqueue(uow=uow, key=key, channel=channel, recipient="an@example.vn", subject=f"Hồ sơ {key}",
                body="Hồ sơ đã tiếp nhận.", dossier_id=None, at=PAST)
        uow.commit()
        return uow.session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) or 0


def _status(db: Engine, message_id: int) -> tuple[str, int]:
    with UnitOfWork(db) as uow:
        row = uow.session.get(OutboxMessage, message_id)
        assert row is not None
        return row.status, row.attempts


def _kill(db: Engine) -> None:
    """Make every due message fail once with one attempt allowed: it is dead."""
    failing = RecordingPort(fail_times=100)
    deliver_due(uow=UnitOfWork(db), ports=Ports(email=failing, sms=failing, portal=failing), at=PAST,
                max_attempts=1)


def test_deliver_sends_what_is_due_and_prints_counts(runner: CliRunner, cli_env: Engine) -> None:
    first, second = _write(cli_env, "a"), _write(cli_env, "b", OutboxChannel.SMS)
    result = runner.invoke(cli, ["outbox", "deliver"])
    assert result.exit_code == 0, result.output
    assert "Sent 2, to retry 0, given up 0." in result.output
    assert _status(cli_env, first) == ("sent", 1)
    assert _status(cli_env, second) == ("sent", 1)
    again = runner.invoke(cli, ["outbox", "deliver"])
    assert "Sent 0, to retry 0, given up 0." in again.output


def test_list_filters_by_status(runner: CliRunner, cli_env: Engine) -> None:
    _write(cli_env, "gone")
    _kill(cli_env)
    _write(cli_env, "due")
    result = runner.invoke(cli, ["outbox", "list", "--status", "dead"])
    assert result.exit_code == 0, result.output
    assert "Outbox messages (1)" in result.output
    assert "gone" in result.output and "due" not in result.output
    assert "simulated" in result.output
    everything = runner.invoke(cli, ["outbox", "list"])
    assert "Outbox messages (2)" in everything.output
    assert runner.invoke(cli, ["outbox", "list", "--status", "lost"]).exit_code == 2


def test_requeue_puts_a_dead_message_back(runner: CliRunner, cli_env: Engine) -> None:
    message_id = _write(cli_env, "k")
    _kill(cli_env)
    assert _status(cli_env, message_id) == ("dead", 1)
    result = runner.invoke(cli, ["outbox", "requeue", str(message_id)])
    assert result.exit_code == 0, result.output
    assert f"Message {message_id} is queued again" in result.output
    assert _status(cli_env, message_id) == ("pending", 0)
    assert "Sent 1" in runner.invoke(cli, ["outbox", "deliver"]).output


def test_requeue_of_a_message_that_is_not_dead_exits_1(runner: CliRunner, cli_env: Engine) -> None:
    message_id = _write(cli_env, "k")
    result = runner.invoke(cli, ["outbox", "requeue", str(message_id)])
    assert result.exit_code == 1
    assert "outbox.not_dead" in result.output
    assert "message_id" in result.output
    assert _status(cli_env, message_id) == ("pending", 0)
