"""The synthetic country: one seeded draw of people, households, employers and histories.

``generate`` is pure: given the communes in force, the number of people, a seed and the
day the country is observed, it returns the same frames every time. Each stage draws from
its own stream (spawned from the seed), so a change to one stage does not reshuffle the
others. Nothing reads the clock and nothing touches the database here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl

from ansinh.core.errors import InvalidInput
from ansinh.org.reference import periods
from ansinh.synth import config, frames
from ansinh.synth.careers import draw_careers
from ansinh.synth.coverage import hi_only_periods, registered_people
from ansinh.synth.employers import assign_jobs, draw_employers
from ansinh.synth.geography import geography
from ansinh.synth.histories import (
    Periods,
    compulsory_periods,
    pension_periods,
    voluntary_periods,
)
from ansinh.synth.months import month_number
from ansinh.synth.people import draw_households, draw_population
from ansinh.synth.wages import floors

TABLES = ("population_record", "household", "person", "employer", "participation", "death_notice")
"""The generated tables, parents before children."""
STREAMS = 11
Stage = Callable[[str], None]


@dataclass(frozen=True)
class SyntheticCountry:
    """The generated tables, as frames whose columns are the tables' columns."""

    population_record: pl.DataFrame
    household: pl.DataFrame
    person: pl.DataFrame
    employer: pl.DataFrame
    participation: pl.DataFrame
    death_notice: pl.DataFrame
    as_of: dt.date
    seed: int

    def tables(self) -> dict[str, pl.DataFrame]:
        """Table name -> frame, parents before children (the order to load them in)."""
        return {name: getattr(self, name) for name in TABLES}

    @property
    def pensioners(self) -> int:
        """People with a pension period (HI group HT) open on the day observed."""
        hi = self.participation
        return hi.filter((pl.col("hi_group_code") == "HT") & pl.col("end_month").is_null()).height


def _check(people: int, as_of: dt.date) -> None:
    if people < 1:
        raise InvalidInput(
            f"{people} people", code="synth.people", field="people", rule="at least one person",
        )
    reform = periods().reform_on
    if as_of < reform:
        raise InvalidInput(
            f"{as_of.isoformat()} is before the 34-province map", code="synth.as_of", field="as_of",
            rule=f"the synthetic country is observed on or after {reform.isoformat()}",
        )


def generate(
    *, communes: pl.DataFrame, people: int, seed: int, as_of: dt.date, stage: Stage | None = None,
) -> SyntheticCountry:
    """Draw a country of ``people`` people observed on ``as_of``.

    ``communes`` is ``org.service.communes_frame(on=as_of)``; ``stage`` is told the name of
    each stage as it starts (for progress display).
    """
    _check(people, as_of)
    tell = stage or (lambda _name: None)
    shape, names = config.shape(), config.names()
    rng = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(STREAMS)]
    geo = geography(communes, shape)
    observed = month_number(as_of)

    tell("people")
    pop = draw_population(rng[0:3], people, as_of, geo=geo, shape=shape, names=names)
    tell("careers")
    careers = draw_careers(rng[3], pop, as_of, shape)
    wanted = max(1, round(int(careers.spell_open.sum()) / shape.number("employers", "workers_per_employer")))
    found = draw_employers(rng[4], wanted, geo, shape, names)
    job = assign_jobs(rng[5], found, pop.province[careers.spell_person], geo, shape)
    tell("wages")
    wage_floors = floors(month_number(shape.month("work", "si_start")), observed)
    compulsory = compulsory_periods(
        rng[6], pop, careers, employer=job, region=found.region[job], state=found.state[job],
        floors=wage_floors, shape=shape,
    )
    voluntary = voluntary_periods(rng[7], pop, careers, observed=observed, floors=wage_floors, shape=shape)
    contributed = Periods.concat([compulsory, voluntary])
    tell("coverage")
    pensions = pension_periods(pop, careers, contributed, observed=observed, floors=wage_floors, shape=shape)
    ever_si = np.bincount(contributed.person, minlength=pop.size) > 0
    registered = registered_people(rng[8], pop, careers, ever_si, shape)
    pensioner = np.zeros(pop.size, dtype=bool)
    pensioner[pensions.person] = True
    hi_only = hi_only_periods(
        rng[8], pop, careers, registered=registered, si=contributed, pensioner=pensioner, shape=shape
    )
    periods = Periods.concat([contributed, pensions, hi_only])

    tell("tables")
    person_id = np.zeros(pop.size, dtype=np.int64)
    person_id[registered] = np.arange(1, int(registered.sum()) + 1)
    household = draw_households(rng[9], pop, as_of, shape)
    household_frame, household_id, head = frames.households(pop, household, person_id, geo)
    used = np.unique(job)
    employer_id = np.zeros(found.size, dtype=np.int64)
    employer_id[used] = np.arange(1, used.size + 1)
    return SyntheticCountry(
        population_record=frames.population_record(pop, geo),
        household=household_frame,
        person=frames.persons(
            rng[10], pop, geo, registered=registered, household_id=household_id, head=head,
            registered_on=frames.registration_days(pop, periods),
        ),
        employer=frames.employers(found, used, periods),
        participation=frames.participation(periods, person_id, employer_id),
        death_notice=frames.death_notices(rng[9], pop, person_id, as_of),
        as_of=as_of,
        seed=seed,
    )
