"""Working lives: who worked with compulsory social insurance, when, in how many jobs.

A formal worker starts at a uniform age in ``work.start_age`` (not before SI histories
begin in ``work.si_start``) and works until retirement, death, the day observed, or an
early exit from formal work. In between lie up to ``max_spells`` jobs of lognormal length
separated by gaps (often none). Everything is drawn as a people x spells matrix, so one
person's jobs follow each other and never overlap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from ansinh.synth.config import Shape
from ansinh.synth.months import month_number, months_of_days, years_of_months
from ansinh.synth.people import Population


@dataclass(frozen=True)
class Careers:
    """Per person (``person`` columns) and per job spell (``spell_*`` columns)."""

    birth_month: np.ndarray
    horizon: np.ndarray
    """The last month a person can be covered: the death month or the month observed."""
    retire: np.ndarray
    """The month a person reaches retirement age."""
    formal: np.ndarray
    """Ever worked with compulsory social insurance."""
    start: np.ndarray
    """The month a formal working life starts (meaningless where not formal)."""
    stop: np.ndarray
    """The first month after the last job (exclusive end of the working life)."""
    spell_person: np.ndarray
    spell_start: np.ndarray
    spell_end: np.ndarray
    spell_open: np.ndarray
    """The job goes on past the month observed (its last period has no end)."""


def retirement_months(birth_month: np.ndarray, female: np.ndarray, shape: Shape) -> np.ndarray:
    """The month each person reaches retirement age, by the roadmap in ``shape.yaml``."""
    result = np.empty_like(birth_month)
    for sex, mask in (("male", ~female), ("female", female)):
        rule = shape.retirement(sex)
        year = years_of_months(birth_month[mask] + rule.base_months)
        extra = np.clip(rule.step_months * (year - rule.from_year + 1), 0, rule.max_extra_months)
        result[mask] = birth_month[mask] + rule.base_months + extra
    return result


def _working_lives(
    rng: np.random.Generator, pop: Population, as_of: dt.date, shape: Shape
) -> tuple[np.ndarray, ...]:
    birth_month = months_of_days(pop.birth)
    observed = month_number(as_of)
    horizon = np.where(pop.dead, months_of_days(pop.death), observed)
    retire = retirement_months(birth_month, pop.female, shape)
    low, high = shape.pair("work", "start_age")
    start_age = np.floor((low + rng.random(pop.size) * (high - low)) * 12).astype(np.int64)
    start = np.maximum(birth_month + start_age, month_number(shape.month("work", "si_start")))
    natural_stop = np.minimum(retire, horizon + 1)
    formal = (rng.random(pop.size) < shape.number("work", "formal_share")) & (start < natural_stop)
    exits = rng.random(pop.size) < shape.number("work", "exit_share")
    exit_month = start + 1 + np.floor(rng.random(pop.size) * np.maximum(natural_stop - start - 1, 0))
    stop = np.where(exits, np.minimum(natural_stop, exit_month.astype(np.int64)), natural_stop)
    return birth_month, horizon, retire, formal, start, stop


def draw_careers(rng: np.random.Generator, pop: Population, as_of: dt.date, shape: Shape) -> Careers:
    """Working lives and their job spells for the whole population."""
    birth_month, horizon, retire, formal, start, stop = _working_lives(rng, pop, as_of, shape)
    workers = np.flatnonzero(formal)
    spells = int(shape.number("work", "max_spells"))
    size = (workers.size, spells)
    log_length = np.log(shape.number("work", "spell_median_months")) + shape.number(
        "work", "spell_sigma"
    ) * rng.standard_normal(size)
    length = np.ceil(np.exp(log_length)).astype(np.int64)
    gap = np.where(
        rng.random(size) < shape.number("work", "gap_none_share"),
        0,
        np.ceil(rng.exponential(shape.number("work", "gap_mean_months"), size)).astype(np.int64),
    )
    offset = np.cumsum(length + gap, axis=1) - (length + gap)
    first = start[workers][:, None] + offset
    last = np.minimum(first + length - 1, stop[workers][:, None] - 1)
    valid = first < stop[workers][:, None]
    person = np.broadcast_to(workers[:, None], size)[valid]
    spell_end = last[valid]
    spell_open = (spell_end == month_number(as_of)) & ~pop.dead[person]
    return Careers(
        birth_month=birth_month, horizon=horizon, retire=retire, formal=formal, start=start, stop=stop,
        spell_person=person, spell_start=first[valid], spell_end=spell_end, spell_open=spell_open,
    )
