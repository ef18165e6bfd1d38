"""Reading the organisation on a date: offices, their tree and areas, and who serves a commune.

Every function takes the date it answers for (``on``): on 2025-06-30 Hà Nội was served by
P63-01 and its district offices, on 2025-07-01 by P34-01. A commune code may be read on
another date than the one asked about (``read_on``): a commune of the new map asked about
before 2025-07-01, or an old one after, is followed through the map's successions.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, aliased

from ansinh.core.errors import InvalidInput, NotFound
from ansinh.db.uow import UnitOfWork
from ansinh.org import units as q
from ansinh.org.models import AdminLevel, AdminUnit, Office, OfficeArea, OfficeKind, OfficeSuccession
from ansinh.org.structure import area_in_force, office_in_force
from ansinh.org.succession import walk
from ansinh.org.units import UnitInfo


@dataclass(frozen=True)
class OfficeInfo:
    """One office over its dates."""

    id: int
    code: str
    name: str
    name_en: str
    kind: OfficeKind
    parent_id: int | None
    valid_from: dt.date
    valid_to: dt.date | None
    source: str
    parent_code: str | None = None

    def in_force(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True)
class OfficeNode:
    """An office with the offices under it on the date of the tree."""

    office: OfficeInfo
    children: tuple[OfficeNode, ...]


@dataclass(frozen=True)
class SuccessionInfo:
    """The office on the other side of a succession, and when and how it happened."""

    office: OfficeInfo
    effective_on: dt.date
    change: str
    plan_key: str


@dataclass(frozen=True)
class OfficeDetail:
    """An office as read on a date: its parent, areas and offices under it then, and its lineage."""

    office: OfficeInfo
    on: dt.date
    in_force: bool
    parent: OfficeInfo | None
    areas: tuple[UnitInfo, ...]
    children: tuple[OfficeInfo, ...]
    predecessors: tuple[SuccessionInfo, ...]
    successors: tuple[SuccessionInfo, ...]


@dataclass(frozen=True)
class Responsibility:
    """The office(s) responsible on ``on`` for a commune read on ``read_on``."""

    commune: UnitInfo
    read_on: dt.date
    on: dt.date
    communes: tuple[UnitInfo, ...]
    """The commune(s) in force on ``on`` it is (itself, or its successors or predecessors)."""
    offices: tuple[OfficeInfo, ...]

    @property
    def office(self) -> OfficeInfo | None:
        """The one responsible office, or None when the commune's lineage splits between several."""
        return self.offices[0] if len(self.offices) == 1 else None


_parent = aliased(Office, name="parent")


def _offices() -> Select[Office, str]:
    """Offices with their parent's code."""
    return select(Office, _parent.code).outerjoin(_parent, _parent.id == Office.parent_id)


def office_info(row: Office, parent_code: str | None = None) -> OfficeInfo:
    return OfficeInfo(row.id, row.code, row.name, row.name_en, OfficeKind(row.kind), row.parent_id,
                      row.valid_from, row.valid_to, row.source, parent_code)


def offices_by_id(session: Session, ids: Collection[int]) -> dict[int, OfficeInfo]:
    if not ids:
        return {}
    rows = session.execute(_offices().where(Office.id.in_(set(ids))))
    return {office.id: office_info(office, parent) for office, parent in rows}


def _by_code(session: Session, code: str) -> OfficeInfo | None:
    row = session.execute(_offices().where(Office.code == code.strip().upper())).first()
    return office_info(row[0], row[1]) if row is not None else None


def offices_on(*, uow: UnitOfWork, on: dt.date, kind: OfficeKind | None = None) -> list[OfficeInfo]:
    """The offices in force on ``on`` (of one kind, if given), by code."""
    with uow:
        query = _offices().where(office_in_force(on)).order_by(Office.code)
        if kind is not None:
            query = query.where(Office.kind == kind)
        return [office_info(office, parent) for office, parent in uow.session.execute(query)]


def office_tree(*, uow: UnitOfWork, on: dt.date) -> list[OfficeNode]:
    """The offices in force on ``on`` as a tree: the roots (the central office) and all below."""
    offices = offices_on(uow=uow, on=on)
    ids = {o.id for o in offices}
    below: dict[int | None, list[OfficeInfo]] = defaultdict(list)
    for office in offices:
        below[office.parent_id if office.parent_id in ids else None].append(office)

    def node(office: OfficeInfo) -> OfficeNode:
        return OfficeNode(office, tuple(node(child) for child in below[office.id]))

    return [node(root) for root in below[None]]


def offices_under(*, uow: UnitOfWork, office_id: int, on: dt.date) -> set[int]:
    """The office ``office_id`` and every office below it, in force on ``on``."""
    ids = {office_id}
    frontier = list(office_tree(uow=uow, on=on))
    while frontier:
        node = frontier.pop()
        if node.office.id in ids:
            ids.update(child.office.id for child in node.children)
        frontier.extend(node.children)
    return ids


def resolve_office(*, uow: UnitOfWork, code: str, on: dt.date, field: str = "office_code") -> OfficeInfo:
    """The office with ``code`` if it is in force on ``on``, for validating a caller's input."""
    with uow:
        office = _by_code(uow.session, code)
    if office is None or not office.in_force(on):
        what = "there is no office with that code" if office is None else (
            f"office {office.code} is in force {_span(office)}")
        raise InvalidInput(f"{what} (asked for {code!r} on {on.isoformat()})", code="office.unknown", field=field,
                           rule="an office code names an office in force on the date")
    return office


def _span(office: OfficeInfo) -> str:
    until = f" to {office.valid_to.isoformat()}" if office.valid_to else ""
    return f"from {office.valid_from.isoformat()}{until}"


def _areas(session: Session, office_ids: Collection[int], on: dt.date) -> dict[int, list[UnitInfo]]:
    rows = session.execute(
        select(OfficeArea.office_id, OfficeArea.admin_unit_id).where(
            OfficeArea.office_id.in_(set(office_ids)), area_in_force(on)))
    pairs = list(rows)
    units = q.units_by_id(session, {unit for _, unit in pairs})
    found: dict[int, list[UnitInfo]] = defaultdict(list)
    for office_id, unit_id in pairs:
        if units[unit_id].in_force(on):
            found[office_id].append(units[unit_id])
    return {key: sorted(value, key=lambda u: (u.level.value, u.code)) for key, value in found.items()}


def _lineage(session: Session, office_id: int) -> tuple[tuple[SuccessionInfo, ...], tuple[SuccessionInfo, ...]]:
    edge = OfficeSuccession
    rows = list(session.scalars(select(edge).where(or_(edge.predecessor_id == office_id,
                                                       edge.successor_id == office_id))))
    others = offices_by_id(session, {r.predecessor_id for r in rows} | {r.successor_id for r in rows})
    came = tuple(SuccessionInfo(others[r.predecessor_id], r.effective_on, r.change, r.plan_key)
                 for r in rows if r.successor_id == office_id)
    went = tuple(SuccessionInfo(others[r.successor_id], r.effective_on, r.change, r.plan_key)
                 for r in rows if r.predecessor_id == office_id)
    return (tuple(sorted(came, key=lambda s: s.office.code)), tuple(sorted(went, key=lambda s: s.office.code)))


def get_office(*, uow: UnitOfWork, code: str, on: dt.date) -> OfficeDetail:
    """The office with ``code`` read on ``on``; an office not in force then still answers, with no areas."""
    with uow:
        session = uow.session
        office = _by_code(session, code)
        if office is None:
            raise NotFound(f"there is no office with code {code!r}", code="office.not_found", field="code",
                           rule="an office code names an office of any date")
        parent = offices_by_id(session, [office.parent_id]).get(office.parent_id) if office.parent_id else None
        children = [office_info(child, office.code) for child in session.scalars(
            select(Office).where(Office.parent_id == office.id, office_in_force(on)).order_by(Office.code))]
        areas = _areas(session, [office.id], on).get(office.id, [])
        came, went = _lineage(session, office.id)
    return OfficeDetail(office, on, office.in_force(on), parent, tuple(areas), tuple(children), came, went)


def office_areas(*, uow: UnitOfWork, code: str, on: dt.date) -> list[UnitInfo]:
    """The administrative units the office serves directly on ``on``."""
    return list(get_office(uow=uow, code=code, on=on).areas)


def _serving(session: Session, commune_ids: Collection[int], on: dt.date) -> dict[int, OfficeInfo]:
    """For each commune in force on ``on``: the office serving it, its district or its province."""
    chains: dict[int, list[int]] = {c: [c] for c in commune_ids}
    frontier = dict.fromkeys(commune_ids, 0)
    for _ in range(2):
        links = session.execute(select(AdminUnit.id, AdminUnit.parent_id).where(AdminUnit.id.in_(set(frontier))))
        parents = {unit: parent for unit, parent in links if parent is not None}
        for chain in chains.values():
            if chain[-1] in parents:
                chain.append(parents[chain[-1]])
        frontier = dict.fromkeys(parents.values(), 0)
    every = {unit for chain in chains.values() for unit in chain}
    rows = session.execute(
        _offices().add_columns(OfficeArea.admin_unit_id).join(OfficeArea, Office.id == OfficeArea.office_id)
        .where(OfficeArea.admin_unit_id.in_(every), area_in_force(on), office_in_force(on)).order_by(Office.code))
    by_unit: dict[int, OfficeInfo] = {}
    for office, parent, unit in rows:
        by_unit.setdefault(unit, office_info(office, parent))
    found: dict[int, OfficeInfo] = {}
    for commune, chain in chains.items():
        nearest = next((by_unit[u] for u in chain if u in by_unit), None)
        if nearest is not None:
            found[commune] = nearest
    return found


def _read_commune(session: Session, code: str, on: dt.date, read_on: dt.date | None) -> tuple[UnitInfo, dt.date]:
    """The commune named by ``code`` and the day it is read on."""
    day = read_on or on
    unit, versions = q.find_unit(session, AdminLevel.COMMUNE, code, day)
    if unit is None and read_on is None and versions:
        unit = min(versions, key=lambda v: min(abs((v.valid_from - on).days),
                                               abs(((v.valid_to or on) - on).days)))
        day = unit.valid_to if unit.valid_to is not None and unit.valid_to < on else unit.valid_from
    if unit is None:
        seen = f" (in force {q.describe_versions(versions)})" if versions else ""
        raise InvalidInput(f"no commune {code!r} is in force on {day.isoformat()}{seen}", code="commune.unknown",
                           field="commune", rule="a commune code names a commune in force on the date it is read on")
    return unit, day


def responsible_office(*, uow: UnitOfWork, commune_code: str, on: dt.date,
                       read_on: dt.date | None = None) -> Responsibility:
    """The office responsible on ``on`` for the commune ``commune_code`` as read on ``read_on``.

    ``read_on`` defaults to ``on``; when the code names no commune then, the version of the
    code nearest to ``on`` is read and followed through the map's successions. The office
    is the one serving the commune itself, else its district (before 2025-07-01), else its
    province.
    """
    with uow:
        session = uow.session
        commune, day = _read_commune(session, commune_code, on, read_on)
        communes = [commune] if commune.in_force(on) else walk(session, [commune], read_on=day, target=on)[commune.id]
        serving = _serving(session, [c.id for c in communes], on)
    offices = {o.id: o for o in serving.values()}
    return Responsibility(commune, day, on, tuple(communes), tuple(sorted(offices.values(), key=lambda o: o.code)))


def office_of_record_on(*, uow: UnitOfWork, office_id: int, on: dt.date) -> OfficeInfo | None:
    """The office in force on ``on`` that stands for ``office_id`` (an office of any date).

    This is how a report aggregates records by the structure of the date asked: a record
    held by an office closed before ``on`` counts under the office that took over its work
    (merge, rename, dissolve, or the split's ``work_to``); a record of an office opened after
    ``on`` counts under the one office it was renamed, merged or split from, or under none
    (``None``) when there were several or none.
    """
    with uow:
        session = uow.session
        office = offices_by_id(session, [office_id]).get(office_id)
        edge = OfficeSuccession
        for _ in range(64):  # successions run forwards in time, so a walk ends; the bound is a guard
            if office is None or office.in_force(on):
                return office
            if office.valid_from <= on:
                query = select(edge.successor_id).where(edge.predecessor_id == office.id, edge.effective_on <= on,
                                                        edge.change != "split-share")
            else:
                query = select(edge.predecessor_id).where(edge.successor_id == office.id, edge.effective_on > on,
                                                          edge.change != "dissolve")
            found = list(session.scalars(query))
            office = offices_by_id(session, found).get(found[0]) if len(found) == 1 else None
    return None
