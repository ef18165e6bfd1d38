"""Reading units of the map inside an open unit of work: the queries the services share.

A unit is named by its level, its code and the date it is read on, never by its code alone
("01" is Hà Nội before and after the reform, two different units). Communes before the
reform sit under a district, after it directly under a province; the commune query walks
up to two levels so that either kind reports its province.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from ansinh.core.errors import InvalidInput
from ansinh.org.models import AdminLevel, AdminUnit
from ansinh.org.reference import CODE_WIDTH


@dataclass(frozen=True)
class UnitInfo:
    """One version of a unit: what it is called and over which dates."""

    id: int
    level: AdminLevel
    code: str
    name: str
    division_type: str
    valid_from: dt.date
    valid_to: dt.date | None

    def in_force(self, on: dt.date) -> bool:
        """Whether this version of the unit is the one in force on ``on``."""
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True)
class CommuneInfo:
    """A commune with its province (and its district, for communes before the reform)."""

    id: int
    code: str
    name: str
    division_type: str
    province_id: int
    province_code: str
    province_name: str
    valid_from: dt.date
    valid_to: dt.date | None
    district_code: str | None = None
    district_name: str | None = None


def in_force(unit: type[AdminUnit], on: dt.date) -> ColumnElement[bool]:
    """SQL condition: ``unit`` is in force on ``on`` (``valid_to`` inclusive, NULL open)."""
    return and_(unit.valid_from <= on, or_(unit.valid_to.is_(None), unit.valid_to >= on))


def parse_level(value: AdminLevel | str, *, field: str = "level") -> AdminLevel:
    """The level named by ``value``, or a clear error listing the levels there are."""
    try:
        return AdminLevel(value)
    except ValueError:
        levels = ", ".join(level.value for level in AdminLevel)
        raise InvalidInput(
            f"{value!r} is not a level of the administrative map", code="admin_level.unknown",
            field=field, rule=f"a level is one of: {levels}",
        ) from None


def normalise_code(level: AdminLevel, code: str) -> str | None:
    """The stored form of a code ("70" -> "00070"), or None when it cannot be one."""
    text = code.strip()
    if not text.isascii() or not text.isdigit() or len(text) > CODE_WIDTH[level]:
        return None
    return text.zfill(CODE_WIDTH[level])


@lru_cache(maxsize=65536)
def search_key(text: str) -> str:
    """``text`` folded for search: lower-case ASCII without diacritics, single spaces.

    ``đ`` does not decompose under NFD, so it is mapped by hand. The registry folds personal
    names the same way; the map keeps its own copy because the registry depends on the map,
    not the other way round.
    """
    folded = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", folded)
    ascii_only = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(ascii_only.lower().split())


_UNIT_COLUMNS = (
    AdminUnit.id, AdminUnit.level, AdminUnit.code, AdminUnit.name, AdminUnit.division_type,
    AdminUnit.valid_from, AdminUnit.valid_to,
)


def _unit(row: Any) -> UnitInfo:
    return UnitInfo(row[0], AdminLevel(row[1]), row[2], row[3], row[4], row[5], row[6])


def units_by_id(session: Session, ids: Collection[int]) -> dict[int, UnitInfo]:
    """The units with these ids, in one query."""
    if not ids:
        return {}
    rows = session.execute(select(*_UNIT_COLUMNS).where(AdminUnit.id.in_(set(ids))))
    return {row[0]: _unit(row) for row in rows}


def unit_versions(session: Session, level: AdminLevel, code: str) -> list[UnitInfo]:
    """Every version of the unit with this level and code, oldest first."""
    rows = session.execute(
        select(*_UNIT_COLUMNS)
        .where(AdminUnit.level == level, AdminUnit.code == code)
        .order_by(AdminUnit.valid_from)
    )
    return [_unit(row) for row in rows]


def units_on(session: Session, level: AdminLevel, on: dt.date) -> list[UnitInfo]:
    """Every unit of ``level`` in force on ``on``, by code."""
    rows = session.execute(
        select(*_UNIT_COLUMNS)
        .where(AdminUnit.level == level, in_force(AdminUnit, on))
        .order_by(AdminUnit.code)
    )
    return [_unit(row) for row in rows]


def find_unit(
    session: Session, level: AdminLevel, code: str, on: dt.date
) -> tuple[UnitInfo | None, list[UnitInfo]]:
    """The unit in force on ``on`` (or None) and every version of that code, for messages."""
    normalised = normalise_code(level, code)
    if normalised is None:
        return None, []
    versions = unit_versions(session, level, normalised)
    current = next((unit for unit in versions if unit.in_force(on)), None)
    return current, versions


def describe_versions(versions: list[UnitInfo]) -> str:
    """When the versions of a code were in force, e.g. "from 2025-07-01"."""
    spans = []
    for unit in versions:
        until = f" to {unit.valid_to.isoformat()}" if unit.valid_to else ""
        spans.append(f"from {unit.valid_from.isoformat()}{until}")
    return "; ".join(spans)


_commune = aliased(AdminUnit, name="commune")
_parent = aliased(AdminUnit, name="parent")
_grand = aliased(AdminUnit, name="grand")


def commune_select() -> Select[*tuple[Any, ...]]:
    """Communes with their parent and grandparent: the province is one of the two."""
    return (
        select(
            _commune.id, _commune.code, _commune.name, _commune.division_type,
            _commune.valid_from, _commune.valid_to,
            _parent.id, _parent.level, _parent.code, _parent.name,
            _grand.id, _grand.code, _grand.name,
        )
        .join(_parent, _commune.parent_id == _parent.id)
        .outerjoin(_grand, _parent.parent_id == _grand.id)
        .where(_commune.level == AdminLevel.COMMUNE)
    )


def commune_in_force(on: dt.date) -> ColumnElement[bool]:
    """Condition for :func:`commune_select`: the commune is in force on ``on``."""
    return in_force(_commune, on)


def commune_code_is(code: str) -> ColumnElement[bool]:
    """Condition for :func:`commune_select`: the commune has this (stored) code."""
    return _commune.code == code


def commune_id_in(ids: Collection[int]) -> ColumnElement[bool]:
    """Condition for :func:`commune_select`: the commune is one of ``ids``."""
    return _commune.id.in_(set(ids))


def commune_in_province(province_id: int) -> ColumnElement[bool]:
    """Condition for :func:`commune_select`: the commune lies in this province."""
    return or_(_parent.id == province_id, _grand.id == province_id)


def commune_order() -> tuple[InstrumentedAttribute[Any], ...]:
    """Order of :func:`commune_select` rows: by commune code, then first day in force."""
    return (_commune.code, _commune.valid_from)


def commune_info(row: Any) -> CommuneInfo:
    """A :func:`commune_select` row as a :class:`CommuneInfo`."""
    (cid, code, name, division_type, valid_from, valid_to,
     parent_id, parent_level, parent_code, parent_name, grand_id, grand_code, grand_name) = row
    if parent_level == AdminLevel.PROVINCE:
        return CommuneInfo(
            cid, code, name, division_type, parent_id, parent_code, parent_name,
            valid_from, valid_to,
        )
    return CommuneInfo(
        cid, code, name, division_type, grand_id, grand_code, grand_name, valid_from, valid_to,
        district_code=parent_code, district_name=parent_name,
    )
