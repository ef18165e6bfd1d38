"""Tables of employers' declarations: a batch of change lines, each accepted or rejected with its reason.

A declaration is what an employer hands in at once (through the API, the employer's pages
or a file). Each line is one change for one worker: a new worker, a leaver, a salary
change, months without contributions, and any of these back-dated. Lines are validated one
by one; an accepted line has changed the registry (``participation_id`` says which period)
and a rejected one carries the code, field and message of the rule it broke, which is what
the employer's rejection report lists. ``key`` makes a declaration handed in twice (the
same file uploaded again, an API call retried) a no-op.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ansinh.db.base import Base, UtcDateTime


class DeclarationSource(StrEnum):
    API = "api"
    PAGE = "page"
    """The employer's pages: one line typed in, or a file uploaded there."""
    FILE = "file"
    """A file given to the CLI or the upload API."""
    INSPECTION = "inspection"
    """The findings of an inspection case, declared on the employer's behalf."""


class DeclarationStatus(StrEnum):
    ACCEPTED = "accepted"
    """Every line accepted."""
    PARTLY_ACCEPTED = "partly_accepted"
    """Some lines accepted, the others rejected with their reasons."""
    REJECTED = "rejected"
    """No line accepted (or one bad line refused an all-or-nothing declaration)."""


class ChangeKind(StrEnum):
    JOIN = "join"
    """Tăng mới: a worker starts being covered by this employer from ``from_month``."""
    LEAVE = "leave"
    """Giảm: the worker's last covered month with this employer is ``from_month``."""
    SALARY = "salary"
    """Điều chỉnh lương: the worker's contribution salary is ``salary`` from ``from_month``."""
    SUSPEND = "suspend"
    """Months ``from_month``..``to_month`` without contributions, for ``reason``."""
    RESUME = "resume"
    """The worker is back at work from ``from_month`` (ends an open suspension)."""


class Declaration(Base):
    """One batch of change lines from one employer."""

    __tablename__ = "declaration"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    """The caller's idempotency key, or ``file:<sha256>`` for an uploaded file."""
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    declared_on: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[DeclarationSource] = mapped_column(String(12))
    filename: Mapped[str | None] = mapped_column(String(200))
    all_or_nothing: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[DeclarationStatus] = mapped_column(String(16))
    lines_total: Mapped[int] = mapped_column(Integer)
    lines_accepted: Mapped[int] = mapped_column(Integer)
    lines_rejected: Mapped[int] = mapped_column(Integer)
    back_dated_lines: Mapped[int] = mapped_column(Integer, default=0)
    """Accepted lines that changed a month already assessed (they were re-assessed)."""
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(64))


class DeclarationLine(Base):
    """One change for one worker, as given, and what became of it."""

    __tablename__ = "declaration_line"
    __table_args__ = (UniqueConstraint("declaration_id", "line_no"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declaration.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    """1-based: the row of the file (after its header) or the place in the API's list."""
    kind: Mapped[str] = mapped_column(String(12))
    """A :class:`ChangeKind`, or what was given when it was not one (the line is then rejected)."""
    person_key: Mapped[str] = mapped_column(String(20))
    """The worker's citizen ID or SI number, as given."""
    full_name: Mapped[str | None] = mapped_column(String(120))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    from_month: Mapped[dt.date | None] = mapped_column(Date)
    to_month: Mapped[dt.date | None] = mapped_column(Date)
    salary: Mapped[int | None] = mapped_column(BigInteger)
    hi_group_code: Mapped[str | None] = mapped_column(String(2))
    reason: Mapped[str | None] = mapped_column(String(40))
    accepted: Mapped[bool] = mapped_column(Boolean)
    error_code: Mapped[str | None] = mapped_column(String(60))
    error_field: Mapped[str | None] = mapped_column(String(60))
    error_message: Mapped[str | None] = mapped_column(String(500))
    participation_id: Mapped[int | None] = mapped_column(ForeignKey("participation.id"))
    back_dated: Mapped[bool] = mapped_column(Boolean, default=False)
    """The change reaches a month already assessed."""
