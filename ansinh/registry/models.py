"""Tables of the registry.

A person is keyed on the 12-digit personal ID (VSS keys people on it since 2025-08-01);
the 10-digit SI number stays as a unique legacy key. Participation is a person's coverage
by one employer (or scheme) over a span of months at one declared salary: a salary change
closes one period and opens the next, so the month-by-month history is the periods laid
end to end.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ansinh.db.base import Base


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class HouseholdRole(StrEnum):
    HEAD = "head"
    MEMBER = "member"


class Scheme(StrEnum):
    """How a participation period is financed."""

    COMPULSORY = "compulsory"
    """Employee and employer contribute (SI, HI, UI, work injury)."""
    VOLUNTARY = "voluntary"
    """Voluntary social insurance paid by the person."""
    HI_ONLY = "hi_only"
    """Health insurance only: households, students, State-paid and VSS-paid groups."""


class OwnershipSector(StrEnum):
    STATE = "state"
    PRIVATE = "private"
    FOREIGN_INVESTED = "foreign_invested"
    COOPERATIVE = "cooperative"
    HOUSEHOLD_BUSINESS = "household_business"
    NON_PROFIT = "non_profit"


class DuplicateStatus(StrEnum):
    OPEN = "open"
    CONFIRMED_DISTINCT = "confirmed_distinct"
    CONFIRMED_DUPLICATE = "confirmed_duplicate"


class Household(Base):
    __tablename__ = "household"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    address_commune_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"), index=True)


class Person(Base):
    __tablename__ = "person"
    __table_args__ = (Index("ix_person_dedup", "name_key", "birth_date", "birth_province_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[str] = mapped_column(String(12), unique=True)
    si_number: Mapped[str | None] = mapped_column(String(10), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(120), index=True)
    """The name folded to lower-case ASCII: how officers search and duplicates are found."""
    birth_date: Mapped[dt.date] = mapped_column(Date)
    sex: Mapped[Sex] = mapped_column(String(8))
    birth_province_code: Mapped[str] = mapped_column(String(3))
    """The old (63-province) code that opens the citizen ID, e.g. "079"."""
    residence_commune_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
    household_role: Mapped[HouseholdRole | None] = mapped_column(String(8))
    death_date: Mapped[dt.date | None] = mapped_column(Date)
    registered_on: Mapped[dt.date] = mapped_column(Date)


class Employer(Base):
    __tablename__ = "employer"
    __table_args__ = (CheckConstraint("wage_region BETWEEN 1 AND 4", name="wage_region"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(10), unique=True)
    tax_code: Mapped[str] = mapped_column(String(14), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    """The name folded to lower-case ASCII, for search."""
    address_commune_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    wage_region: Mapped[int] = mapped_column(SmallInteger)
    """Minimum-wage region (1-4) of the workplace, set by the decree's annex."""
    wage_region_source: Mapped[str] = mapped_column(String(200))
    ownership_sector: Mapped[OwnershipSector] = mapped_column(String(20))
    industry_code: Mapped[str] = mapped_column(String(1))
    """VSIC 2018 section letter (A-U)."""
    registered_on: Mapped[dt.date] = mapped_column(Date)


class Participation(Base):
    """A person covered over ``start_month``..``end_month`` (inclusive; open if null)."""

    __tablename__ = "participation"
    __table_args__ = (
        CheckConstraint("monthly_salary >= 0", name="salary_not_negative"),
        CheckConstraint("end_month IS NULL OR end_month >= start_month", name="period_order"),
        Index("ix_participation_person_start", "person_id", "start_month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
    scheme: Mapped[Scheme] = mapped_column(String(12))
    hi_group_code: Mapped[str] = mapped_column(String(2))
    start_month: Mapped[dt.date] = mapped_column(Date)
    end_month: Mapped[dt.date | None] = mapped_column(Date)
    monthly_salary: Mapped[int] = mapped_column(BigInteger)
    """Declared monthly salary (the contribution base), integer đồng."""


class SuspensionReason(StrEnum):
    """Why an employer contributes nothing for a worker for some months."""

    MATERNITY = "maternity"
    """Maternity leave of 14 working days or more in the month: the months count, nothing is paid."""
    UNPAID_LEAVE = "unpaid_leave"
    """Unpaid leave of 14 working days or more in the month."""
    SICK_LEAVE = "sick_leave"
    """Sick leave of 14 working days or more in the month."""
    SUSPENDED_CONTRACT = "suspended_contract"
    """The labour contract is suspended (Labour Code art. 30)."""


class ParticipationSuspension(Base):
    """Months of a participation for which no contribution is assessed, and why.

    Declared by the employer (a ``suspend`` line); the monthly assessment leaves these months
    out. Maternity months still count towards the person's record (the SI book shows them).
    """

    __tablename__ = "participation_suspension"
    __table_args__ = (
        CheckConstraint("end_month IS NULL OR end_month >= start_month", name="suspension_order"),
        Index("ix_participation_suspension_participation", "participation_id", "start_month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participation_id: Mapped[int] = mapped_column(ForeignKey("participation.id"))
    start_month: Mapped[dt.date] = mapped_column(Date)
    end_month: Mapped[dt.date | None] = mapped_column(Date)
    """Open (null) until the return to work is declared."""
    reason: Mapped[SuspensionReason] = mapped_column(String(20))


class DuplicateFlag(Base):
    """Two records that look like one person, waiting for an officer's decision."""

    __tablename__ = "duplicate_flag"
    __table_args__ = (UniqueConstraint("person_id", "candidate_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    reason: Mapped[str] = mapped_column(String(200))
    status: Mapped[DuplicateStatus] = mapped_column(String(24), default=DuplicateStatus.OPEN)
    raised_on: Mapped[dt.date] = mapped_column(Date)
    resolved_on: Mapped[dt.date | None] = mapped_column(Date)


class PopulationRecord(Base):
    """The local copy of the national population register (the synthetic one in the demo)."""

    __tablename__ = "population_record"

    citizen_id: Mapped[str] = mapped_column(String(12), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(120))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    sex: Mapped[Sex] = mapped_column(String(8))
    residence_commune_code: Mapped[str] = mapped_column(String(8))
    death_date: Mapped[dt.date | None] = mapped_column(Date)


class DeathNotice(Base):
    """A death notified by the population register, kept as received."""

    __tablename__ = "death_notice"
    __table_args__ = (UniqueConstraint("citizen_id", "death_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[str] = mapped_column(String(12), index=True)
    death_date: Mapped[dt.date] = mapped_column(Date)
    received_on: Mapped[dt.date] = mapped_column(Date)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
