"""The rules a plan must keep, checked on the organisation it would leave behind.

In the order they are checked (each refusal is an ``InvalidInput`` with a stable code):

1. every office named exists (``plan.office_unknown``) and is in force on the date and the
   day before (``plan.office_not_in_force``); a new code was never used (``plan.code_taken``);
   an office is closed by one operation at most (``plan.office_in_two_operations``);
2. no succession and no chain of parents goes round in a circle (``plan.cycle``); an office
   closed by one operation is not used by another (``plan.office_in_two_operations``);
3. every area is a unit in force on the date (``plan.area_unknown``); a reassigned area is
   served by the office it leaves (``plan.area_not_served``);
4. afterwards no unit is served by two offices (``plan.area_served_twice``: an office may
   serve a commune inside another's province, never the same unit); every commune in force
   is served by an office, its own, its district's or its province's (``plan.area_uncovered``);
   and no office is orphaned (``plan.office_orphaned``): left open under a closed parent, or
   left with neither areas nor offices under it (the central office excepted).

Rule 1 is checked while the operations are read (:mod:`ansinh.org.plan_check`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NoReturn

from ansinh.core.errors import InvalidInput
from ansinh.org.models import AdminLevel, OfficeKind
from ansinh.org.structure import Snapshot
from ansinh.org.units import normalise_code

if TYPE_CHECKING:
    from ansinh.org.plan import Reassign


def refuse(code: str, field: str, message: str, rule: str) -> NoReturn:
    """Raise the error that refuses a plan."""
    raise InvalidInput(message, code=f"plan.{code}", field=field, rule=rule)


@dataclass
class Opening:
    """An office the plan opens."""

    code: str
    name: str
    name_en: str
    kind: OfficeKind
    parent: str | None
    where: str
    """The field of the plan that opens it (``operations.2.into``)."""
    area_refs: list[tuple[str, str]]
    """(``LEVEL:CODE``, field) as the plan gives them."""
    default_areas: set[int] = field(default_factory=set)
    areas: set[int] = field(default_factory=set)


@dataclass
class Changes:
    """What a checked plan does, by office code and unit id."""

    closed: dict[str, str] = field(default_factory=dict)
    """Each office closed -> the field of the operation that closes it."""
    opened: list[Opening] = field(default_factory=list)
    successions: list[tuple[str, str, str]] = field(default_factory=list)
    """(predecessor, successor, change)."""
    edge_fields: dict[tuple[str, str], str] = field(default_factory=dict)
    staff_to: dict[str, str] = field(default_factory=dict)
    work_to: dict[str, str] = field(default_factory=dict)
    received: list[tuple[str, str]] = field(default_factory=list)
    """(office, field) of offices in force that receive areas, work or new offices."""
    reassigned_from: list[tuple[str, str]] = field(default_factory=list)
    dissolved: list[tuple[int, list[str], str]] = field(default_factory=list)
    ended: set[tuple[str, int]] = field(default_factory=set)
    """(office, unit) served on the day before and no longer from the date."""
    started: set[tuple[str, int]] = field(default_factory=set)

    def touched(self) -> set[str]:
        """Codes of the offices in force that the plan closes, takes from or gives to."""
        return set(self.closed) | {c for c, _ in self.received} | {c for c, _ in self.reassigned_from}


def first_cycle(edges: Mapping[str, set[str]]) -> list[str] | None:
    """A cycle in a directed graph of codes, as the codes round it (first repeated last), or None."""
    state: dict[str, int] = defaultdict(int)  # 0 unseen, 1 on the current path, 2 done
    for start in sorted(edges):
        if state[start]:
            continue
        path, stack = [start], [iter(sorted(edges.get(start, ())))]
        state[start] = 1
        while stack:
            following = next(stack[-1], None)
            if following is None:
                state[path.pop()] = 2
                stack.pop()
            elif state[following] == 1:
                return [*path[path.index(following):], following]
            elif state[following] == 0:
                state[following] = 1
                path.append(following)
                stack.append(iter(sorted(edges.get(following, ()))))
    return None


def _check_cycles(changes: Changes, new: Mapping[str, Opening]) -> None:
    successors: dict[str, set[str]] = defaultdict(set)
    for old, successor, _ in changes.successions:
        successors[old].add(successor)
    cycle = first_cycle(successors)
    if cycle:
        refuse("cycle", changes.edge_fields[(cycle[0], cycle[1])],
               f"offices would succeed each other in a circle: {' -> '.join(cycle)}",
               "an office cannot take over from an office that takes over from it")
    parents = {code: {o.parent} for code, o in new.items() if o.parent is not None and o.parent in new}
    cycle = first_cycle(parents)
    if cycle:
        refuse("cycle", f"{new[cycle[0]].where}.parent",
               f"offices would sit under each other in a circle: {' -> '.join(cycle)}",
               "the offices form a tree: no office is above itself")


def _check_overlaps(changes: Changes) -> None:
    for code, where in [*changes.received, *changes.reassigned_from]:
        if code not in changes.closed:
            continue
        if where.endswith(".parent"):
            refuse("office_orphaned", where, f"the parent {code} is closed by {changes.closed[code]}",
                   "a new office sits under an office that stays open (or one the plan opens)")
        refuse("office_in_two_operations", where, f"office {code} is closed by {changes.closed[code]}",
               "an office closed by one operation cannot give or receive in another")


class _Areas:
    """Who serves each unit after the plan, and which operation released what."""

    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap
        self.owner: dict[int, dict[str, str]] = defaultdict(dict)
        for code, units in snap.served.items():
            for unit in units:
                self.owner[unit][code] = ""
        self.released: dict[int, str] = {}
        self.lost: dict[str, str] = {}

    def unit(self, ref: str, where: str) -> int:
        level_text, code = ref.split(":")
        level = AdminLevel(level_text)
        unit = self.snap.unit_keys.get((level, normalise_code(level, code) or code))
        if unit is None:
            refuse("area_unknown", where, f"no {level.value} {code} is in force on {self.snap.on.isoformat()}",
                   "an area is an administrative unit in force on the plan's date")
        return unit

    def release(self, code: str, unit: int, where: str) -> None:
        self.owner[unit].pop(code, None)
        self.released[unit] = where
        self.lost[code] = where

    def covers(self, code: str, unit: int) -> bool:
        return any(code in self.owner[up] for up in self.snap.chain(unit))

    def reassign(self, i: int, op: Reassign) -> None:
        for j, ref in enumerate(op.areas):
            where = f"operations.{i}.areas.{j}"
            unit = self.unit(ref, where)
            if unit not in self.snap.served.get(op.from_office, ()):
                refuse("area_not_served", where, f"{op.from_office} does not serve {ref}",
                       "a reassigned area leaves the office that serves it")
            self.release(op.from_office, unit, where)
            self.owner[unit][op.to] = where

    def open(self, opening: Opening) -> None:
        opening.areas = set(opening.default_areas)
        for ref, where in opening.area_refs:
            unit = self.unit(ref, where)
            opening.areas.add(unit)
            self.owner[unit][opening.code] = where
        for unit in opening.default_areas:
            self.owner[unit][opening.code] = opening.where

    def apply(self, changes: Changes, reassigns: Sequence[tuple[int, Reassign]]) -> None:
        for code, where in changes.closed.items():
            for unit in self.snap.served.get(code, ()):
                self.release(code, unit, where)
        for i, op in reassigns:
            self.reassign(i, op)
        for opening in changes.opened:
            self.open(opening)
        for i, olds, into in changes.dissolved:
            for unit in sorted({u for old in olds for u in self.snap.served.get(old, ())}):
                if not self.covers(into, unit):
                    self.owner[unit][into] = f"operations.{i}.into"


def _check_served_once(snap: Snapshot, areas: _Areas) -> None:
    for unit, owners in sorted(areas.owner.items()):
        if len(owners) > 1:
            where = next((w for w in owners.values() if w), "operations")
            refuse("area_served_twice", where,
                   f"{snap.units[unit].label} would be served by {' and '.join(sorted(owners))}",
                   "a unit is served by one office at a time (another may serve a unit inside it)")


def _check_coverage(snap: Snapshot, areas: _Areas) -> None:
    gaps = [c for c in snap.communes() if not any(areas.owner.get(up) for up in snap.chain(c.id))]
    if not gaps:
        return
    first = gaps[0]
    where = next((areas.released[up] for up in snap.chain(first.id) if up in areas.released), "operations")
    refuse("area_uncovered", where,
           f"{len(gaps)} commune(s) would have no office on {snap.on.isoformat()}, e.g. {first.label}",
           "every commune in force is served by an office: its own, its district's or its province's")


def _check_orphans(snap: Snapshot, changes: Changes, areas: _Areas, new: Mapping[str, Opening]) -> None:
    parent: dict[str, str | None] = {
        code: (snap.by_id[row.parent_id].code if row.parent_id is not None else None)
        for code, row in snap.offices.items() if code not in changes.closed}
    kind = {code: row.kind for code, row in snap.offices.items()}
    for code, opening in new.items():
        parent[code], kind[code] = opening.parent, opening.kind
    for code, above in sorted(parent.items()):
        if above in changes.closed and code not in new:
            refuse("office_orphaned", changes.closed[above],
                   f"office {code} would stay open under {above}, which {changes.closed[above]} closes",
                   "close, merge or rename (with a new parent) the offices under an office a plan closes")
    serving = {code for owners in areas.owner.values() for code in owners}
    with_children = {above for above in parent.values() if above is not None}
    for code in sorted(parent):
        if code in serving or code in with_children or kind[code] == OfficeKind.CENTRAL:
            continue
        where = new[code].where if code in new else areas.lost.get(code, "operations")
        refuse("office_orphaned", where, f"office {code} would have no areas and no offices under it",
               "an office in force serves an area or has offices under it")


def check_after(snap: Snapshot, changes: Changes, reassigns: Sequence[tuple[int, Reassign]],
                new: Mapping[str, Opening]) -> None:
    """Rules 2 to 4 on the plan read so far; records the areas that end and start."""
    _check_cycles(changes, new)
    _check_overlaps(changes)
    areas = _Areas(snap)
    areas.apply(changes, reassigns)
    _check_served_once(snap, areas)
    _check_coverage(snap, areas)
    _check_orphans(snap, changes, areas, new)
    before = {(code, unit) for code, units in snap.served.items() for unit in units}
    after = {(code, unit) for unit, owners in areas.owner.items() for code in owners}
    changes.ended, changes.started = before - after, after - before
