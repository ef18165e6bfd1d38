"""The lump-sum survivor benefit of a member and of a pensioner (Law 58/2014 art. 70; Law 41/2024 art. 89).

Split from :mod:`ansinh.rules.survivor`, which decides when a lump sum is paid and documents the
rules; this module computes the two amounts the law sets by formula:

- a member (active or deferred), or a monthly work-injury recipient who keeps contribution
  months: ``months_per_year_before_2014`` (1.5) months of the revalued average salary per year
  before ``split_year`` and ``months_per_year_from_2014`` (2) per year from it, at least
  ``minimum_months`` (3); odd months of the earlier period move to the later one, whose odd
  months count as half a year (1-6) or a full year (7-11);
- a pensioner: ``pensioner.full_months`` (48) months of the pension of the month of death up
  to month ``pensioner.full_until_month`` (2) of the pension, less ``reduction_per_month``
  (0.5) for each further month, at least ``pensioner.minimum_months`` (3).

Each is rounded once, half up, to the đồng.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from ansinh.core.errors import InvalidInput
from ansinh.core.periods import add_months, month_start, months_between
from ansinh.law.params import ParameterSet
from ansinh.rules.contribution_law import rate
from ansinh.rules.explain import Line, basis, decimal, dong
from ansinh.rules.history import field_of
from ansinh.rules.money import round_half_up
from ansinh.rules.pension_salary import SalaryPeriod, average_salary

LUMP_BEFORE_KEY = "si.survivor.lump_sum.months_per_year_before_2014"
LUMP_FROM_KEY = "si.survivor.lump_sum.months_per_year_from_2014"
LUMP_SPLIT_KEY = "si.survivor.lump_sum.split_year"
LUMP_MIN_KEY = "si.survivor.lump_sum.minimum_months"
PENSION_FULL_KEY = "si.survivor.lump_sum.pensioner.full_months"
PENSION_UNTIL_KEY = "si.survivor.lump_sum.pensioner.full_until_month"
PENSION_STEP_KEY = "si.survivor.lump_sum.pensioner.reduction_per_month"
PENSION_MIN_KEY = "si.survivor.lump_sum.pensioner.minimum_months"
ODD_MONTHS_HALF_YEAR = 6
"""Odd months 1-6 count as half a year, 7-11 as a full year (Law 41/2024 art. 5(6))."""


@dataclass(frozen=True)
class SurvivorPeriod:
    """Months of contributions, inclusive, at one monthly salary.

    ``state_scale``: salary on the State pay scale; ``voluntary``: voluntary SI. ``index``
    is the period's position in the caller's history, used to name the field of an error.
    """

    start: dt.date
    end: dt.date
    salary: int
    state_scale: bool = False
    voluntary: bool = False
    index: int | None = None


def compulsory_months(history: Sequence[SurvivorPeriod]) -> list[tuple[dt.date, int]]:
    """Every compulsory contribution month with its salary, oldest first."""
    months: list[tuple[dt.date, int]] = []
    for period in history:
        if period.voluntary:
            continue
        start = month_start(period.start)
        for offset in range(months_between(start, month_start(period.end))):
            months.append((add_months(start, offset), period.salary))
    return months


def _years(months: int) -> Fraction:
    """Whole years plus odd months: 1-6 → half a year, 7-11 → a full year."""
    whole, odd = divmod(months, 12)
    if odd == 0:
        return Fraction(whole)
    return Fraction(whole) + (Fraction(1, 2) if odd <= ODD_MONTHS_HALF_YEAR else 1)


def _average(params: ParameterSet, day: dt.date, history: Sequence[SurvivorPeriod],
             given: Fraction | None) -> tuple[Fraction, list[Line]]:
    """The revalued average salary (Law 41/2024 art. 72, to the last month paid; Decree 158/2025
    art. 15(7)): employer-set pay over all months, State pay-scale salaries by their own rules
    (:mod:`ansinh.rules.pension_salary`). Voluntary months are refused: the survivor rules of
    voluntary SI (Law 41 arts. 109-111, Decree 158 art. 21) are not modelled."""
    for position, period in enumerate(history):
        if period.voluntary:
            raise InvalidInput("the lump sum of a career with voluntary SI is not modelled (Law 41/2024 art. 110-111)",
                               code="survivor.voluntary_not_modelled", field=field_of(period, position, "scheme"),
                               rule="only compulsory SI careers are quoted for the survivor lump sum")
    if given is not None:
        return given, [Line(
            "Average salary", "Mức bình quân tiền lương",
            f"{dong(round_half_up(given))} (given, revalued)",
            "Law on Social Insurance 41/2024/QH15, art. 72; Decree 158/2025/ND-CP, art. 15(7)",
        )]
    periods = tuple(SalaryPeriod(start=p.start, end=p.end, salary=p.salary, sector="state" if p.state_scale else
                                 "enterprise", index=p.index if p.index is not None else i)
                    for i, p in enumerate(history))
    # the table of the year of grant, taken as the year of death (the decision date is not in the case)
    average, _, lines = average_salary(params, periods, day)
    return average, lines


def member_lump_sum(params: ParameterSet, day: dt.date, history: Sequence[SurvivorPeriod], given: Fraction | None,
                    months: list[tuple[dt.date, int]]) -> tuple[int, list[Line]]:
    """Law 58/2014 art. 70(1); Law 41/2024 art. 89(1): by the years of contributions."""
    average, average_lines = _average(params, day, history, given)
    split = int(params.value_at(LUMP_SPLIT_KEY, day))
    before = sum(1 for month, _ in months if month.year < split)
    after = len(months) - before
    years_before, odd = divmod(before, 12)
    years_after = _years(after + odd)
    per_before = Fraction(params.value_at(LUMP_BEFORE_KEY, day))
    per_after = Fraction(params.value_at(LUMP_FROM_KEY, day))
    minimum = int(params.value_at(LUMP_MIN_KEY, day))
    by_years = per_before * years_before + per_after * years_after
    multiple = max(by_years, Fraction(minimum))
    amount = round_half_up(multiple * average)
    lines = [*average_lines, Line(
        "Years for the lump sum", "Số năm tính trợ cấp tuất một lần",
        f"{before} months before {split} = {years_before} years (odd {odd} months moved on); {after} months from"
        f" {split} + {odd} = {after + odd} months = {decimal(years_after)} years (1-6 odd months = half a year,"
        " 7-11 = a year)",
        basis(params, LUMP_SPLIT_KEY, day),
    ), Line(
        "Lump-sum survivor benefit", "Trợ cấp tuất một lần",
        f"{decimal(per_before)} × {years_before} + {decimal(per_after)} × {decimal(years_after)}"
        f" = {decimal(by_years)} months, at least {minimum} → {decimal(multiple)} × {dong(round_half_up(average))}"
        f" = {dong(amount)} (rounded once, half up, to the đồng)",
        f"{basis(params, LUMP_FROM_KEY, day)}; minimum: {basis(params, LUMP_MIN_KEY, day)}",
    )]
    return amount, lines


def pension_lump_sum(params: ParameterSet, day: dt.date, pension: int, month: int) -> tuple[int, list[Line]]:
    """Law 58/2014 art. 70(2); Law 41/2024 art. 89(2): by the months of pension received, the
    month of death counted as month ``month``."""
    full = int(params.value_at(PENSION_FULL_KEY, day))
    until = int(params.value_at(PENSION_UNTIL_KEY, day))
    step = rate(params, PENSION_STEP_KEY, day)
    least = int(params.value_at(PENSION_MIN_KEY, day))
    reduced = full - step * max(0, month - until)
    multiple = max(reduced, Fraction(least))
    amount = round_half_up(multiple * pension)
    how = (f"{full} months (within the first {until})" if month <= until else
           f"{full} − {decimal(step)} × ({month} − {until}) = {decimal(reduced)} months, at least {least}")
    return amount, [Line(
        "Lump-sum survivor benefit (pensioner)", "Trợ cấp tuất một lần (người đang hưởng lương hưu)",
        f"death in month {month} of the pension: {how} → {decimal(multiple)} × {dong(pension)} = {dong(amount)}"
        " (rounded once, half up, to the đồng)",
        "; ".join(dict.fromkeys(basis(params, key, day) for key in (PENSION_FULL_KEY, PENSION_STEP_KEY,
                                                                      PENSION_MIN_KEY))),
    )]


__all__ = ["SurvivorPeriod", "compulsory_months", "member_lump_sum", "pension_lump_sum"]
