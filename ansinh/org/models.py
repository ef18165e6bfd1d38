"""Tables of the administrative map.

Units are effective-dated: the 63 provinces in force until 2025-06-30 and the 34 provinces
and 3,321 communes in force from 2025-07-01 live side by side, each row valid over its own
dates, and ``admin_succession`` says which unit took over from which on which date. A code
alone is not a key: "01" is Hà Nội both before and after the reform, so a unit is named by
its level, its code and the date it is read on.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ansinh.db.base import Base


class AdminLevel(StrEnum):
    """Level of an administrative unit (no district level from 2025-07-01)."""

    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


class AdminUnit(Base):
    """One version of an administrative unit, valid from ``valid_from`` to ``valid_to``."""

    __tablename__ = "admin_unit"
    __table_args__ = (
        UniqueConstraint("level", "code", "valid_from"),
        Index("ix_admin_unit_level_code", "level", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[AdminLevel] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(160))
    division_type: Mapped[str] = mapped_column(String(40))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(300))


class AdminSuccession(Base):
    """``successor`` took over (all or part of) ``predecessor`` on ``effective_on``."""

    __tablename__ = "admin_succession"
    __table_args__ = (UniqueConstraint("predecessor_id", "successor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    predecessor_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    successor_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    effective_on: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(300))


class OfficeKind(StrEnum):
    """Tier of a social security office."""

    CENTRAL = "central"
    PROVINCIAL = "provincial"
    REGIONAL = "regional"
    GRASSROOTS = "grassroots"


class Office(Base):
    """One social security office over its own dates.

    An office is never edited into another: a merger, split or rename closes the old rows
    (``valid_to``) and opens new ones, linked by ``office_succession``, so a report on any
    past date reads the structure of that date.
    """

    __tablename__ = "office"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OfficeKind] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"), index=True)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(300))


class OfficeArea(Base):
    """``office`` serves the administrative unit ``admin_unit`` (and all within it) over these dates."""

    __tablename__ = "office_area"
    __table_args__ = (Index("ix_office_area_unit_dates", "admin_unit_id", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    admin_unit_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)


class OfficeSuccession(Base):
    """``successor`` took over (all or part of) ``predecessor`` on ``effective_on``."""

    __tablename__ = "office_succession"
    __table_args__ = (UniqueConstraint("predecessor_id", "successor_id", "effective_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    predecessor_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    successor_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    effective_on: Mapped[dt.date] = mapped_column(Date)
    change: Mapped[str] = mapped_column(String(16))
    plan_key: Mapped[str] = mapped_column(String(80))


class WorkStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class WorkItem(Base):
    """A piece of open work held by an office (a dossier, a duplicate to review …).

    Areas that give an office work record it here, so that a restructuring moves every
    office's open work to its successor on the effective date and the queue of an office
    is one query. ``reference`` names the record in its own area (``dossier:HS-…``).
    """

    __tablename__ = "work_item"
    __table_args__ = (UniqueConstraint("kind", "reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    reference: Mapped[str] = mapped_column(String(80))
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    received_by_office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    status: Mapped[WorkStatus] = mapped_column(String(8), default=WorkStatus.OPEN)
    opened_on: Mapped[dt.date] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)


class RestructurePlan(Base):
    """A restructuring plan as applied: its key makes applying it twice a no-op."""

    __tablename__ = "restructure_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    effective_on: Mapped[dt.date] = mapped_column(Date)
    applied_on: Mapped[dt.date] = mapped_column(Date)
    applied_by: Mapped[str] = mapped_column(String(64))
    plan: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
