"""W1: monthly contribution assessment, side by side with its alternatives.

5 M employee-months (seeded, reproducible) -> bases clamped to floor and ceilings, every
share at the rates in force in the month, rounded half up to the đồng, summed per employer
and month (employer, employee and State totals). Alternatives, run in this one process on
the same rows:

- ``ours``: :func:`ansinh.rules.contribution_batch.compute_batch` and a Polars group_by;
- ``numpy``: the limit, one vectorised pass over parameter arrays gathered by index;
- ``postgresql``: set-based SQL (``INSERT … SELECT`` joined to a law table) in a scratch
  database, rows loaded first with COPY (timed apart);
- ``openfisca_float32``/``openfisca_int``: an ``openfisca-core`` tax-benefit system with the
  same formulas, by default (float32) and with integer amounts (and float64 totals);
- ``duckdb``: the same SQL over the Polars frame, when duckdb is installed.

Run: ``python -m benchmarks.w1_contributions --rows 5000000``; writes
``benchmarks/results/W1.json`` and prints a table.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import platform
import resource
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from ansinh.law import default_parameters
from ansinh.law.params import ParameterSet
from ansinh.rules.contribution_batch import compute_batch, share_column
from ansinh.rules.contribution_law import (
    COMPULSORY_SHARES,
    MINIMUM_WAGE_KEY,
    REDUCED_WORK_INJURY_KEY,
    Sector,
    compulsory_limits,
    rate,
    rate_key,
)

MONTHS: tuple[dt.date, ...] = tuple(dt.date(2024 + i // 12, i % 12 + 1, 1) for i in range(36))
REDUCED_FROM = dt.date(2020, 7, 15)
PAYERS = ("employer", "employee", "state")
TOTALS = tuple(f"{payer}_total" for payer in PAYERS)
SECTORS = (Sector.ENTERPRISE.value, Sector.STATE.value)
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
RESULTS = Path(__file__).parent / "results"


# --------------------------------------------------------------------------- data


@dataclass
class Data:
    """The employee-months as NumPy columns (``month`` is an index into :data:`MONTHS`)."""

    employer: np.ndarray  # int32, 0 … employers-1
    month: np.ndarray  # int16 index into MONTHS
    salary: np.ndarray  # int64 đồng
    region: np.ndarray  # int8, 1 … 4
    state: np.ndarray  # bool: State pay scale
    reduced: np.ndarray  # bool: reduced work-injury rate

    def __len__(self) -> int:
        return len(self.salary)

    def frame(self) -> pl.DataFrame:
        """The rows as ``compute_batch`` takes them, with the employer id."""
        month_days = np.array(MONTHS, dtype="datetime64[D]")[self.month]
        return pl.DataFrame({
            "employer_id": self.employer,
            "month": month_days,
            "salary": self.salary,
            "region": self.region,
            "sector": np.where(self.state, SECTORS[1], SECTORS[0]),
            "reduced_work_injury": self.reduced,
        }).with_columns(pl.col("month").cast(pl.Date))


def generate(rows: int, *, seed: int = 20260101, employers: int = 100_000,
             params: ParameterSet | None = None) -> Data:
    """``rows`` employee-months over 2024-01 … 2026-12 for ``employers`` employers.

    Employers have a region (1-4), a sector (about 10 % on the State pay scale) and about 5 %
    the reduced work-injury rate; their sizes follow a Pareto law (most small, a few with
    tens of thousands of rows). Salaries are lognormal around the region's minimum wage in
    the month, with 2 % drawn from a far higher tail: some rows fall below the floor, some
    above the SI/HI and UI ceilings.
    """
    params = params or default_parameters()
    rng = np.random.default_rng(seed)
    emp_region = rng.choice(np.arange(1, 5, dtype=np.int8), size=employers, p=[0.3, 0.25, 0.25, 0.2])
    emp_state = rng.random(employers) < 0.10
    emp_reduced = rng.random(employers) < 0.05
    weights = rng.pareto(1.1, employers) + 1.0
    employer = rng.choice(employers, size=rows, p=weights / weights.sum()).astype(np.int32)
    month = rng.integers(0, len(MONTHS), size=rows, dtype=np.int16)
    region = emp_region[employer]
    minimum_wage = np.array(
        [[int(params.value_at(MINIMUM_WAGE_KEY.format(region=r), m)) for r in range(1, 5)] for m in MONTHS],
        dtype=np.int64,
    )
    factor = rng.lognormal(0.6, 0.55, size=rows)
    tail = rng.random(rows) < 0.02
    factor[tail] = rng.lognormal(2.5, 0.8, size=int(tail.sum()))
    salary = np.rint(minimum_wage[month, region - 1] * factor).astype(np.int64)
    month_dates = np.array(MONTHS, dtype="datetime64[D]")
    reduced = emp_reduced[employer] & (month_dates[month] >= np.datetime64(REDUCED_FROM))
    return Data(employer=employer, month=month, salary=salary, region=region,
                state=emp_state[employer], reduced=reduced)


# --------------------------------------------------------------------------- law


def combination_index(month: np.ndarray, region: np.ndarray, state: np.ndarray, reduced: np.ndarray) -> np.ndarray:
    """Index of each row's (month, region, sector, reduced) in the :class:`Law` arrays."""
    index = month.astype(np.int32) * 4 + (region.astype(np.int32) - 1)
    index = index * 2 + state
    result: np.ndarray = index * 2 + reduced
    return result


@dataclass
class Law:
    """Floors, ceilings and each share's rate p/q for every (month, region, sector, reduced)."""

    floor: np.ndarray
    ceiling: dict[str, np.ndarray]  # by base: si, hi, ui
    p: dict[str, np.ndarray]  # by share column
    q: dict[str, np.ndarray]
    combinations: list[tuple[int, int, bool, bool]] = field(default_factory=list)

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """One tuple per combination: month, region, sector, reduced, floor, ceilings, p/q per share."""
        for i, (m, r, state, reduced) in enumerate(self.combinations):
            rates = [v for c in self.share_columns() for v in (int(self.p[c][i]), int(self.q[c][i]))]
            yield (MONTHS[m], r, SECTORS[state], reduced, int(self.floor[i]),
                   *(int(self.ceiling[b][i]) for b in ("si", "hi", "ui")), *rates)

    @staticmethod
    def share_columns() -> list[str]:
        return [share_column(s.payer, s.fund) for s in COMPULSORY_SHARES]


def build_law(params: ParameterSet) -> Law:
    """The parameter arrays, read through the same law functions the scalar calculator uses."""
    combinations = [(m, r, s, red) for m in range(len(MONTHS)) for r in range(1, 5) for s in (False, True)
                    for red in (False, True)]
    size = len(combinations)
    floor = np.zeros(size, dtype=np.int64)
    ceiling = {b: np.zeros(size, dtype=np.int64) for b in ("si", "hi", "ui")}
    columns = Law.share_columns()
    p = {c: np.zeros(size, dtype=np.int64) for c in columns}
    q = {c: np.ones(size, dtype=np.int64) for c in columns}
    for i, (m, r, state, reduced) in enumerate(combinations):
        month = MONTHS[m]
        limits = compulsory_limits(params, month, region=r, sector=Sector(SECTORS[state]))
        floor[i] = limits.floor
        ceiling["si"][i], ceiling["hi"][i], ceiling["ui"][i] = limits.si_ceiling, limits.hi_ceiling, limits.ui_ceiling
        for share, column in zip(COMPULSORY_SHARES, columns, strict=True):
            value = rate(params, rate_key(share, reduced_work_injury=reduced, sector=Sector(SECTORS[state])), month)
            p[column][i], q[column][i] = value.numerator, value.denominator
    return Law(floor=floor, ceiling=ceiling, p=p, q=q, combinations=combinations)


# --------------------------------------------------------------------------- results


@dataclass
class Totals:
    """Per employer and month (sorted by employer, then month): the three payers' totals."""

    employer: np.ndarray
    month: np.ndarray
    amounts: dict[str, np.ndarray]  # by TOTALS, int64 (float for OpenFisca's own output)

    @classmethod
    def from_frame(cls, frame: pl.DataFrame) -> Totals:
        frame = frame.sort(["employer_id", "month_index"])
        return cls(employer=frame["employer_id"].to_numpy().astype(np.int32),
                   month=frame["month_index"].to_numpy().astype(np.int16),
                   amounts={t: frame[t].to_numpy() for t in TOTALS})


def compare(result: Totals, exact: Totals) -> dict[str, Any]:
    """How many per-employer amounts differ from ``exact`` and by how much at most (đồng)."""
    if not (np.array_equal(result.employer, exact.employer) and np.array_equal(result.month, exact.month)):
        return {"same_groups": False, "amounts": 3 * len(exact.employer), "differing": None, "max_difference": None}
    differing = 0
    largest = 0.0
    for total in TOTALS:
        difference = np.abs(result.amounts[total].astype(np.float64) - exact.amounts[total].astype(np.float64))
        differing += int(np.count_nonzero(difference))
        largest = max(largest, float(difference.max(initial=0.0)))
    return {"same_groups": True, "amounts": 3 * len(exact.employer), "differing": differing,
            "max_difference": largest}


# --------------------------------------------------------------------------- (a) ours


def prepare_ours(data: Data) -> pl.DataFrame:
    return data.frame()


PACK = 1 << 16  # months as days since 1970 fit below 2**16 until 2149


def sum_per_employer(computed: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """The payer totals summed per employer and month.

    The two keys are packed into one integer (employer × 2**16 + day number of the month):
    Polars groups one Int64 key about 2.5x faster than the pair (see ``profile_seconds``).
    """
    key = pl.col("employer_id").cast(pl.Int64) * PACK + pl.col("month").cast(pl.Int32)
    return (computed.lazy().group_by(key=key).agg(pl.col(t).sum() for t in TOTALS)
            .with_columns(employer_id=(pl.col("key") // PACK).cast(pl.Int32),
                          month=(pl.col("key") % PACK).cast(pl.Int32).cast(pl.Date))
            .drop("key").collect())


def run_ours(frame: pl.DataFrame, params: ParameterSet) -> pl.DataFrame:
    """compute_batch, then the totals per employer and month."""
    return sum_per_employer(compute_batch(frame, params))


def ours_totals(result: pl.DataFrame) -> Totals:
    first = pl.lit(MONTHS[0])
    month_index = ((pl.col("month").dt.year() - first.dt.year()) * 12 + pl.col("month").dt.month() - 1)
    return Totals.from_frame(result.with_columns(month_index=month_index))


def run_polars_sketch(frame: pl.DataFrame, params: ParameterSet) -> pl.DataFrame:
    """Not ours: a sketch of what ``compute_batch`` could become for the national run.

    Same input frame and same rules, but the law is found by an integer combination index
    and gathered (no ``unique`` + join), identical shares are computed once, only the payer
    totals are kept (each share still rounded on its own), in one lazy plan with the packed
    group_by key. The law arrays are built inside the timing, as ours builds its law table.
    """
    law = build_law(params)
    first = MONTHS[0]
    month = ((pl.col("month").dt.year().cast(pl.Int32) - first.year) * 12
             + pl.col("month").dt.month().cast(pl.Int32) - first.month)
    index = ((month * 4 + pl.col("region").cast(pl.Int32) - 1) * 2
             + (pl.col("sector") == SECTORS[1]).cast(pl.Int32)) * 2 + pl.col("reduced_work_injury").cast(pl.Int32)

    def gather(values: np.ndarray) -> pl.Expr:
        return pl.lit(pl.Series(values)).gather(pl.col("law_index"))

    plan = frame.lazy().with_columns(law_index=index).with_columns(
        raised=pl.max_horizontal(pl.col("salary"), gather(law.floor)))
    plan = plan.with_columns(**{f"{b}_base": pl.min_horizontal(pl.col("raised"), gather(law.ceiling[b]))
                                for b in ("si", "hi", "ui")})
    amounts: dict[str, list[pl.Expr]] = {payer: [] for payer in PAYERS}
    for base, column, payers in distinct_shares(law):
        p, q = gather(law.p[column]), gather(law.q[column])
        amount = (2 * pl.col(f"{base}_base") * p + q) // (2 * q)
        for payer in payers:
            amounts[payer].append(amount)
    plan = plan.with_columns(**{f"{payer}_total": pl.sum_horizontal(a) for payer, a in amounts.items()})
    return sum_per_employer(plan.select("employer_id", "month", *TOTALS))


def profile_ours(frame: pl.DataFrame, params: ParameterSet, repeat: int) -> dict[str, float]:
    """Where ours spends its time: compute_batch, then the group_by (best of ``repeat``)."""

    def best(function: Callable[[], Any]) -> tuple[Any, float]:
        measured = measure(function, repeat)
        return measured.result, round(measured.seconds, 4)

    computed, whole = best(lambda: compute_batch(frame, params))
    _, two_keys = best(lambda: computed.group_by("employer_id", "month").agg(pl.col(t).sum() for t in TOTALS))
    _, packed = best(lambda: sum_per_employer(computed))
    return {"compute_batch": whole, "group_by_packed_key": packed, "group_by_two_keys": two_keys,
            "compute_batch_output_mb": round(computed.estimated_size() / 2**20, 1)}


# --------------------------------------------------------------------------- (b) numpy


def distinct_shares(law: Law) -> list[tuple[str, str, list[str]]]:
    """(base, share column, payers) for each distinct computation: shares on the same base
    with the same rate in every combination (the three 1 % UI shares) are computed once."""
    distinct: list[tuple[str, str, list[str]]] = []
    for share in COMPULSORY_SHARES:
        column = share_column(share.payer, share.fund)
        for base, other, payers in distinct:
            if (base == share.base.value and np.array_equal(law.p[other], law.p[column])
                    and np.array_equal(law.q[other], law.q[column])):
                payers.append(share.payer)
                break
        else:
            distinct.append((share.base.value, column, [share.payer]))
    return distinct


def _payer_amounts(data: Data, law: Law, rows: slice, out: dict[str, np.ndarray]) -> None:
    """Each payer's amount for ``rows``, written into ``out``."""
    k = combination_index(data.month[rows], data.region[rows], data.state[rows], data.reduced[rows])
    raised = np.maximum(data.salary[rows], law.floor[k])
    twice = {}
    for b in ("si", "hi", "ui"):
        base = np.minimum(raised, law.ceiling[b][k])
        base *= 2
        twice[b] = base
    for payer in PAYERS:
        out[payer][rows] = 0
    for base, column, payers in distinct_shares(law):
        amount = twice[base] * law.p[column][k]
        q = law.q[column][k]
        amount += q
        q *= 2
        amount //= q
        for payer in payers:
            out[payer][rows] += amount


def run_numpy(data: Data, law: Law, employers: int, threads: int = 1) -> Totals:
    """One vectorised pass: gather the parameters by index, clamp, shares, payer totals, bincount.

    With ``threads`` > 1 the rows are cut into that many slices computed in threads (NumPy
    releases the GIL in its loops); the sums per employer stay one bincount.
    """
    n = len(data)
    payer_totals = {payer: np.empty(n, dtype=np.int64) for payer in PAYERS}
    if threads <= 1:
        _payer_amounts(data, law, slice(0, n), payer_totals)
    else:
        from concurrent.futures import ThreadPoolExecutor

        step = -(-n // threads)
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(lambda start: _payer_amounts(data, law, slice(start, start + step), payer_totals),
                          range(0, n, step)))
    group = data.employer.astype(np.int64) * len(MONTHS) + data.month
    size = employers * len(MONTHS)
    present = np.flatnonzero(np.bincount(group, minlength=size))
    # float64 sums of integers are exact below 2**53 (a whole country's month is ~1e14 đồng)
    amounts = {f"{payer}_total": np.bincount(group, weights=payer_totals[payer], minlength=size)[present]
               .astype(np.int64) for payer in PAYERS}
    return Totals(employer=(present // len(MONTHS)).astype(np.int32),
                  month=(present % len(MONTHS)).astype(np.int16), amounts=amounts)


# --------------------------------------------------------------------------- (c) SQL


LAW_COLUMNS_SQL = ["month date", "region smallint", "sector text", "reduced_work_injury boolean", "floor bigint",
                   "si_ceiling bigint", "hi_ceiling bigint", "ui_ceiling bigint"] + [
    f"{c}_{x} bigint" for c in Law.share_columns() for x in ("p", "q")]


def assessment_sql(rows: str, law: str, *, integer_division: str = "/") -> str:
    """``SELECT`` of the totals per employer and month: join the law, clamp, shares, sum."""
    shares: dict[str, list[str]] = {payer: [] for payer in PAYERS}
    for share in COMPULSORY_SHARES:
        c = share_column(share.payer, share.fund)
        shares[share.payer].append(
            f"(2 * {share.base.value}_base * {c}_p + {c}_q) {integer_division} (2 * {c}_q)")
    rates = ", ".join(f"l.{c}_{x}" for c in Law.share_columns() for x in ("p", "q"))
    sums = ",\n  ".join(f"sum({' + '.join(shares[payer])})::bigint AS {payer}_total" for payer in PAYERS)
    return f"""
SELECT employer_id, month,
  {sums}
FROM (
  SELECT r.employer_id, r.month, {rates},
    least(greatest(r.salary, l.floor), l.si_ceiling) AS si_base,
    least(greatest(r.salary, l.floor), l.hi_ceiling) AS hi_base,
    least(greatest(r.salary, l.floor), l.ui_ceiling) AS ui_base
  FROM {rows} r JOIN {law} l
    ON l.month = r.month AND l.region = r.region AND l.sector = r.sector
   AND l.reduced_work_injury = r.reduced_work_injury
) AS assessed
GROUP BY employer_id, month"""


def psycopg_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@contextlib.contextmanager
def scratch_database(url: str) -> Iterator[str]:
    """A fresh database on the server of ``url``, dropped afterwards; yields its URL."""
    import psycopg

    base = psycopg_url(url)
    name = f"ansinh_bench_w1_{os.getpid()}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def postgres_reachable(url: str = DEFAULT_PG_URL) -> bool:
    try:
        import psycopg

        with psycopg.connect(psycopg_url(url), connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except Exception:
        return False
    return True


def sql_load(connection: Any, frame: pl.DataFrame, law: Law) -> None:
    """Create the tables; COPY the rows (as CSV) and the law table in; ANALYZE."""
    connection.execute("CREATE TABLE w1_rows (employer_id integer, month date, salary bigint, region smallint, "
                       "sector text, reduced_work_injury boolean)")
    connection.execute(f"CREATE TABLE w1_law ({', '.join(LAW_COLUMNS_SQL)})")
    connection.execute("CREATE TABLE w1_result (employer_id integer, month date, employer_total bigint, "
                       "employee_total bigint, state_total bigint)")
    buffer = io.BytesIO()
    frame.select("employer_id", "month", "salary", "region", "sector", "reduced_work_injury").write_csv(
        buffer, include_header=False)
    view = buffer.getbuffer()
    chunk = 1 << 20
    with connection.cursor() as cursor:
        with cursor.copy("COPY w1_rows FROM STDIN (FORMAT csv)") as copy:
            for start in range(0, len(view), chunk):
                copy.write(view[start:start + chunk])
        with cursor.copy("COPY w1_law FROM STDIN") as copy:
            for row in law.rows():
                copy.write_row(row)
    del view
    connection.execute("ANALYZE w1_rows")
    connection.execute("ANALYZE w1_law")
    connection.commit()


def sql_assess(connection: Any) -> None:
    connection.execute("TRUNCATE w1_result")
    connection.commit()
    connection.execute(f"INSERT INTO w1_result {assessment_sql('w1_rows', 'w1_law')}")
    connection.commit()


def sql_totals(connection: Any) -> Totals:
    with connection.cursor() as cursor:
        cursor.execute("SELECT employer_id, (extract(year FROM month)::int - 2024) * 12"
                       " + extract(month FROM month)::int - 1, employer_total, employee_total, state_total"
                       " FROM w1_result")
        rows = cursor.fetchall()
    frame = pl.DataFrame(rows, schema=["employer_id", "month_index", *TOTALS], orient="row")
    return Totals.from_frame(frame)


# --------------------------------------------------------------------------- (d) OpenFisca


def _regional(node: Any, region: np.ndarray) -> np.ndarray:
    return np.select([region == r for r in range(1, 5)], [node[f"region_{r}"] for r in range(1, 5)])


def _limits(person: Any, period: Any, parameters: Any) -> tuple[np.ndarray, ...]:
    law = parameters(period).w1
    region = person("region", period)
    state = person("state_scale", period)
    minimum_wage = _regional(law.minimum_wage, region)
    floor = np.where(law.floor_is_reference_level, law.base_salary, np.where(state, 0, minimum_wage))
    state_on_base_salary = np.logical_and(state, np.logical_not(law.state_ui_on_minimum_wage))
    ui_ceiling_basis = np.where(state_on_base_salary, law.base_salary, minimum_wage)
    return (floor, law.si_ceiling_multiple * law.base_salary, law.hi_ceiling_multiple * law.base_salary,
            law.ui_ceiling_multiple * ui_ceiling_basis)


def _base_formula(which: int) -> Callable[..., np.ndarray]:
    def formula(person: Any, period: Any, parameters: Any) -> np.ndarray:
        floor, *ceilings = _limits(person, period, parameters)
        base: np.ndarray = np.minimum(np.maximum(person("salary", period), floor), ceilings[which])
        return base
    return formula


def _share_formula(share: Any, column: str, *, exact: bool) -> Callable[..., np.ndarray]:
    def formula(person: Any, period: Any, parameters: Any) -> np.ndarray:
        rates = parameters(period).w1.rates
        base = person(f"{share.base.value}_base", period)
        p, q = rates[f"{column}_p"], rates[f"{column}_q"]
        if share.fund == "work_injury":
            reduced = person("reduced_work_injury", period)
            p = np.where(reduced, rates["employer_work_injury_reduced_p"], p)
            q = np.where(reduced, rates["employer_work_injury_reduced_q"], q)
        if exact:
            amount: np.ndarray = (2 * base.astype(np.int64) * p + q) // (2 * q)
        else:
            amount = np.floor(base * (p / q) + 0.5)
        return amount
    return formula


def _payer_formula(payer: str) -> Callable[..., np.ndarray]:
    columns = [share_column(s.payer, s.fund) for s in COMPULSORY_SHARES if s.payer == payer]

    def formula(person: Any, period: Any) -> np.ndarray:
        total: np.ndarray = sum(person(c, period) for c in columns)
        return total
    return formula


def _group_formula(payer: str) -> Callable[..., np.ndarray]:
    def formula(group: Any, period: Any) -> np.ndarray:
        total: np.ndarray = group.sum(group.members(f"employee_{payer}_total", period))
        return total
    return formula


def openfisca_system(params: ParameterSet, *, exact: bool) -> Any:
    """A one-person-entity (plus employer group) tax-benefit system with W1's formulas.

    Parameters come from our values month by month. ``exact=False`` is what an OpenFisca
    model would write (float rates, ``value_type = float`` i.e. float32, round half up with
    ``floor(x + 0.5)``); ``exact=True`` uses integer rates p/q and ``value_type = int``
    amounts (int32) and float64 employer totals (the dtype set by hand: OpenFisca has no
    float64 value type).
    """
    from openfisca_core import periods
    from openfisca_core.entities import build_entity
    from openfisca_core.model_api import Variable
    from openfisca_core.parameters import ParameterNode
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem

    employee = build_entity(key="employee", plural="employees", label="Employee-month", is_person=True)
    employer = build_entity(key="employer", plural="employers", label="Employer",
                            roles=[{"key": "worker", "plural": "workers", "label": "Worker"}])
    system = TaxBenefitSystem([employee, employer])
    system.parameters = ParameterNode("", data=_openfisca_parameters(params))
    kind = int if exact else float

    def variable(name: str, value_type: type, formula: Callable[..., np.ndarray] | None = None,
                 entity: Any = employee) -> None:
        attributes = {"value_type": value_type, "entity": entity, "definition_period": periods.DateUnit.MONTH,
                      "label": name}
        if formula is not None:
            attributes["formula"] = formula
        system.add_variable(type(name, (Variable,), attributes))

    variable("salary", kind)
    variable("region", int)
    variable("state_scale", bool)
    variable("reduced_work_injury", bool)
    for which, name in enumerate(("si_base", "hi_base", "ui_base")):
        variable(name, kind, _base_formula(which))
    for share in COMPULSORY_SHARES:
        column = share_column(share.payer, share.fund)
        variable(column, kind, _share_formula(share, column, exact=exact))
    for payer in PAYERS:
        variable(f"employee_{payer}_total", kind, _payer_formula(payer))
        variable(f"{payer}_total", float, _group_formula(payer), entity=employer)
        if exact:
            system.variables[f"{payer}_total"].dtype = np.float64
    return system


def _rate_part(params: ParameterSet, key: str, part: str, month: dt.date) -> int:
    return int(getattr(rate(params, key, month), part))


def _openfisca_parameters(params: ParameterSet) -> dict[str, Any]:
    """Our parameters as an OpenFisca parameter tree, one dated value per month of the run."""

    def series(value: Callable[[dt.date], Any]) -> dict[str, Any]:
        return {"values": {m.isoformat(): {"value": value(m)} for m in MONTHS}}

    def num(key: str) -> Callable[[dt.date], int]:
        return lambda m: int(params.value_at(key, m))

    rates: dict[str, Any] = {}
    for share in COMPULSORY_SHARES:
        column = share_column(share.payer, share.fund)
        rates[f"{column}_p"] = series(partial(_rate_part, params, share.rate_key, "numerator"))
        rates[f"{column}_q"] = series(partial(_rate_part, params, share.rate_key, "denominator"))
    rates["employer_work_injury_reduced_p"] = series(lambda m: rate(params, REDUCED_WORK_INJURY_KEY, m).numerator)
    rates["employer_work_injury_reduced_q"] = series(lambda m: rate(params, REDUCED_WORK_INJURY_KEY, m).denominator)
    return {"w1": {
        "base_salary": series(num("si.base_salary")),
        "minimum_wage": {f"region_{r}": series(num(MINIMUM_WAGE_KEY.format(region=r))) for r in range(1, 5)},
        "floor_is_reference_level": series(lambda m: params.value_at("si.base.floor_basis", m) == "reference_level"),
        "state_ui_on_minimum_wage": series(
            lambda m: params.value_at("ui.base.ceiling_basis_state_scale", m) == "regional_minimum_wage"),
        "si_ceiling_multiple": series(num("si.base.ceiling_multiple")),
        "hi_ceiling_multiple": series(num("hi.base.ceiling_multiple")),
        "ui_ceiling_multiple": series(num("ui.base.ceiling_multiple")),
        "rates": rates,
    }}


@dataclass
class OpenFiscaInput:
    """The rows split by month (an OpenFisca simulation computes one period at a time)."""

    months: list[tuple[int, dict[str, np.ndarray], np.ndarray, np.ndarray]]


def prepare_openfisca(data: Data) -> OpenFiscaInput:
    order = np.argsort(data.month, kind="stable")
    bounds = np.searchsorted(data.month[order], np.arange(len(MONTHS) + 1))
    months = []
    for m in range(len(MONTHS)):
        rows = order[bounds[m]:bounds[m + 1]]
        employer = data.employer[rows]
        months.append((m, {"salary": data.salary[rows], "region": data.region[rows].astype(np.int32),
                           "state_scale": data.state[rows], "reduced_work_injury": data.reduced[rows]},
                       employer, np.unique(employer)))
    return OpenFiscaInput(months=months)


def run_openfisca(system: Any, prepared: OpenFiscaInput) -> list[tuple[int, np.ndarray, dict[str, np.ndarray]]]:
    """One simulation per month, built with the SimulationBuilder from the arrays."""
    from openfisca_core.simulations import SimulationBuilder

    out = []
    for m, inputs, employer, employer_ids in prepared.months:
        builder = SimulationBuilder()
        builder.create_entities(system)
        builder.declare_person_entity("employee", np.arange(len(employer)))
        group = builder.declare_entity("employer", employer_ids)
        builder.join_with_persons(group, employer, np.zeros(len(employer), dtype=np.int64))
        simulation = builder.build(system)
        period = MONTHS[m].strftime("%Y-%m")
        for name, values in inputs.items():
            simulation.set_input(name, period, values)
        out.append((m, employer_ids, {t: simulation.calculate(t, period) for t in TOTALS}))
    return out


def openfisca_totals(result: list[tuple[int, np.ndarray, dict[str, np.ndarray]]]) -> Totals:
    frames = [pl.DataFrame({"employer_id": ids, "month_index": np.full(len(ids), m, dtype=np.int16),
                            **{t: np.asarray(v) for t, v in amounts.items()}}) for m, ids, amounts in result]
    return Totals.from_frame(pl.concat(frames, how="vertical_relaxed"))


# --------------------------------------------------------------------------- (e) DuckDB


def duckdb_available() -> bool:
    try:
        import duckdb  # noqa: F401
    except ImportError:
        return False
    return True


def prepare_duckdb(frame: pl.DataFrame, law: Law) -> Any:
    import duckdb

    connection = duckdb.connect()
    law_frame = pl.DataFrame(list(law.rows()), schema=[c.split()[0] for c in LAW_COLUMNS_SQL], orient="row")
    law_frame = law_frame.with_columns(pl.col("region").cast(pl.Int8))
    connection.register("w1_rows", frame.to_arrow())
    connection.register("w1_law", law_frame.to_arrow())
    return connection


def run_duckdb(connection: Any) -> Any:
    return connection.sql(assessment_sql("w1_rows", "w1_law", integer_division="//")).to_arrow_table()


def duckdb_totals(result: Any) -> Totals:
    frame = pl.from_arrow(result)
    assert isinstance(frame, pl.DataFrame)  # noqa: S101
    return ours_totals(frame)


# --------------------------------------------------------------------------- scalar check


def scalar_check(data: Data, params: ParameterSet, frame_result: pl.DataFrame, sample: int, seed: int) -> int:
    """Rows of ``compute_batch``'s output that disagree with the scalar calculator on a sample."""
    from ansinh.rules.contribution import ContributionCase, compute

    rng = np.random.default_rng(seed)
    rows = rng.choice(len(data), size=min(sample, len(data)), replace=False)
    wrong = 0
    for i in rows:
        case = ContributionCase(month=MONTHS[int(data.month[i])], salary=int(data.salary[i]),
                                region=int(data.region[i]), sector=Sector(SECTORS[int(data.state[i])]),
                                reduced_work_injury_rate=bool(data.reduced[i]))
        result = compute(case, params)
        row = frame_result.row(int(i), named=True)
        if row["salary"] != case.salary or row["employer_id"] != data.employer[i]:
            wrong += 1  # compute_batch must keep the rows in order
            continue
        for share in COMPULSORY_SHARES:
            if result.shares[share.payer][share.fund] != row[share_column(share.payer, share.fund)]:
                wrong += 1
                break
    return wrong


# --------------------------------------------------------------------------- measuring


class PeakRss:
    """Samples this process's resident memory every few ms; ``peak`` is the highest seen."""

    def __init__(self, interval: float = 0.005) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._page = os.sysconf("SC_PAGE_SIZE")

    def current(self) -> int:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * self._page

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.current())
            time.sleep(self.interval)

    def __enter__(self) -> PeakRss:
        self.peak = self.current()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.current())


@dataclass
class Measured:
    result: Any
    seconds: float  # best wall time
    cpu_seconds: float  # this process's CPU time (all threads) in that run
    peak: int  # peak RSS during the runs, bytes
    before: int  # RSS before the runs


def measure(function: Callable[[], Any], repeat: int) -> Measured:
    """Best wall time of ``repeat`` runs (and its CPU time), the last result, peak RSS."""
    best = (float("inf"), 0.0)
    result = None
    with PeakRss() as rss:
        before = rss.current()
        for _ in range(repeat):
            result = None
            cpu = time.process_time()
            start = time.perf_counter()
            result = function()
            wall = time.perf_counter() - start
            best = min(best, (wall, time.process_time() - cpu))
    return Measured(result, best[0], best[1], rss.peak, before)


def measure_rounds(functions: dict[str, Callable[[], Any]], repeat: int) -> dict[str, Measured]:
    """Like :func:`measure` for several alternatives, run in turn ``repeat`` rounds so that a
    burst of load on the shared machine falls on all of them rather than on one."""
    results: dict[str, Measured] = {}
    for _ in range(repeat):
        for name, function in functions.items():
            if name in results:
                results[name].result = None
            one = measure(function, 1)
            if name not in results:
                results[name] = one
                continue
            kept = results[name]
            kept.result = one.result
            kept.peak = max(kept.peak, one.peak)
            if one.seconds < kept.seconds:
                kept.seconds, kept.cpu_seconds = one.seconds, one.cpu_seconds
    return results


MEMORY_ALTERNATIVES = ("numpy", "numpy_threads", "ours", "polars_sketch", "duckdb", "openfisca_float32",
                       "openfisca_int")


def memory_of(name: str, rows: int, *, seed: int, employers: int) -> dict[str, float]:
    """In this (fresh) process: generate the rows, prepare ``name``'s input, run it once;
    peak RSS during the run and the RSS just before it (MB)."""
    import gc

    params = default_parameters()
    data = generate(rows, seed=seed, employers=employers, params=params)
    law = build_law(params)
    if name.startswith("numpy"):
        threads = (os.cpu_count() or 1) if name == "numpy_threads" else 1
        function: Callable[[], Any] = lambda: run_numpy(data, law, employers, threads=threads)  # noqa: E731
    elif name.startswith("openfisca"):
        prepared = prepare_openfisca(data)
        system = openfisca_system(params, exact=name == "openfisca_int")
        function = lambda: run_openfisca(system, prepared)  # noqa: E731
    else:
        frame = prepare_ours(data)
        if name == "duckdb":
            connection = prepare_duckdb(frame, law)
            function = lambda: run_duckdb(connection)  # noqa: E731
        else:
            function = {"ours": lambda: run_ours(frame, params),
                        "polars_sketch": lambda: run_polars_sketch(frame, params)}[name]
    gc.collect()
    measured = measure(function, 1)
    return {"peak_rss_mb": _mb(measured.peak), "rss_increase_mb": _mb(measured.peak - measured.before),
            "input_rss_mb": _mb(measured.before)}


def memory_in_fresh_processes(rows: int, *, seed: int, employers: int, names: list[str]) -> dict[str, Any]:
    """:func:`memory_of` for each alternative, each in its own new Python process."""
    import subprocess

    out: dict[str, Any] = {}
    for name in names:
        completed = subprocess.run(  # noqa: S603 - our own module, fixed arguments
            [sys.executable, "-m", "benchmarks.w1_contributions", "--memory-of", name, "--rows", str(rows),
             "--seed", str(seed), "--employers", str(employers)],
            capture_output=True, text=True, check=True, cwd=Path(__file__).parent.parent)
        out[name] = json.loads(completed.stdout.strip().splitlines()[-1])
    return out


def machine() -> dict[str, Any]:
    return {"cpu_count": os.cpu_count(), "python": sys.version.split()[0], "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "numpy": np.__version__, "polars": pl.__version__}


# --------------------------------------------------------------------------- the run


@dataclass
class Entry:
    name: str
    seconds: float | None = None
    cpu_seconds: float | None = None
    peak_rss_mb: float | None = None
    rss_increase_mb: float | None = None
    check: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _mb(value: int) -> float:
    return round(value / 2**20, 1)


def _entry(name: str, measured: Measured, **kwargs: Any) -> Entry:
    return Entry(name, measured.seconds, measured.cpu_seconds, _mb(measured.peak),
                 _mb(measured.peak - measured.before), **kwargs)


def run(rows: int, *, seed: int = 20260101, employers: int = 100_000, repeat: int = 5,
        pg_url: str | None = DEFAULT_PG_URL, openfisca: bool = True, duckdb: bool = True,
        scalar_sample: int = 2000, log: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    params = default_parameters()
    start = time.perf_counter()
    data = generate(rows, seed=seed, employers=employers, params=params)
    log(f"generated {rows:,} rows in {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    law = build_law(params)
    law_seconds = time.perf_counter() - start
    entries: dict[str, Entry] = {}

    # the in-process alternatives, in rounds: (b) the limit (the exact answer everything is
    # compared to), the same on all cores, (a) ours, a sketch of ours improved, (e) DuckDB
    threads = os.cpu_count() or 1
    frame = prepare_ours(data)
    run_numpy(generate(1000, seed=seed, employers=100, params=params), law, 100)  # warm up
    run_ours(frame.head(1000), params)
    functions: dict[str, Callable[[], Any]] = {
        "numpy": lambda: run_numpy(data, law, employers),
        f"numpy_{threads}_threads": lambda: run_numpy(data, law, employers, threads=threads),
        "ours": lambda: run_ours(frame, params),
        "polars_sketch": lambda: run_polars_sketch(frame, params),
    }
    connection = prepare_duckdb(frame, law) if duckdb and duckdb_available() else None
    if connection is not None:
        functions["duckdb"] = lambda: run_duckdb(connection)
    measured = measure_rounds(functions, repeat)
    if connection is not None:
        connection.close()
    exact = measured["numpy"].result
    to_totals = {"ours": ours_totals, "polars_sketch": ours_totals, "duckdb": duckdb_totals}
    notes = {
        "numpy": f"the limit: one thread; parameter arrays built beforehand in {law_seconds:.3f} s",
        f"numpy_{threads}_threads": "the same pass over row slices in threads",
        "ours": "compute_batch (law lookup, join, per-share columns) + group_by on a packed key",
        "polars_sketch": "not ours: compute_batch rewritten as an index gather + lazy totals, to size the gains",
        "duckdb": "same SQL over the Polars frame (Arrow, zero copy)",
    }
    for name, one in measured.items():
        totals = to_totals.get(name, lambda t: t)(one.result)
        entries[name] = _entry(name, one, check=compare(totals, exact), note=notes[name])
        log(f"{name} {one.seconds:.3f} s")
    del measured, functions
    tracemalloc.start()
    run_ours(frame, params)
    entries["ours"].extra["tracemalloc_peak_mb"] = _mb(tracemalloc.get_traced_memory()[1])
    tracemalloc.stop()
    entries["ours"].extra["profile_seconds"] = profile_ours(frame, params, repeat)
    log(f"ours, step by step: {entries['ours'].extra['profile_seconds']}")
    if scalar_sample:
        detail = compute_batch(frame, params)
        wrong = scalar_check(data, params, detail, scalar_sample, seed)
        entries["ours"].check["scalar_sample"] = scalar_sample
        entries["ours"].check["scalar_disagreements"] = wrong
        del detail
        log(f"scalar calculator on {scalar_sample} rows: {wrong} disagreements")

    if openfisca:
        for entry in _openfisca_entries(data, params, exact, repeat):
            entries[entry.name] = entry
            log(f"{entry.name} {entry.seconds:.3f} s")
    if pg_url:
        entries["postgresql"] = _postgresql_entry(pg_url, frame, law, exact, repeat)
        log(f"postgresql {entries['postgresql'].seconds:.3f} s (COPY {entries['postgresql'].extra['copy_seconds']} s)")
    return _report(entries, rows=rows, employers=employers, seed=seed, repeat=repeat, exact=exact)


def _openfisca_entries(data: Data, params: ParameterSet, exact: Totals, repeat: int) -> list[Entry]:
    prepared = prepare_openfisca(data)
    entries = []
    for variant, is_exact in (("openfisca_float32", False), ("openfisca_int", True)):
        system = openfisca_system(params, exact=is_exact)
        measured = measure(partial(run_openfisca, system, prepared), repeat)
        entries.append(_entry(variant, measured, check=compare(openfisca_totals(measured.result), exact),
                             note=("value_type float (float32), float rates, floor(x + 0.5)" if not is_exact
                                   else "value_type int (int32) shares from p/q, float64 employer sums")))
    return entries


def _postgresql_entry(pg_url: str, frame: pl.DataFrame, law: Law, exact: Totals, repeat: int) -> Entry:
    import psycopg

    with scratch_database(pg_url) as url, psycopg.connect(url) as connection:
        start = time.perf_counter()
        sql_load(connection, frame, law)
        copy_seconds = time.perf_counter() - start
        measured = measure(lambda: sql_assess(connection), repeat)
        server = str((connection.execute("SHOW server_version").fetchone() or ("?",))[0])
        return _entry("postgresql", measured, check=compare(sql_totals(connection), exact),
                     extra={"copy_seconds": round(copy_seconds, 3), "server": server},
                     note="INSERT … SELECT joined to the law table; rows COPY'd first (CSV), timed apart")


def _report(entries: dict[str, Entry], *, rows: int, employers: int, seed: int, repeat: int,
            exact: Totals) -> dict[str, Any]:
    from ansinh.core import clock

    limit = entries["numpy"].seconds or 1.0
    return {
        "workload": "W1",
        "rows": rows,
        "employers": employers,
        "employer_months": len(exact.employer),
        "seed": seed,
        "repeat": repeat,
        "timing": f"best of {repeat} wall-clock runs (time.perf_counter), same process, in-process ones in rounds",
        "alternatives": {
            name: {
                "seconds": round(e.seconds, 4) if e.seconds is not None else None,
                "ratio_to_numpy": round(e.seconds / limit, 2) if e.seconds is not None else None,
                "client_cpu_seconds": round(e.cpu_seconds, 3) if e.cpu_seconds is not None else None,
                "amounts_differing": e.check.get("differing"),
                "max_difference_dong": e.check.get("max_difference"),
                "check": e.check,
                "in_run_peak_rss_mb": e.peak_rss_mb,
                "in_run_rss_increase_mb": e.rss_increase_mb,
                "note": e.note,
                **e.extra,
            }
            for name, e in entries.items()
        },
        "process_max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "machine": machine(),
        "run_at": clock.now().isoformat(timespec="seconds"),
    }


def table(report: dict[str, Any]) -> str:
    """The results as a Markdown table (the README shows the latest).

    Memory is from the alternative run alone in a fresh process when measured (``memory_alone``),
    else marked ``*`` and taken in the shared run (where allocators keep what others freed)."""

    def memory(a: dict[str, Any], key: str) -> str:
        if "memory_alone" in a:
            return f"{a['memory_alone'][key]:,.0f}"
        return f"{a['in_run_' + key]:,.0f}*"

    lines = [f"W1, {report['rows']:,} employee-months -> {report['employer_months']:,} employer-months; "
             f"{report['timing']}; {report['machine']['cpu_count']} CPUs",
             "",
             "| alternative | seconds | x NumPy | client CPU s | amounts differing | max difference (đồng) "
             "| peak RSS MB | RSS increase MB |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, a in report["alternatives"].items():
        differing = a["amounts_differing"]
        largest = a["max_difference_dong"]
        lines.append(f"| {name} | {a['seconds']:.3f} | {a['ratio_to_numpy']:.2f} | {a['client_cpu_seconds']:.2f} "
                     f"| {'?' if differing is None else f'{differing:,}'} "
                     f"| {'?' if largest is None else f'{largest:,.0f}'} "
                     f"| {memory(a, 'peak_rss_mb')} | {memory(a, 'rss_increase_mb')} |")
        if "copy_seconds" in a:
            lines.append(f"| (PostgreSQL COPY of the rows, apart) | {a['copy_seconds']:.3f} | | | | | | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--employers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pg-url", default=os.environ.get("ANSINH_BENCH_PG_URL", DEFAULT_PG_URL),
                        help="server for the SQL alternative ('' to skip)")
    parser.add_argument("--no-openfisca", action="store_true")
    parser.add_argument("--no-duckdb", action="store_true")
    parser.add_argument("--scalar-sample", type=int, default=2000)
    parser.add_argument("--output", type=Path, default=RESULTS / "W1.json")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak memory runs in fresh processes")
    parser.add_argument("--memory-of", choices=MEMORY_ALTERNATIVES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_of:
        print(json.dumps(memory_of(args.memory_of, args.rows, seed=args.seed, employers=args.employers)))
        return 0
    report = run(args.rows, seed=args.seed, employers=args.employers, repeat=args.repeat,
                 pg_url=args.pg_url or None, openfisca=not args.no_openfisca, duckdb=not args.no_duckdb,
                 scalar_sample=args.scalar_sample, log=lambda s: print(s, flush=True))
    if not args.no_memory:
        names = [n for n in MEMORY_ALTERNATIVES if n.replace("_threads", f"_{os.cpu_count() or 1}_threads")
                 in report["alternatives"]]
        memory = memory_in_fresh_processes(args.rows, seed=args.seed, employers=args.employers, names=names)
        for name, values in memory.items():
            report["alternatives"][name.replace("_threads", f"_{os.cpu_count() or 1}_threads")]["memory_alone"] = values
            print(f"{name}: {values}", flush=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    if args.output.exists():  # keep the end-to-end runs benchmarks.w1_database merged into the same file
        kept = json.loads(args.output.read_text(encoding="utf-8")).get("end_to_end")
        if kept is not None:
            report["end_to_end"] = kept
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(report))
    wrong = [n for n, a in report["alternatives"].items()
             if not n.startswith("openfisca") and a["amounts_differing"] != 0]
    if wrong or report["alternatives"]["ours"]["check"].get("scalar_disagreements"):
        print(f"MISMATCH: {', '.join(wrong) or 'scalar sample'} differ from the exact answer")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
