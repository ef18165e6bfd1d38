"""The audit log: an append-only hash chain of events.

Each event's ``digest`` is the SHA-256 of its own canonical content and the previous
event's digest, so editing or deleting any event breaks every digest after it.
``audit_head`` holds the chain's last position in one row that every writer locks
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite has one writer), so two transactions
never chain onto the same predecessor.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ansinh.db.base import Base, UtcDateTime


class AuditEvent(Base):
    """Who, acting as which role at which office, did what to which record, when and why."""

    __tablename__ = "audit_event"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                     autoincrement=False)
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str | None] = mapped_column(String(20))
    office_code: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(60), index=True)
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str | None] = mapped_column(String(500))
    detail: Mapped[str] = mapped_column(Text, default="{}")
    previous_digest: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """The chain's last sequence number and digest (one row, id 1)."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(BigInteger)
    last_digest: Mapped[str] = mapped_column(String(64))
