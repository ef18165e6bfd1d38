"""Employers: how many, how big, where, whose, in which industry and wage region.

Sizes come from the classes in ``shape.yaml`` (most employers are micro, a few have
thousands of workers) and serve as weights when jobs are given out, so an employer's
workforce follows its size. Employers sit in provinces by population times a density that
is higher in the big cities, whose workplaces are mostly in minimum-wage regions I and II.
The region is an explicit attribute of each workplace and says that the generator chose
it, since the decree's annex maps communes, which is not available as data here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from ansinh.registry.models import OwnershipSector
from ansinh.synth.codes import name_keys, tax_codes, unit_codes
from ansinh.synth.config import Choices, Names, Shape
from ansinh.synth.geography import Geography
from ansinh.synth.people import draw_names


@dataclass(frozen=True)
class Employers:
    """One row per employer; ``frame`` has every employer column but id and registered_on."""

    frame: pl.DataFrame
    province: np.ndarray
    weight: np.ndarray
    state: np.ndarray
    region: np.ndarray

    @property
    def size(self) -> int:
        return int(self.province.size)


def _pick(rng: np.random.Generator, choices: Choices, n: int) -> pl.Series:
    return pl.Series(choices.labels).gather(rng.choice(len(choices.labels), size=n, p=choices.p))


def _names(rng: np.random.Generator, sector: pl.Series, commune_name: pl.Series, names: Names) -> pl.Series:
    """Names fit for the sector: companies, cooperatives, household businesses, State units."""
    n = sector.len()
    kinds = names.employer
    frame = pl.DataFrame({
        "sector": sector,
        "company": _pick(rng, kinds["company_forms"], n),
        "foreign": _pick(rng, kinds["foreign_forms"], n),
        "trade": _pick(rng, kinds["trades"], n),
        "brand": _pick(rng, kinds["brands"], n),
        "foreign_brand": _pick(rng, kinds["foreign_brands"], n),
        "coop_trade": _pick(rng, kinds["cooperative_trades"], n),
        "state_unit": _pick(rng, kinds["state_units"], n),
        "non_profit_unit": _pick(rng, kinds["non_profit_units"], n),
        "owner": draw_names(rng, rng.random(n) < 0.5, names),  # either sex
        "commune": commune_name,
    })
    s = pl.col("sector")
    return frame.select(
        pl.when(s == OwnershipSector.FOREIGN_INVESTED)
        .then(pl.concat_str("foreign", "foreign_brand", pl.lit(names.foreign_suffix), separator=" "))
        .when(s == OwnershipSector.COOPERATIVE)
        .then(pl.concat_str(pl.lit(kinds["cooperative_forms"].labels[0]), "coop_trade", "brand", separator=" "))
        .when(s == OwnershipSector.HOUSEHOLD_BUSINESS)
        .then(pl.concat_str(pl.lit(kinds["household_forms"].labels[0]), "owner", separator=" "))
        .when(s == OwnershipSector.STATE)
        .then(pl.concat_str("state_unit", "commune", separator=" "))
        .when(s == OwnershipSector.NON_PROFIT)
        .then(pl.concat_str("non_profit_unit", "commune", separator=" "))
        .otherwise(pl.concat_str("company", "trade", "brand", separator=" "))
        .alias("name")
    ).to_series()


def _sizes(rng: np.random.Generator, n: int, shape: Shape) -> tuple[np.ndarray, np.ndarray]:
    """Size class and nominal size (log-uniform within the class) of each employer."""
    classes = shape.size_classes()
    cls = rng.choice(len(classes), size=n, p=classes[:, 0] / classes[:, 0].sum())
    low, high = np.log(classes[cls, 1]), np.log(classes[cls, 2])
    return cls, np.exp(low + rng.random(n) * (high - low))


def _regions(rng: np.random.Generator, province: np.ndarray, geo: Geography, shape: Shape) -> np.ndarray:
    """Wage region 1-4 per employer, drawn by the kind of its province."""
    shares = np.array([shape.region_shares(kind) for kind in geo.kinds])
    cumulative = np.cumsum(shares[province], axis=1)
    return np.asarray(1 + (rng.random(province.size)[:, None] > cumulative[:, :-1]).sum(axis=1))


def draw_employers(rng: np.random.Generator, n: int, geo: Geography, shape: Shape, names: Names) -> Employers:
    """``n`` employers spread over the provinces."""
    province = rng.choice(geo.size, size=n, p=geo.employer_weights(shape))
    commune = geo.pick_communes(rng, province)
    cls, size = _sizes(rng, n, shape)
    sector_names, sector_shares = shape.sectors()
    cumulative = np.cumsum(sector_shares[:, cls], axis=0)
    sector_index = np.minimum((rng.random(n)[None, :] > cumulative).sum(axis=0), len(sector_names) - 1)
    sector = pl.Series(sector_names).gather(sector_index)
    industry = pl.Series("industry_code", [""] * n)
    for index, name in enumerate(sector_names):
        rows = np.flatnonzero(sector_index == index)
        if rows.size:
            industry = industry.scatter(rows, _pick(rng, shape.industries(name), rows.size))
    region = _regions(rng, province, geo, shape)
    communes = geo.communes[commune]
    frame = pl.DataFrame({
        "unit_code": unit_codes(rng, n),
        "tax_code": tax_codes(rng, pl.Series(geo.province_codes).gather(province)),
        "name": _names(rng, sector, communes.get_column("name"), names),
        "name_key": pl.Series([""] * n),
        "address_commune_id": communes.get_column("id"),
        "wage_region": pl.Series(region, dtype=pl.Int16),
        "wage_region_source": pl.repeat(str(shape.section("employers")["wage_region_source"]), n, eager=True),
        "ownership_sector": sector,
        "industry_code": industry,
    }).with_columns(name_keys(pl.col("name")).alias("name_key"))
    state = (sector == OwnershipSector.STATE).to_numpy()
    return Employers(frame, province, size, state, region)


def assign_jobs(
    rng: np.random.Generator, employers: Employers, province: np.ndarray, geo: Geography, shape: Shape
) -> np.ndarray:
    """An employer row for each job, by size, in the worker's province or (for some) anywhere.

    Employers are ordered by province; a draw ``province + u`` is looked up in cumulative
    weights that rise by exactly 1 within each province, so one ``searchsorted`` serves all
    provinces at once. Jobs in a province without employers go to any employer.
    """
    n = province.size
    elsewhere = rng.random(n) < shape.number("work", "work_elsewhere_share")
    target = np.where(elsewhere, rng.choice(geo.size, size=n, p=geo.employer_weights(shape)), province)
    order = np.lexsort((np.arange(employers.size), employers.province))
    by_province = employers.province[order]
    weight = employers.weight[order]
    totals = np.bincount(by_province, weights=weight, minlength=geo.size)
    within = (np.cumsum(weight) - np.r_[0.0, np.cumsum(totals)][by_province]) / totals[by_province]
    within[np.r_[by_province[1:] != by_province[:-1], True]] = 1.0
    cumulative = by_province + within
    empty = totals[target] == 0
    draw = rng.random(n)
    local = np.searchsorted(cumulative, target + draw, side="right")
    local = np.minimum(local, employers.size - 1)
    overall = np.searchsorted(np.cumsum(employers.weight) / employers.weight.sum(), draw, side="right")
    chosen = np.where(empty, np.minimum(overall, employers.size - 1), order[local])
    return chosen
