"""Whole days and months as integers, so that whole columns of dates are plain arithmetic.

A day is counted from 1970-01-01 (Polars' ``Date`` and NumPy's ``datetime64[D]``) and a
month from January 1970 (``datetime64[M]``): month ``m`` starts on ``first_days(m)``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

EPOCH = dt.date(1970, 1, 1)


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01."""
    return (day - EPOCH).days


def month_number(day: dt.date) -> int:
    """Months since January 1970 of the month holding ``day``."""
    return (day.year - EPOCH.year) * 12 + day.month - 1


def month_start(month: int) -> dt.date:
    """The first day of month number ``month``."""
    year, index = divmod(month, 12)
    return dt.date(EPOCH.year + year, index + 1, 1)


def months_of_days(days: np.ndarray) -> np.ndarray:
    """The month number of each day number."""
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def years_of_months(months: np.ndarray) -> np.ndarray:
    """The calendar year of each month number."""
    return np.asarray(EPOCH.year + np.floor_divide(months, 12))


def first_days(months: np.ndarray) -> np.ndarray:
    """The day number of the first day of each month number."""
    return months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def nullable(series: pl.Series, missing: np.ndarray | None) -> pl.Series:
    """``series`` with nulls where ``missing`` is true."""
    if missing is None or not missing.any():
        return series
    return pl.select(
        pl.when(pl.lit(pl.Series(missing))).then(None).otherwise(pl.lit(series))
    ).to_series().alias(series.name)


def date_series(name: str, days: np.ndarray, missing: np.ndarray | None = None) -> pl.Series:
    """A Polars ``Date`` column from day numbers, null where ``missing`` is true."""
    return nullable(pl.Series(name, days.astype(np.int32)).cast(pl.Date), missing)
