"""Following successions between versions of the map, forwards or backwards in time.

A unit read on one date answers on another date as the unit(s) in force then: forwards,
along successions that took effect by the later date (old Bình Dương -> new Hồ Chí Minh
City); backwards, undoing successions that took effect after the earlier date (new Hồ Chí
Minh City -> old Bình Dương, Bà Rịa - Vũng Tàu and Hồ Chí Minh City). The walk runs on sets
of units at once, one query per step, so a whole crosswalk costs what one lookup does.
Successions always run forwards in time, so the walk ends.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from ansinh.org.models import AdminSuccession
from ansinh.org.units import UnitInfo, units_by_id


def _steps(
    session: Session, pending: set[int], *, forwards: bool, target: dt.date
) -> list[tuple[int, int]]:
    """(from, to) pairs one succession away from ``pending`` towards ``target``."""
    if not pending:
        return []
    edge = AdminSuccession
    if forwards:
        query = select(edge.predecessor_id, edge.successor_id).where(
            edge.predecessor_id.in_(pending), edge.effective_on <= target
        )
    else:
        query = select(edge.successor_id, edge.predecessor_id).where(
            edge.successor_id.in_(pending), edge.effective_on > target
        )
    return [(row[0], row[1]) for row in session.execute(query)]


def walk(
    session: Session, starts: list[UnitInfo], *, read_on: dt.date, target: dt.date
) -> dict[int, list[UnitInfo]]:
    """For each start unit (read on ``read_on``), the units in force on ``target``."""
    forwards = target >= read_on
    found: dict[int, set[int]] = defaultdict(set)
    frontier: dict[int, set[int]] = defaultdict(set)
    for unit in starts:
        frontier[unit.id].add(unit.id)
    known = {unit.id: unit for unit in starts}
    seen: set[tuple[int, int]] = set()
    while frontier:
        known.update(units_by_id(session, frontier.keys() - known.keys()))
        pending: set[int] = set()
        for unit_id, origins in frontier.items():
            if known[unit_id].in_force(target):
                for origin in origins:
                    found[origin].add(unit_id)
            else:
                pending.add(unit_id)
        following: dict[int, set[int]] = defaultdict(set)
        for here, there in _steps(session, pending, forwards=forwards, target=target):
            for origin in frontier[here]:
                if (there, origin) not in seen:
                    seen.add((there, origin))
                    following[there].add(origin)
        frontier = following
    return {
        unit.id: sorted((known[i] for i in found.get(unit.id, ())), key=lambda u: u.code)
        for unit in starts
    }
