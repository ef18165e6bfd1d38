"""Tables of accounts, staff postings and credentials.

An account is a person or a machine that signs in: an officer, an employer's unit account,
a health facility's client, or a citizen. Officers act through postings: a role at an
office over dates, moved to the successor office when the organisation is restructured.
Secrets are never stored: passwords as argon2 hashes, tokens and API keys as SHA-256
digests of high-entropy random values.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ansinh.db.base import Base, UtcDateTime


class AccountKind(StrEnum):
    """Who an account belongs to."""

    STAFF = "staff"
    EMPLOYER = "employer"
    FACILITY = "facility"
    CITIZEN = "citizen"
    PORTAL = "portal"
    """The National Public Service Portal's machine client: it forwards dossiers, by API key only."""
    BANK = "bank"
    """A bank's machine client: it sends statements of the collection account, by API key only."""


class Account(Base):
    """Someone, or some machine, that signs in."""

    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[AccountKind] = mapped_column(String(12))
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), unique=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
    facility_code: Mapped[str | None] = mapped_column(String(10), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_signins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_on: Mapped[dt.date] = mapped_column(Date)


class Posting(Base):
    """A staff account holds ``role`` at ``office`` from ``valid_from`` to ``valid_to``."""

    __tablename__ = "posting"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)


class CredentialKind(StrEnum):
    WEB_SESSION = "web_session"
    BEARER_TOKEN = "bearer_token"  # noqa: S105 - the name of a kind, not a secret
    API_KEY = "api_key"


class Credential(Base):
    """A signed-in session, a bearer token or a facility's API key, by the digest of its secret.

    A session or token acts as one role at one office (``posting_id``) chosen at sign-in;
    ``csrf_digest`` guards the forms of a web session.
    """

    __tablename__ = "credential"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[CredentialKind] = mapped_column(String(16))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    posting_id: Mapped[int | None] = mapped_column(ForeignKey("posting.id"))
    csrf_digest: Mapped[str | None] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(80), default="")
    issued_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class ApprovalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Approval(Base):
    """A change prepared by one person (the maker) waiting for another (the checker).

    ``kind`` names what is to be done (``org.restructure`` …) and ``payload`` carries it as
    JSON, so any area can put a change behind four eyes without a table of its own.
    """

    __tablename__ = "approval"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    reference: Mapped[str] = mapped_column(String(80))
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[ApprovalStatus] = mapped_column(String(10))
    prepared_by: Mapped[int] = mapped_column(ForeignKey("account.id"))
    prepared_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    note: Mapped[str | None] = mapped_column(String(500))
