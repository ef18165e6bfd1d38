"""Participation periods: jobs cut into yearly salary periods, voluntary SI, pensions.

Each job spell becomes one period per calendar year, because declared salaries change
every year. A salary is the floor of its region and month (:mod:`ansinh.synth.wages`)
times a lognormal multiplier: a person's skill, a yearly growth with experience and a
year's noise. It is rounded up to whole thousands of đồng and is never below the floor
of any month of its period. Months are month numbers (see :mod:`ansinh.synth.months`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ansinh.registry.models import Scheme
from ansinh.synth.careers import Careers
from ansinh.synth.config import Shape
from ansinh.synth.months import month_number, years_of_months
from ansinh.synth.people import Population
from ansinh.synth.wages import Floors

NO_EMPLOYER = -1
GROUPS = ("DN", "HC", "GD", "HT", "TE", "HS", "SV")
"""HI groups the generator uses: enterprise and State-sector employees, households (also
for voluntary SI), pensioners, children under six, pupils, students."""
GROUP_ENTERPRISE, GROUP_STATE, GROUP_HOUSEHOLD, GROUP_PENSIONER, GROUP_CHILD, GROUP_PUPIL, GROUP_STUDENT = (
    range(len(GROUPS))
)
SCHEMES = tuple(Scheme)


@dataclass(frozen=True)
class Periods:
    """Participation periods as parallel columns (``end`` is inclusive)."""

    person: np.ndarray
    employer: np.ndarray
    """Employer row, or ``NO_EMPLOYER``."""
    scheme: np.ndarray
    """Index into ``SCHEMES``."""
    group: np.ndarray
    """Index into ``GROUPS``."""
    start: np.ndarray
    end: np.ndarray
    open: np.ndarray
    salary: np.ndarray

    @classmethod
    def of(
        cls, person: np.ndarray, start: np.ndarray, end: np.ndarray, open_: np.ndarray,
        *, scheme: Scheme, group: int | np.ndarray, salary: np.ndarray | int = 0,
        employer: np.ndarray | None = None,
    ) -> Periods:
        n = person.size
        return cls(
            person=person,
            employer=np.full(n, NO_EMPLOYER, dtype=np.int64) if employer is None else employer,
            scheme=np.full(n, SCHEMES.index(scheme), dtype=np.int8),
            group=np.broadcast_to(np.asarray(group, dtype=np.int8), (n,)).copy(),
            start=start, end=end, open=open_,
            salary=np.broadcast_to(np.asarray(salary, dtype=np.int64), (n,)).copy(),
        )

    @classmethod
    def concat(cls, parts: list[Periods]) -> Periods:
        return cls(*(np.concatenate([getattr(p, f) for p in parts]) for f in cls.__dataclass_fields__))

    @property
    def months(self) -> np.ndarray:
        """Months covered, counting an open period up to its ``end`` (the month observed)."""
        return np.asarray(self.end - self.start + 1)


def round_up(amount: np.ndarray, step: int) -> np.ndarray:
    """Whole multiples of ``step`` đồng, rounding up (so a floor is never undercut)."""
    return (np.ceil(amount / step) * step).astype(np.int64)


def compulsory_periods(
    rng: np.random.Generator, pop: Population, careers: Careers, *, employer: np.ndarray,
    region: np.ndarray, state: np.ndarray, floors: Floors, shape: Shape,
) -> Periods:
    """One period per job and calendar year, at that year's salary.

    ``employer``, ``region`` and ``state`` are given per spell (the employer's row, its wage
    region and whether it is a State unit, which makes the HI group HC rather than DN).
    """
    first_year = years_of_months(careers.spell_start)
    count = years_of_months(careers.spell_end) - first_year + 1
    spell = np.repeat(np.arange(count.size), count)
    offset = np.arange(spell.size) - np.repeat(np.cumsum(count) - count, count)
    january = (first_year[spell] + offset - 1970) * 12
    start = np.maximum(careers.spell_start[spell], january)
    end = np.minimum(careers.spell_end[spell], january + 11)
    last = end == careers.spell_end[spell]
    person = careers.spell_person[spell]
    wages = shape.section("wages")
    skill = rng.normal(0.0, float(wages["skill_sigma"]), pop.size)
    years = (start - careers.start[person]) / 12.0
    multiplier = np.exp(
        np.log(float(wages["median_multiplier"])) + skill[person]
        + float(wages["yearly_growth"]) * years + rng.normal(0.0, float(wages["noise_sigma"]), spell.size)
    )
    floor = floors.floor(region[spell], end)
    step = int(wages["round_to"])
    salary = np.maximum(round_up(floor * multiplier, step), round_up(floor.astype(np.float64), step))
    return Periods.of(
        person, start, end, careers.spell_open[spell] & last,
        scheme=Scheme.COMPULSORY, group=np.where(state[spell], GROUP_STATE, GROUP_ENTERPRISE),
        salary=salary, employer=employer[spell],
    )


def voluntary_periods(
    rng: np.random.Generator, pop: Population, careers: Careers, *, observed: int, floors: Floors, shape: Shape
) -> Periods:
    """One open-ended voluntary SI period for some who left formal work and a few others.

    It starts after the last job (after a delay) or, for those who never had one, at a
    random month of their adult life, never before ``voluntary.from``, and ends before
    retirement age; the declared income is a multiple of the base salary at its start.
    """
    n = pop.size
    section = shape.section("voluntary")
    earliest = max(floors.first, month_number(shape.month("voluntary", "from")))
    retire_by = np.minimum(careers.retire - 1, careers.horizon)
    left = careers.formal & (careers.stop < np.minimum(careers.retire, careers.horizon + 1))
    delay = np.floor(rng.random(n) * float(section["max_delay_months"])).astype(np.int64)
    adult = careers.birth_month + 12 * int(shape.number("households", "adult_age"))
    never_start = np.maximum(adult, earliest)
    never_start = never_start + np.floor(rng.random(n) * np.maximum(retire_by - never_start, 0)).astype(np.int64)
    draw = rng.random(n)
    chosen_left = left & (draw < float(section["former_share"]))
    chosen_never = ~careers.formal & (draw < float(section["never_formal_share"]))
    start = np.where(chosen_left, np.maximum(careers.stop + delay, earliest), never_start)
    valid = (chosen_left | chosen_never) & (start <= retire_by)
    person = np.flatnonzero(valid)
    low, high = shape.pair("voluntary", "income_multiplier")
    income = floors.base(start[person]) * (low + rng.random(person.size) * (high - low))
    end = retire_by[person]
    return Periods.of(
        person, start[person], end, (end == observed) & ~pop.dead[person],
        scheme=Scheme.VOLUNTARY, group=GROUP_HOUSEHOLD,
        salary=round_up(income, int(shape.number("wages", "round_to"))),
    )


def pension_periods(
    pop: Population, careers: Careers, contributed: Periods, *, observed: int, floors: Floors, shape: Shape
) -> Periods:
    """An open HI period (group HT) from the retirement month for those with enough years.

    The monthly amount is synthetic: ``rate`` x the mean declared salary, each salary
    brought to the month observed by the growth of the region I wage floor (a stand-in for
    the legal revaluation coefficients), the rate rising from ``base_rate`` by ``step_rate``
    a year beyond ``base_years`` up to ``max_rate``, and at least the base salary of the
    month observed. It is not the legal pension formula.
    """
    months = np.bincount(contributed.person, weights=contributed.months, minlength=pop.size)
    revalued = contributed.salary * (floors.floor(np.array([1]), np.array([observed]))[0] / floors.floor(
        np.ones_like(contributed.end), contributed.end
    ))
    earned = np.bincount(contributed.person, weights=contributed.months * revalued, minlength=pop.size)
    section = shape.section("pension")
    eligible = (months >= float(section["min_months"])) & (careers.retire <= careers.horizon)
    person = np.flatnonzero(eligible)
    years = months[person] / 12.0
    rate = np.minimum(
        float(section["max_rate"]),
        float(section["base_rate"]) + float(section["step_rate"]) * np.maximum(years - float(section["base_years"]), 0),
    )
    amount = round_up(rate * earned[person] / months[person], int(shape.number("wages", "round_to")))
    amount = np.maximum(amount, floors.base(np.array([observed]))[0])
    return Periods.of(
        person, careers.retire[person], careers.horizon[person], ~pop.dead[person],
        scheme=Scheme.HI_ONLY, group=GROUP_PENSIONER, salary=amount,
    )
