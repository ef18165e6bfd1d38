"""``restructure``: apply a plan to the organisation on its date, or show what it would do.

One transaction: the plan is checked (:mod:`ansinh.org.plan_rules`), then the offices it
closes end the day before its date (``valid_to``) and keep their rows for history, the
offices it opens start on it, successions link them, areas end and start, open work items
move to the successor (``received_by_office_id`` is kept: it says where the citizen handed
the dossier in), staff postings move through :func:`ansinh.accounts.postings.move_postings`,
and the plan is stored with a summary of what moved. A dry run does the same reading and
returns the same summary without writing anything.

Applying a plan again with the same key and content changes nothing and returns the stored
summary; the same key with other content is refused (``plan.key_conflict``). A plan dated
before changes already recorded (back-dated) applies only when nothing recorded after its
date touches what it changes; otherwise it is refused (``plan.later_change``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import delete, func, or_, select, text, update

from ansinh.accounts.postings import move_postings
from ansinh.audit.service import record_event
from ansinh.core.actor import Actor
from ansinh.core.errors import Conflict
from ansinh.db.uow import UnitOfWork
from ansinh.org.models import Office, OfficeArea, OfficeSuccession, RestructurePlan, WorkItem
from ansinh.org.plan import Plan, parse_plan
from ansinh.org.plan_check import Changes, Opening, check_plan
from ansinh.org.plan_rules import refuse
from ansinh.org.structure import Snapshot, load_snapshot

__all__ = ["AreaMove", "RestructureResult", "restructure"]


@dataclass(frozen=True)
class AreaMove:
    """``count`` units moved from one office to another (``None``: from or to no office)."""

    from_office: str | None
    to_office: str | None
    count: int
    examples: list[str]


@dataclass(frozen=True)
class StaffMove:
    account_id: int
    role: str
    from_office: str
    to_office: str


@dataclass(frozen=True)
class WorkMove:
    """Open work items moved from a closed office to its successor, by id."""

    from_office: str
    to_office: str
    items: list[int]


@dataclass(frozen=True)
class RestructureResult:
    """What a plan did (or, in a dry run, would do)."""

    key: str
    effective_on: dt.date
    dry_run: bool
    already_applied: bool
    offices_closed: list[str]
    offices_opened: list[str]
    successions: list[tuple[str, str, str]]
    areas: list[AreaMove]
    staff: list[StaffMove]
    work: list[WorkMove]
    applied_by: str | None = None

    def to_json(self) -> str:
        body = asdict(self)
        body["effective_on"] = self.effective_on.isoformat()
        for name in ("dry_run", "already_applied", "applied_by"):
            body.pop(name)
        return json.dumps(body, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_stored(cls, row: RestructurePlan) -> RestructureResult:
        body = json.loads(row.summary)
        return cls(
            key=row.key, effective_on=row.effective_on, dry_run=False, already_applied=True,
            offices_closed=body["offices_closed"], offices_opened=body["offices_opened"],
            successions=[(s[0], s[1], s[2]) for s in body["successions"]],
            areas=[AreaMove(**a) for a in body["areas"]], staff=[StaffMove(**s) for s in body["staff"]],
            work=[WorkMove(**w) for w in body["work"]], applied_by=row.applied_by,
        )


RESTRUCTURE_LOCK = 0x616E_7369_6E68
"""PostgreSQL advisory lock key held while a plan is checked and applied."""


def _serialise(uow: UnitOfWork) -> None:
    """One plan at a time: two plans checked side by side could each pass and together break a rule.

    PostgreSQL: a transaction-scoped advisory lock. SQLite has one writer at a time; a
    second plan writing at once fails there with "database is locked" and writes nothing.
    """
    if uow.session.get_bind().dialect.name == "postgresql":
        uow.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": RESTRUCTURE_LOCK})


def _stored(uow: UnitOfWork, plan: Plan) -> RestructureResult | None:
    row = uow.session.scalar(select(RestructurePlan).where(RestructurePlan.key == plan.key))
    if row is None:
        return None
    if row.plan != plan.canonical():
        raise Conflict(f"a different plan with key {plan.key!r} was applied on {row.applied_on.isoformat()}",
                       code="plan.key_conflict", field="key",
                       rule="a plan's key names one content; give a changed plan a new key")
    return RestructureResult.from_stored(row)


def _check_later_changes(uow: UnitOfWork, snap: Snapshot, changes: Changes) -> None:
    """Refuse a back-dated plan when something recorded after its date touches what it changes."""
    on = snap.on
    for code in sorted(changes.touched()):
        row = snap.offices[code]
        if row.valid_to is not None:
            refuse("later_change", _where(changes, code),
                   f"office {code} is recorded as closing on {row.valid_to.isoformat()}, after {on.isoformat()}",
                   "a back-dated plan applies only if nothing recorded after its date changes the same offices")
    ids = {snap.offices[code].id for code in changes.touched()}
    units = {unit for _, unit in changes.ended | changes.started}
    later = uow.session.scalar(
        select(func.min(OfficeArea.valid_from)).where(
            OfficeArea.valid_from > on, or_(OfficeArea.office_id.in_(ids), OfficeArea.admin_unit_id.in_(units))))
    if later is not None:
        refuse("later_change", "effective_on",
               f"areas of the offices or units this plan changes were changed again on {later.isoformat()}",
               "a back-dated plan applies only if nothing recorded after its date changes the same offices")
    closed_ids = {snap.offices[code].id for code in changes.closed}
    opened = uow.session.scalar(select(func.min(WorkItem.opened_on)).where(
        WorkItem.office_id.in_(closed_ids), WorkItem.opened_on >= on))
    if opened is not None:
        refuse("later_change", "effective_on",
               f"work was opened on {opened.isoformat()} at an office this plan closes on {on.isoformat()}",
               "a back-dated plan cannot close an office that received work after its date")


def _where(changes: Changes, code: str) -> str:
    if code in changes.closed:
        return changes.closed[code]
    return next(w for c, w in [*changes.received, *changes.reassigned_from] if c == code)


def _area_moves(snap: Snapshot, changes: Changes) -> list[AreaMove]:
    """Units that changed office, grouped by (from, to); ``None`` for ended or new service."""
    before = {unit: code for code, unit in changes.ended}
    after = {unit: code for code, unit in changes.started}
    grouped: dict[tuple[str | None, str | None], list[int]] = defaultdict(list)
    for unit in before.keys() | after.keys():
        grouped[(before.get(unit), after.get(unit))].append(unit)
    return [
        AreaMove(src, dst, len(units), [snap.units[u].label for u in sorted(units)[:3]])
        for (src, dst), units in sorted(grouped.items(), key=lambda kv: (kv[0][0] or "", kv[0][1] or ""))
    ]


def _open_work(uow: UnitOfWork, on: dt.date, office_ids: dict[int, str]) -> dict[str, list[int]]:
    """Work items held by these offices and open on ``on``, by office code.

    Open on the date, not merely open now: a back-dated plan also moves work that was open
    on its date and has been closed since, so that history reads it at the successor.
    """
    rows = uow.session.execute(
        select(WorkItem.id, WorkItem.office_id)
        .where(WorkItem.office_id.in_(office_ids), WorkItem.opened_on < on,
               or_(WorkItem.closed_on.is_(None), WorkItem.closed_on >= on))
        .order_by(WorkItem.id))
    found: dict[str, list[int]] = defaultdict(list)
    for item_id, office_id in rows:
        found[office_ids[office_id]].append(item_id)
    return found


def _new_offices(uow: UnitOfWork, snap: Snapshot, changes: Changes, source: str) -> dict[str, int]:
    """Insert the opened offices, parents before children; every code's id."""
    ids = {code: row.id for code, row in snap.offices.items()}
    waiting: list[Opening] = list(changes.opened)
    while waiting:
        ready = [o for o in waiting if o.parent is None or o.parent in ids]
        rows = {o.code: Office(code=o.code, name=o.name, name_en=o.name_en, kind=o.kind,
                               parent_id=ids[o.parent] if o.parent else None, valid_from=snap.on, valid_to=None,
                               source=source) for o in ready}
        uow.session.add_all(rows.values())
        uow.session.flush()
        ids.update({code: row.id for code, row in rows.items()})
        waiting = [o for o in waiting if o.code not in rows]
    return ids


def _end_areas(uow: UnitOfWork, snap: Snapshot, changes: Changes, ids: dict[str, int]) -> None:
    """End the areas the plan takes away, and every area of the offices it closes.

    A row that started on the plan's date (an earlier plan of the same day) is deleted
    rather than left ending before it starts.
    """
    session, on = uow.session, snap.on
    last_day = on - dt.timedelta(days=1)
    ended = {(ids[code], unit) for code, unit in changes.ended}
    rows = [area.id for area in snap.areas if (area.office_id, area.unit_id) in ended]
    closed_ids = [ids[code] for code in changes.closed]
    session.execute(delete(OfficeArea).where(
        or_(OfficeArea.id.in_(rows), OfficeArea.office_id.in_(closed_ids)), OfficeArea.valid_from >= on))
    session.execute(update(OfficeArea).where(
        or_(OfficeArea.id.in_(rows), OfficeArea.office_id.in_(closed_ids)),
        or_(OfficeArea.valid_to.is_(None), OfficeArea.valid_to > last_day)).values(valid_to=last_day))


def _write(uow: UnitOfWork, plan: Plan, snap: Snapshot, changes: Changes) -> dict[str, int]:
    """Every write of the plan but the postings and the plan row; the ids of the codes."""
    session, on = uow.session, snap.on
    ids = _new_offices(uow, snap, changes, plan.source[:300])
    _end_areas(uow, snap, changes, ids)
    session.execute(update(Office).where(Office.id.in_([ids[code] for code in changes.closed]))
                    .values(valid_to=on - dt.timedelta(days=1)))
    session.add_all(OfficeArea(office_id=ids[code], admin_unit_id=unit, valid_from=on,
                               valid_to=snap.units[unit].valid_to) for code, unit in sorted(changes.started))
    session.add_all(OfficeSuccession(predecessor_id=ids[old], successor_id=ids[new], effective_on=on,
                                     change=change, plan_key=plan.key) for old, new, change in changes.successions)
    session.flush()
    return ids


def _move_work(uow: UnitOfWork, changes: Changes, ids: dict[str, int], work: dict[str, list[int]]) -> None:
    for old, items in work.items():
        uow.session.execute(update(WorkItem).where(WorkItem.id.in_(items))
                            .values(office_id=ids[changes.work_to[old]]))


def restructure(*, uow: UnitOfWork, plan: Plan | dict[str, Any], actor: Actor | str, dry_run: bool = False,
                applied_on: dt.date | None = None, at: dt.datetime | None = None) -> RestructureResult:
    """Apply ``plan`` (or, with ``dry_run``, only say what it would move) and commit.

    ``actor`` is who applies it (stored by username). ``applied_on`` is the day the plan is
    recorded as applied (the caller's today); left out, the plan's own date is recorded.
    With ``at`` (the caller's now, timezone-aware) the change is also written to the audit
    log (``org.restructure``) in the same transaction; the loaders, which have no clock,
    leave it out.
    """
    plan = parse_plan(plan)
    who = Actor(username=actor) if isinstance(actor, str) else actor
    username = who.username
    with uow:
        _serialise(uow)
        stored = _stored(uow, plan)
        if stored is not None:
            return stored
        snap = load_snapshot(uow.session, plan.effective_on)
        changes = check_plan(plan, snap)
        _check_later_changes(uow, snap, changes)
        by_id = {snap.offices[code].id: code for code in changes.closed}
        work = _open_work(uow, plan.effective_on, by_id)
        ids = {code: row.id for code, row in snap.offices.items()}
        if not dry_run:
            ids = _write(uow, plan, snap, changes)
            _move_work(uow, changes, ids, work)
        # In a dry run the new offices have no id yet; 0 stands in for them (nothing is written).
        moves = {snap.offices[old].id: ids.get(new, 0) for old, new in changes.staff_to.items()}
        postings = move_postings(uow=uow, moves=moves, effective_on=plan.effective_on, dry_run=dry_run)
        result = RestructureResult(
            key=plan.key, effective_on=plan.effective_on, dry_run=dry_run, already_applied=False,
            offices_closed=sorted(changes.closed), offices_opened=[o.code for o in changes.opened],
            successions=list(changes.successions), areas=_area_moves(snap, changes),
            staff=[StaffMove(p.account_id, p.role, by_id[p.from_office_id], changes.staff_to[by_id[p.from_office_id]])
                   for p in postings],
            work=[WorkMove(old, changes.work_to[old], items) for old, items in sorted(work.items())],
            applied_by=username,
        )
        if dry_run:
            return result
        uow.session.add(RestructurePlan(key=plan.key, effective_on=plan.effective_on,
                                        applied_on=applied_on or plan.effective_on, applied_by=username[:64],
                                        plan=plan.canonical(), summary=result.to_json()))
        uow.session.flush()
        if at is not None:
            record_event(uow=uow, actor=who, action="org.restructure", record_type="restructure_plan",
                         record_id=plan.key, at=at, detail={
                             "effective_on": plan.effective_on, "offices_closed": len(result.offices_closed),
                             "offices_opened": len(result.offices_opened), "staff_moved": len(result.staff),
                             "work_moved": sum(len(w.items) for w in result.work)})
        uow.commit()
        return result
