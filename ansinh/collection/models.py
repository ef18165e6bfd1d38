"""Tables of the monthly assessment: runs, their partitions, and one charge per participation-month.

A run is keyed ``assess:YYYY-MM`` and split into partitions of employers
(``employer_id % partitions``). A partition is written in one transaction together with its
``assessment_partition`` row, so the partition rows say exactly which work is done: a run
cut short resumes at the first partition without one. ``UNIQUE(month, participation_id)``
on ``assessment`` is the last guard: the database itself refuses to charge a participation
twice for a month, whatever the code above it does.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ansinh.db.base import Base, Money, UtcDateTime


class RunStatus(StrEnum):
    RUNNING = "running"
    """Started; some partitions may be missing."""
    COMPLETED = "completed"
    """Every partition written; running it again changes nothing."""


class AssessmentRun(Base):
    """One month's assessment run, under its key."""

    __tablename__ = "assessment_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    month: Mapped[dt.date] = mapped_column(Date)
    partitions: Mapped[int] = mapped_column(Integer)
    status: Mapped[RunStatus] = mapped_column(String(12))
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    completed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(64))


class AssessmentPartition(Base):
    """A partition of a run, written: its rows and total, in the same transaction as they."""

    __tablename__ = "assessment_partition"
    __table_args__ = (UniqueConstraint("run_id", "partition"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("assessment_run.id"), index=True)
    partition: Mapped[int] = mapped_column(Integer)
    rows: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Money)
    done_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ChargeAmounts:
    """The salary, the bases and every share's amount of one participation-month, in đồng.

    The share columns are named as :func:`ansinh.rules.contribution_batch.share_column`
    names them (``<payer>_<fund>``), so a frame from ``compute_batch`` is written as it is.
    """

    salary: Mapped[int] = mapped_column(Money)
    si_base: Mapped[int] = mapped_column(Money)
    hi_base: Mapped[int] = mapped_column(Money)
    ui_base: Mapped[int] = mapped_column(Money)
    employer_retirement_survivor: Mapped[int] = mapped_column(Money)
    employer_sickness_maternity: Mapped[int] = mapped_column(Money)
    employer_work_injury: Mapped[int] = mapped_column(Money)
    employer_unemployment: Mapped[int] = mapped_column(Money)
    employer_health: Mapped[int] = mapped_column(Money)
    employee_retirement_survivor: Mapped[int] = mapped_column(Money)
    employee_unemployment: Mapped[int] = mapped_column(Money)
    employee_health: Mapped[int] = mapped_column(Money)
    state_unemployment: Mapped[int] = mapped_column(Money)
    employer_total: Mapped[int] = mapped_column(Money)
    employee_total: Mapped[int] = mapped_column(Money)
    state_total: Mapped[int] = mapped_column(Money)
    total: Mapped[int] = mapped_column(Money)


class Assessment(ChargeAmounts, Base):
    """What one participation owes for one month, per share of :data:`COMPULSORY_SHARES`."""

    __tablename__ = "assessment"
    __table_args__ = (
        UniqueConstraint("month", "participation_id"),
        Index("ix_assessment_employer_month", "employer_id", "month"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("assessment_run.id"), index=True)
    month: Mapped[dt.date] = mapped_column(Date)
    participation_id: Mapped[int] = mapped_column(ForeignKey("participation.id"))
    person_id: Mapped[int] = mapped_column(Integer, index=True)
    employer_id: Mapped[int] = mapped_column(Integer)


class AssessmentAdjustment(ChargeAmounts, Base):
    """A correction to what was charged for a month already assessed, in signed amounts.

    A back-dated declaration (a worker who joined months ago, a salary raised from an earlier
    month, a leaver declared late) or an inspection's finding changes what a past month
    should have cost. The month's ``assessment`` rows are never edited: re-assessment writes
    here the difference, per participation, between what the registry now says was in force
    and what was charged so far (rows and earlier adjustments). What an employer owes for a
    month is the sum of both tables. Every amount column here, salary and bases included, is
    a signed difference, so a participation-month's rows in both tables sum to what is now in
    force. ``UNIQUE(reassessment_key, participation_id)`` makes a repeated re-assessment write
    nothing twice.
    """

    __tablename__ = "assessment_adjustment"
    __table_args__ = (
        UniqueConstraint("reassessment_key", "participation_id"),
        Index("ix_assessment_adjustment_employer_month", "employer_id", "month"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    reassessment_key: Mapped[str] = mapped_column(String(80), index=True)
    """``reassess:YYYY-MM:<unit code>:<cause>``, also the ledger entry's key."""
    cause: Mapped[str] = mapped_column(String(200))
    """Why: ``declaration:<id>`` or ``inspection:<id>``."""
    month: Mapped[dt.date] = mapped_column(Date)
    participation_id: Mapped[int] = mapped_column(ForeignKey("participation.id"))
    person_id: Mapped[int] = mapped_column(Integer, index=True)
    employer_id: Mapped[int] = mapped_column(Integer)
    written_on: Mapped[dt.date] = mapped_column(Date)
