"""The transactional outbox: messages written with the change they report, sent afterwards.

A service that changes a dossier calls :func:`enqueue` inside its own transaction. The
message row is committed with the change or rolled back with it, so an applicant is never
told of a step that did not happen and a step is never lost because a mail relay was down.
:func:`deliver_due` sends what is due through the :mod:`ports`, each message in transactions
of its own, and retries failures on a fixed schedule until the message is sent or, after
``outbox_max_attempts``, given up as dead; :func:`requeue` puts a dead message back once an
operator has fixed the cause. docs/outbox.md describes the whole mechanism.

Delivery is at least once: an attempt is recorded as started (and counted) before the
message goes out, so a sender that stops in the middle of one retries it on the schedule,
and the far side may then see it twice. Each message carries its ``key`` for that reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, CursorResult, Update, select, update
from sqlalchemy.orm import Session

from ansinh.core.errors import Conflict, NotFound
from ansinh.core.settings import get_settings
from ansinh.db.uow import UnitOfWork
from ansinh.services.models import OutboxChannel, OutboxMessage, OutboxStatus
from ansinh.services.ports import DeliveryFailed, Ports

BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)
"""The wait after the 1st, 2nd, … failed attempt; attempts past the schedule wait its last step."""

KEY_MAX = 80
RECIPIENT_MAX = 254
SUBJECT_MAX = 200
ERROR_MAX = 500


class OutboxMessagePublic(BaseModel):
    """An outbox row as the ports, the CLI and the pages see it."""

    model_config = ConfigDict(from_attributes=True, frozen=True)

    id: int
    key: str
    channel: OutboxChannel
    recipient: str
    subject: str
    body: str
    dossier_id: int | None
    status: OutboxStatus
    attempts: int
    created_at: dt.datetime
    next_attempt_at: dt.datetime
    sent_at: dt.datetime | None
    last_error: str | None


@dataclass(frozen=True)
class DeliveryReport:
    """What one delivery run did: messages sent, failed and to be retried, given up."""

    sent: int = 0
    retrying: int = 0
    dead: int = 0


def _aware(at: dt.datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("at must be timezone-aware")


def backoff_after(attempts: int) -> dt.timedelta:
    """The wait before the next attempt after ``attempts`` attempts (1 or more) have failed."""
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


def enqueue(*, uow: UnitOfWork, key: str, channel: OutboxChannel, recipient: str, subject: str, body: str,
            dossier_id: int | None, at: dt.datetime) -> bool:
    """Write one message in the caller's open transaction; False if ``key`` was written before.

    It only adds and flushes: the caller's commit writes the message with the change it
    reports, and the caller's rollback drops both. The unit of work must already be open
    (``RuntimeError`` otherwise), since a message written outside any transaction would be
    discarded unseen. Two transactions writing the same key at once cannot both commit (the
    key is unique); for dossiers the dossier's version already makes one of them lose.
    """
    if not key or len(key) > KEY_MAX:
        raise ValueError(f"an outbox key is 1 to {KEY_MAX} characters, not {len(key)}: {key!r}")
    if not recipient or len(recipient) > RECIPIENT_MAX:
        raise ValueError(f"an outbox recipient is 1 to {RECIPIENT_MAX} characters: {recipient!r}")
    _aware(at)
    session = uow.session
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None:
        return False
    if len(subject) > SUBJECT_MAX:
        subject = subject[: SUBJECT_MAX - 1] + "…"
    session.add(OutboxMessage(
        key=key, channel=OutboxChannel(channel), recipient=recipient, subject=subject, body=body,
        dossier_id=dossier_id, status=OutboxStatus.PENDING, attempts=0, created_at=at, next_attempt_at=at,
        sent_at=None, last_error=None,
    ))
    session.flush()
    return True


def _rowcount(session: Session, statement: Update) -> int:
    return cast("CursorResult[Any]", session.execute(statement)).rowcount


def _still(message: OutboxMessagePublic, attempts: int) -> list[ColumnElement[bool]]:
    """The conditions that the row is as this run last saw it (no other sender took it)."""
    return [OutboxMessage.id == message.id, OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.attempts == attempts]


def _claim(uow: UnitOfWork, message: OutboxMessagePublic, at: dt.datetime, ceiling: int) -> int | None:
    """Record attempt n as started, failed until told otherwise; n, or None if another sender has it.

    A row that already used its last attempt (a sender stopped during it) is given up
    here instead, and answers 0.
    """
    with uow:
        if message.attempts >= ceiling:
            taken = _rowcount(uow.session, update(OutboxMessage).where(*_still(message, message.attempts)).values(
                status=OutboxStatus.DEAD).execution_options(synchronize_session=False))
            uow.commit()
            return 0 if taken else None
        attempt = message.attempts + 1
        taken = _rowcount(uow.session, update(OutboxMessage).where(
            *_still(message, message.attempts), OutboxMessage.next_attempt_at <= at,
        ).values(
            attempts=attempt, next_attempt_at=at + backoff_after(attempt),
            last_error=f"attempt {attempt} began at {at.isoformat()} and recorded no outcome",
        ).execution_options(synchronize_session=False))
        uow.commit()
    return attempt if taken else None


def _record(uow: UnitOfWork, message: OutboxMessagePublic, attempt: int, at: dt.datetime, *,
            error: str | None, ceiling: int) -> OutboxStatus:
    """Record how attempt ``attempt`` ended; the status the message is left in."""
    if error is None:
        status, values = OutboxStatus.SENT, {"status": OutboxStatus.SENT, "sent_at": at,
                                             "last_error": message.last_error}
    else:
        status = OutboxStatus.DEAD if attempt >= ceiling else OutboxStatus.PENDING
        values = {"status": status, "last_error": error[:ERROR_MAX]}
    with uow:
        _rowcount(uow.session, update(OutboxMessage).where(*_still(message, attempt)).values(**values)
                  .execution_options(synchronize_session=False))
        uow.commit()
    return status


def _deliver_one(uow: UnitOfWork, ports: Ports, message: OutboxMessagePublic, at: dt.datetime,
                 ceiling: int) -> OutboxStatus | None:
    attempt = _claim(uow, message, at, ceiling)
    if attempt is None:
        return None
    if attempt == 0:
        return OutboxStatus.DEAD
    error: str | None = None
    try:
        ports.for_channel(message.channel).send(message)
    except DeliveryFailed as exc:
        error = exc.reason
    except OSError as exc:
        error = f"{type(exc).__name__}: {exc}"
    return _record(uow, message, attempt, at, error=error, ceiling=ceiling)


def _require_closed(uow: UnitOfWork) -> None:
    try:
        _ = uow.session
    except RuntimeError:
        return
    raise RuntimeError("deliver_due commits each message on its own; call it outside any open transaction")


def deliver_due(*, uow: UnitOfWork, ports: Ports, at: dt.datetime, limit: int = 100,
                max_attempts: int | None = None) -> DeliveryReport:
    """Send the pending messages due at ``at``, oldest first, up to ``limit``.

    Each message is claimed, sent and recorded in transactions of its own, never inside
    the caller's: one failure never undoes another message's ``sent``, and no database
    lock is held while a port waits on the network. A failure waits :data:`BACKOFF`; the
    attempt that reaches ``max_attempts`` (default the ``outbox_max_attempts`` setting)
    leaves the message dead. A message another sender claimed meanwhile is skipped.
    """
    _aware(at)
    _require_closed(uow)
    ceiling = max_attempts if max_attempts is not None else get_settings().outbox_max_attempts
    if ceiling < 1:
        raise ValueError("max_attempts is at least 1")
    with uow:
        rows = uow.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= at)
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
            .limit(limit)
        )
        due = [OutboxMessagePublic.model_validate(row) for row in rows]
    counts = {OutboxStatus.SENT: 0, OutboxStatus.PENDING: 0, OutboxStatus.DEAD: 0}
    for message in due:
        status = _deliver_one(uow, ports, message, at, ceiling)
        if status is not None:
            counts[status] += 1
    return DeliveryReport(sent=counts[OutboxStatus.SENT], retrying=counts[OutboxStatus.PENDING],
                          dead=counts[OutboxStatus.DEAD])


def requeue(*, uow: UnitOfWork, message_id: int, at: dt.datetime) -> None:
    """Put a dead message back in the queue, due at ``at``, with its attempts counted afresh.

    For an operator who has fixed what made it fail (the ``last_error`` stays until the
    next attempt overwrites it). A message that is not dead is a :class:`Conflict`.
    """
    _aware(at)
    with uow:
        message = uow.session.get(OutboxMessage, message_id)
        if message is None:
            raise NotFound(f"no outbox message has the id {message_id}", code="outbox.unknown_message",
                           field="message_id", rule="message ids are listed by `ansinh outbox list`")
        if message.status != OutboxStatus.DEAD:
            raise Conflict(f"outbox message {message_id} is {message.status}, not dead", code="outbox.not_dead",
                           field="message_id", rule="only a dead message is re-queued; a pending one is "
                                                    "retried on its own and a sent one is not sent again")
        message.status = OutboxStatus.PENDING
        message.attempts = 0
        message.next_attempt_at = at
        uow.commit()


def messages(*, uow: UnitOfWork, dossier_id: int | None = None, channel: OutboxChannel | None = None,
             status: OutboxStatus | None = None, limit: int = 100) -> list[OutboxMessagePublic]:
    """The outbox, newest first, optionally of one dossier, channel or status."""
    statement = select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    if dossier_id is not None:
        statement = statement.where(OutboxMessage.dossier_id == dossier_id)
    if channel is not None:
        statement = statement.where(OutboxMessage.channel == channel)
    if status is not None:
        statement = statement.where(OutboxMessage.status == status)
    with uow:
        return [OutboxMessagePublic.model_validate(row) for row in uow.session.scalars(statement.limit(limit))]
