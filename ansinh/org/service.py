"""The organisation's verbs: the administrative map, the offices, their work and restructuring.

The map's verbs are here; the offices' are in :mod:`~ansinh.org.directory` (reading),
:mod:`~ansinh.org.work` (open work), :mod:`~ansinh.org.restructure` and
:mod:`~ansinh.org.offices` (seeding), and are re-exported here so that other areas call
``ansinh.org.service`` only.

Every function takes the date it answers for (``on``), because the map changes: on
2025-06-30 there were 63 provinces and on 2025-07-01 there were 34. Codes given by a caller
that name no unit in force on the date are input errors (``commune.unknown``,
``province.unknown``); codes asked for by path in the API are lookups that may miss
(``commune.not_found``, ``province.not_found``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

import polars as pl
from sqlalchemy import func, select

from ansinh.core.errors import InvalidInput, NotFound
from ansinh.db.uow import UnitOfWork
from ansinh.org import units as q
from ansinh.org.admin_map import AdminMapSummary, load_admin_map
from ansinh.org.directory import (
    OfficeDetail,
    OfficeInfo,
    OfficeNode,
    Responsibility,
    get_office,
    office_areas,
    office_of_record_on,
    office_tree,
    offices_on,
    resolve_office,
    responsible_office,
)
from ansinh.org.models import AdminLevel, AdminSuccession
from ansinh.org.offices import OfficesSummary, load_offices
from ansinh.org.plan import Plan, read_plan_file, read_plan_text
from ansinh.org.reference import CODE_WIDTH
from ansinh.org.restructure import RestructureResult, restructure
from ansinh.org.succession import walk
from ansinh.org.units import CommuneInfo, UnitInfo, search_key
from ansinh.org.work import WorkCount, WorkItemInfo, close_work, office_work, open_work, open_work_by_office

__all__ = [
    "MAX_LIMIT",
    "AdminMapSummary",
    "CommuneInfo",
    "OfficeDetail",
    "OfficeInfo",
    "OfficeNode",
    "OfficesSummary",
    "Plan",
    "ProvinceDetail",
    "Responsibility",
    "RestructureResult",
    "UnitInfo",
    "WorkCount",
    "WorkItemInfo",
    "close_work",
    "commune_infos",
    "communes_frame",
    "get_commune",
    "get_office",
    "get_province",
    "list_communes",
    "list_provinces",
    "load_admin_map",
    "load_offices",
    "office_areas",
    "office_of_record_on",
    "office_tree",
    "office_work",
    "offices_on",
    "open_work",
    "open_work_by_office",
    "province_crosswalk",
    "province_on",
    "read_plan_file",
    "read_plan_text",
    "resolve_commune",
    "resolve_office",
    "resolve_province",
    "responsible_office",
    "restructure",
    "search_key",
    "successors",
]

MAX_LIMIT = 1000
"""Most communes one listing returns (a province has at most a few hundred)."""


@dataclass(frozen=True)
class ProvinceDetail:
    """A province on a date, the provinces it came from and the ones it went into."""

    province: UnitInfo
    commune_count: int
    came_from: tuple[UnitInfo, ...]
    went_into: tuple[UnitInfo, ...]


def _unknown_rule(level: AdminLevel) -> str:
    width = CODE_WIDTH[level]
    return (
        f"a {level.value} code is the {width}-digit code "
        f"of a {level.value} in force on the date"
    )


def _missing_message(level: AdminLevel, code: str, on: dt.date, versions: list[UnitInfo]) -> str:
    if versions:
        return (
            f"{level.value} {versions[0].code} was not in force on {on.isoformat()} "
            f"(in force {q.describe_versions(versions)})"
        )
    return f"there is no {level.value} with code {code!r}"


def _commune_lookup(uow: UnitOfWork, code: str, on: dt.date) -> tuple[CommuneInfo | None, str]:
    with uow:
        unit, versions = q.find_unit(uow.session, AdminLevel.COMMUNE, code, on)
        if unit is None:
            return None, _missing_message(AdminLevel.COMMUNE, code, on, versions)
        row = uow.session.execute(q.commune_select().where(q.commune_id_in([unit.id]))).one()
        return q.commune_info(row), ""


def resolve_commune(
    *, uow: UnitOfWork, code: str, on: dt.date, field: str = "commune_code"
) -> CommuneInfo:
    """The commune with ``code`` in force on ``on``, for validating a caller's input."""
    commune, message = _commune_lookup(uow, code, on)
    if commune is None:
        raise InvalidInput(
            message, code="commune.unknown", field=field, rule=_unknown_rule(AdminLevel.COMMUNE),
            extra={"on": on.isoformat()},
        )
    return commune


def get_commune(*, uow: UnitOfWork, code: str, on: dt.date) -> CommuneInfo:
    """The commune with ``code`` in force on ``on``; a miss is "not found"."""
    commune, message = _commune_lookup(uow, code, on)
    if commune is None:
        raise NotFound(
            message, code="commune.not_found", field="code", rule=_unknown_rule(AdminLevel.COMMUNE),
            extra={"on": on.isoformat()},
        )
    return commune


def commune_infos(*, uow: UnitOfWork, ids: Collection[int]) -> dict[int, CommuneInfo]:
    """The communes with these ids (any date), in one query; unknown ids are left out."""
    if not ids:
        return {}
    with uow:
        rows = uow.session.execute(q.commune_select().where(q.commune_id_in(ids)))
        return {info.id: info for info in map(q.commune_info, rows)}


def communes_frame(*, uow: UnitOfWork, on: dt.date) -> pl.DataFrame:
    """Every commune in force on ``on`` as a frame: id, code, name, province_code, province_name."""
    with uow:
        rows = uow.session.execute(
            q.commune_select().where(q.commune_in_force(on)).order_by(*q.commune_order())
        )
        infos = [q.commune_info(row) for row in rows]
    return pl.DataFrame(
        {
            "id": [c.id for c in infos],
            "code": [c.code for c in infos],
            "name": [c.name for c in infos],
            "province_code": [c.province_code for c in infos],
            "province_name": [c.province_name for c in infos],
        },
        schema={
            "id": pl.Int64, "code": pl.String, "name": pl.String,
            "province_code": pl.String, "province_name": pl.String,
        },
    )


def list_provinces(*, uow: UnitOfWork, on: dt.date) -> list[UnitInfo]:
    """The provinces in force on ``on``, by code (63 before the reform, 34 from it)."""
    with uow:
        return q.units_on(uow.session, AdminLevel.PROVINCE, on)


def resolve_province(
    *, uow: UnitOfWork, code: str, on: dt.date, field: str = "province_code"
) -> UnitInfo:
    """The province with ``code`` in force on ``on``, for validating a caller's input."""
    with uow:
        unit, versions = q.find_unit(uow.session, AdminLevel.PROVINCE, code, on)
    if unit is None:
        raise InvalidInput(
            _missing_message(AdminLevel.PROVINCE, code, on, versions), code="province.unknown",
            field=field, rule=_unknown_rule(AdminLevel.PROVINCE), extra={"on": on.isoformat()},
        )
    return unit


def _neighbours(uow: UnitOfWork, unit_id: int) -> tuple[tuple[UnitInfo, ...], tuple[UnitInfo, ...]]:
    """Units this one directly succeeded, and units that directly succeeded it."""
    edge = AdminSuccession
    pairs = [
        (row[0], row[1])
        for row in uow.session.execute(
            select(edge.predecessor_id, edge.successor_id).where(
                (edge.successor_id == unit_id) | (edge.predecessor_id == unit_id)
            )
        )
    ]
    came = {p for p, s in pairs if s == unit_id}
    went = {s for p, s in pairs if p == unit_id}
    found = q.units_by_id(uow.session, came | went)

    def by_code(ids: set[int]) -> tuple[UnitInfo, ...]:
        return tuple(sorted((found[i] for i in ids), key=lambda u: u.code))

    return by_code(came), by_code(went)


def get_province(*, uow: UnitOfWork, code: str, on: dt.date) -> ProvinceDetail:
    """The province with ``code`` on ``on``, with its communes counted and its lineage."""
    with uow:
        unit, versions = q.find_unit(uow.session, AdminLevel.PROVINCE, code, on)
        if unit is None:
            raise NotFound(
                _missing_message(AdminLevel.PROVINCE, code, on, versions),
                code="province.not_found", field="code", rule=_unknown_rule(AdminLevel.PROVINCE),
                extra={"on": on.isoformat()},
            )
        count = uow.session.scalar(
            select(func.count()).select_from(
                q.commune_select()
                .where(q.commune_in_province(unit.id), q.commune_in_force(on))
                .subquery()
            )
        )
        came_from, went_into = _neighbours(uow, unit.id)
    return ProvinceDetail(unit, count or 0, came_from, went_into)


def _check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(
            f"limit {limit} is out of range", code="limit.range", field="limit",
            rule=f"a listing returns between 1 and {MAX_LIMIT} items",
        )


def _rank(commune: CommuneInfo, query: str, key: str) -> tuple[int, int] | None:
    """Lower is better, None is no match.

    First: the name proper (without "Xã", "Phường" …) is the query, starts with it, or only
    contains it. Then: names that match as typed, diacritics included, come first.
    """
    if key.isdigit():
        matched = commune.code.startswith(key) or commune.code == key.zfill(len(commune.code))
        return (0, 0) if matched else None
    name = search_key(commune.name)
    if key not in name:
        return None
    proper = name.removeprefix(search_key(commune.division_type)).strip()
    tier = 0 if proper == key else 1 if proper.startswith(key) else 2
    exact = 0 if query.strip().casefold() in commune.name.casefold() else 1
    return tier, exact


def list_communes(
    *, uow: UnitOfWork, on: dt.date, province_code: str | None = None,
    query: str | None = None, limit: int = 50,
) -> list[CommuneInfo]:
    """Communes in force on ``on``, in a province and matching a name or code if given.

    The query ignores case and diacritics ("phu my" finds "Phú Mỹ"); names that start with
    it come before names that only contain it. Digits search codes by prefix.
    """
    _check_limit(limit)
    with uow:
        select_ = q.commune_select().where(q.commune_in_force(on))
        if province_code is not None:
            province = resolve_province(uow=uow, code=province_code, on=on, field="province")
            select_ = select_.where(q.commune_in_province(province.id))
        rows = uow.session.execute(select_.order_by(*q.commune_order()))
        communes = [q.commune_info(row) for row in rows]
    if not query or not query.strip():
        return communes[:limit]
    key = search_key(query)
    ranked = [(rank, c) for c in communes if (rank := _rank(c, query, key)) is not None]
    ranked.sort(key=lambda pair: (pair[0], pair[1].province_code, search_key(pair[1].name)))
    return [c for _, c in ranked[:limit]]


def successors(
    *, uow: UnitOfWork, level: AdminLevel | str, code: str, on_before: dt.date, on_after: dt.date,
) -> list[UnitInfo]:
    """The unit(s) in force on ``on_after`` that the unit ``code`` read on ``on_before`` is.

    Works both ways in time: old province 74 read on 2025-06-30 is province 79 on
    2025-07-01, and province 79 read on 2025-07-01 is old 74, 77 and 79 on 2025-06-30. A unit
    that ended without a successor (a district) gives an empty list.
    """
    unit_level = q.parse_level(level)
    with uow:
        unit, versions = q.find_unit(uow.session, unit_level, code, on_before)
        if unit is None:
            raise InvalidInput(
                _missing_message(unit_level, code, on_before, versions),
                code=f"{unit_level.value}.unknown", field="code", rule=_unknown_rule(unit_level),
                extra={"on": on_before.isoformat()},
            )
        return walk(uow.session, [unit], read_on=on_before, target=on_after)[unit.id]


def province_on(
    *, uow: UnitOfWork, province_code: str, as_read_on: dt.date, report_date: dt.date
) -> list[UnitInfo]:
    """The province(s) in force on ``report_date`` for a province code read on ``as_read_on``."""
    return successors(
        uow=uow, level=AdminLevel.PROVINCE, code=province_code, on_before=as_read_on,
        on_after=report_date,
    )


def province_crosswalk(
    *, uow: UnitOfWork, read_on: dt.date, report_on: dt.date
) -> dict[str, tuple[str, ...]]:
    """Every province code in force on ``read_on`` -> the codes in force on ``report_on``.

    This is how a report re-groups figures recorded under one map by the provinces of
    another: 2024 contributions by the 34 new provinces, or 2025 ones by the 63 old.
    """
    with uow:
        starts = q.units_on(uow.session, AdminLevel.PROVINCE, read_on)
        found = walk(uow.session, starts, read_on=read_on, target=report_on)
    return {unit.code: tuple(u.code for u in found[unit.id]) for unit in starts}
