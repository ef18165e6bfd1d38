"""Tables of the ledger: entries and their lines.

An entry is one balanced posting: its lines' debits equal their credits in total and within
each fund. Its ``key`` is the caller's idempotency key (``assess:2026-03:EMP123``), unique,
so posting the same thing twice writes it once. Entries are never edited: a mistake is
undone by a reversing entry that points at the one it reverses (``reverses_id``, unique, so
an entry is reversed at most once).

Each line has one side only: a debit or a credit, the other zero (a CHECK holds it). The
indexes serve the trial balance, which groups lines by account and fund over a date range
of their entries.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ansinh.db.base import Base, Money, UtcDateTime


class LedgerEntry(Base):
    """One balanced posting, written once under its key."""

    __tablename__ = "ledger_entry"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    entry_date: Mapped[dt.date] = mapped_column(Date, index=True)
    description: Mapped[str] = mapped_column(String(500))
    source_type: Mapped[str] = mapped_column(String(40))
    source_id: Mapped[str] = mapped_column(String(80))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entry.id"), unique=True)
    posted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(64))


class LedgerLine(Base):
    """One side of an entry: an amount in đồng on one account of one fund."""

    __tablename__ = "ledger_line"
    __table_args__ = (
        CheckConstraint("debit >= 0 AND credit >= 0", name="amounts_not_negative"),
        CheckConstraint("(debit > 0 AND credit = 0) OR (credit > 0 AND debit = 0)", name="one_side"),
        Index("ix_ledger_line_account_fund", "account_code", "fund"),
        Index("ix_ledger_line_fund_account", "fund", "account_code"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    entry_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                          ForeignKey("ledger_entry.id"), index=True)
    account_code: Mapped[str] = mapped_column(String(6))
    fund: Mapped[str] = mapped_column(String(24))
    debit: Mapped[int] = mapped_column(Money, default=0)
    credit: Mapped[int] = mapped_column(Money, default=0)
    employer_id: Mapped[int | None] = mapped_column(Integer, index=True)
    person_id: Mapped[int | None] = mapped_column(Integer, index=True)
    period: Mapped[str | None] = mapped_column(String(7))
