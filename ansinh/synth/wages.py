"""The wage floor of each region and month, from the law, as one table.

From the first month the regional minimum wages are in force (``labour.minimum_wage``,
2016 onwards) the floor is the minimum wage of the region. Before that the generator
scales the base salary of the month (``si.base_salary``) by the ratio of each region's
first minimum wage to the base salary of that month, so that wages keep their 2016
relation to the region across two decades of histories. The table is made non-decreasing
over time (a running maximum), so the floor read at the last month of a period is at
least the floor of every month in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ansinh.core.errors import ParameterNotInForce
from ansinh.law import value_at
from ansinh.synth.months import month_start

REGIONS = (1, 2, 3, 4)
BASE_SALARY = "si.base_salary"


def minimum_wage_key(region: int) -> str:
    return f"labour.minimum_wage.region_{region}"


def _minimum_wage(region: int, month: int) -> int | None:
    try:
        return int(value_at(minimum_wage_key(region), month_start(month)))
    except ParameterNotInForce:
        return None


@dataclass(frozen=True)
class Floors:
    """Floors by region (rows 0-3 for regions 1-4) and month (columns from ``first``)."""

    first: int
    table: np.ndarray
    base_salary: np.ndarray
    """The base salary of each month, same columns."""

    def floor(self, region: np.ndarray, month: np.ndarray) -> np.ndarray:
        """The floor of each (region 1-4, month number) pair."""
        return np.asarray(self.table[region - 1, month - self.first])

    def base(self, month: np.ndarray) -> np.ndarray:
        return np.asarray(self.base_salary[month - self.first])


@lru_cache(maxsize=8)
def floors(first: int, last: int) -> Floors:
    """Floors for months ``first``..``last`` (month numbers), read from the law."""
    months = range(first, last + 1)
    base = np.array([int(value_at(BASE_SALARY, month_start(m))) for m in months], dtype=np.int64)
    table = np.zeros((len(REGIONS), len(base)), dtype=np.int64)
    for row, region in enumerate(REGIONS):
        wages = [_minimum_wage(region, m) for m in months]
        known = [i for i, w in enumerate(wages) if w is not None]
        if not known:
            raise ParameterNotInForce(
                f"no minimum wage of region {region} between {month_start(first)} and {month_start(last)}",
                code="law.parameter_not_in_force", field="as_of",
                rule=f"{minimum_wage_key(region)} must be in force on the day observed",
            )
        start = known[0]
        anchor_wage, anchor_base = int(wages[start] or 0), int(base[start])
        scaled = -(-base * anchor_wage // anchor_base)
        column = np.array([w if w is not None else 0 for w in wages], dtype=np.int64)
        column[:start] = scaled[:start]
        table[row] = np.maximum.accumulate(column)
    return Floors(first, table, base)
