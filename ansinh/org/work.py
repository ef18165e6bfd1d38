"""Open work held by offices: opening and closing it, reading it on a date, counting it.

Other areas record each piece of work an office must do (a dossier, a duplicate to review)
with :func:`open_work` and end it with :func:`close_work`; a restructuring moves open work to
the successor office. A work item keeps only its current office, so where it was on an
earlier date is read back from the summaries of the plans applied since (each lists the
items it moved): :func:`held_on`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ansinh.core.errors import Conflict, InvalidInput, NotFound
from ansinh.db.uow import UnitOfWork
from ansinh.org.directory import OfficeInfo, office_of_record_on, offices_by_id
from ansinh.org.models import Office, RestructurePlan, WorkItem, WorkStatus


@dataclass(frozen=True)
class WorkItemInfo:
    id: int
    kind: str
    reference: str
    office_id: int
    received_by_office_id: int | None
    status: WorkStatus
    opened_on: dt.date
    closed_on: dt.date | None
    assignee_id: int | None = None


@dataclass(frozen=True)
class WorkCount:
    """Work items open on a date under one office (``office`` None: no office of that structure)."""

    office: OfficeInfo | None
    count: int


def _info(item: WorkItem) -> WorkItemInfo:
    return WorkItemInfo(item.id, item.kind, item.reference, item.office_id, item.received_by_office_id,
                        WorkStatus(item.status), item.opened_on, item.closed_on, item.assignee_id)


def _office_open(session: Session, office_id: int | None, on: dt.date, field: str) -> None:
    office = offices_by_id(session, [office_id]).get(office_id) if office_id is not None else None
    if office is None or not office.in_force(on):
        raise InvalidInput(f"office {office_id} is not in force on {on.isoformat()}", code="office.unknown",
                           field=field, rule="work is held by an office in force on the day it is opened")
    if field == "office_id" and office.valid_to is not None:
        raise InvalidInput(
            f"office {office.code} closes on {office.valid_to.isoformat()}; open the work at the office in force "
            "now that took over its work (office_of_record_on)", code="office.closed", field=field,
            rule="work is opened at an office still open, so a restructuring already applied cannot miss it")


def _check_text(value: str, field: str, limit: int) -> None:
    if not value.strip() or len(value) > limit:
        raise InvalidInput(f"{field} must be 1 to {limit} characters", code=f"work.{field}", field=field,
                           rule=f"a work item's {field} is non-empty text of at most {limit} characters")


def open_work(*, uow: UnitOfWork, kind: str, reference: str, office_id: int, opened_on: dt.date,
              received_by_office_id: int | None = None) -> WorkItemInfo:
    """Record that ``office_id`` holds a new piece of work (``kind``, ``reference``) from ``opened_on``.

    ``received_by_office_id`` is the office where it was handed in, if another (any-office
    reception); a restructuring keeps it. Joins the caller's transaction when there is one.
    """
    _check_text(kind, "kind", 40)
    _check_text(reference, "reference", 80)
    with uow:
        session = uow.session
        _office_open(session, office_id, opened_on, "office_id")
        if received_by_office_id is not None:
            _office_open(session, received_by_office_id, opened_on, "received_by_office_id")
        if session.scalar(select(WorkItem.id).where(WorkItem.kind == kind, WorkItem.reference == reference)):
            raise Conflict(f"work {kind} {reference} is already recorded", code="work.duplicate", field="reference",
                           rule="one work item per kind and reference")
        item = WorkItem(kind=kind, reference=reference, office_id=office_id, status=WorkStatus.OPEN,
                        received_by_office_id=received_by_office_id, opened_on=opened_on)
        session.add(item)
        try:
            session.flush()
        except IntegrityError:
            raise Conflict(f"work {kind} {reference} is already recorded", code="work.duplicate", field="reference",
                           rule="one work item per kind and reference") from None
        info = _info(item)
        uow.commit()
    return info


def close_work(*, uow: UnitOfWork, kind: str, reference: str, closed_on: dt.date) -> WorkItemInfo:
    """Mark the work item done on ``closed_on``."""
    with uow:
        item = uow.session.scalar(select(WorkItem).where(WorkItem.kind == kind, WorkItem.reference == reference))
        if item is None:
            raise NotFound(f"no work {kind} {reference}", code="work.not_found", field="reference",
                           rule="close work that was opened")
        if item.status == WorkStatus.CLOSED:
            raise Conflict(f"work {kind} {reference} was closed on {item.closed_on}", code="work.closed",
                           field="reference", rule="work is closed once")
        if closed_on < item.opened_on:
            raise InvalidInput(f"{closed_on.isoformat()} is before the work was opened ({item.opened_on.isoformat()})",
                               code="work.closed_on", field="closed_on", rule="work closes on or after it opens")
        item.status, item.closed_on = WorkStatus.CLOSED, closed_on
        info = _info(item)
        uow.commit()
    return info


def assign_work(*, uow: UnitOfWork, kind: str, reference: str, assignee_id: int | None) -> WorkItemInfo:
    """Give an open work item to one account of its office (None: back to the office's pool).

    Who may hold it is the calling area's rule; this only records it, in the caller's transaction.
    """
    with uow:
        item = uow.session.scalar(select(WorkItem).where(WorkItem.kind == kind, WorkItem.reference == reference))
        if item is None:
            raise NotFound(f"no work {kind} {reference}", code="work.not_found", field="reference",
                           rule="assign work that was opened")
        if item.status == WorkStatus.CLOSED:
            raise Conflict(f"work {kind} {reference} was closed on {item.closed_on}", code="work.closed",
                           field="reference", rule="closed work is not assigned")
        item.assignee_id = assignee_id
        uow.session.flush()
        info = _info(item)
        uow.commit()
    return info


def work_items(*, uow: UnitOfWork, ids: Collection[int]) -> dict[int, WorkItemInfo]:
    """The work items with these ids, in one query; unknown ids are left out."""
    if not ids:
        return {}
    with uow:
        return {row.id: _info(row) for row in uow.session.scalars(select(WorkItem).where(WorkItem.id.in_(ids)))}


def open_on(on: dt.date) -> ColumnElement[bool]:
    """SQL condition: the work item was open on ``on`` (opened by then, not closed by then)."""
    return and_(WorkItem.opened_on <= on, or_(WorkItem.closed_on.is_(None), WorkItem.closed_on > on))


def held_on(session: Session, items: dict[int, int], on: dt.date) -> dict[int, int]:
    """Each work item's office on ``on``, from its office now (``items``: id -> office id).

    Undoes, latest first, the moves of every plan that took effect after ``on``.
    """
    held = dict(items)
    plans = session.execute(select(RestructurePlan.summary).where(RestructurePlan.effective_on > on)
                            .order_by(RestructurePlan.effective_on.desc(), RestructurePlan.id.desc()))
    moves = [(move["from_office"], move["items"]) for (summary,) in plans for move in json.loads(summary)["work"]]
    codes = {code for code, _ in moves}
    ids = {row[0]: row[1] for row in session.execute(select(Office.code, Office.id).where(Office.code.in_(codes)))}
    for code, moved in moves:
        for item in moved:
            if item in held:
                held[item] = ids[code]
    return held


def office_work(*, uow: UnitOfWork, office_id: int, on: dt.date) -> list[WorkItemInfo]:
    """The work items open on ``on`` that ``office_id`` held that day, oldest first."""
    with uow:
        rows = list(uow.session.scalars(select(WorkItem).where(open_on(on)).order_by(WorkItem.id)))
        held = held_on(uow.session, {row.id: row.office_id for row in rows}, on)
        return [_info(row) for row in rows if held[row.id] == office_id]


def open_work_by_office(*, uow: UnitOfWork, on: dt.date, structure_on: dt.date | None = None) -> list[WorkCount]:
    """How many work items were open on ``on``, by office of the structure of ``structure_on``.

    By default the structure of ``on`` itself: on 2025-06-30 the old provincial and district
    offices, on 2025-07-01 the new provincial ones. With another ``structure_on`` each office
    is read through :func:`~ansinh.org.directory.office_of_record_on`, so a period's work can
    be reported by the offices of any one date.
    """
    target = structure_on or on
    with uow:
        query = select(WorkItem.id, WorkItem.office_id).where(open_on(on))
        rows = {row[0]: row[1] for row in uow.session.execute(query)}
        counts = Counter(held_on(uow.session, rows, on).values())
        offices = offices_by_id(uow.session, counts)
    grouped: Counter[int | None] = Counter()
    for office_id, count in counts.items():
        office = offices[office_id]
        record = office if office.in_force(target) else office_of_record_on(uow=uow, office_id=office_id, on=target)
        grouped[record.id if record is not None else None] += count
    with uow:
        found = offices_by_id(uow.session, [i for i in grouped if i is not None])
    result = [WorkCount(found[i] if i is not None else None, n) for i, n in grouped.items()]
    return sorted(result, key=lambda c: c.office.code if c.office else "")
