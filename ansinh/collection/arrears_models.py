"""Tables of arrears: late-payment interest charged, and reminders sent.

Interest is charged by runs keyed by the date they charge up to (``interest:2026-05-31``):
each row is the interest of one employer's one fund for one month's unpaid dues over the
days ``from_date``..``to_date`` (both included), computed from the unpaid balance day by day.
The next run starts the day after the last one's ``to_date``, so no day is charged twice
(``UNIQUE(employer_id, month, fund, from_date)`` holds it in the database).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ansinh.db.base import Base, Money, UtcDateTime


class InterestRun(Base):
    """One interest run: every unpaid balance charged up to ``through``."""

    __tablename__ = "interest_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    through: Mapped[dt.date] = mapped_column(Date)
    rows: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Money)
    ran_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(64))


class InterestCharge(Base):
    """Interest on one fund's unpaid dues of one month of one employer, over a span of days."""

    __tablename__ = "interest_charge"
    __table_args__ = (
        UniqueConstraint("employer_id", "month", "fund", "from_date"),
        Index("ix_interest_charge_employer", "employer_id", "month"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("interest_run.id"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"))
    month: Mapped[dt.date] = mapped_column(Date)
    fund: Mapped[str] = mapped_column(String(24))
    from_date: Mapped[dt.date] = mapped_column(Date)
    to_date: Mapped[dt.date] = mapped_column(Date)
    balance_days: Mapped[int] = mapped_column(Money)
    """Σ over the days of the unpaid balance that day (đồng-days)."""
    daily_rate: Mapped[str] = mapped_column(String(12))
    """The daily rate applied, as a decimal string (e.g. ``0.0003``)."""
    amount: Mapped[int] = mapped_column(Money)


class Reminder(Base):
    """A written reminder of unpaid dues sent to an employer (it starts the evasion clock)."""

    __tablename__ = "reminder"
    __table_args__ = (UniqueConstraint("employer_id", "sent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    sent_on: Mapped[dt.date] = mapped_column(Date)
    oldest_month: Mapped[dt.date] = mapped_column(Date)
    unpaid: Mapped[int] = mapped_column(Money)
    interest: Mapped[int] = mapped_column(Money)
    outbox_key: Mapped[str] = mapped_column(String(120))


class WriteOff(Base):
    """Dues or interest of one month and fund that will not be collected, by a written decision.

    A debt is written off only on a decision of the competent authority (an employer dissolved
    or bankrupt with nothing left to pay); its reference is kept. The amount stops being owed
    (and stops bearing interest from ``decided_on``) but the month is **not** credited to the
    workers' records: only money paid credits a month.
    """

    __tablename__ = "write_off"
    __table_args__ = (UniqueConstraint("decision_ref", "employer_id", "month", "fund", "kind"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    decision_ref: Mapped[str] = mapped_column(String(80))
    """The decision's number, e.g. ``123/QĐ-BHXH``."""
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    month: Mapped[dt.date] = mapped_column(Date)
    fund: Mapped[str] = mapped_column(String(24))
    kind: Mapped[str] = mapped_column(String(12))
    """``contribution`` or ``interest``."""
    amount: Mapped[int] = mapped_column(Money)
    decided_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(500))
    written_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(64))
