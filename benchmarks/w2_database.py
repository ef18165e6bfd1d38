"""W2 with a database: the retirees as registry rows, ours end to end against an ORM loop.

The rows of :func:`benchmarks.w2_pension.generate` go into a freshly migrated schema
(``ansinh.db.migrate.upgrade``) as registry rows, through the registry's bulk loader
(:func:`ansinh.registry.bulk.load_frames`): one ``person`` per retiree, one ``participation``
per contribution period (compulsory scheme, HI group DN, an employer, the declared salary),
1 000 ``employer`` rows and one ``admin_unit`` commune that people and employers live in.
Two tables belong to the benchmark only (their own metadata, not the application's): the
pension claims (``w2_claim``: person and day of retirement) and the results (``w2_result``
for ours, ``w2_result_orm`` for the loop).

- ``ours, end to end``: two queries read the claimants and their compulsory periods into
  Polars (``pl.read_database`` on the SQLAlchemy connection), :func:`compute_batch` runs, and
  the results go back in one bulk insert (:func:`ansinh.db.bulk.write_frame`: COPY on
  PostgreSQL, one ``executemany`` on SQLite) and are committed. Read, compute and write are
  timed apart.
- ``orm_loop``: what a case-management system does, one claim at a time through the ORM:
  ``session.get`` the claim and the person, ``select`` the person's participation rows,
  compute with the scalar rules exactly as the in-memory ``scalar_loop`` does
  (:func:`benchmarks.w2_pension.scalar_one`), ``session.add`` a result row, commit every
  ``batch`` claims. Run on a sample of the claims and **scaled linearly** to all of them.

Both results are read back from the database and compared for every sampled claim; ours'
table is also compared in full with the in-memory batch result.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import polars as pl
from sqlalchemy import BigInteger, Boolean, Connection, Date, Engine, ForeignKey, Integer, MetaData, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, declared_attr, mapped_column

from ansinh.core.actor import SYSTEM
from ansinh.db import bulk
from ansinh.db.base import NAMING_CONVENTION
from ansinh.db.engine import make_engine
from ansinh.db.migrate import upgrade
from ansinh.db.uow import UnitOfWork
from ansinh.law.params import ParameterSet
from ansinh.registry.bulk import load_frames
from ansinh.registry.models import Participation, Person, Scheme
from ansinh.rules.pension_batch import compute_batch
from benchmarks.w1_contributions import postgres_reachable, psycopg_url
from benchmarks.w2_pension import COLUMNS, scalar_one

EMPLOYERS = 1_000
ORM_BATCH = 200


class BenchBase(DeclarativeBase):
    """The benchmark's own tables, kept out of the application's metadata."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class PensionClaim(BenchBase):
    """A claim for an old-age pension from ``as_of`` (the day of retirement)."""

    __tablename__ = "w2_claim"

    person_id: Mapped[int] = mapped_column(ForeignKey(Person.__table__.c.id), primary_key=True)
    as_of: Mapped[dt.date] = mapped_column(Date)


class _Result:
    @declared_attr
    def person_id(cls) -> Mapped[int]:  # noqa: N805 - declared_attr takes the class
        # A copied mixin column would name its foreign key by string, which the benchmark's
        # own metadata cannot resolve; the Column object can.
        return mapped_column(ForeignKey(Person.__table__.c.id), primary_key=True)

    eligible: Mapped[bool] = mapped_column(Boolean)
    years_counted: Mapped[int] = mapped_column(Integer)
    rate_numerator: Mapped[int] = mapped_column(BigInteger)
    rate_denominator: Mapped[int] = mapped_column(BigInteger)
    average_salary: Mapped[int] = mapped_column(BigInteger)
    monthly: Mapped[int] = mapped_column(BigInteger)
    lump_sum: Mapped[int] = mapped_column(BigInteger)


class BatchResult(_Result, BenchBase):
    __tablename__ = "w2_result"


class LoopResult(_Result, BenchBase):
    __tablename__ = "w2_result_orm"


# ----------------------------------------------------------------------------- the database


@contextlib.contextmanager
def scratch_postgres(url: str) -> Iterator[str]:
    """A fresh database on the server of ``url``, dropped afterwards; yields its SQLAlchemy URL."""
    import psycopg

    name = f"ansinh_bench_w2_{os.getpid()}"
    with psycopg.connect(psycopg_url(url), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(psycopg_url(url), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextlib.contextmanager
def scratch_sqlite() -> Iterator[str]:
    """A database file in a temporary directory, removed afterwards; yields its URL."""
    folder = tempfile.mkdtemp(prefix="ansinh_bench_w2_")
    try:
        yield f"sqlite:///{folder}/w2.db"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def registry_frames(periods: pl.DataFrame, retirees: pl.DataFrame, *, seed: int) -> dict[str, pl.DataFrame]:
    """The registry rows of the generated retirees (ids from 1: person id = person_id + 1)."""
    rng = np.random.default_rng(seed)
    employers = pl.DataFrame({"id": np.arange(1, EMPLOYERS + 1, dtype=np.int64)}).with_columns(
        unit_code=pl.format("TB{}", pl.col("id").cast(pl.Utf8).str.zfill(8)),
        tax_code=pl.col("id").cast(pl.Utf8).str.zfill(10),
        name=pl.format("Công ty số {}", pl.col("id")), name_key=pl.format("cong ty so {}", pl.col("id")),
        address_commune_id=pl.lit(1, pl.Int64), wage_region=pl.Series(rng.integers(1, 5, EMPLOYERS)),
        wage_region_source=pl.lit("Decree 293/2025/ND-CP, annex"), ownership_sector=pl.lit("private"),
        industry_code=pl.lit("C"), registered_on=pl.lit(dt.date(1990, 1, 1)))
    people = retirees.select(
        id=pl.col("person_id") + 1,
        citizen_id=pl.format("079{}", (pl.col("person_id") + 1).cast(pl.Utf8).str.zfill(9)),
        si_number=(pl.col("person_id") + 1).cast(pl.Utf8).str.zfill(10),
        full_name=pl.format("Người hưu {}", pl.col("person_id") + 1),
        name_key=pl.format("nguoi huu {}", pl.col("person_id") + 1),
        birth_date="birth_date", sex="sex", birth_province_code=pl.lit("079"),
        residence_commune_id=pl.lit(1, pl.Int64), household_id=pl.lit(None, pl.Int64),
        household_role=pl.lit(None, pl.Utf8), death_date=pl.lit(None, pl.Date),
        registered_on=pl.lit(dt.date(1995, 1, 1)))
    participation = periods.with_row_index("id", offset=1).select(
        pl.col("id").cast(pl.Int64), person_id=pl.col("person_id") + 1,
        employer_id=pl.Series(rng.integers(1, EMPLOYERS + 1, periods.height)),
        scheme=pl.lit(Scheme.COMPULSORY.value), hi_group_code=pl.lit("DN"),
        start_month="start", end_month="end", monthly_salary="salary")
    return {"person": people, "employer": employers, "participation": participation}


COMMUNE = pl.DataFrame([{
    "id": 1, "level": "commune", "code": "26734", "name": "Phường Sài Gòn", "division_type": "phường",
    "parent_id": None, "valid_from": dt.date(2025, 7, 1), "valid_to": None,
    "source": "benchmark row: one commune for every person and employer"}],
    schema={"id": pl.Int64, "level": pl.Utf8, "code": pl.Utf8, "name": pl.Utf8, "division_type": pl.Utf8,
            "parent_id": pl.Int64, "valid_from": pl.Date, "valid_to": pl.Date, "source": pl.Utf8})


def load(engine: Engine, url: str, periods: pl.DataFrame, retirees: pl.DataFrame, *, seed: int) -> None:
    """Migrate, then load the commune, the registry rows and the claims; analyse."""
    upgrade(url)
    BenchBase.metadata.create_all(engine)
    with engine.begin() as connection:
        bulk.write_frame(connection, "admin_unit", COMMUNE)
    load_frames(uow=UnitOfWork(engine), frames=registry_frames(periods, retirees, seed=seed), actor=SYSTEM,
                at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))  # the audit event's time: fixed, not the clock
    with engine.begin() as connection:
        bulk.write_frame(connection, "w2_claim", retirees.select(person_id=pl.col("person_id") + 1, as_of="as_of"))
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")


# ----------------------------------------------------------------------------- ours, end to end

RETIREES_SQL = ("SELECT c.person_id, p.sex, p.birth_date, c.as_of FROM w2_claim c JOIN person p ON p.id = c.person_id"
                " ORDER BY c.person_id")
PERIODS_SQL = ("SELECT t.person_id, t.start_month AS start, t.end_month AS \"end\", t.monthly_salary AS salary"
               " FROM participation t JOIN w2_claim c ON c.person_id = t.person_id"
               " WHERE t.scheme = 'compulsory' ORDER BY t.person_id, t.start_month")

PERIODS_SCHEMA: dict[str, pl.DataType] = {"person_id": pl.Int64(), "start": pl.Date(), "end": pl.Date(),
                                          "salary": pl.Int64()}
RETIREES_SCHEMA: dict[str, pl.DataType] = {"person_id": pl.Int64(), "sex": pl.String(), "birth_date": pl.Date(),
                                           "as_of": pl.Date()}
READ_METHOD = {"postgresql": "COPY (query) TO STDOUT as CSV, pl.read_csv",
               "sqlite": "pl.read_database on the sqlite3 connection"}


def _dates(frame: pl.DataFrame, *names: str) -> pl.DataFrame:
    """SQLite hands dates back as ISO text (how SQLAlchemy stores them there)."""
    return frame.with_columns(pl.col(n).str.to_date("%Y-%m-%d") for n in names if frame.schema[n] == pl.Utf8)


def _driver(connection: Connection) -> Any:
    """The driver's own connection (sqlite3 or psycopg) under the SQLAlchemy one."""
    return connection.connection.driver_connection


def _copy_out(connection: Connection, query: str, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """PostgreSQL: ``COPY (query) TO STDOUT`` as CSV, parsed by Polars."""
    buffer = io.BytesIO()
    with _driver(connection).cursor() as cursor, \
            cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)") as copy:
        for chunk in copy:
            buffer.write(chunk)
    return pl.read_csv(buffer.getvalue(), has_header=False, new_columns=list(schema), schema=schema)


def read_inputs(engine: Engine) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(periods, retirees) of every claim, one query each: COPY out on PostgreSQL, ``pl.read_database``
    on the driver's connection on SQLite (through SQLAlchemy's rows it takes twice as long)."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            return (_copy_out(connection, PERIODS_SQL, PERIODS_SCHEMA),
                    _copy_out(connection, RETIREES_SQL, RETIREES_SCHEMA))
        driver = _driver(connection)
        retirees = _dates(pl.read_database(RETIREES_SQL, driver), "birth_date", "as_of")
        periods = _dates(pl.read_database(PERIODS_SQL, driver), "start", "end")
    return periods, retirees


def write_results(engine: Engine, result: pl.DataFrame) -> None:
    with engine.begin() as connection:
        bulk.write_frame(connection, "w2_result", result.select("person_id", *COLUMNS))


def clear_results(engine: Engine) -> None:
    """Empty ours' results between runs (the loop's rows stay: it adds them round by round)."""
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM w2_result")


def ours_end_to_end(engine: Engine, params: ParameterSet) -> tuple[pl.DataFrame, dict[str, float]]:
    """Read, compute, write; the result and the seconds of each phase."""
    started = time.perf_counter()
    periods, retirees = read_inputs(engine)
    read = time.perf_counter()
    result = compute_batch(periods, retirees, params)
    computed = time.perf_counter()
    write_results(engine, result)
    written = time.perf_counter()
    return result, {"read_seconds": read - started, "compute_seconds": computed - read,
                    "write_seconds": written - computed, "seconds": written - started}


# ----------------------------------------------------------------------------- the ORM loop


def orm_loop(engine: Engine, params: ParameterSet, person_ids: list[int], *,
             batch: int = ORM_BATCH) -> dict[str, float]:
    """One claim at a time through the ORM; total seconds and the part spent in the rules."""
    rules = 0.0
    started = time.perf_counter()
    with Session(engine) as session:
        for count, person_id in enumerate(person_ids, 1):
            claim = session.get(PensionClaim, person_id)
            person = session.get(Person, person_id)
            if claim is None or person is None:
                raise LookupError(f"no claim or person {person_id}")
            history = session.scalars(
                select(Participation)
                .where(Participation.person_id == person_id, Participation.scheme == Scheme.COMPULSORY)
                .order_by(Participation.start_month)).all()
            before = time.perf_counter()
            values = scalar_one(params, person.sex, person.birth_date, claim.as_of,
                                [(p.start_month, p.end_month or claim.as_of, p.monthly_salary) for p in history])
            rules += time.perf_counter() - before
            session.add(LoopResult(person_id=person_id, **dict(zip(COLUMNS, values, strict=True))))
            if count % batch == 0:
                session.commit()
                session.expunge_all()
        session.commit()
    return {"seconds": time.perf_counter() - started, "rules_seconds": rules}


def stored(engine: Engine, model: type[_Result]) -> dict[int, tuple[Any, ...]]:
    """person_id -> the result columns, as stored."""
    with Session(engine) as session:
        rows = session.execute(select(model.person_id, *(getattr(model, name) for name in COLUMNS))).all()
    return {row[0]: tuple(row[1:]) for row in rows}


# ----------------------------------------------------------------------------- one database


def sample_of(count: int, sample: int) -> list[int]:
    """Evenly spread person ids (database ids, from 1) of ``sample`` claims out of ``count``."""
    step = max(1, count // sample) if sample < count else 1
    return [i + 1 for i in range(0, count, step)][:sample]


def measure(url: str, periods: pl.DataFrame, retirees: pl.DataFrame, params: ParameterSet, *, expected: pl.DataFrame,
            seed: int, repeat: int, sample: int, batch: int = ORM_BATCH) -> dict[str, Any]:
    """Load; then ``repeat`` rounds of ours end to end followed by the ORM loop on a share of the
    ``sample`` claims (so that a burst of load on this shared machine falls on both); ours' fastest
    round and median, the loop's total over the sample scaled to all claims; compare what both stored."""
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        load(engine, url, periods, retirees, seed=seed)
        load_seconds = time.perf_counter() - started
        rounds = max(1, repeat)
        ids = sample_of(retirees.height, sample)
        runs, loop = [], {"seconds": 0.0, "rules_seconds": 0.0}
        for share in range(rounds):
            clear_results(engine)
            runs.append(ours_end_to_end(engine, params)[1])
            for key, value in orm_loop(engine, params, ids[share::rounds], batch=batch).items():
                loop[key] += value
        ours = min(runs, key=lambda phases: phases["seconds"])
        median = statistics.median(phases["seconds"] for phases in runs)
        scaled = loop["seconds"] * retirees.height / len(ids)
        entry = {
            "dialect": engine.dialect.name,
            "server_version": ".".join(map(str, engine.dialect.server_version_info or ())),
            "load_seconds": round(load_seconds, 2), "read_method": READ_METHOD[engine.dialect.name],
            "ours_end_to_end": {key: round(value, 3) for key, value in ours.items()} | {
                "timing": f"fastest of {rounds} rounds", "median_seconds": round(median, 3),
                "all_seconds": [round(phases["seconds"], 3) for phases in runs]},
            "orm_loop": {"seconds": round(scaled, 3), "sampled_and_scaled": True, "measured_on": len(ids),
                         "scaled_to": retirees.height, "measured_seconds": round(loop["seconds"], 3),
                         "rules_seconds_measured": round(loop["rules_seconds"], 3),
                         "ms_per_retiree": round(1000 * loop["seconds"] / len(ids), 3), "commit_every": batch,
                         "timing": f"the sample in {rounds} shares, one after each round of ours; total time"
                                   " over the sample x claims / sample"},
            "ratio_orm_loop_to_ours_end_to_end": round(scaled / ours["seconds"], 1),
            "ratio_orm_loop_to_ours_end_to_end_median": round(scaled / median, 1),
            "ratio_orm_loop_to_ours_compute_only": round(scaled / ours["compute_seconds"], 1),
        }
        return entry | agreement(engine, ids, expected)
    finally:
        engine.dispose()


def agreement(engine: Engine, ids: list[int], expected: pl.DataFrame) -> dict[str, Any]:
    """Ours' stored results against the in-memory batch (all), the loop's against ours' (the sample)."""
    expected_rows = {row[0] + 1: tuple(row[1:]) for row in expected.select("person_id", *COLUMNS).iter_rows()}
    ours_stored = stored(engine, BatchResult)
    loop_stored = stored(engine, LoopResult)
    written_differing = sum(ours_stored.get(pid) != values for pid, values in expected_rows.items())
    differing = [pid - 1 for pid in ids if loop_stored.get(pid) != ours_stored.get(pid)]
    return {"results_written": len(ours_stored), "written_differing_from_in_memory": written_differing,
            "compared": len(ids), "differing": len(differing), "first_differing": differing[:5]}


def run_databases(periods: pl.DataFrame, retirees: pl.DataFrame, params: ParameterSet, expected: pl.DataFrame, *,
                  seed: int, repeat: int, sample: int, pg_url: str | None,
                  log: Any = print) -> dict[str, Any]:
    """SQLite always; PostgreSQL unless ``pg_url`` is empty or the server is unreachable."""
    results: dict[str, Any] = {}
    with scratch_sqlite() as url:
        results["sqlite"] = measure(url, periods, retirees, params, expected=expected, seed=seed, repeat=repeat,
                                    sample=sample)
    log(f"sqlite: {summary(results['sqlite'])}")
    if not pg_url:
        results["postgresql"] = {"skipped": "no PostgreSQL URL given"}
    elif not postgres_reachable(pg_url):
        results["postgresql"] = {"skipped": f"PostgreSQL not reachable at {pg_url}"}
        log(f"PostgreSQL is not reachable at {pg_url}: skipped")
    else:
        with scratch_postgres(pg_url) as url:
            results["postgresql"] = measure(url, periods, retirees, params, expected=expected, seed=seed,
                                            repeat=repeat, sample=sample)
        log(f"postgresql: {summary(results['postgresql'])}")
    return results


def summary(entry: dict[str, Any]) -> str:
    ours = entry["ours_end_to_end"]
    return (f"load {entry['load_seconds']} s; ours {ours['seconds']} s (read {ours['read_seconds']}, compute "
            f"{ours['compute_seconds']}, write {ours['write_seconds']}); ORM loop {entry['orm_loop']['seconds']} s"
            f" (measured {entry['orm_loop']['measured_seconds']} s on {entry['orm_loop']['measured_on']}, scaled);"
            f" ratio {entry['ratio_orm_loop_to_ours_end_to_end']}x; differing {entry['differing']}")
