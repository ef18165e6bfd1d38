"""The average monthly salary a pension or a lump sum is paid on, revalued (Law 41/2024 arts. 72-73).

Salaries set by the employer: every contribution month is averaged, each year's salaries
multiplied by the revaluation coefficient of that contribution year in the table for the
year the benefit is granted (``si.pension.revaluation.compulsory.<year>``, contributions
before 1995 under ``before_1995``; Decree 158/2025 art. 16). Each dated value of those keys
is one year's table: Circular 01/2025/TT-BLĐTBXH for benefits granted in 2025 and VSS
Công văn 340/BHXH-CSXH for 2026. No table is known for other years of grant, so there the
lookup raises :class:`~ansinh.core.errors.ParameterNotInForce` instead of reusing one.

State pay scale periods (revalued by the reference level on the coefficient of each salary,
averaged over the last years by the year SI began, with the special cases of Decree 158
art. 15) and voluntary periods (their own income table) are refused with ``InvalidInput``:
they are not modelled here.

The average is exact; the amount the law names (the pension, the lump sum) is rounded once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from ansinh.core.errors import InvalidInput
from ansinh.core.periods import add_months, month_start, months_between
from ansinh.law.params import ParameterSet
from ansinh.rules.contribution_law import rate
from ansinh.rules.explain import Line, basis, dong
from ansinh.rules.history import check_history, field_of
from ansinh.rules.money import round_half_up

REVALUATION_PREFIX = "si.pension.revaluation.compulsory"
FIRST_TABLE_YEAR = 1995


@dataclass(frozen=True)
class SalaryPeriod:
    """Contribution months, inclusive (month starts), at one monthly salary."""

    start: dt.date
    end: dt.date
    salary: int
    scheme: str = "compulsory"
    sector: str = "enterprise"
    index: int | None = None


def revaluation_key(year: int) -> str:
    """The coefficient key of contribution year ``year``."""
    return f"{REVALUATION_PREFIX}.{'before_1995' if year < FIRST_TABLE_YEAR else year}"


def coefficient(params: ParameterSet, year: int, granted: dt.date) -> Fraction:
    """The revaluation coefficient of contribution ``year`` for a benefit granted on ``granted``."""
    return rate(params, revaluation_key(year), granted)


def check_periods(periods: tuple[SalaryPeriod, ...], granted: dt.date) -> None:
    """Refuse what this module cannot average, naming the field."""
    if not periods:
        raise InvalidInput("no contribution periods given", code="history.empty", field="history",
                           rule="an average salary needs at least one contribution month")
    for position, period in enumerate(periods):
        if period.sector == "state":
            raise InvalidInput(
                "salaries on the State pay scale are not supported: their revaluation by the reference level"
                " and the last-years average (Law 41/2024 arts. 72(1), 73(1)(a)) are not modelled",
                code="sector.state_not_supported", field="history",
                rule="only salaries set by the employer are averaged")
        if period.scheme != "compulsory":
            raise InvalidInput("voluntary SI periods are not supported by the pension average",
                               code="scheme.voluntary_not_supported", field=field_of(period, position, "scheme"),
                               rule="only compulsory SI periods are averaged")
    check_history(periods, event=granted)


def months_by_year(periods: tuple[SalaryPeriod, ...]) -> dict[int, tuple[int, int]]:
    """Contribution year → (months, sum of salaries)."""
    years: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for period in periods:
        start = month_start(period.start)
        for offset in range(months_between(start, month_start(period.end))):
            month = add_months(start, offset)
            years[month.year][0] += 1
            years[month.year][1] += period.salary
    return {year: (months, total) for year, (months, total) in sorted(years.items())}


def average_salary(params: ParameterSet, periods: tuple[SalaryPeriod, ...],
                   granted: dt.date) -> tuple[Fraction, int, list[Line]]:
    """(exact revalued average, months averaged, explanation lines) for a benefit granted on ``granted``."""
    check_periods(periods, granted)
    lines: list[Line] = []
    revalued_total = Fraction(0)
    count = 0
    for year, (months, total) in months_by_year(periods).items():
        coef = coefficient(params, year, granted)
        revalued = total * coef
        revalued_total += revalued
        count += months
        lines.append(Line(f"Salaries of {year}, revalued", f"Tiền lương năm {year} đã điều chỉnh",
                          f"{months} months, {dong(total)} × {float(coef):g} = {dong(round_half_up(revalued))}",
                          basis(params, revaluation_key(year), granted)))
    average = revalued_total / count
    shown = round_half_up(average)
    lines.append(Line("Average monthly salary (revalued)", "Mức bình quân tiền lương tháng đóng BHXH",
                      f"{dong(round_half_up(revalued_total))} / {count} months = {dong(shown)}"
                      + (" (shown rounded; the benefit uses the exact average)" if average != shown else ""),
                      "Law on Social Insurance 41/2024/QH15, art. 72(2) (all months of employer-set pay)"))
    return average, count, lines


__all__ = ["SalaryPeriod", "average_salary", "check_periods", "coefficient", "months_by_year", "revaluation_key"]
