"""The audit log's verbs: append an event, verify the chain, read events, read the head.

What the chain does
    Every event's ``digest`` is the SHA-256 of a canonical serialisation of all its fields
    (its ``seq``, the time in UTC, who acted as which role at which office, the action, the
    record, the reason, the detail) *and the previous event's digest*; the first event
    chains onto 64 zeros. ``audit_head`` holds the last ``seq`` and digest. So:

    - editing any field of an event (with SQL, a backup restore, a disk editor) makes its
      recomputed digest differ from the stored one;
    - editing an event *and* its digest breaks the next event's ``previous_digest`` link;
    - deleting an event leaves a gap in ``seq``; deleting the last events leaves the head
      pointing past the end; inserting one means renumbering, which breaks every digest.

    :func:`verify` walks the chain in ``seq`` order (streamed, in bounded memory) and names
    the first event where any of this fails.

What it does not protect against
    Someone with write access to the database who rewrites the *whole* chain from a point
    onwards and the head with it: every digest can be recomputed, since the hash has no
    secret. The defence is to anchor the head outside the database: ``ansinh audit head``
    prints ``seq:digest``, which an operator publishes somewhere the database's
    administrators cannot rewrite (a signed daily e-mail, a ticket, a transparency log,
    another agency). ``ansinh audit verify --anchor seq:digest`` then checks that the
    chain still holds that event with that digest; a rewritten chain cannot, because the
    digest covers everything before it. Nor does the chain prove that every change *was*
    audited: a write that bypasses the services writes no event. And it keeps no secret:
    the log holds the detail of each action and must be protected like the registry.

Concurrency
    Every append locks the one head row (``SELECT … FOR UPDATE``) until its transaction
    ends, so appends are serialised and never fork the chain. On first use the head row is
    created with ``INSERT … ON CONFLICT DO NOTHING`` before it is locked, so two first
    writers on PostgreSQL both end up locking the same row. SQLite has one writer at a
    time; should two transactions still race, the second fails on the unique ``seq``
    instead of forking. Because the lock is held until commit, a service records its
    event last, just before it commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Generator, Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ansinh.audit.models import AuditEvent, AuditHead
from ansinh.audit.schemas import AuditEventPublic, ChainHead, Verification
from ansinh.core.actor import Actor
from ansinh.core.errors import InvalidInput
from ansinh.db.uow import UnitOfWork

__all__ = [
    "GENESIS_DIGEST",
    "MAX_LIST",
    "AuditEventPublic",
    "ChainHead",
    "Verification",
    "canonical",
    "digest_of",
    "events",
    "head",
    "record_event",
    "verify",
]

GENESIS_DIGEST = "0" * 64
"""The ``previous_digest`` of the first event."""
HEAD_ID = 1
MAX_LIST = 1000
"""Most events one listing returns."""
STREAM_BATCH = 2000
"""Events fetched per round trip while verifying."""
_LIMITS = {
    "actor": AuditEvent.actor.type.length, "role": AuditEvent.role.type.length,
    "office_code": AuditEvent.office_code.type.length, "action": AuditEvent.action.type.length,
    "record_type": AuditEvent.record_type.type.length, "record_id": AuditEvent.record_id.type.length,
    "reason": AuditEvent.reason.type.length,
}
"""Column lengths, checked before writing (PostgreSQL would refuse longer text)."""
_FIELDS = ("seq", "occurred_at", "actor", "role", "office_code", "action", "record_type", "record_id",
           "reason", "detail", "previous_digest")
"""Every field the digest covers, in no particular order (the serialisation sorts them)."""


# ----------------------------------------------------------------------------- the digest

def utc_text(moment: dt.datetime) -> str:
    """A moment as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC; a naive one is read as UTC.

    SQLite gives timestamps back without their zone; they are stored in UTC, so reading a
    naive one as UTC gives back what was written.
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(fields: Mapping[str, Any]) -> bytes:
    """The bytes an event's digest is taken over: sorted-key JSON of every covered field."""
    body = {name: fields[name] for name in _FIELDS}
    body["occurred_at"] = utc_text(body["occurred_at"])
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def digest_of(fields: Mapping[str, Any]) -> str:
    """The SHA-256 (hex) of an event's canonical form; ``fields`` includes ``previous_digest``."""
    return hashlib.sha256(canonical(fields)).hexdigest()


def _json_default(value: object) -> str:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | Fraction):
        return str(value)
    raise TypeError(f"{type(value).__name__} cannot go into an audit event's detail")


def detail_text(detail: Mapping[str, object] | None) -> str:
    """The detail as stored: sorted-key JSON (dates as ISO text, exact numbers as text)."""
    return json.dumps(dict(detail or {}), sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=_json_default)


# ----------------------------------------------------------------------------- appending

def _create_head_if_missing(session: Session) -> None:
    """Insert the genesis head unless it exists; safe when two first writers race."""
    values = {"id": HEAD_ID, "last_seq": 0, "last_digest": GENESIS_DIGEST}
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(postgresql_insert(AuditHead).values(values).on_conflict_do_nothing(index_elements=["id"]))
    elif dialect == "sqlite":
        session.execute(sqlite_insert(AuditHead).values(values).on_conflict_do_nothing(index_elements=["id"]))
    else:  # pragma: no cover - ansinh runs on SQLite and PostgreSQL only
        session.add(AuditHead(**values))
        session.flush()


def _locked_head(session: Session) -> AuditHead:
    if session.get_bind().dialect.name == "sqlite":
        # SQLite ignores FOR UPDATE. A write (that changes nothing) takes its one write lock
        # now, waiting for any other writer, so the head read next cannot go stale.
        session.execute(update(AuditHead).where(AuditHead.id == HEAD_ID).values(last_seq=AuditHead.last_seq)
                        .execution_options(synchronize_session=False))
    statement = (
        select(AuditHead).where(AuditHead.id == HEAD_ID).with_for_update()
        .execution_options(populate_existing=True)
    )
    locked = session.scalar(statement)
    if locked is None:
        _create_head_if_missing(session)
        locked = session.scalars(statement).one()
    return locked


def _check_lengths(values: Mapping[str, object]) -> None:
    for name, limit in _LIMITS.items():
        value = values[name]
        if isinstance(value, str) and limit is not None and len(value) > limit:
            raise InvalidInput(
                f"{len(value)} characters, more than {limit}", code="audit.too_long", field=name,
                rule=f"an audit event's {name} has at most {limit} characters",
            )


def record_event(
    *, uow: UnitOfWork, actor: Actor, action: str, record_type: str, record_id: str | int,
    at: dt.datetime, reason: str | None = None, detail: Mapping[str, object] | None = None,
) -> int:
    """Append one event to the chain inside the caller's open transaction; its ``seq``.

    Nothing is committed here: the event is written, or not, with the change it records.
    ``at`` must be timezone-aware (the caller reads the clock, at the edge).
    """
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("an audit event's time must be timezone-aware")
    session = uow.session
    values: dict[str, Any] = {
        "occurred_at": at.astimezone(dt.UTC), "actor": actor.username, "role": actor.role,
        "office_code": actor.office_code, "action": action, "record_type": record_type,
        "record_id": str(record_id), "reason": reason, "detail": detail_text(detail),
    }
    _check_lengths(values)
    chain = _locked_head(session)
    values["seq"] = chain.last_seq + 1
    values["previous_digest"] = chain.last_digest
    values["digest"] = digest_of(values)
    session.add(AuditEvent(**values))
    chain.last_seq, chain.last_digest = values["seq"], values["digest"]
    session.flush()
    return int(values["seq"])


# ----------------------------------------------------------------------------- verifying

class _Broken(Exception):
    def __init__(self, seq: int, problem: str) -> None:
        super().__init__(problem)
        self.seq, self.problem = seq, problem


def _span(first: int, last: int) -> str:
    return f"event {first} is" if first == last else f"events {first} to {last} are"


def _check_event(row: Row[Any], expected_seq: int, previous: str) -> None:
    """Raise :class:`_Broken` naming what is wrong with ``row`` at its place in the chain."""
    if row.seq != expected_seq:
        raise _Broken(expected_seq, f"{_span(expected_seq, row.seq - 1)} missing: "
                                    f"event {row.seq} follows event {expected_seq - 1}")
    if digest_of(row._asdict()) != row.digest:
        raise _Broken(row.seq, f"event {row.seq} was altered: its content does not give its stored digest")
    if row.previous_digest != previous:
        before = "the start of the chain" if row.seq == 1 else f"event {row.seq - 1}'s digest"
        raise _Broken(row.seq, f"event {row.seq} does not link to {before}: "
                               f"one of the two was rewritten (digest recomputed to hide an edit)")


def _check_head(chain: AuditHead | None, last_seq: int, last_digest: str) -> None:
    if chain is None:
        if last_seq:
            raise _Broken(last_seq, "the chain's head row is missing")
        return
    if chain.last_seq > last_seq:
        raise _Broken(last_seq + 1, f"{_span(last_seq + 1, chain.last_seq)} missing at the end: "
                                    f"the head says the chain ends at event {chain.last_seq}")
    if chain.last_seq < last_seq:
        raise _Broken(chain.last_seq + 1, f"{_span(chain.last_seq + 1, last_seq)} not in the head: "
                                          f"the head says the chain ends at event {chain.last_seq}")
    if chain.last_digest != last_digest:
        raise _Broken(last_seq, f"the head's digest is not event {last_seq}'s digest: "
                                f"the last event or the head was rewritten")


def _check_anchors(anchors: Mapping[int, str], seen: Mapping[int, str]) -> None:
    for seq in sorted(anchors):
        if seq not in seen:
            raise _Broken(seq, f"anchored event {seq} is not in the chain")
        if seen[seq] != anchors[seq].lower():
            raise _Broken(seq, f"event {seq}'s digest is not the anchored one: the chain was rewritten")


def _stream(session: Session) -> Generator[Row[Any], None, None]:
    """The events in ``seq`` order, fetched in batches (a server-side cursor on PostgreSQL)."""
    columns = [AuditEvent.__table__.c[name] for name in (*_FIELDS, "digest")]
    statement = select(*columns).order_by(AuditEvent.seq).execution_options(yield_per=STREAM_BATCH)
    result = session.execute(statement)
    try:
        yield from result
    finally:
        result.close()


def verify(*, uow: UnitOfWork, anchors: Mapping[int, str] | None = None) -> Verification:
    """Walk the whole chain; stop at the first event that is missing, altered or unlinked.

    ``anchors`` (seq -> digest, as ``ansinh audit head`` printed them earlier) must still
    be in the chain with those digests.
    """
    anchors = dict(anchors or {})
    with uow:
        checked, previous = 0, GENESIS_DIGEST
        seen: dict[int, str] = {}
        rows = _stream(uow.session)
        try:
            for row in rows:
                _check_event(row, checked + 1, previous)
                checked, previous = row.seq, row.digest
                if row.seq in anchors:
                    seen[row.seq] = row.digest
            _check_head(uow.session.get(AuditHead, HEAD_ID), checked, previous)
            _check_anchors(anchors, seen)
        except _Broken as broken:
            return Verification(ok=False, checked=checked, first_bad_seq=broken.seq, problem=broken.problem)
        finally:
            rows.close()  # closes the cursor when the walk stopped early
        return Verification(ok=True, checked=checked, first_bad_seq=None, problem=None)


# ----------------------------------------------------------------------------- reading

def head(*, uow: UnitOfWork) -> ChainHead:
    """The chain's last ``seq`` and digest (0 and the genesis digest while it is empty)."""
    with uow:
        chain = uow.session.get(AuditHead, HEAD_ID)
        if chain is None:
            return ChainHead(seq=0, digest=GENESIS_DIGEST)
        return ChainHead(seq=chain.last_seq, digest=chain.last_digest)


def _public(events_: Iterable[AuditEvent]) -> list[AuditEventPublic]:
    return [
        AuditEventPublic(
            seq=e.seq, occurred_at=utc_text(e.occurred_at), actor=e.actor, role=e.role,
            office_code=e.office_code, action=e.action, record_type=e.record_type, record_id=e.record_id,
            reason=e.reason, detail=json.loads(e.detail or "{}"), digest=e.digest,
        )
        for e in events_
    ]


def events(
    *, uow: UnitOfWork, record_type: str | None = None, record_id: str | None = None,
    actor: str | None = None, limit: int = 100,
) -> list[AuditEventPublic]:
    """The latest events, newest first, optionally of one record (type, and id) or one actor."""
    if record_id is not None and record_type is None:
        raise InvalidInput("a record id needs its record type", code="audit.record_type_missing",
                           field="record_type", rule="records are named TYPE:ID")
    with uow:
        statement = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(max(1, min(limit, MAX_LIST)))
        if record_type is not None:
            statement = statement.where(AuditEvent.record_type == record_type)
        if record_id is not None:
            statement = statement.where(AuditEvent.record_id == record_id)
        if actor is not None:
            statement = statement.where(AuditEvent.actor == actor)
        return _public(uow.session.scalars(statement))
