"""W1 end to end: the monthly assessment from declared participations in the database to
assessment rows and ledger entries written, on SQLite and PostgreSQL, beside set-based SQL.

The rows stand for declarations already in the database, so they are built directly and
bulk-loaded (:func:`ansinh.registry.bulk.load_frames`: COPY on PostgreSQL, ``executemany`` on
SQLite) into a freshly migrated schema: ``rows`` compulsory participations in force in
2026-03 (one person each) over employers of realistic sizes (Pareto: many small, a few of
thousands, about 20 workers on average), regions 1-4, about 10 % of employers in the State
sector, salaries lognormal around the region's minimum wage with a tail above the SI
ceiling; plus 2 % of periods that must not be charged (ended in 2026-02, or voluntary).

- ``ours``: :func:`ansinh.collection.assessment.assess_month` as the CLI runs it (partitions,
  one transaction each: read into Polars, batch rules, COPY/executemany of the rows, one
  ledger entry per employer). Its phases are timed by wrapping the functions it calls
  (the read, the rules, the row write, building the entries, posting them); the rest
  (locks, partition rows, commits, the run's summary) is ``other``.
- ``set_based_sql``: the same charge as one ``INSERT … SELECT`` over participation ⋈
  employer ⋈ a law table filled from the same parameters (floor and ceilings, p/q of each
  share, half up as ``(2·base·p + q) / (2·q)``) into a scratch table. No ledger.

Both results are compared in the database: every share's total, and the rows that differ.

Run: ``python -m benchmarks.w1_database --rows 1000000 --backend postgresql``; merges the run
into ``benchmarks/results/W1.json`` under ``end_to_end`` (beside the in-memory W1 of
``benchmarks.w1_contributions``), keyed ``<backend>_<rows>``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import resource
import time
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from sqlalchemy import Engine, text

from ansinh.collection import assessment
from ansinh.core.actor import SYSTEM
from ansinh.db import bulk
from ansinh.db.engine import make_engine
from ansinh.db.migrate import upgrade
from ansinh.db.uow import UnitOfWork
from ansinh.law import default_parameters
from ansinh.law.params import ParameterSet
from ansinh.registry.bulk import load_frames
from ansinh.rules.contribution_law import COMPULSORY_SHARES, MINIMUM_WAGE_KEY
from benchmarks.w1_contributions import (
    DEFAULT_PG_URL,
    LAW_COLUMNS_SQL,
    PeakRss,
    build_law,
    machine,
    postgres_reachable,
)
from benchmarks.w2_database import COMMUNE, scratch_postgres, scratch_sqlite

MONTH = dt.date(2026, 3, 1)
AT = dt.datetime(2026, 4, 2, 8, 0, tzinfo=dt.UTC)  # the run's recorded time: fixed, not the clock
NATIONAL = 20_000_000
TARGET_SECONDS = 600
TARGET_MB = 4096
RESULTS = Path(__file__).parent / "results"
SHARES = tuple(assessment.SHARE_COLUMNS)
AMOUNTS = (*SHARES, *assessment.PAYER_COLUMNS, "total")


# ----------------------------------------------------------------------------- the rows


def registry_frames(rows: int, *, seed: int, params: ParameterSet) -> dict[str, pl.DataFrame]:
    """Employers, people and participations: ``rows`` charged in 2026-03, 2 % more that are not."""
    rng = np.random.default_rng(seed)
    extra = rows // 50
    total = rows + extra
    employers = max(1, rows // 20)
    weights = rng.pareto(1.2, employers) + 1.0
    employer_of = rng.choice(employers, size=total, p=weights / weights.sum()) + 1
    region = rng.choice(np.arange(1, 5), size=employers, p=[0.3, 0.25, 0.25, 0.2])
    state = rng.random(employers) < 0.10
    wages = np.array([int(params.value_at(MINIMUM_WAGE_KEY.format(region=r), MONTH)) for r in range(1, 5)])
    factor = rng.lognormal(0.6, 0.55, size=total)
    tail = rng.random(total) < 0.02
    factor[tail] = rng.lognormal(2.5, 0.8, size=int(tail.sum()))
    salary = np.rint(wages[region[employer_of - 1] - 1] * factor).astype(np.int64)
    ids = np.arange(1, total + 1, dtype=np.int64)
    kind = np.zeros(total, dtype=np.int8)  # 0 charged, 1 ended before March, 2 voluntary
    kind[rng.choice(total, size=extra, replace=False)] = rng.integers(1, 3, size=extra)
    employer = pl.DataFrame({"id": np.arange(1, employers + 1, dtype=np.int64), "wage_region": region,
                             "state": state}).select(
        "id", unit_code=pl.format("TB{}", pl.col("id").cast(pl.Utf8).str.zfill(8)),
        tax_code=pl.col("id").cast(pl.Utf8).str.zfill(10), name=pl.format("Công ty số {}", pl.col("id")),
        name_key=pl.format("cong ty so {}", pl.col("id")), address_commune_id=pl.lit(1, pl.Int64),
        wage_region=pl.col("wage_region").cast(pl.Int16), wage_region_source=pl.lit("Decree 293/2025/ND-CP, annex"),
        ownership_sector=pl.when("state").then(pl.lit("state")).otherwise(pl.lit("private")),
        industry_code=pl.lit("C"), registered_on=pl.lit(dt.date(2010, 1, 1)))
    person = pl.DataFrame({"id": ids}).select(
        "id", citizen_id=pl.format("079{}", pl.col("id").cast(pl.Utf8).str.zfill(9)),
        si_number=pl.col("id").cast(pl.Utf8).str.zfill(10), full_name=pl.format("Người lao động {}", pl.col("id")),
        name_key=pl.format("nguoi lao dong {}", pl.col("id")),
        birth_date=pl.lit(dt.date(1970, 1, 1)) + pl.duration(days=pl.col("id") % 12_000),
        sex=pl.when(pl.col("id") % 2 == 0).then(pl.lit("female")).otherwise(pl.lit("male")),
        birth_province_code=pl.lit("079"), residence_commune_id=pl.lit(1, pl.Int64),
        household_id=pl.lit(None, pl.Int64), household_role=pl.lit(None, pl.Utf8), death_date=pl.lit(None, pl.Date),
        registered_on=pl.lit(dt.date(2015, 1, 1)))
    participation = pl.DataFrame({"id": ids, "employer_id": employer_of.astype(np.int64), "kind": kind,
                                  "monthly_salary": salary}).select(
        "id", person_id="id",
        employer_id=pl.when(pl.col("kind") == 2).then(None).otherwise(pl.col("employer_id")),
        scheme=pl.when(pl.col("kind") == 2).then(pl.lit("voluntary")).otherwise(pl.lit("compulsory")),
        hi_group_code=pl.when(pl.col("kind") == 2).then(pl.lit("GD")).otherwise(pl.lit("DN")),
        start_month=pl.lit(dt.date(2025, 1, 1)),
        end_month=pl.when(pl.col("kind") == 1).then(pl.lit(dt.date(2026, 2, 1))).otherwise(None).cast(pl.Date),
        monthly_salary="monthly_salary")
    return {"person": person, "employer": employer, "participation": participation}


def load(url: str, rows: int, *, seed: int, params: ParameterSet) -> tuple[Engine, dict[str, Any]]:
    """Migrate, load one commune and the registry rows, ANALYZE; the engine and the load's figures."""
    started = time.perf_counter()
    upgrade(url)
    engine = make_engine(url)
    with engine.begin() as connection:
        bulk.write_frame(connection, "admin_unit", COMMUNE)
    frames = registry_frames(rows, seed=seed, params=params)
    built = time.perf_counter()
    load_frames(uow=UnitOfWork(engine), frames=frames, actor=SYSTEM, at=AT)
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
    figures = {"employers": frames["employer"].height, "people": frames["person"].height,
               "participations": frames["participation"].height, "charged": rows,
               "build_seconds": round(built - started, 2), "load_seconds": round(time.perf_counter() - built, 2)}
    return engine, figures


# ----------------------------------------------------------------------------- ours, with its phases

END_TO_END = "end_to_end"
"""The key of ``W1.json`` this benchmark writes under."""

PHASES = ("read", "compute", "write_rows", "build_entries", "post_ledger")


@contextmanager
def timed_phases() -> Iterator[dict[str, float]]:
    """Wrap what ``assess_month`` calls so each call's time adds up under its phase."""
    spent = dict.fromkeys(PHASES, 0.0)

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start
        return wrapper

    originals = {name: getattr(assessment, name) for name in
                 ("compulsory_in_force", "compute_batch", "_entry_frames", "post_frames", "bulk")}
    assessment.compulsory_in_force = timed("read", originals["compulsory_in_force"])
    assessment.compute_batch = timed("compute", originals["compute_batch"])
    assessment._entry_frames = timed("build_entries", originals["_entry_frames"])
    assessment.post_frames = timed("post_ledger", originals["post_frames"])
    assessment.bulk = types.SimpleNamespace(write_frame=timed("write_rows", bulk.write_frame))  # type: ignore[assignment]
    try:
        yield spent
    finally:
        for name, original in originals.items():
            setattr(assessment, name, original)


def run_ours(engine: Engine, *, partitions: int, params: ParameterSet) -> dict[str, Any]:
    """``assess_month`` once, end to end: seconds, phases, peak RSS and what it wrote."""
    gc.collect()
    with PeakRss() as rss, timed_phases() as spent:
        before = rss.current()
        started = time.perf_counter()
        summary = assessment.assess_month(uow=UnitOfWork(engine), month=MONTH, actor=SYSTEM, at=AT,
                                          partitions=partitions, params=params)
        seconds = time.perf_counter() - started
    phases = {f"{name}_seconds": round(value, 3) for name, value in spent.items()}
    phases["other_seconds"] = round(seconds - sum(spent.values()), 3)
    entries = sum(p.entries for p in summary.written_now)
    return {"seconds": round(seconds, 3), "rows_per_second": round(summary.rows / seconds), "phases": phases,
            "phase_shares": {k: round(v / seconds, 3) for k, v in phases.items()},
            "partitions": partitions, "rows_written": summary.rows, "ledger_entries": entries,
            "peak_rss_mb": round(rss.peak / 2**20, 1), "rss_before_mb": round(before / 2**20, 1),
            "rss_increase_mb": round((rss.peak - before) / 2**20, 1)}


# ----------------------------------------------------------------------------- set-based SQL


def _share_sql(base: str, column: str) -> str:
    return f"(2 * {base}_base * {column}_p + {column}_q) / (2 * {column}_q)"


def set_based_sql(dialect: str) -> str:
    """The charge of every participation in force, as one ``INSERT … SELECT``."""
    low, high = ("max", "min") if dialect == "sqlite" else ("greatest", "least")
    share = {s: _share_sql(s.base.value, c) for s, c in zip(COMPULSORY_SHARES, SHARES, strict=True)}
    payers = {p: " + ".join(e for s, e in share.items() if s.payer == p) for p in ("employer", "employee", "state")}
    rates = ", ".join(f"l.{c}_{x}" for c in SHARES for x in ("p", "q"))
    clamp = f"{high}({low}(t.monthly_salary, l.floor), l.{{}}_ceiling)"
    return f"""
INSERT INTO w1_sql_assessment (participation_id, employer_id, si_base, hi_base, ui_base, {", ".join(SHARES)},
  employer_total, employee_total, state_total, total)
SELECT participation_id, employer_id, si_base, hi_base, ui_base, {", ".join(share.values())},
  {payers["employer"]}, {payers["employee"]}, {payers["state"]},
  {" + ".join(share.values())}
FROM (
  SELECT t.id AS participation_id, t.employer_id, {rates},
    {clamp.format("si")} AS si_base, {clamp.format("hi")} AS hi_base, {clamp.format("ui")} AS ui_base
  FROM participation t
  JOIN employer e ON e.id = t.employer_id
  JOIN w1_law l ON l.month = :month AND l.region = e.wage_region AND l.reduced_work_injury = :reduced
   AND l.sector = CASE WHEN e.ownership_sector = 'state' THEN 'state' ELSE 'enterprise' END
  WHERE t.scheme = 'compulsory' AND t.start_month <= :month
    AND (t.end_month IS NULL OR t.end_month >= :month)
) AS charged"""


def prepare_sql(engine: Engine, params: ParameterSet) -> None:
    """The law table (every month of the W1 law arrays) and the empty result table."""
    law = build_law(params)
    names = [c.split()[0] for c in LAW_COLUMNS_SQL]
    frame = pl.DataFrame(list(law.rows()), schema=names, orient="row")
    amounts = ", ".join(f"{c} bigint" for c in (*SHARES, *assessment.PAYER_COLUMNS, "total"))
    with engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE TABLE w1_law ({', '.join(LAW_COLUMNS_SQL)})")
        connection.exec_driver_sql(f"CREATE TABLE w1_sql_assessment (participation_id bigint, employer_id bigint,"
                                   f" si_base bigint, hi_base bigint, ui_base bigint, {amounts})")
        bulk.write_frame(connection, "w1_law", frame)
        connection.exec_driver_sql("ANALYZE w1_law")


def run_sql(engine: Engine) -> dict[str, Any]:
    """The ``INSERT … SELECT``, committed: seconds and rows."""
    month = MONTH.isoformat() if engine.dialect.name == "sqlite" else MONTH
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM w1_sql_assessment")
    started = time.perf_counter()
    with engine.begin() as connection:
        written = connection.execute(text(set_based_sql(engine.dialect.name)),
                                     {"month": month, "reduced": False}).rowcount
    seconds = time.perf_counter() - started
    with engine.begin() as connection:  # for the comparison only, not timed
        connection.exec_driver_sql("CREATE INDEX ix_w1_sql_assessment ON w1_sql_assessment (participation_id)")
    return {"seconds": round(seconds, 3), "rows_written": written, "rows_per_second": round(written / seconds)}


def compare(engine: Engine, run_id: int) -> dict[str, Any]:
    """Every amount's total in both tables, and the rows that differ (or are in one only)."""
    sums = ", ".join(f"coalesce(sum({c}), 0)" for c in AMOUNTS)
    differs = " OR ".join(f"a.{c} <> s.{c}" for c in ("employer_id", "si_base", "hi_base", "ui_base", *AMOUNTS))
    with engine.connect() as connection:
        ours = connection.exec_driver_sql(f"SELECT {sums} FROM assessment WHERE run_id = {run_id}").one()
        sql = connection.exec_driver_sql(f"SELECT {sums} FROM w1_sql_assessment").one()
        differing = connection.exec_driver_sql(
            f"SELECT count(*) FROM assessment a JOIN w1_sql_assessment s ON s.participation_id = a.participation_id"
            f" WHERE a.run_id = {run_id} AND ({differs})").scalar_one()
        matched = connection.exec_driver_sql(
            "SELECT count(*) FROM assessment a JOIN w1_sql_assessment s ON s.participation_id = a.participation_id"
            f" WHERE a.run_id = {run_id}").scalar_one()
        counts = [connection.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar_one()
                  for t in ("assessment", "w1_sql_assessment")]
    totals_ours = {c: int(v) for c, v in zip(AMOUNTS, ours, strict=True)}
    totals_sql = {c: int(v) for c, v in zip(AMOUNTS, sql, strict=True)}
    unmatched = counts[0] + counts[1] - 2 * matched
    return {"totals_ours": totals_ours, "totals_sql": totals_sql,
            "totals_differing": [c for c in AMOUNTS if totals_ours[c] != totals_sql[c]],
            "differing_rows": int(differing) + unmatched, "rows_in_one_only": unmatched}


# ----------------------------------------------------------------------------- one database


def measure(url: str, rows: int, *, seed: int, partitions: int, sql: bool = True) -> dict[str, Any]:
    """Load, run ours end to end, then set-based SQL; compare them."""
    params = default_parameters()
    engine, figures = load(url, rows, seed=seed, params=params)
    try:
        gc.collect()
        ours = run_ours(engine, partitions=partitions, params=params)
        entry: dict[str, Any] = {
            "dialect": engine.dialect.name,
            "server_version": ".".join(map(str, engine.dialect.server_version_info or ())),
            "rows": rows, "load": figures, "ours": ours}
        if sql:
            prepare_sql(engine, params)
            entry["set_based_sql"] = run_sql(engine)
            with engine.connect() as connection:
                run_id = connection.exec_driver_sql("SELECT max(id) FROM assessment_run").scalar_one()
            entry["agreement"] = compare(engine, int(run_id))
            entry["ratio_ours_to_sql"] = round(ours["seconds"] / entry["set_based_sql"]["seconds"], 2)
        return entry
    finally:
        engine.dispose()


def extrapolate(entry: dict[str, Any]) -> dict[str, Any]:
    """Linear from this size to the national 20 M employee-months (the stated assumption)."""
    scale = NATIONAL / entry["rows"]
    seconds = entry["ours"]["seconds"] * scale
    memory = entry["ours"]["rss_before_mb"] + entry["ours"]["rss_increase_mb"] * scale
    out = {"assumption": f"linear in rows from the {entry['rows']:,}-row run, same partitions",
           "ours_seconds": round(seconds), "meets_10_minutes": seconds < TARGET_SECONDS,
           "ours_peak_rss_mb_if_linear": round(memory), "meets_4_gb": memory < TARGET_MB}
    if "set_based_sql" in entry:
        out["set_based_sql_seconds"] = round(entry["set_based_sql"]["seconds"] * scale)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--partitions", type=int, default=assessment.DEFAULT_PARTITIONS)
    parser.add_argument("--seed", type=int, default=20260301)
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--output", type=Path, default=RESULTS / "W1.json")
    args = parser.parse_args(argv)
    whole = json.loads(args.output.read_text()) if args.output.exists() else {}
    report = whole.setdefault(END_TO_END, {})
    report |= {"workload": "W1 end to end", "month": MONTH.isoformat(), "machine": machine(),
               "national_rows": NATIONAL, "targets": {"seconds": TARGET_SECONDS, "peak_rss_mb": TARGET_MB}}
    runs = report.setdefault("runs", {})
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    failed = 0
    for backend in backends:
        if backend == "postgresql" and not postgres_reachable(args.pg_url):
            print(f"PostgreSQL is not reachable at {args.pg_url}: skipped")
            continue
        scratch = scratch_sqlite() if backend == "sqlite" else scratch_postgres(args.pg_url)
        with scratch as url:
            entry = measure(url, args.rows, seed=args.seed, partitions=args.partitions)
        entry["extrapolated_to_national"] = extrapolate(entry)
        entry["ru_maxrss_mb_process"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        runs[f"{backend}_{args.rows}"] = entry
        failed += entry["agreement"]["differing_rows"] + len(entry["agreement"]["totals_differing"])
        print(json.dumps({k: entry[k] for k in ("dialect", "rows", "load", "ours", "set_based_sql",
                                                "extrapolated_to_national")}, indent=1))
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(whole, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
