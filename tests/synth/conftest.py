"""Synthetic-country fixtures: a small map without a database, and one generated country.

The generator is pure, so most tests run it on a made-up map of three communes per
province (the 34 provinces in force from 2025-07-01) and never touch a database.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from ansinh.org.provinces import province_population
from ansinh.synth.country import SyntheticCountry, generate

AS_OF = dt.date(2026, 11, 23)
COMMUNES_PER_PROVINCE = 3


def small_map() -> pl.DataFrame:
    """Three communes in each of the 34 provinces, with made-up ids and codes."""
    codes = sorted(province_population())
    rows = [
        {
            "id": 1000 + i * COMMUNES_PER_PROVINCE + j,
            "code": f"{i * COMMUNES_PER_PROVINCE + j:05d}",
            "name": f"Xã Thử {i}-{j}",
            "province_code": code,
            "province_name": f"Tỉnh {code}",
        }
        for i, code in enumerate(codes)
        for j in range(COMMUNES_PER_PROVINCE)
    ]
    return pl.DataFrame(rows, schema={
        "id": pl.Int64, "code": pl.String, "name": pl.String,
        "province_code": pl.String, "province_name": pl.String,
    })


@pytest.fixture(scope="session")
def communes() -> pl.DataFrame:
    return small_map()


@pytest.fixture(scope="session")
def country(communes: pl.DataFrame) -> SyntheticCountry:
    """A country of 20,000 people: enough for every province and every kind of period."""
    return generate(communes=communes, people=20_000, seed=7, as_of=AS_OF)
