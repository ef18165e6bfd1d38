"""The organisation as it stands on one date, read in a few queries for checking a plan.

A plan is checked against this snapshot in memory: which offices are in force, which
administrative units each serves, and every unit in force with its parent, so that "is every
commune served by an office, its district's or its province's?" costs no query per commune.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from ansinh.org.models import AdminLevel, AdminUnit, Office, OfficeArea, OfficeKind


def office_in_force(on: dt.date) -> ColumnElement[bool]:
    """SQL condition: the office row is in force on ``on``."""
    return and_(Office.valid_from <= on, or_(Office.valid_to.is_(None), Office.valid_to >= on))


def area_in_force(on: dt.date) -> ColumnElement[bool]:
    """SQL condition: the office-area row is in force on ``on``."""
    return and_(OfficeArea.valid_from <= on, or_(OfficeArea.valid_to.is_(None), OfficeArea.valid_to >= on))


def unit_in_force(on: dt.date) -> ColumnElement[bool]:
    """SQL condition: the administrative unit is in force on ``on``."""
    return and_(AdminUnit.valid_from <= on, or_(AdminUnit.valid_to.is_(None), AdminUnit.valid_to >= on))


@dataclass(frozen=True)
class OfficeRow:
    """An office as the snapshot holds it."""

    id: int
    code: str
    name: str
    kind: OfficeKind
    parent_id: int | None
    valid_from: dt.date
    valid_to: dt.date | None


@dataclass(frozen=True)
class UnitRow:
    """An administrative unit in force on the snapshot's date."""

    id: int
    level: AdminLevel
    code: str
    name: str
    parent_id: int | None
    valid_to: dt.date | None

    @property
    def label(self) -> str:
        """``commune 00070 Phường Hoàn Kiếm``: how messages name a unit."""
        return f"{self.level.value} {self.code} {self.name}"


@dataclass(frozen=True)
class AreaRow:
    """One office-area row in force on the snapshot's date."""

    id: int
    office_id: int
    unit_id: int
    valid_from: dt.date


@dataclass
class Snapshot:
    """Offices, their areas and the map's units on ``on``."""

    on: dt.date
    offices: dict[str, OfficeRow]
    """Offices in force on ``on``, by code."""
    codes_used: dict[str, OfficeRow]
    """Every office code ever used, in force or not, for messages and for codes taken."""
    units: dict[int, UnitRow]
    unit_keys: dict[tuple[AdminLevel, str], int]
    areas: list[AreaRow]
    served: dict[str, set[int]] = field(default_factory=dict)
    """Office code -> ids of the units it serves directly on ``on``."""

    @property
    def by_id(self) -> dict[int, OfficeRow]:
        return {row.id: row for row in self.codes_used.values()}

    def chain(self, unit_id: int) -> list[int]:
        """The unit and the units above it (district, province), nearest first."""
        ids: list[int] = []
        current: int | None = unit_id
        while current is not None and current in self.units:
            ids.append(current)
            current = self.units[current].parent_id
        return ids

    def communes(self) -> list[UnitRow]:
        """The communes in force on the date, by code."""
        found = [u for u in self.units.values() if u.level == AdminLevel.COMMUNE]
        return sorted(found, key=lambda u: u.code)


def _office_row(office: Office) -> OfficeRow:
    return OfficeRow(office.id, office.code, office.name, OfficeKind(office.kind), office.parent_id,
                     office.valid_from, office.valid_to)


def load_snapshot(session: Session, on: dt.date) -> Snapshot:
    """Read the organisation and the map on ``on``."""
    every = [_office_row(o) for o in session.scalars(select(Office))]
    codes_used = {row.code: row for row in every}
    offices = {row.code: row for row in every
               if row.valid_from <= on and (row.valid_to is None or row.valid_to >= on)}
    unit_rows = session.execute(
        select(AdminUnit.id, AdminUnit.level, AdminUnit.code, AdminUnit.name, AdminUnit.parent_id,
               AdminUnit.valid_to).where(unit_in_force(on)))
    units = {row[0]: UnitRow(row[0], AdminLevel(row[1]), row[2], row[3], row[4], row[5]) for row in unit_rows}
    keys = {(unit.level, unit.code): unit.id for unit in units.values()}
    area_rows = session.execute(
        select(OfficeArea.id, OfficeArea.office_id, OfficeArea.admin_unit_id, OfficeArea.valid_from)
        .where(area_in_force(on)))
    in_force_ids = {row.id: row.code for row in offices.values()}
    areas = [AreaRow(*row) for row in area_rows if row[1] in in_force_ids and row[2] in units]
    served: dict[str, set[int]] = defaultdict(set)
    for area in areas:
        served[in_force_ids[area.office_id]].add(area.unit_id)
    return Snapshot(on, offices, codes_used, units, keys, areas, dict(served))
