"""``ansinh audit verify | list | head`` at the command line: exit codes and what they say."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from ansinh.audit import service
from ansinh.audit.commands import parse_anchor, parse_record
from ansinh.cli import app
from ansinh.core.actor import SYSTEM, Actor
from ansinh.core.errors import InvalidInput
from ansinh.db.uow import UnitOfWork

runner = CliRunner()
OFFICER = Actor(username="lan.nguyen", role="officer", office_code="HN-HK")
AT = dt.datetime(2026, 11, 23, 2, 30, tzinfo=dt.UTC)


def append(engine: Engine, *events: tuple[Actor, str, str]) -> None:
    """Events (actor, action, record id of a person), committed together."""
    uow = UnitOfWork(engine)
    with uow:
        for actor, action, record_id in events:
            service.record_event(uow=uow, actor=actor, action=action, record_type="person", record_id=record_id,
                                 at=AT, detail={"view": "file"})
        uow.commit()


@pytest.fixture
def three(cli_env: Engine) -> Engine:
    append(cli_env, (OFFICER, "person.register", "1"), (OFFICER, "person.read", "1"), (SYSTEM, "person.read", "2"))
    return cli_env


def test_verify_exits_0_on_an_untouched_log(three: Engine) -> None:
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "Audit log intact: 3 event(s) verified" in result.output


def test_verify_exits_0_on_an_empty_log(cli_env: Engine) -> None:
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "0 event(s) verified" in result.output


def test_verify_exits_1_naming_the_first_bad_event(three: Engine) -> None:
    with three.begin() as connection:
        connection.execute(text("UPDATE audit_event SET actor = 'someone.else' WHERE seq = 2"))
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "Audit log broken at event 2:" in result.output
    assert "event 2 was altered" in result.output
    assert "1 event(s) before it are sound" in result.output


def test_verify_exits_1_when_the_last_event_is_deleted(three: Engine) -> None:
    with three.begin() as connection:
        connection.execute(text("DELETE FROM audit_event WHERE seq = 3"))
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "Audit log broken at event 3:" in result.output
    assert "missing at the end" in result.output


def test_head_prints_an_anchor_that_verify_takes_back(three: Engine) -> None:
    head = runner.invoke(app, ["audit", "head"])
    assert head.exit_code == 0, head.output
    anchor = head.output.strip()
    assert anchor == service.head(uow=UnitOfWork(three)).anchor()
    assert parse_anchor(anchor)[0] == 3
    ok = runner.invoke(app, ["audit", "verify", "--anchor", anchor])
    assert ok.exit_code == 0, ok.output
    assert "1 anchor(s) matched" in ok.output
    wrong = runner.invoke(app, ["audit", "verify", "--anchor", f"2:{'a' * 64}"])
    assert wrong.exit_code == 1
    assert "Audit log broken at event 2:" in wrong.output
    malformed = runner.invoke(app, ["audit", "verify", "--anchor", "3:xyz"])
    assert malformed.exit_code == 1
    assert "audit.anchor" in malformed.output


def test_list_filters_by_record_and_actor(three: Engine) -> None:
    everything = runner.invoke(app, ["audit", "list"])
    assert everything.exit_code == 0, everything.output
    assert "3 event(s)" in everything.output
    by_record = runner.invoke(app, ["audit", "list", "--record", "person:2"])
    assert "1 event(s)" in by_record.output
    assert "system" in by_record.output
    by_actor = runner.invoke(app, ["audit", "list", "--actor", "lan.nguyen", "--limit", "1"])
    assert "1 event(s)" in by_actor.output
    assert "person.read" in by_actor.output
    bad = runner.invoke(app, ["audit", "list", "--record", "person:"])
    assert bad.exit_code == 1
    assert "audit.record" in bad.output


@pytest.mark.parametrize(
    ("text", "expected"), [("person:42", ("person", "42")), ("person", ("person", None)),
                           ("population_record:001085012345", ("population_record", "001085012345"))],
)
def test_parse_record(text: str, expected: tuple[str, str | None]) -> None:
    assert parse_record(text) == expected


@pytest.mark.parametrize("text", ["", ":1", "person:"])
def test_parse_record_refuses(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_record(text)
