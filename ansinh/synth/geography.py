"""Where people live and work: the 34 provinces, their communes and their populations.

Communes come from the administrative map in the database (``org.service.communes_frame``)
so that every synthetic address is a unit in force on the day observed; populations and
the old provinces each new one was merged from come from :mod:`ansinh.org.provinces`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from ansinh.core.errors import InvalidInput
from ansinh.org.provinces import mergers, province_population
from ansinh.synth.config import Shape


@dataclass(frozen=True)
class Geography:
    """Provinces (by index) with their communes laid out province after province."""

    province_codes: tuple[str, ...]
    population_share: np.ndarray
    commune_offset: np.ndarray
    commune_count: np.ndarray
    communes: pl.DataFrame
    """id, code, name, province_code, province_name; sorted by province then code."""
    old_codes: pl.Series
    """The 63 old two-digit codes, grouped by the new province they merged into."""
    old_offset: np.ndarray
    old_count: np.ndarray
    old_weight: np.ndarray
    """Share of births registered in each old province (its new province's, split evenly)."""
    kinds: tuple[str, ...]
    """metro, urban or rural, by province."""

    @property
    def size(self) -> int:
        return len(self.province_codes)

    def pick_communes(self, rng: np.random.Generator, province: np.ndarray) -> np.ndarray:
        """A commune row for each province index, uniformly over the province's communes."""
        spread = rng.random(province.size)
        return np.asarray(self.commune_offset[province] + (spread * self.commune_count[province]).astype(np.int64))

    def pick_old_provinces(
        self, rng: np.random.Generator, province: np.ndarray, migrant_share: float
    ) -> np.ndarray:
        """An old-province row per person: one merged into where they live, or for migrants
        any old province, weighted by population."""
        local = self.old_offset[province] + (
            rng.random(province.size) * self.old_count[province]
        ).astype(np.int64)
        anywhere = rng.choice(self.old_weight.size, size=province.size, p=self.old_weight)
        return np.where(rng.random(province.size) < migrant_share, anywhere, local)

    def employer_weights(self, shape: Shape) -> np.ndarray:
        """Share of workplaces by province: population times the density of its kind."""
        density = np.array([shape.employer_density(kind) for kind in self.kinds])
        weights = self.population_share * density
        return np.asarray(weights / weights.sum())


def geography(communes: pl.DataFrame, shape: Shape) -> Geography:
    """Index ``communes`` (the map in force on the day observed) by province."""
    population = province_population()
    codes = tuple(sorted(communes.get_column("province_code").unique().to_list()))
    unknown = sorted(set(codes) - set(population))
    if not codes or unknown:
        raise InvalidInput(
            f"communes of provinces {unknown or 'none'} have no population figure",
            code="synth.map", field="as_of",
            rule="the synthetic country is drawn over the 34 provinces in force from 2025-07-01",
        )
    ordered = communes.sort("province_code", "code")
    counts = (
        ordered.group_by("province_code", maintain_order=True).len()
        .get_column("len").to_numpy().astype(np.int64)
    )
    share = np.array([population[c] for c in codes], dtype=np.float64)
    share /= share.sum()
    olds = sorted((m for m in mergers() if m.new_code in codes), key=lambda m: (m.new_code, m.old_code))
    old_new = np.array([codes.index(m.new_code) for m in olds])
    old_count = np.bincount(old_new, minlength=len(codes)).astype(np.int64)
    if (old_count == 0).any():
        raise InvalidInput(
            "a province has no old province merged into it", code="synth.map", field="as_of",
            rule="every new province is made of one or more of the 63 old ones",
        )
    old_weight = share[old_new] / old_count[old_new]
    return Geography(
        province_codes=codes,
        population_share=share,
        commune_offset=np.r_[0, np.cumsum(counts)[:-1]].astype(np.int64),
        commune_count=counts,
        communes=ordered,
        old_codes=pl.Series("old_code", [m.old_code for m in olds]),
        old_offset=np.r_[0, np.cumsum(old_count)[:-1]].astype(np.int64),
        old_count=old_count,
        old_weight=old_weight / old_weight.sum(),
        kinds=tuple(shape.province_kind(c) for c in codes),
    )
