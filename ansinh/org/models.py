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

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
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
