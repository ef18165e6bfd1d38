"""W2 with a database on a small run: ours end to end and the ORM loop store the same pensions.

200 retirees loaded as registry rows into a temporary SQLite file (and a scratch PostgreSQL
database when the server is reachable); the ORM loop runs on 50 of them. No timing is
asserted here.
"""

from __future__ import annotations

import os

import polars as pl
import pytest

from ansinh.db.engine import make_engine
from ansinh.law import default_parameters
from ansinh.rules.pension_batch import compute_batch
from benchmarks import w2_database as db
from benchmarks import w2_pension as w2

RETIREES = 200
SAMPLE = 50


@pytest.fixture(scope="module")
def data() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    periods, retirees = w2.generate(RETIREES, seed=11)
    return periods, retirees, compute_batch(periods, retirees, default_parameters())


def test_sqlite_end_to_end_and_orm_loop_agree(data: tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]) -> None:
    periods, retirees, expected = data
    assert expected["eligible"].any()
    assert not expected["eligible"].all()  # some are too young or too short: both paths are exercised
    with db.scratch_sqlite() as url:
        entry = db.measure(url, periods, retirees, default_parameters(), expected=expected, seed=11, repeat=1,
                           sample=SAMPLE, batch=20)
    assert entry["dialect"] == "sqlite"
    assert entry["results_written"] == RETIREES
    assert entry["written_differing_from_in_memory"] == 0
    assert entry["compared"] == SAMPLE
    assert entry["differing"] == 0
    assert entry["orm_loop"]["sampled_and_scaled"] is True
    phases = entry["ours_end_to_end"]
    assert phases["seconds"] >= phases["read_seconds"] + phases["compute_seconds"]


def test_the_loop_agrees_with_the_in_memory_scalar_loop(
    data: tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame],
) -> None:
    """What the ORM loop stored is what the in-memory scalar loop computes for the same people."""
    periods, retirees, _ = data
    params = default_parameters()
    ids = db.sample_of(RETIREES, SAMPLE)
    with db.scratch_sqlite() as url:
        engine = make_engine(url)
        try:
            db.load(engine, url, periods, retirees, seed=11)
            db.orm_loop(engine, params, ids, batch=20)
            loop = db.stored(engine, db.LoopResult)
        finally:
            engine.dispose()
    scalar = w2.run_scalar(periods, retirees, params, [pid - 1 for pid in ids])
    assert len(loop) == SAMPLE
    assert {pid - 1: values for pid, values in loop.items()} == scalar


def test_sample_is_spread_and_sized() -> None:
    assert db.sample_of(100_000, 2_000)[:3] == [1, 51, 101]
    assert len(db.sample_of(100_000, 2_000)) == 2_000
    assert db.sample_of(10, 50) == list(range(1, 11))


def test_postgresql_end_to_end_and_orm_loop_agree(data: tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]) -> None:
    url = os.environ.get("ANSINH_BENCH_PG_URL", w2.DEFAULT_PG_URL)
    if not db.postgres_reachable(url):
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is not reachable at {url}")
        pytest.skip("PostgreSQL is not reachable")
    periods, retirees, expected = data
    with db.scratch_postgres(url) as scratch:
        entry = db.measure(scratch, periods, retirees, default_parameters(), expected=expected, seed=11,
                           repeat=1, sample=SAMPLE, batch=20)
    assert entry["dialect"] == "postgresql"
    assert (entry["results_written"], entry["written_differing_from_in_memory"]) == (RETIREES, 0)
    assert (entry["compared"], entry["differing"]) == (SAMPLE, 0)
