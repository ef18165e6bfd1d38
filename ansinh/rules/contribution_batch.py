"""Compulsory contributions over a Polars frame: the national monthly run.

The frame has one row per employee-month: ``month`` (date, first of the month), ``salary``
(integer đồng), ``region`` (1-4), ``sector`` ("enterprise" or "state") and
``reduced_work_injury`` (bool). Each row gets an integer law code from its month, region,
sector and reduction; the law is looked up once per code present, through the very
functions the scalar calculator uses (:func:`compulsory_limits`, :func:`rate_key`,
:func:`rate`), into small arrays that the rows gather from by code — no join. Amounts are
computed in integer columns with the same half-up rounding as
:func:`ansinh.rules.money.apply_rate`: ``(2 × base × p + q) // (2 × q)`` for a rate p/q.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from ansinh.core.errors import InvalidInput
from ansinh.core.periods import add_months
from ansinh.law.params import ParameterSet
from ansinh.rules.contribution_law import COMPULSORY_SHARES, Sector, compulsory_limits, rate, rate_key
from ansinh.rules.contribution_types import PAYERS

INPUT_SCHEMA = {"month": pl.Date, "salary": pl.Int64, "region": pl.Int8, "sector": pl.Utf8,
                "reduced_work_injury": pl.Boolean}
BASES = ("si", "hi", "ui")
_REGIONS = 5  # 0 stands for "no region given", 1-4 the regions
LAW_CODE = "_law_code"


def share_column(payer: str, fund: str) -> str:
    """Name of the output column of one payer's share of one fund, e.g. ``employer_health``."""
    return f"{payer}_{fund}"


def _check_values(data: pl.DataFrame) -> None:
    """Refuse sector and region values the law codes could not represent."""
    sectors = set(data.get_column("sector").unique().to_list()) - {s.value for s in Sector}
    if sectors:
        raise InvalidInput(f"sector {sorted(map(str, sectors))} is not enterprise or state", code="sector.invalid",
                           field="sector", rule="a salary is set by the employer or on the State's pay scale")
    regions = set(data.get_column("region").drop_nulls().unique().to_list()) - {1, 2, 3, 4}
    if regions:
        raise InvalidInput(f"region {sorted(regions)} is not 1 to 4", code="region.invalid", field="region",
                           rule="the minimum-wage region of the workplace is 1, 2, 3 or 4")


class _LawArrays:
    """Floors, ceilings and every share's rate p/q, indexed by law code."""

    def __init__(self, params: ParameterSet, codes: list[int], first: dt.date) -> None:
        size = max(codes) + 1
        self.values: dict[str, np.ndarray] = {
            name: np.zeros(size, dtype=np.int64) for name in ("floor", *(f"{b}_ceiling" for b in BASES))
        }
        for share in COMPULSORY_SHARES:
            column = share_column(share.payer, share.fund)
            self.values[f"{column}_p"] = np.zeros(size, dtype=np.int64)
            self.values[f"{column}_q"] = np.ones(size, dtype=np.int64)
        for code in codes:
            self._fill(params, code, first)

    def _fill(self, params: ParameterSet, code: int, first: dt.date) -> None:
        rest, reduced = divmod(code, 2)
        rest, state = divmod(rest, 2)
        month_index, region = divmod(rest, _REGIONS)
        month = add_months(first, month_index)
        sector = Sector.STATE if state else Sector.ENTERPRISE
        limits = compulsory_limits(params, month, region=region or None, sector=sector)
        self.values["floor"][code] = limits.floor
        self.values["si_ceiling"][code] = limits.si_ceiling
        self.values["hi_ceiling"][code] = limits.hi_ceiling
        self.values["ui_ceiling"][code] = limits.ui_ceiling
        for share in COMPULSORY_SHARES:
            share_rate = rate(params, rate_key(share, reduced_work_injury=bool(reduced), sector=sector), month)
            column = share_column(share.payer, share.fund)
            self.values[f"{column}_p"][code] = share_rate.numerator
            self.values[f"{column}_q"][code] = share_rate.denominator

    def gather(self, name: str) -> pl.Expr:
        return pl.lit(pl.Series(name, self.values[name])).gather(pl.col(LAW_CODE))


def compute_batch(frame: pl.DataFrame, params: ParameterSet) -> pl.DataFrame:
    """``frame`` with the bases (``si_base``, ``hi_base``, ``ui_base``), one column per share
    (``employer_retirement_survivor`` …), ``employer_total``, ``employee_total``,
    ``state_total`` and ``total``."""
    data = frame.cast({k: v for k, v in INPUT_SCHEMA.items() if k in frame.columns})
    if data.height == 0:
        return compute_batch_empty(data)
    _check_values(data)
    first_month = data.get_column("month").min()
    if not isinstance(first_month, dt.date):
        raise InvalidInput("every row needs its month", code="month.missing", field="month",
                           rule="a contribution is due for a month")
    first = first_month.replace(day=1)
    month_index = ((pl.col("month").dt.year().cast(pl.Int64) - first.year) * 12
                   + pl.col("month").dt.month().cast(pl.Int64) - first.month)
    state = (pl.col("sector") == Sector.STATE.value).cast(pl.Int64)
    code = ((month_index * _REGIONS + pl.col("region").fill_null(0).cast(pl.Int64)) * 2 + state) * 2 \
        + pl.col("reduced_work_injury").cast(pl.Int64)
    data = data.with_columns(code.alias(LAW_CODE))
    law = _LawArrays(params, data.get_column(LAW_CODE).unique().to_list(), first)
    raised = pl.max_horizontal(pl.col("salary"), law.gather("floor"))
    plan = data.lazy().with_columns(
        **{f"{b}_base": pl.min_horizontal(raised, law.gather(f"{b}_ceiling")) for b in BASES}
    )
    amounts = {}
    for share in COMPULSORY_SHARES:
        column = share_column(share.payer, share.fund)
        p, q = law.gather(f"{column}_p"), law.gather(f"{column}_q")
        amounts[column] = (2 * pl.col(f"{share.base.value}_base") * p + q) // (2 * q)
    plan = plan.with_columns(**amounts)
    totals = {
        f"{payer}_total": pl.sum_horizontal([share_column(s.payer, s.fund) for s in COMPULSORY_SHARES
                                             if s.payer == payer])
        for payer in PAYERS
    }
    plan = plan.with_columns(**totals).with_columns(
        total=pl.col("employer_total") + pl.col("employee_total") + pl.col("state_total")
    )
    return plan.drop(LAW_CODE).collect()


def compute_batch_empty(data: pl.DataFrame) -> pl.DataFrame:
    """The output columns for a frame without rows."""
    columns = [f"{b}_base" for b in BASES] + [share_column(s.payer, s.fund) for s in COMPULSORY_SHARES]
    columns += [f"{payer}_total" for payer in PAYERS] + ["total"]
    return data.with_columns(*(pl.lit(0, dtype=pl.Int64).alias(c) for c in columns))
