"""The generated columns laid out as the registry's tables, with their ids assigned.

Ids are assigned here, from 1 in each table (the loader shifts them past any rows already
stored), so that foreign keys can be filled without a round trip to the database.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from ansinh.registry.models import HouseholdRole, Sex
from ansinh.synth.codes import rank_within, si_numbers
from ansinh.synth.employers import Employers
from ansinh.synth.geography import Geography
from ansinh.synth.histories import GROUPS, NO_EMPLOYER, SCHEMES, Periods
from ansinh.synth.months import date_series, day_number, first_days, nullable
from ansinh.synth.people import Population

NOTICE_DELAY_DAYS = 30
"""A death reaches the registry up to this many days after it happened."""


def _sex(pop: Population, rows: np.ndarray) -> pl.Series:
    return pl.Series("sex", np.where(pop.female[rows], Sex.FEMALE.value, Sex.MALE.value))


def population_record(pop: Population, geo: Geography) -> pl.DataFrame:
    """Every person of the national register."""
    everyone = np.arange(pop.size)
    return pl.DataFrame([
        pop.frame.get_column("citizen_id"),
        pop.frame.get_column("full_name"),
        date_series("birth_date", pop.birth),
        _sex(pop, everyone),
        geo.communes.get_column("code").gather(pop.commune).alias("residence_commune_code"),
        date_series("death_date", pop.death, ~pop.dead),
    ])


def households(
    pop: Population, household: np.ndarray, person_id: np.ndarray, geo: Geography
) -> tuple[pl.DataFrame, np.ndarray, np.ndarray]:
    """Households with at least one living registered member; each member's household id
    and whether they head it (the oldest registered member does)."""
    members = np.flatnonzero((person_id > 0) & (household >= 0))
    kept, dense = np.unique(household[members], return_inverse=True)
    household_id = np.zeros(pop.size, dtype=np.int64)
    household_id[members] = dense + 1
    order = members[np.lexsort((pop.birth[members], dense))]
    heads = order[np.r_[True, household_id[order][1:] != household_id[order][:-1]]] if order.size else order
    head = np.zeros(pop.size, dtype=bool)
    head[heads] = True
    commune = pop.commune[heads]
    codes = geo.communes.get_column("code").gather(commune)
    serial = pl.Series(rank_within(commune) + 1).cast(pl.String).str.zfill(6)
    frame = pl.DataFrame({
        "id": np.arange(1, kept.size + 1, dtype=np.int64),
        "code": ("HGD" + codes + serial),
        "address_commune_id": geo.communes.get_column("id").gather(commune),
    })
    return frame, household_id, head


def persons(
    rng: np.random.Generator, pop: Population, geo: Geography, *, registered: np.ndarray,
    household_id: np.ndarray, head: np.ndarray, registered_on: np.ndarray,
) -> pl.DataFrame:
    """The registry's people: everyone registered, with an SI number each."""
    rows = np.flatnonzero(registered)
    in_household = household_id[rows] > 0
    role = np.where(head[rows], HouseholdRole.HEAD.value, HouseholdRole.MEMBER.value)
    province = pl.Series(geo.province_codes).gather(pop.province[rows])
    base = pop.frame[rows]
    return pl.DataFrame([
        pl.Series("id", np.arange(1, rows.size + 1, dtype=np.int64)),
        base.get_column("citizen_id"),
        si_numbers(rng, province),
        base.get_column("full_name"),
        base.get_column("name_key"),
        date_series("birth_date", pop.birth[rows]),
        _sex(pop, rows),
        base.get_column("birth_province_code"),
        geo.communes.get_column("id").gather(pop.commune[rows]).alias("residence_commune_id"),
        nullable(pl.Series("household_id", household_id[rows]), ~in_household),
        nullable(pl.Series("household_role", role), ~in_household),
        date_series("death_date", pop.death[rows], ~pop.dead[rows]),
        date_series("registered_on", registered_on[rows]),
    ])


def registration_days(pop: Population, periods: Periods) -> np.ndarray:
    """The day each person was registered: the start of their first period (not before birth)."""
    first = np.full(pop.size, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, periods.person, periods.start)
    covered = first < np.iinfo(np.int64).max
    day = np.where(covered, first_days(np.where(covered, first, 0)), pop.birth)
    return np.asarray(np.maximum(day, pop.birth))


def employers(found: Employers, used: np.ndarray, periods: Periods) -> pl.DataFrame:
    """The employers that had anyone, registered on the first month one of them started."""
    employed = periods.employer != NO_EMPLOYER
    first = np.full(found.size, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, periods.employer[employed], periods.start[employed])
    return found.frame[used].with_columns(
        pl.Series("id", np.arange(1, used.size + 1, dtype=np.int64)),
        date_series("registered_on", first_days(first[used])),
    ).select("id", *found.frame.columns, "registered_on")


def participation(periods: Periods, person_id: np.ndarray, employer_id: np.ndarray) -> pl.DataFrame:
    """Periods of registered people, by person and start, with ids from 1."""
    keep = person_id[periods.person] > 0
    order = np.flatnonzero(keep)[np.lexsort((periods.start[keep], person_id[periods.person[keep]]))]
    employer = periods.employer[order]
    has_employer = employer != NO_EMPLOYER
    return pl.DataFrame([
        pl.Series("id", np.arange(1, order.size + 1, dtype=np.int64)),
        pl.Series("person_id", person_id[periods.person[order]]),
        nullable(pl.Series("employer_id", employer_id[np.where(has_employer, employer, 0)]), ~has_employer),
        pl.Series("scheme", [s.value for s in SCHEMES]).gather(periods.scheme[order]),
        pl.Series("hi_group_code", GROUPS).gather(periods.group[order]),
        date_series("start_month", first_days(periods.start[order])),
        date_series("end_month", first_days(periods.end[order]), periods.open[order]),
        pl.Series("monthly_salary", periods.salary[order], dtype=pl.Int64),
    ])


def death_notices(
    rng: np.random.Generator, pop: Population, person_id: np.ndarray, as_of: dt.date
) -> pl.DataFrame:
    """A notice for each death in the register, received a few days later."""
    rows = np.flatnonzero(pop.dead)
    delay = rng.integers(0, NOTICE_DELAY_DAYS + 1, size=rows.size)
    received = np.minimum(pop.death[rows] + delay, day_number(as_of))
    ids = person_id[rows]
    return pl.DataFrame([
        pl.Series("id", np.arange(1, rows.size + 1, dtype=np.int64)),
        pop.frame.get_column("citizen_id").gather(rows),
        date_series("death_date", pop.death[rows]),
        date_series("received_on", received),
        nullable(pl.Series("person_id", ids), ids <= 0),
    ])
