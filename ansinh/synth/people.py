"""The population register: who lives where, born when, named what, and who has died.

Everyone is drawn at once as columns: a province by population, a commune uniformly within
it, an age from the pyramid in ``shape.yaml``, a sex by age band, a Vietnamese name, a
citizen ID that agrees with all of these, and (for a small share, more of them old) a
death in the last few years. Households group the living of one commune.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from ansinh.synth.codes import citizen_ids, name_keys, rank_within
from ansinh.synth.config import Choices, Names, Shape
from ansinh.synth.geography import Geography
from ansinh.synth.months import day_number

DAYS_PER_YEAR = 365.2425


@dataclass(frozen=True)
class Population:
    """One row per person in the register, as parallel columns."""

    birth: np.ndarray
    """Day numbers (days since 1970-01-01)."""
    female: np.ndarray
    province: np.ndarray
    """Province index of residence (see :class:`Geography`)."""
    commune: np.ndarray
    """Row of the residence commune in ``Geography.communes``."""
    dead: np.ndarray
    death: np.ndarray
    """Day of death where ``dead``; the day observed + 1 otherwise."""
    frame: pl.DataFrame
    """citizen_id, full_name, name_key, birth_province_code (the ID's first 3 digits)."""

    @property
    def size(self) -> int:
        return int(self.birth.size)


def draw_ages(rng: np.random.Generator, n: int, shape: Shape) -> tuple[np.ndarray, np.ndarray]:
    """Age in days and sex (True for women) from the pyramid's bands."""
    bands = shape.age_bands()
    band = rng.choice(len(bands), size=n, p=bands[:, 2] / bands[:, 2].sum())
    years = bands[band, 0] + rng.random(n) * (bands[band, 1] - bands[band, 0])
    female = rng.random(n) >= bands[band, 3]
    return np.floor(years * DAYS_PER_YEAR).astype(np.int64), female


def draw_deaths(
    rng: np.random.Generator, birth: np.ndarray, as_of: dt.date, shape: Shape
) -> tuple[np.ndarray, np.ndarray]:
    """Who died within the window (Gompertz mortality by age) and on which day."""
    today = day_number(as_of)
    window = int(shape.number("population", "death_window_years") * DAYS_PER_YEAR)
    age = (today - birth) / DAYS_PER_YEAR
    yearly = np.minimum(
        1.0,
        np.exp(shape.number("population", "mortality_log_a") + shape.number("population", "mortality_b") * age),
    )
    chance = 1.0 - (1.0 - yearly) ** (window / DAYS_PER_YEAR)
    earliest = np.maximum(birth + 1, today - window)
    dead = (rng.random(birth.size) < chance) & (earliest <= today)
    spread = rng.random(birth.size)
    day = earliest + np.floor(spread * (today - earliest + 1)).astype(np.int64)
    return dead, np.where(dead, np.minimum(day, today), today + 1)


def _gather(choices: Choices, index: np.ndarray) -> pl.Series:
    return pl.Series(choices.labels).gather(index)


def draw_names(rng: np.random.Generator, female: np.ndarray, names: Names) -> pl.Series:
    """Family, middle and given names, the last two by sex."""
    n = female.size

    def pick(choices: Choices) -> pl.Series:
        return _gather(choices, rng.choice(len(choices.labels), size=n, p=choices.p))

    frame = pl.DataFrame({
        "female": female,
        "family": pick(names.family),
        "middle_m": pick(names.middle_male),
        "middle_f": pick(names.middle_female),
        "given_m": pick(names.given_male),
        "given_f": pick(names.given_female),
    })
    woman = pl.col("female")
    return frame.select(
        pl.concat_str(
            "family",
            pl.when(woman).then("middle_f").otherwise("middle_m"),
            pl.when(woman).then("given_f").otherwise("given_m"),
            separator=" ",
        ).alias("full_name")
    ).to_series()


def draw_population(
    rngs: list[np.random.Generator], n: int, as_of: dt.date, *, geo: Geography, shape: Shape, names: Names
) -> Population:
    """``n`` people of the register as observed on ``as_of`` (three independent streams)."""
    place, body, label = rngs
    province = place.choice(geo.size, size=n, p=geo.population_share)
    commune = geo.pick_communes(place, province)
    old = geo.pick_old_provinces(place, province, shape.number("population", "migrant_share"))
    age_days, female = draw_ages(body, n, shape)
    birth = day_number(as_of) - age_days
    dead, death = draw_deaths(body, birth, as_of, shape)
    birth_province = ("0" + geo.old_codes.gather(old)).alias("birth_province_code")
    birth_year = birth.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    full_name = draw_names(label, female, names)
    frame = pl.DataFrame({
        "citizen_id": citizen_ids(label, birth_province, birth_year, female),
        "full_name": full_name,
        "birth_province_code": birth_province,
    }).with_columns(name_keys(pl.col("full_name")).alias("name_key"))
    return Population(birth, female, province, commune, dead, death, frame)


def draw_households(rng: np.random.Generator, pop: Population, as_of: dt.date, shape: Shape) -> np.ndarray:
    """A household number per living person (-1 for the dead), never across communes.

    The living of each commune are laid out with children spread evenly among adults, then
    cut into households of sizes drawn from ``shape.yaml``; a commune boundary also cuts.
    """
    living = np.flatnonzero(~pop.dead)
    child = (day_number(as_of) - pop.birth[living]) < shape.number("households", "adult_age") * DAYS_PER_YEAR
    commune = pop.commune[living]
    shuffled = rng.permutation(living.size)
    group = commune[shuffled] * 2 + child[shuffled]
    rank = np.empty(living.size, dtype=np.float64)
    rank[shuffled] = rank_within(group)
    size = np.bincount(commune * 2 + child, minlength=int(commune.max(initial=0)) * 2 + 2)
    position = (rank + 0.5) / size[commune * 2 + child]
    order = np.lexsort((position, commune))
    sizes, p = shape.household_sizes()
    cuts = np.cumsum(rng.choice(sizes, size=living.size, p=p))
    starts = np.zeros(living.size, dtype=bool)
    starts[cuts[cuts < living.size]] = True
    ordered_commune = commune[order]
    starts[1:] |= ordered_commune[1:] != ordered_commune[:-1]
    if living.size:
        starts[0] = True
    household = np.full(pop.size, -1, dtype=np.int64)
    household[living[order]] = np.cumsum(starts) - 1
    return household
