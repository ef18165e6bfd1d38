"""Writing the administrative map into the database, once and only once.

The loader compares the reference records (:mod:`ansinh.org.reference`) with what is
already stored, by each unit's key (level, code, first day in force), and inserts only what
is missing, in bulk: running it again inserts nothing, and a map extended by a later
release only adds the new rows. Units are written level by level, provinces first, so that
every child finds its parent's id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from ansinh.db.uow import UnitOfWork
from ansinh.org import legacy, reference
from ansinh.org.models import AdminLevel, AdminSuccession, AdminUnit
from ansinh.org.reference import SuccessionRecord, UnitKey, UnitRecord

LEVEL_ORDER = (AdminLevel.PROVINCE, AdminLevel.DISTRICT, AdminLevel.COMMUNE)
"""Parents before children."""


@dataclass(frozen=True)
class AdminMapSummary:
    """What one load inserted, and how much of the map is stored after it."""

    provinces_inserted: int
    districts_inserted: int
    communes_inserted: int
    successions_inserted: int
    units_total: int
    successions_total: int

    @property
    def inserted(self) -> int:
        """Rows of either table this load added (0 when the map was already loaded)."""
        return (
            self.provinces_inserted + self.districts_inserted + self.communes_inserted
            + self.successions_inserted
        )


def _stored_ids(session: Session, level: AdminLevel) -> dict[UnitKey, int]:
    rows = session.execute(
        select(AdminUnit.id, AdminUnit.code, AdminUnit.valid_from).where(AdminUnit.level == level)
    )
    return {UnitKey(level, code, valid_from): unit_id for unit_id, code, valid_from in rows}


def _unit_row(record: UnitRecord, ids: dict[UnitKey, int]) -> dict[str, object]:
    parent_id = None
    if record.parent is not None:
        parent_id = ids[record.parent]
    return {
        "level": record.key.level.value,
        "code": record.key.code,
        "name": record.name,
        "division_type": record.division_type,
        "parent_id": parent_id,
        "valid_from": record.key.valid_from,
        "valid_to": record.valid_to,
        "source": record.source,
    }


def _write_units(
    session: Session, records: Iterable[UnitRecord]
) -> tuple[dict[UnitKey, int], dict[AdminLevel, int]]:
    """Insert the missing units level by level; the ids of all stored units, and counts."""
    by_level: dict[AdminLevel, list[UnitRecord]] = {level: [] for level in LEVEL_ORDER}
    for record in records:
        by_level[record.key.level].append(record)
    ids: dict[UnitKey, int] = {}
    counts: dict[AdminLevel, int] = {}
    for level in LEVEL_ORDER:
        stored = _stored_ids(session, level)
        missing = [_unit_row(r, ids) for r in by_level[level] if r.key not in stored]
        if missing:
            session.execute(insert(AdminUnit), missing)
            stored = _stored_ids(session, level)
        ids.update(stored)
        counts[level] = len(missing)
    return ids, counts


def _write_successions(
    session: Session, records: Iterable[SuccessionRecord], ids: dict[UnitKey, int]
) -> int:
    pairs = select(AdminSuccession.predecessor_id, AdminSuccession.successor_id)
    stored = {(row[0], row[1]) for row in session.execute(pairs)}
    missing: list[dict[str, object]] = []
    for record in records:
        pair = (ids[record.predecessor], ids[record.successor])
        if pair in stored:
            continue
        stored.add(pair)
        missing.append({
            "predecessor_id": pair[0],
            "successor_id": pair[1],
            "effective_on": record.effective_on,
            "source": record.source,
        })
    if missing:
        session.execute(insert(AdminSuccession), missing)
    return len(missing)


def load_admin_map(*, uow: UnitOfWork) -> AdminMapSummary:
    """Store every unit and succession of the map that is not stored yet, and commit.

    Idempotent: units are matched on (level, code, valid_from), successions on the pair of
    units, so a second run inserts nothing.
    """
    units = reference.old_provinces() + legacy.legacy_units() + reference.new_units()
    successions = reference.province_successions() + legacy.commune_successions()
    with uow:
        session = uow.session
        ids, counts = _write_units(session, units)
        successions_inserted = _write_successions(session, successions, ids)
        successions_total = session.scalar(select(func.count()).select_from(AdminSuccession)) or 0
        uow.commit()
    return AdminMapSummary(
        provinces_inserted=counts[AdminLevel.PROVINCE],
        districts_inserted=counts[AdminLevel.DISTRICT],
        communes_inserted=counts[AdminLevel.COMMUNE],
        successions_inserted=successions_inserted,
        units_total=len(ids),
        successions_total=successions_total,
    )
