"""The audit hash chain on both databases: appending, verifying, and every kind of tampering.

Tampering is done the way an insider would: plain SQL on the tables, around the service.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading

import pytest
from sqlalchemy import Engine, select, text

from ansinh.audit import service
from ansinh.audit.models import AuditEvent
from ansinh.core.actor import SYSTEM, Actor
from ansinh.core.errors import InvalidInput
from ansinh.db.uow import UnitOfWork

OFFICER = Actor(username="lan.nguyen", role="officer", office_code="HN-HK", account_id=7)
AT = dt.datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def append(uow: UnitOfWork, count: int, *, actor: Actor = OFFICER) -> list[int]:
    """``count`` events (person.read of persons 1..count), committed together."""
    with uow:
        seqs = [
            service.record_event(uow=uow, actor=actor, action="person.read", record_type="person",
                                 record_id=n, at=AT + dt.timedelta(seconds=n), detail={"view": "file"})
            for n in range(1, count + 1)
        ]
        uow.commit()
    return seqs


def sql(engine: Engine, statement: str, **params: object) -> None:
    with engine.begin() as connection:
        connection.execute(text(statement), params)


def test_events_chain_onto_each_other_from_sixty_four_zeros(uow: UnitOfWork) -> None:
    assert append(uow, 3) == [1, 2, 3]
    with uow:
        rows = uow.session.execute(text("SELECT seq, previous_digest, digest FROM audit_event ORDER BY seq")).all()
    assert rows[0].previous_digest == "0" * 64
    assert rows[1].previous_digest == rows[0].digest
    assert rows[2].previous_digest == rows[1].digest
    assert service.head(uow=uow).anchor() == f"3:{rows[2].digest}"


def test_the_digest_is_sha256_of_sorted_key_json_with_utc_time(uow: UnitOfWork) -> None:
    """Event 1 at 09:30:15.123456 +07:00 is 02:30:16.123456 UTC (one second added by append)."""
    append(uow, 1)
    body = {"seq": 1, "occurred_at": "2026-11-23T02:30:16.123456Z", "actor": "lan.nguyen", "role": "officer",
            "office_code": "HN-HK", "action": "person.read", "record_type": "person", "record_id": "1",
            "reason": None, "detail": '{"view":"file"}', "previous_digest": "0" * 64}
    expected = hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    assert service.head(uow=uow).digest == expected


def test_an_untouched_log_verifies(uow: UnitOfWork) -> None:
    assert service.verify(uow=uow) == service.Verification(ok=True, checked=0, first_bad_seq=None, problem=None)
    append(uow, 5)
    result = service.verify(uow=uow)
    assert (result.ok, result.checked, result.first_bad_seq) == (True, 5, None)


def test_events_are_read_back_newest_first_by_record_and_actor(uow: UnitOfWork) -> None:
    append(uow, 3)
    append(uow, 1, actor=SYSTEM)
    assert [e.seq for e in service.events(uow=uow)] == [4, 3, 2, 1]
    assert [e.seq for e in service.events(uow=uow, actor="system")] == [4]
    only = service.events(uow=uow, record_type="person", record_id="2")
    assert [(e.seq, e.actor, e.role, e.office_code, e.detail) for e in only] == [
        (2, "lan.nguyen", "officer", "HN-HK", {"view": "file"})
    ]
    assert only[0].occurred_at == "2026-11-23T02:30:17.123456Z"
    assert [e.seq for e in service.events(uow=uow, limit=2)] == [4, 3]
    with pytest.raises(InvalidInput) as caught:
        service.events(uow=uow, record_id="2")
    assert caught.value.field == "record_type"


@pytest.mark.parametrize(
    ("column", "value"),
    [("action", "person.update"), ("actor", "someone.else"), ("detail", '{"view":"identity"}'),
     ("record_id", "99"), ("reason", "looked up for a friend"), ("role", None)],
)
def test_an_edited_field_is_caught_at_that_event(uow: UnitOfWork, db: Engine, column: str, value: object) -> None:
    append(uow, 4)
    sql(db, f"UPDATE audit_event SET {column} = :value WHERE seq = 3", value=value)
    result = service.verify(uow=uow)
    assert (result.ok, result.first_bad_seq, result.checked) == (False, 3, 2)
    assert result.problem is not None
    assert "event 3 was altered" in result.problem


def test_an_edited_time_is_caught(uow: UnitOfWork, db: Engine) -> None:
    append(uow, 2)
    sql(db, "UPDATE audit_event SET occurred_at = :at WHERE seq = 1", at="2026-11-22 02:30:16.123456")
    assert service.verify(uow=uow).first_bad_seq == 1


def test_an_edit_with_its_digest_recomputed_is_caught_by_the_next_link(uow: UnitOfWork, db: Engine) -> None:
    """The insider rewrites event 2 and its digest; event 3 still points at the old digest."""
    append(uow, 4)
    with uow:
        row = uow.session.execute(select(*AuditEvent.__table__.columns).where(AuditEvent.seq == 2)).one()._asdict()
    row["action"] = "person.update"
    sql(db, "UPDATE audit_event SET action = :action, digest = :digest WHERE seq = 2",
        action=row["action"], digest=service.digest_of(row))
    result = service.verify(uow=uow)
    assert (result.ok, result.first_bad_seq) == (False, 3)
    assert result.problem is not None
    assert "event 3 does not link to event 2's digest" in result.problem


def test_a_deleted_event_in_the_middle_is_a_gap(uow: UnitOfWork, db: Engine) -> None:
    append(uow, 5)
    sql(db, "DELETE FROM audit_event WHERE seq IN (2, 3)")
    result = service.verify(uow=uow)
    assert (result.ok, result.first_bad_seq, result.checked) == (False, 2, 1)
    assert result.problem == "events 2 to 3 are missing: event 4 follows event 1"


def test_a_deleted_first_event_is_caught(uow: UnitOfWork, db: Engine) -> None:
    append(uow, 2)
    sql(db, "DELETE FROM audit_event WHERE seq = 1")
    assert service.verify(uow=uow).first_bad_seq == 1


def test_a_deleted_last_event_is_caught_by_the_head(uow: UnitOfWork, db: Engine) -> None:
    append(uow, 3)
    sql(db, "DELETE FROM audit_event WHERE seq = 3")
    result = service.verify(uow=uow)
    assert (result.ok, result.first_bad_seq, result.checked) == (False, 3, 2)
    assert result.problem == "event 3 is missing at the end: the head says the chain ends at event 3"


def test_deleting_everything_is_caught_by_the_head(uow: UnitOfWork, db: Engine) -> None:
    append(uow, 2)
    sql(db, "DELETE FROM audit_event")
    assert service.verify(uow=uow).first_bad_seq == 1


def test_a_deleted_tail_with_the_head_wound_back_is_caught_only_by_an_anchor(uow: UnitOfWork, db: Engine) -> None:
    """What the chain alone cannot see, and why the head is published."""
    append(uow, 3)
    published = service.head(uow=uow)
    with uow:
        second = uow.session.execute(text("SELECT digest FROM audit_event WHERE seq = 2")).scalar_one()
    sql(db, "DELETE FROM audit_event WHERE seq = 3")
    sql(db, "UPDATE audit_head SET last_seq = 2, last_digest = :d", d=second)
    assert service.verify(uow=uow).ok
    result = service.verify(uow=uow, anchors={published.seq: published.digest})
    assert (result.ok, result.first_bad_seq) == (False, 3)
    assert result.problem == "anchored event 3 is not in the chain"


def test_a_rewritten_chain_does_not_match_its_anchor(uow: UnitOfWork, db: Engine) -> None:
    append(uow, 2)
    anchor = service.head(uow=uow)
    assert service.verify(uow=uow, anchors={anchor.seq: anchor.digest.upper()}).ok
    sql(db, "UPDATE audit_event SET digest = :d WHERE seq = 2", d="f" * 64)
    sql(db, "UPDATE audit_head SET last_digest = :d", d="f" * 64)
    result = service.verify(uow=uow, anchors={anchor.seq: anchor.digest})
    assert result.first_bad_seq == 2  # the bare overwrite is already an altered event


def test_an_event_beyond_the_head_is_caught(uow: UnitOfWork, db: Engine) -> None:
    append(uow, 3)
    sql(db, "UPDATE audit_head SET last_seq = 2")
    result = service.verify(uow=uow)
    assert (result.first_bad_seq, result.problem) == (
        3, "event 3 is not in the head: the head says the chain ends at event 2"
    )


def test_an_edited_head_digest_is_caught(uow: UnitOfWork, db: Engine) -> None:
    append(uow, 2)
    sql(db, "UPDATE audit_head SET last_digest = :d", d="0" * 64)
    assert service.verify(uow=uow).first_bad_seq == 2


def test_a_missing_head_is_caught(uow: UnitOfWork, db: Engine) -> None:
    append(uow, 2)
    sql(db, "DELETE FROM audit_head")
    assert service.verify(uow=uow).problem == "the chain's head row is missing"


def test_an_event_rolled_back_with_its_transaction_leaves_no_trace(uow: UnitOfWork) -> None:
    append(uow, 1)
    with uow:
        service.record_event(uow=uow, actor=OFFICER, action="person.read", record_type="person",
                             record_id=1, at=AT)
    assert service.head(uow=uow).seq == 1
    assert service.verify(uow=uow).ok


def test_a_naive_time_or_overlong_text_is_refused(uow: UnitOfWork) -> None:
    with uow, pytest.raises(ValueError, match="timezone-aware"):
        service.record_event(uow=uow, actor=OFFICER, action="a", record_type="t", record_id=1,
                             at=dt.datetime(2026, 1, 1))  # noqa: DTZ001 - the naive time is the point
    with uow, pytest.raises(InvalidInput) as caught:
        service.record_event(uow=uow, actor=OFFICER, action="a", record_type="t", record_id=1, at=AT,
                             reason="x" * 501)
    assert caught.value.field == "reason"


def test_detail_keeps_dates_and_exact_numbers_as_text(uow: UnitOfWork) -> None:
    with uow:
        service.record_event(uow=uow, actor=OFFICER, action="a", record_type="t", record_id=1, at=AT,
                             detail={"on": dt.date(2026, 1, 2), "n": 3, "nested": {"b": 1, "a": [1, 2]}})
        uow.commit()
    assert service.events(uow=uow)[0].detail == {"n": 3, "nested": {"a": [1, 2], "b": 1}, "on": "2026-01-02"}
    assert service.verify(uow=uow).ok


def test_concurrent_writers_never_fork_the_chain(db: Engine) -> None:
    """Four threads append 10 events each from an empty log (no head row yet).

    On PostgreSQL all four race to create the head; each event still gets its own seq.
    SQLite has one writer at a time, so its threads take turns.
    """
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(10):
                uow = UnitOfWork(db)
                with uow:
                    service.record_event(uow=uow, actor=OFFICER, action="person.read", record_type="person",
                                         record_id=f"{n}-{i}", at=AT)
                    uow.commit()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = service.verify(uow=UnitOfWork(db))
    assert (result.ok, result.checked) == (True, 40)
