"""The registry's bulk load: whole tables of people, employers and histories at once.

Only the registry writes its tables, so a national load (the synthetic country, a migration
from a legacy system) comes through here as Polars frames rather than through
``register_person`` a million times. The frames carry ids from 1; they are shifted past any
ids already stored, so foreign keys between the frames stay right.

The whole load is **one transaction**: households, people, employers, participation
periods, the population register and death notices are all written, or none is. It refuses
to load into a registry that already holds people or population records unless told to
``replace``, in which case it first deletes every registry row (in the same transaction).

A load is audited as **one** ``registry.bulk_load`` event (the rows written per table and
the rows deleted), in the same transaction: a million-row load does not write a million
events, and a load that fails leaves no event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import polars as pl
from sqlalchemy import Connection, delete, func, select
from sqlalchemy.exc import DBAPIError

from ansinh.audit.service import record_event
from ansinh.core.actor import Actor
from ansinh.core.errors import Conflict, InvalidInput
from ansinh.db import bulk
from ansinh.db.base import Base
from ansinh.db.uow import UnitOfWork
from ansinh.registry import models

LOAD_ORDER = ("population_record", "household", "person", "employer", "participation", "death_notice")
"""Parents before children."""
DELETE_ORDER = (
    models.DuplicateFlag, models.DeathNotice, models.Participation, models.Person,
    models.Household, models.Employer, models.PopulationRecord,
)
"""Children before parents."""
ID_TABLES = ("household", "person", "employer", "participation", "death_notice")
REFERENCES = {
    "person": {"household_id": "household"},
    "participation": {"person_id": "person", "employer_id": "employer"},
    "death_notice": {"person_id": "person"},
}
"""Foreign-key columns between the frames, shifted with the ids they point at."""

LoadProgress = Callable[[str, int, int], None]
"""Told (table, rows written so far, rows to write)."""


@dataclass(frozen=True)
class LoadSummary:
    """Rows written per table, and rows deleted first (when replacing)."""

    written: dict[str, int]
    deleted: int


def _check_columns(frames: Mapping[str, pl.DataFrame]) -> None:
    unknown = sorted(set(frames) - set(LOAD_ORDER))
    if unknown:
        raise InvalidInput(
            f"no registry table {unknown}", code="registry.bulk.table", field="frames",
            rule=f"the bulk load writes {', '.join(LOAD_ORDER)}",
        )
    for name, frame in frames.items():
        expected = {c.name for c in Base.metadata.tables[name].columns}
        if set(frame.columns) != expected:
            raise InvalidInput(
                f"{name} has columns {sorted(frame.columns)}, the table has {sorted(expected)}",
                code="registry.bulk.columns", field=name,
                rule="a frame has exactly the columns of its table",
            )


def _held(connection: Connection) -> int:
    people = connection.execute(select(func.count()).select_from(models.Person)).scalar_one()
    records = connection.execute(select(func.count()).select_from(models.PopulationRecord)).scalar_one()
    return int(people + records)


def _delete_all(connection: Connection) -> int:
    """Empty every registry table; the number of rows removed.

    PostgreSQL empties them with one ``TRUNCATE`` (deleting millions of rows one by one,
    each checked against the tables that refer to it, takes minutes); if a table of another
    area refers to them, that is refused, and the rows are deleted one table at a time.
    """
    counts = [connection.execute(select(func.count()).select_from(m)).scalar_one() for m in DELETE_ORDER]
    if connection.dialect.name == "postgresql":
        names = ", ".join(connection.dialect.identifier_preparer.quote(m.__tablename__) for m in DELETE_ORDER)
        try:
            with connection.begin_nested():
                connection.exec_driver_sql(f"TRUNCATE TABLE {names}")
        except DBAPIError:
            pass
        else:
            return int(sum(counts))
    with bulk.large_cache(connection):
        for model in DELETE_ORDER:
            connection.execute(delete(model))
    return int(sum(counts))


def _shifted(frames: Mapping[str, pl.DataFrame], offsets: dict[str, int]) -> dict[str, pl.DataFrame]:
    """Frames with ids (and the foreign keys pointing at them) moved past stored ids."""
    result: dict[str, pl.DataFrame] = {}
    for name, frame in frames.items():
        moves = {"id": offsets.get(name, 0)} if name in ID_TABLES else {}
        moves.update({column: offsets.get(target, 0) for column, target in REFERENCES.get(name, {}).items()})
        result[name] = frame.with_columns(
            (pl.col(column) + offset).alias(column) for column, offset in moves.items() if offset
        )
    return result


def _write_all(
    connection: Connection, frames: Mapping[str, pl.DataFrame], progress: LoadProgress | None
) -> dict[str, int]:
    written: dict[str, int] = {}
    for name in LOAD_ORDER:
        if name not in frames:
            continue
        frame = frames[name]
        if progress:
            progress(name, 0, frame.height)
        report = (lambda done, n=name, total=frame.height: progress(n, done, total)) if progress else None
        written[name] = bulk.write_frame(connection, name, frame, progress=report)
        if name in ID_TABLES:
            bulk.reset_sequence(connection, name)
    return written


def load_frames(
    *, uow: UnitOfWork, frames: Mapping[str, pl.DataFrame], actor: Actor, at: dt.datetime,
    replace: bool = False, progress: LoadProgress | None = None,
) -> LoadSummary:
    """Write the registry tables in ``frames`` (table name -> frame) in one transaction.

    Raises :class:`Conflict` when the registry already holds people or population records
    and ``replace`` is false; with ``replace`` every registry row is deleted first.
    """
    _check_columns(frames)
    with uow:
        connection = uow.session.connection()
        deleted = 0
        if _held(connection):
            if not replace:
                raise Conflict(
                    "the registry already holds people", code="registry.bulk.not_empty",
                    field="replace", rule="a bulk load goes into an empty registry unless told to replace it",
                )
            deleted = _delete_all(connection)
        offsets = {name: bulk.max_id(connection, name) for name in ID_TABLES if name in frames}
        ready = _shifted(frames, offsets)
        with bulk.foreign_keys_checked_at_end(connection, [n for n in LOAD_ORDER if n in ready]):
            written = _write_all(connection, ready, progress)
        record_event(uow=uow, actor=actor, action="registry.bulk_load", record_type="registry", record_id="*",
                     at=at, detail={"written": written, "deleted": deleted, "replace": replace})
        uow.commit()
    return LoadSummary(written=written, deleted=deleted)
