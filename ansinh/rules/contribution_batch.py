"""Compulsory contributions over a Polars frame: the national monthly run.

The frame has one row per employee-month: ``month`` (date, first of the month), ``salary``
(integer đồng), ``region`` (1-4), ``sector`` ("enterprise" or "state") and
``reduced_work_injury`` (bool). The law is looked up once per distinct (month, region,
sector, reduced) combination through the very functions the scalar calculator uses
(:func:`compulsory_limits`, :func:`rate_key`, :func:`rate`), joined onto the rows, and the
amounts computed in integer columns with the same half-up rounding as
:func:`ansinh.rules.money.apply_rate`: ``(2 × base × p + q) // (2 × q)`` for a rate p/q.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl

from ansinh.law.params import ParameterSet
from ansinh.rules.contribution_law import COMPULSORY_SHARES, Sector, compulsory_limits, rate, rate_key

KEYS = ["month", "region", "sector", "reduced_work_injury"]
INPUT_SCHEMA = {"month": pl.Date, "salary": pl.Int64, "region": pl.Int8, "sector": pl.Utf8,
                "reduced_work_injury": pl.Boolean}


def share_column(payer: str, fund: str) -> str:
    """Name of the output column of one payer's share of one fund, e.g. ``employer_health``."""
    return f"{payer}_{fund}"


def _law_row(params: ParameterSet, month: dt.date, region: int | None, sector: str, reduced: bool) -> dict[str, object]:
    limits = compulsory_limits(params, month, region=region, sector=Sector(sector))
    row: dict[str, object] = {
        "month": month, "region": region, "sector": sector, "reduced_work_injury": reduced,
        "floor": limits.floor, "si_ceiling": limits.si_ceiling, "hi_ceiling": limits.hi_ceiling,
        "ui_ceiling": limits.ui_ceiling,
    }
    for share in COMPULSORY_SHARES:
        share_rate = rate(params, rate_key(share, reduced_work_injury=reduced), month)
        column = share_column(share.payer, share.fund)
        row[f"{column}_p"], row[f"{column}_q"] = share_rate.numerator, share_rate.denominator
    return row


def law_table(params: ParameterSet, combinations: Iterable[tuple[dt.date, int | None, str, bool]]) -> pl.DataFrame:
    """Floors, ceilings and rates for each combination of month, region, sector and reduction."""
    rows = [_law_row(params, *combination) for combination in combinations]
    schema = {**{k: INPUT_SCHEMA[k] for k in KEYS}, "floor": pl.Int64, "si_ceiling": pl.Int64,
              "hi_ceiling": pl.Int64, "ui_ceiling": pl.Int64}
    for share in COMPULSORY_SHARES:
        column = share_column(share.payer, share.fund)
        schema[f"{column}_p"] = pl.Int64
        schema[f"{column}_q"] = pl.Int64
    return pl.DataFrame(rows, schema=schema, orient="row")


def compute_batch(frame: pl.DataFrame, params: ParameterSet) -> pl.DataFrame:
    """``frame`` with the bases (``si_base``, ``hi_base``, ``ui_base``), one column per share
    (``employer_retirement_survivor`` …), ``employer_total``, ``employee_total``,
    ``state_total`` and ``total``."""
    data = frame.cast({k: v for k, v in INPUT_SCHEMA.items() if k in frame.columns})
    combinations = data.select(KEYS).unique().rows()
    law = law_table(params, combinations)
    joined = data.join(law, on=KEYS, how="left", nulls_equal=True)
    salary = pl.col("salary")
    joined = joined.with_columns(
        si_base=pl.max_horizontal(salary, pl.col("floor")).clip(upper_bound=pl.col("si_ceiling")),
        hi_base=pl.max_horizontal(salary, pl.col("floor")).clip(upper_bound=pl.col("hi_ceiling")),
        ui_base=pl.max_horizontal(salary, pl.col("floor")).clip(upper_bound=pl.col("ui_ceiling")),
    )
    amounts = []
    for share in COMPULSORY_SHARES:
        column = share_column(share.payer, share.fund)
        p, q = pl.col(f"{column}_p"), pl.col(f"{column}_q")
        base = pl.col(f"{share.base.value}_base")
        amounts.append(((2 * base * p + q) // (2 * q)).alias(column))
    joined = joined.with_columns(amounts)
    totals = {
        f"{payer}_total": pl.sum_horizontal(
            [share_column(s.payer, s.fund) for s in COMPULSORY_SHARES if s.payer == payer]
        )
        for payer in ("employer", "employee", "state")
    }
    joined = joined.with_columns(**totals)
    joined = joined.with_columns(total=pl.col("employer_total") + pl.col("employee_total") + pl.col("state_total"))
    law_columns = [c for c in law.columns if c not in KEYS]
    return joined.drop(law_columns)
