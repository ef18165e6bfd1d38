"""Who is in the registry, and the health-insurance-only cover of those without a job.

Everyone who ever had social insurance is registered (they hold an SI book); children are
registered almost all, and other adults with the probability that brings the living
registered to the HI coverage of ``shape.yaml`` (about 94 %). The rest exist only in the
population register, for an officer to register. Each registered person without a job or
a pension at the last month they can be covered gets an HI-only period: TE for young
children, TE then HS at school age, SV for some young adults, GD (household) for the rest.
"""

from __future__ import annotations

import numpy as np

from ansinh.registry.models import Scheme
from ansinh.synth.careers import Careers
from ansinh.synth.config import Shape
from ansinh.synth.histories import (
    GROUP_CHILD,
    GROUP_HOUSEHOLD,
    GROUP_PUPIL,
    GROUP_STUDENT,
    Periods,
)
from ansinh.synth.months import month_number
from ansinh.synth.people import Population

CHILD_GROUP_MONTHS = 72
"""Children are group TE until the month they turn six, then pupils (HS)."""
GD_SPREAD_MONTHS = 24
"""Household cover starts up to this many months after it could first have."""


def _adult_month(careers: Careers, shape: Shape) -> np.ndarray:
    return careers.birth_month + 12 * int(shape.number("households", "adult_age"))


def registered_people(
    rng: np.random.Generator, pop: Population, careers: Careers, ever_si: np.ndarray, shape: Shape
) -> np.ndarray:
    """Whether each person of the register is in the registry."""
    child = careers.horizon < _adult_month(careers, shape)
    draw = rng.random(pop.size)
    chosen = ever_si | (child & (draw < shape.number("registry", "child_coverage")))
    living = ~pop.dead
    others = living & ~chosen
    wanted = shape.number("registry", "hi_coverage") * living.sum() - (chosen & living).sum()
    share = min(1.0, max(0.0, wanted / max(int(others.sum()), 1)))
    return np.asarray(chosen | (~chosen & ~child & (rng.random(pop.size) < share)))


def last_si_month(pop: Population, si: Periods) -> np.ndarray:
    """The last month of SI of each person (-1 when none)."""
    last = np.full(pop.size, -1, dtype=np.int64)
    np.maximum.at(last, si.person, si.end)
    return last


def hi_only_periods(
    rng: np.random.Generator, pop: Population, careers: Careers, *, registered: np.ndarray,
    si: Periods, pensioner: np.ndarray, shape: Shape,
) -> Periods:
    """HI-only periods up to each registered person's last month (open while alive)."""
    horizon, birth = careers.horizon, careers.birth_month
    school, adult = birth + CHILD_GROUP_MONTHS, _adult_month(careers, shape)
    last_si = last_si_month(pop, si)
    alive = ~pop.dead
    young = np.flatnonzero(registered & (horizon < school))
    pupils = np.flatnonzero(registered & (horizon >= school) & (horizon < adult))
    uncovered = registered & (horizon >= adult) & ~pensioner & (last_si < horizon)
    low, high = shape.pair("hi_only", "university_age")
    student = (
        uncovered & (horizon < birth + int(12 * high)) & (horizon >= birth + int(12 * low))
        & (rng.random(pop.size) < shape.number("hi_only", "university_share"))
    )
    students = np.flatnonzero(student)
    households = np.flatnonzero(uncovered & ~student)
    earliest = np.maximum(np.maximum(adult, last_si + 1), month_number(shape.month("hi_only", "household_from")))
    room = np.clip(horizon - earliest + 1, 1, GD_SPREAD_MONTHS)
    gd_start = np.minimum(earliest + np.floor(rng.random(pop.size) * room).astype(np.int64), horizon)
    sv_start = np.maximum(adult, last_si + 1)
    return Periods.concat([
        Periods.of(young, birth[young], horizon[young], alive[young], scheme=Scheme.HI_ONLY, group=GROUP_CHILD),
        Periods.of(
            pupils, birth[pupils], school[pupils] - 1, np.zeros(pupils.size, dtype=bool),
            scheme=Scheme.HI_ONLY, group=GROUP_CHILD,
        ),
        Periods.of(pupils, school[pupils], horizon[pupils], alive[pupils], scheme=Scheme.HI_ONLY, group=GROUP_PUPIL),
        Periods.of(
            students, sv_start[students], horizon[students], alive[students],
            scheme=Scheme.HI_ONLY, group=GROUP_STUDENT,
        ),
        Periods.of(
            households, gd_start[households], horizon[households], alive[households],
            scheme=Scheme.HI_ONLY, group=GROUP_HOUSEHOLD,
        ),
    ])
