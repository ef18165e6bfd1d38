"""Writing whole Polars frames into tables, fast, inside the caller's transaction.

Loading millions of rows one ORM object at a time takes hours; these functions hand the
driver large chunks instead. On SQLite that is ``executemany`` on the raw DBAPI cursor (one
prepared statement, no per-row Python work beyond building tuples); on PostgreSQL it is
``COPY ... FROM STDIN`` in CSV through psycopg 3, fed a few megabytes at a time. Both run
on the connection of the caller's transaction, so a failure rolls everything back and the
caller decides when to commit.

Frames carry their own ids where the table has one; after writing explicit ids on
PostgreSQL, :func:`reset_sequence` moves the id sequence past them so that ordinary inserts
keep working.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import polars as pl
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

Progress = Callable[[int], None]
"""Told the number of rows written so far (cumulative)."""

SQLITE_CHUNK_ROWS = 50_000
POSTGRES_CHUNK_ROWS = 200_000
SQLITE_CACHE_KIB = 512 * 1024
"""Page cache while loading: indexes on random keys (IDs, names) are updated in memory."""


def _quoted(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)


def _driver_connection(connection: Connection) -> Any:
    """The driver's own connection (sqlite3 or psycopg) under the SQLAlchemy one."""
    return connection.connection.driver_connection


def _as_sqlite_values(frame: pl.DataFrame) -> pl.DataFrame:
    """Dates as ISO text, the way SQLAlchemy's SQLite ``Date`` type stores them."""
    return frame.with_columns(
        pl.col(name).dt.to_string("%Y-%m-%d")
        for name, dtype in frame.schema.items()
        if dtype == pl.Date
    )


def _write_sqlite(connection: Connection, table: str, frame: pl.DataFrame, progress: Progress | None) -> None:
    columns = ", ".join(_quoted(connection, c) for c in frame.columns)
    marks = ", ".join("?" for _ in frame.columns)
    statement = f"INSERT INTO {_quoted(connection, table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names are quoted identifiers
    cursor = _driver_connection(connection).cursor()
    try:
        written = 0
        for chunk in _as_sqlite_values(frame).iter_slices(SQLITE_CHUNK_ROWS):
            cursor.executemany(statement, chunk.rows())
            written += chunk.height
            if progress:
                progress(written)
    finally:
        cursor.close()


def _write_postgres(connection: Connection, table: str, frame: pl.DataFrame, progress: Progress | None) -> None:
    columns = ", ".join(_quoted(connection, c) for c in frame.columns)
    statement = f"COPY {_quoted(connection, table)} ({columns}) FROM STDIN (FORMAT csv)"
    with _driver_connection(connection).cursor() as cursor, cursor.copy(statement) as copy:
        written = 0
        for chunk in frame.iter_slices(POSTGRES_CHUNK_ROWS):
            copy.write(chunk.write_csv(include_header=False))
            written += chunk.height
            if progress:
                progress(written)


@contextmanager
def large_cache(connection: Connection) -> Iterator[None]:
    """On SQLite, a large page cache while loading or emptying tables, then the old size.

    Indexes on random keys (IDs, folded names) touch pages all over the file; with the
    default 2 MB cache each row costs disk reads, with this one it is updated in memory.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    cursor = _driver_connection(connection).cursor()
    previous = int(cursor.execute("PRAGMA cache_size").fetchone()[0])
    cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA cache_size = {previous}")
        cursor.close()


def write_frame(
    connection: Connection, table: str, frame: pl.DataFrame, *, progress: Progress | None = None
) -> int:
    """Insert every row of ``frame`` into ``table`` (columns by name); the number written.

    Runs inside the transaction of ``connection``: nothing is committed here.
    """
    if frame.height == 0:
        return 0
    connection.exec_driver_sql("SELECT 1")  # make sure the transaction has begun
    driver_error = connection.dialect.loaded_dbapi.Error
    try:
        if connection.dialect.name == "sqlite":
            with large_cache(connection):
                _write_sqlite(connection, table, frame, progress)
        elif connection.dialect.name == "postgresql":
            _write_postgres(connection, table, frame, progress)
        else:
            raise NotImplementedError(f"bulk writing to {connection.dialect.name} is not supported")
    except driver_error as error:
        # The raw cursor bypasses SQLAlchemy: raise its exception types (IntegrityError ...).
        raise DBAPIError.instance(f"bulk write into {table}", None, error, driver_error) from error
    return frame.height


def reset_sequence(connection: Connection, table: str, column: str = "id") -> None:
    """After explicit ids: let the next generated id follow the largest stored one.

    Only PostgreSQL needs it; SQLite picks the next rowid from the table itself.
    """
    if connection.dialect.name != "postgresql":
        return
    quoted_table = _quoted(connection, table)
    quoted_column = _quoted(connection, column)
    connection.execute(
        text(
            f"SELECT setval(pg_get_serial_sequence(:table, :column), "  # noqa: S608 - quoted identifiers
            f"COALESCE((SELECT MAX({quoted_column}) FROM {quoted_table}), 1), "
            f"(SELECT MAX({quoted_column}) FROM {quoted_table}) IS NOT NULL)"
        ),
        {"table": table, "column": column},
    )


def max_id(connection: Connection, table: str, column: str = "id") -> int:
    """The largest id stored in ``table`` (0 when empty)."""
    statement = f"SELECT MAX({_quoted(connection, column)}) FROM {_quoted(connection, table)}"  # noqa: S608
    return int(connection.exec_driver_sql(statement).scalar() or 0)


@contextmanager
def foreign_keys_checked_at_end(connection: Connection, tables: Sequence[str]) -> Iterator[None]:
    """Check the foreign keys of ``tables`` once, after the load, instead of row by row.

    PostgreSQL checks a foreign key with one lookup per inserted row, queued to the end of
    each ``COPY``; for millions of rows that is most of the time. Here the constraints are
    dropped and added back as they were (``pg_get_constraintdef``) inside the caller's
    transaction, and adding one back checks every row in a single join: a bad reference
    still fails the load, and other sessions never see the tables without them. SQLite's
    checks are cheap and it cannot drop a constraint, so there nothing changes.
    """
    if connection.dialect.name != "postgresql" or not tables:
        yield
        return
    rows = connection.execute(
        text(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
            "FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = ANY(CAST(:tables AS regclass[]))"
        ),
        {"tables": list(tables)},
    ).all()
    for table, name, _definition in rows:
        connection.exec_driver_sql(f"ALTER TABLE {table} DROP CONSTRAINT {_quoted(connection, name)}")
    yield
    for table, name, definition in rows:
        connection.exec_driver_sql(f"ALTER TABLE {table} ADD CONSTRAINT {_quoted(connection, name)} {definition}")
