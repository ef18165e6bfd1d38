"""Tables of the public services: dossiers, their history, their documents, the outbox.

A dossier is one application under one procedure of the catalogue. Its office is not a
column here: once received, a dossier is a work item of the org area (kind ``dossier``,
reference its receipt code), so a restructuring moves it with the rest of the office's
work and the history of where it was stays with the org area's plans.

Messages to applicants and status callbacks to the National Public Service Portal are
written to the outbox in the same transaction as the change they report, and sent
afterwards with retries: a change is never lost for a message that failed, and a message
is never sent for a change that was rolled back.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ansinh.db.base import Base, UtcDateTime


class Channel(StrEnum):
    """How a dossier came in."""

    ONLINE = "online"
    """Through ansinh's own portal or API, by the applicant."""
    COUNTER = "counter"
    """Handed in at an office's one-stop desk and entered by an officer."""
    PORTAL = "portal"
    """From the National Public Service Portal (Cổng Dịch vụ công quốc gia)."""


class DossierStatus(StrEnum):
    """Where a dossier stands. The order of the lifecycle is in ``services.lifecycle``."""

    SUBMITTED = "submitted"
    RECEIVED = "received"
    ASSIGNED = "assigned"
    IN_REVIEW = "in_review"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    APPROVED = "approved"
    REFUSED = "refused"
    DELIVERED = "delivered"


class OutboxChannel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    PORTAL = "portal"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"
    """Given up after the last attempt; an operator reads the error and re-queues it."""


class Dossier(Base):
    """One application under one procedure, from submission to the delivered result."""

    __tablename__ = "dossier"
    __table_args__ = (Index("ix_dossier_status_due", "status", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_code: Mapped[str] = mapped_column(String(20), index=True)
    receipt_code: Mapped[str | None] = mapped_column(String(24), unique=True)
    """Given on receipt; the applicant's key for tracking, with their citizen ID."""
    channel: Mapped[Channel] = mapped_column(String(8))
    portal_dossier_id: Mapped[str | None] = mapped_column(String(40), unique=True)
    """The portal's own id: a second delivery of the same dossier is recognised by it."""
    status: Mapped[DossierStatus] = mapped_column(String(20))
    citizen_id: Mapped[str] = mapped_column(String(12), index=True)
    """The person the dossier is about: how it is routed and how it is tracked."""
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
    """The employer that filed it, when one did."""
    applicant_account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    applicant_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(15))
    data: Mapped[str] = mapped_column(Text)
    """The data the applicant filled in, as JSON checked against the procedure's schema."""
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    receiving_office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    """The office where it was handed in, or chosen online; any office for an any-office procedure."""
    work_item_id: Mapped[int | None] = mapped_column(ForeignKey("work_item.id"), unique=True)
    """The responsible office's work item, from receipt: where the dossier is held."""
    received_on: Mapped[dt.date | None] = mapped_column(Date)
    """The working day the period counts from (a late or weekend arrival counts from the next)."""
    deadline_working_days: Mapped[int | None] = mapped_column(Integer)
    due_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    paused_days: Mapped[str] = mapped_column(Text, default="[]")
    """Spans [first, last] the dossier was with the applicant for a supplement, as JSON."""
    supplement_request: Mapped[str | None] = mapped_column(Text)
    """What is missing, as JSON, while a supplement is awaited (and the last one after)."""
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    decision_reasons: Mapped[str | None] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(Text)
    """The result the procedure's service verb produced, as JSON."""
    delivered_on: Mapped[dt.date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)
    """Raised by every transition, so two officers acting on one dossier cannot both win."""

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declarative hook


class DossierEvent(Base):
    """One step of a dossier's history: who moved it from which status to which, when, why."""

    __tablename__ = "dossier_event"
    __table_args__ = (UniqueConstraint("dossier_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    day: Mapped[dt.date] = mapped_column(Date)
    """The office's date of the step (Vietnam time), what the deadline is counted in."""
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(20))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"))
    """The office the dossier was held by after the step."""
    note: Mapped[str | None] = mapped_column(Text)


class DossierDocument(Base):
    """A file handed in with a dossier, or in answer to a supplement request."""

    __tablename__ = "dossier_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    document_code: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    uploaded_by: Mapped[str] = mapped_column(String(64))
    for_supplement: Mapped[bool] = mapped_column(Boolean, default=False)


class OutboxMessage(Base):
    """A message to send after the change it reports was committed, with its retries."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    """What the message is for (dossier, step, channel): writing it twice writes it once."""
    channel: Mapped[OutboxChannel] = mapped_column(String(8))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossier.id"), index=True)
    status: Mapped[OutboxStatus] = mapped_column(String(8))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
