"""W2: pension entitlement from full monthly histories: batch, per-person loop, and with a database.

100 k new retirees (seeded, reproducible), about 25 years of compulsory contributions each in
1-5 periods -> months, revalued average salary, eligibility, rate, monthly pension and
lump-sum part. Alternatives, in this one process, on the same rows:

- ``ours``: :func:`ansinh.rules.pension_batch.compute_batch` over Polars frames;
- ``scalar_loop``: one person at a time through the scalar rules, exactly as the quote does
  (:mod:`ansinh.quote.pension`: the checks, the months, eligibility by
  :func:`ansinh.rules.pension.compute`, the revalued average by
  :func:`ansinh.rules.pension_salary.average_salary`, then ``compute`` again), without the
  HTTP and pydantic layers: what a case-management system's loop costs at least, before any
  database round trip.

Then, with the same rows loaded as registry rows into SQLite (a temporary file) and
PostgreSQL (a scratch database, skipped if the server is unreachable), see
:mod:`benchmarks.w2_database`:

- ``ours, end to end``: one query per table into Polars, ``compute_batch``, one bulk insert
  of the results; read, compute and write timed apart;
- ``orm_loop``: one claim at a time through the SQLAlchemy ORM with the scalar rules, a
  result row added through the ORM, committed every 200 claims: **measured on a sample**
  (``--orm-sample``, default 5 000, in shares run between the rounds of ours) **and scaled
  linearly** to all retirees.

All must give the same numbers for every retiree compared. Run:
``python -m benchmarks.w2_pension --retirees 100000``; writes ``benchmarks/results/W2.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from ansinh.core.periods import add_months, month_start, months_between
from ansinh.law import default_parameters
from ansinh.law.params import ParameterSet
from ansinh.rules.pension import PensionCase, compute
from ansinh.rules.pension_batch import compute_batch
from ansinh.rules.pension_salary import SalaryPeriod, average_salary, check_periods
from ansinh.rules.retirement_age import normal_retirement_age

RESULTS = Path(__file__).parent / "results"
FIRST_GRANT = dt.date(2025, 1, 1)
GRANT_MONTHS = 24  # pensions granted 2025-01 … 2026-12: the years with revaluation tables
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
COLUMNS = ("eligible", "years_counted", "rate_numerator", "rate_denominator", "average_salary", "monthly",
           "lump_sum")


def generate(retirees: int, *, seed: int = 20260102) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(periods, retirees). Each retiree retires on the first day of a month of 2025-2026 (a
    pension starts with a month), at the normal age plus 0-23 months (5 % are 1-36 months too
    young); the career is about 25 years (lognormal spread, 15-40) ending 0-6 months before
    retirement, in 1-5 periods separated by gaps of 1-12 months; salaries lognormal around
    10 M đồng (capped at 150 M), one level per period."""
    rng = np.random.default_rng(seed)
    sex = np.where(rng.random(retirees) < 0.5, "male", "female")
    grant = rng.integers(0, GRANT_MONTHS, retirees)
    extra_age = np.where(rng.random(retirees) < 0.05, -rng.integers(1, 37, retirees), rng.integers(0, 24, retirees))
    career = np.clip(rng.lognormal(np.log(300), 0.2, retirees), 180, 480).astype(np.int64)
    parts = rng.integers(1, 6, retirees)
    before_end = rng.integers(0, 7, retirees)
    birth_day = rng.integers(1, 29, retirees)
    ages = {(s, g): normal_age(s, add_months(FIRST_GRANT, g)) for s in ("male", "female") for g in range(GRANT_MONTHS)}
    people, periods = [], []
    for pid in range(retirees):
        day = add_months(FIRST_GRANT, int(grant[pid]))
        age = ages[(str(sex[pid]), int(grant[pid]))] + int(extra_age[pid])
        people.append((pid, str(sex[pid]), add_months(day, -age).replace(day=int(birth_day[pid])), day))
        end = add_months(day, -1 - int(before_end[pid]))
        lengths = rng.multinomial(int(career[pid]) - int(parts[pid]), np.ones(parts[pid]) / parts[pid]) + 1
        salaries = np.minimum(rng.lognormal(np.log(10_000_000), 0.6, parts[pid]), 150_000_000).astype(np.int64)
        for length, salary in zip(lengths[::-1], salaries, strict=True):
            start = add_months(end, -(int(length) - 1))
            periods.append((pid, start, end, int(salary)))
            end = add_months(start, -int(rng.integers(1, 13)))
    periods.reverse()
    period_frame = pl.DataFrame(periods, schema={"person_id": pl.Int64, "start": pl.Date, "end": pl.Date,
                                                 "salary": pl.Int64}, orient="row").sort(["person_id", "start"])
    retiree_frame = pl.DataFrame(people, schema={"person_id": pl.Int64, "sex": pl.Utf8, "birth_date": pl.Date,
                                                 "as_of": pl.Date}, orient="row")
    return period_frame, retiree_frame


_PARAMS = default_parameters()


def normal_age(sex: str, day: dt.date) -> int:
    """The normal retirement age in months of a worker reaching it around ``day``."""
    born = add_months(day, -(62 * 12 if sex == "male" else 57 * 12))
    for _ in range(60):
        age = normal_retirement_age(_PARAMS, sex, born, day)  # type: ignore[arg-type]
        if age.reached >= add_months(month_start(day), -1):
            return age.months
        born = add_months(born, 1)
    return age.months


def scalar_one(params: ParameterSet, sex: str, birth: dt.date, day: dt.date,
               history: list[tuple[dt.date, dt.date, int]]) -> tuple[Any, ...]:
    """One retiree the way :func:`ansinh.quote.pension.answer` computes it."""
    periods = tuple(SalaryPeriod(start, end, salary, index=i) for i, (start, end, salary) in enumerate(history))
    check_periods(periods, day)
    months = sum(months_between(p.start, p.end) for p in periods)
    reached = normal_retirement_age(params, sex, birth, day).reached  # type: ignore[arg-type]
    after_age = sum(max(0, months_between(max(p.start, add_months(reached, 1)), p.end)) for p in periods
                    if p.end > reached)
    case = PensionCase(as_of=day, sex=sex, birth_date=birth, months=months,  # type: ignore[arg-type]
                       average_salary=Fraction(0), first_month=month_start(periods[0].start),
                       months_after_age=after_age)
    result = compute(case, params)
    if result.eligible:
        average, _, _ = average_salary(params, periods, day)
        result = compute(replace(case, average_salary=average), params)
    return (result.eligible, months, result.rate.numerator, result.rate.denominator, result.average_salary,
            result.monthly, result.lump_sum)


def run_scalar(periods: pl.DataFrame, retirees: pl.DataFrame, params: ParameterSet,
               people: list[int]) -> dict[int, tuple[Any, ...]]:
    histories: dict[int, list[tuple[dt.date, dt.date, int]]] = {}
    for pid, start, end, salary in periods.filter(pl.col("person_id").is_in(people)).iter_rows():
        histories.setdefault(pid, []).append((start, end, salary))
    chosen = retirees.filter(pl.col("person_id").is_in(people))
    return {pid: scalar_one(params, sex, birth, day, histories[pid]) for pid, sex, birth, day in chosen.iter_rows()}


def best_of(function: Callable[[], Any], repeat: int) -> tuple[Any, float]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return result, best


def machine() -> dict[str, Any]:
    return {"cpu_count": os.cpu_count(), "python": sys.version.split()[0], "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(), "numpy": np.__version__,
            "polars": pl.__version__}


RULES = ["ansinh/rules/pension.py", "ansinh/rules/pension_batch.py", "ansinh/rules/pension_salary.py",
         "ansinh/rules/pension_batch_salary.py", "ansinh/rules/retirement_age.py"]


def code_version() -> dict[str, Any]:
    """The commit measured, and which of the pension rules' files differed from it."""
    import subprocess

    root = Path(__file__).parent.parent

    def git(*args: str) -> str:
        try:
            done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True, timeout=10)  # noqa: S603, S607
        except (OSError, subprocess.SubprocessError):
            return ""
        return done.stdout.rstrip()

    changed = git("status", "--porcelain", "--", *RULES)
    return {"commit": git("rev-parse", "--short", "HEAD"),
            "rules_changed_since_commit": [line[3:] for line in changed.splitlines()]}


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run(retirees: int, *, seed: int, repeat: int, scalar_sample: int | None, orm_sample: int = 5_000,
        pg_url: str | None = None, databases: bool = True) -> dict[str, Any]:
    code = code_version()
    params = default_parameters()
    started = time.perf_counter()
    periods, people = generate(retirees, seed=seed)
    generated = time.perf_counter() - started
    ours, ours_seconds = best_of(lambda: compute_batch(periods, people, params), repeat)
    ids = people["person_id"].to_list()
    sample = ids if scalar_sample is None or scalar_sample >= len(ids) else ids[:: max(1, len(ids) // scalar_sample)]
    started = time.perf_counter()
    scalar = run_scalar(periods, people, params, sample)
    scalar_seconds = time.perf_counter() - started
    scaled = scalar_seconds * len(ids) / len(sample)
    ours_rows = {row[0]: tuple(row[1:]) for row in ours.select("person_id", *COLUMNS).iter_rows()}
    differing = [pid for pid in sample if ours_rows[pid] != scalar[pid]]
    in_memory_rss = peak_rss_mb()
    database: dict[str, Any] = {}
    if databases:
        from benchmarks import w2_database

        database = w2_database.run_databases(periods, people, params, ours, seed=seed, repeat=repeat,
                                             sample=orm_sample, pg_url=pg_url)
    return {
        "workload": "W2", "retirees": retirees, "periods": periods.height,
        "contribution_months": int(periods.select(
            ((pl.col("end").dt.year() - pl.col("start").dt.year()) * 12 + pl.col("end").dt.month().cast(pl.Int32)
             - pl.col("start").dt.month().cast(pl.Int32) + 1).sum()).item()),
        "eligible": int(ours["eligible"].sum()), "with_lump_sum": int((ours["lump_sum"] > 0).sum()),
        "seed": seed, "generate_seconds": round(generated, 2),
        "timing": f"best of {repeat} wall-clock runs for ours; the scalar loop once"
                  + ("" if len(sample) == len(ids) else f", on {len(sample)} retirees, scaled to all"),
        "alternatives": {
            "ours": {"seconds": round(ours_seconds, 3)},
            "scalar_loop": {"seconds": round(scaled, 3), "measured_on": len(sample),
                            "ratio_to_ours": round(scaled / ours_seconds, 1)},
        },
        "compared": len(sample), "differing": len(differing), "first_differing": differing[:5],
        "database": database,
        "peak_rss_mb": peak_rss_mb(), "peak_rss_mb_before_database": in_memory_rss,
        "peak_rss_note": "getrusage ru_maxrss of this one process: the in-memory part, then the highest over"
                         " everything (the database runs add their reads, the ORM session and the drivers)",
        "target": "ours at least 50x faster than the ORM loop (BENCHMARKS.md), end to end on each database;"
                  " the ORM loop is measured on a sample and scaled linearly",
        "machine": machine(), "code": code,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--retirees", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20260102)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scalar-sample", type=int, default=None, help="time the scalar loop on this many only")
    parser.add_argument("--orm-sample", type=int, default=5_000, help="time the ORM loop on this many, scaled")
    parser.add_argument("--pg-url", default=os.environ.get("ANSINH_BENCH_PG_URL", DEFAULT_PG_URL),
                        help="server for the scratch PostgreSQL database ('' skips PostgreSQL)")
    parser.add_argument("--no-database", action="store_true", help="only the in-memory comparison")
    parser.add_argument("--output", type=Path, default=RESULTS / "W2.json")
    args = parser.parse_args(argv)
    report = run(args.retirees, seed=args.seed, repeat=args.repeat, scalar_sample=args.scalar_sample,
                 orm_sample=args.orm_sample, pg_url=args.pg_url, databases=not args.no_database)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps({k: report[k] for k in ("retirees", "alternatives", "compared", "differing")}, indent=2))
    database_differing = sum(entry.get("differing", 0) + entry.get("written_differing_from_in_memory", 0)
                             for entry in report["database"].values())
    return 0 if report["differing"] == 0 and database_differing == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
