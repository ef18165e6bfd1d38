"""The average monthly salary (and income) a pension or a lump sum is paid on, revalued.

Law on SI 58/2014/QH13 arts. 62, 63, 79 (benefits granted to 2025-06-30) and 41/2024/QH15
arts. 72, 73, 104 with Decree 158/2025 arts. 15-17 (from 2025-07-01); the law of the day
of grant applies, read from dated parameters under ``si.pension.average`` and
``si.pension.revaluation``:

- salaries set by the employer (``sector: enterprise``): every month, each year's salaries
  × the coefficient of that contribution year in the table of the year of grant
  (``si.pension.revaluation.compulsory.<year>``, ``before_1995`` for earlier years);
- salaries on the State pay scale (``sector: state``): the quote's salary is the pay
  coefficient × the base salary of that month, so each month's coefficient is
  ``salary / si.base_salary`` (exact). Only the last ``state_last_years.<band>`` years of
  State months are averaged, the band being the year compulsory SI began (``before_1995``
  or the first year of the band; a start from ``state_whole_period_from`` averages them
  all); with fewer State months than that, all of them. A worker who began before
  ``state_reference_revaluation_started_before`` has each coefficient multiplied by the
  base salary (from 2025-07-01 the reference level, equal to it) on the day of grant;
  later starters are revalued by the CPI table like employer-set pay. Where
  ``state_whole_period_if_higher`` is in force (Decree 158 art. 15(2)(c)) the whole State
  period is averaged when that is higher;
- State and employer-set months together (``state_and_employer_set_overall``): the State
  average counted for every State month plus every revalued employer-set salary, over
  all compulsory months;
- voluntary incomes (``scheme: voluntary``): each year's incomes × the income coefficient
  of the table of the year of grant (``si.pension.revaluation.voluntary.<year>``); with
  compulsory months (``compulsory_and_voluntary_overall``): the revalued incomes plus the
  compulsory average counted for every compulsory month, over all months.

Refused with :class:`InvalidInput` naming the period, never guessed: a State salary of 0
(``sector.state_salary_not_positive``), a voluntary period on the State scale
(``scheme.voluntary_not_state``), a State month to be revalued before the base salary
table begins (``sector.state_before_base_salary``), a State month to be averaged before
``state_conversion_before`` (2004-10-01), whose salary must first be converted to the
pay scale of the day of grant by grade and step, which the quote does not carry
(``sector.state_conversion_not_modelled``), and a career with both State and
employer-set months whose whole State period averages higher than its last years
(``sector.state_mixed_whole_period_not_decided``: Decree 158 art. 15(4) averages the
State time under art. 72(1) and does not say whether art. 15(2)(c) applies to it).

Not modelled (the quote does not carry them): the hazardous-pay years and the armed forces
transfers of Decree 158 art. 15(2)(a)-(b), the occupational-seniority allowance (15(3)),
commune officials (15(5)) and unpaid time before 1995 (15(6)).

The average is exact; the amount the law names (the pension, the lump sum) is rounded once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.core.periods import add_months, format_month, month_start, months_between
from ansinh.law.params import ParameterSet
from ansinh.rules.contribution_law import BASE_SALARY_KEY, rate
from ansinh.rules.explain import Line, basis, decimal, dong
from ansinh.rules.history import check_history, field_of
from ansinh.rules.money import round_half_up

REVALUATION_PREFIX = "si.pension.revaluation.compulsory"
VOLUNTARY_PREFIX = "si.pension.revaluation.voluntary"
FIRST_TABLE_YEAR = 1995
AVERAGE = "si.pension.average"
STATE_YEARS_PREFIX = f"{AVERAGE}.state_last_years"
STATE_WHOLE_FROM_KEY = f"{AVERAGE}.state_whole_period_from"
STATE_BY_BASE_BEFORE_KEY = f"{AVERAGE}.state_reference_revaluation_started_before"
STATE_BASIS_KEY = f"{AVERAGE}.state_revaluation_basis"
STATE_IF_HIGHER_KEY = f"{AVERAGE}.state_whole_period_if_higher"
STATE_CONVERSION_KEY = f"{AVERAGE}.state_conversion_before"
STATE_MIXED_KEY = f"{AVERAGE}.state_and_employer_set_overall"
EMPLOYER_SET_KEY = f"{AVERAGE}.employer_set_all_months"
VOLUNTARY_MIXED_KEY = f"{AVERAGE}.compulsory_and_voluntary_overall"
VOLUNTARY_ALL_KEY = f"{AVERAGE}.voluntary_all_months"
REFERENCE_EQUALS_BASE_KEY = "si.reference_level_equals_base_salary"


@dataclass(frozen=True)
class SalaryPeriod:
    """Contribution months, inclusive (month starts), at one monthly salary (or income)."""

    start: dt.date
    end: dt.date
    salary: int
    scheme: str = "compulsory"
    sector: str = "enterprise"
    index: int | None = None


@dataclass(frozen=True)
class _Month:
    month: dt.date
    salary: int
    field: str  # the period's ``from`` field, to name it in errors


def revaluation_key(year: int) -> str:
    """The coefficient key of contribution year ``year``."""
    return f"{REVALUATION_PREFIX}.{'before_1995' if year < FIRST_TABLE_YEAR else year}"


def coefficient(params: ParameterSet, year: int, granted: dt.date) -> Fraction:
    """The revaluation coefficient of contribution ``year`` for a benefit granted on ``granted``."""
    return rate(params, revaluation_key(year), granted)


def voluntary_coefficient(params: ParameterSet, year: int, granted: dt.date) -> Fraction:
    """The coefficient of voluntary incomes of ``year`` for a benefit granted on ``granted``."""
    key = f"{VOLUNTARY_PREFIX}.{year}"
    if key not in params.parameters:
        raise ParameterNotInForce(f"no revaluation coefficient for voluntary incomes of {year}",
                                  code="law.parameter_not_in_force", field="as_of",
                                  rule=f"voluntary incomes are revalued by the {VOLUNTARY_PREFIX}.<year> tables")
    return rate(params, key, granted)


def check_periods(periods: tuple[SalaryPeriod, ...], granted: dt.date) -> None:
    """Refuse what cannot be averaged, naming the field."""
    if not periods:
        raise InvalidInput("no contribution periods given", code="history.empty", field="history",
                           rule="an average salary needs at least one contribution month")
    for position, period in enumerate(periods):
        if period.scheme not in ("compulsory", "voluntary"):
            raise InvalidInput(f"scheme {period.scheme!r} is not compulsory or voluntary", code="scheme.invalid",
                               field=field_of(period, position, "scheme"), rule="scheme is compulsory or voluntary")
        if period.sector not in ("enterprise", "state"):
            raise InvalidInput(f"sector {period.sector!r} is not enterprise or state", code="sector.invalid",
                               field=field_of(period, position, "sector"), rule="sector is enterprise or state")
        if period.scheme == "voluntary" and period.sector == "state":
            raise InvalidInput("a voluntary period has an income chosen by the person, not a State pay scale",
                               code="scheme.voluntary_not_state", field=field_of(period, position, "sector"),
                               rule="voluntary SI periods are in sector enterprise (the default)")
        if period.sector == "state" and period.salary == 0:
            raise InvalidInput("a State pay-scale salary is a coefficient × the base salary and cannot be 0",
                               code="sector.state_salary_not_positive", field=field_of(period, position, "salary"),
                               rule="State pay-scale salaries are positive")
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


def _by_year(params: ParameterSet, periods: tuple[SalaryPeriod, ...], granted: dt.date, *,
             voluntary: bool) -> tuple[Fraction, int, list[Line]]:
    """(revalued total, months, lines) of employer-set salaries or voluntary incomes, by year."""
    total, count, lines = Fraction(0), 0, []
    what, what_vi = ("Voluntary incomes", "Thu nhập BHXH tự nguyện") if voluntary else ("Salaries", "Tiền lương")
    for year, (months, amount) in months_by_year(periods).items():
        coef = voluntary_coefficient(params, year, granted) if voluntary else coefficient(params, year, granted)
        key = f"{VOLUNTARY_PREFIX}.{year}" if voluntary else revaluation_key(year)
        total += amount * coef
        count += months
        lines.append(Line(f"{what} of {year}, revalued", f"{what_vi} năm {year} đã điều chỉnh",
                          f"{months} months, {dong(amount)} × {decimal(coef)} = {dong(round_half_up(amount * coef))}",
                          basis(params, key, granted)))
    return total, count, lines


def _expand(periods: list[tuple[int, SalaryPeriod]]) -> list[_Month]:
    months = []
    for position, period in periods:
        start = month_start(period.start)
        months += [_Month(add_months(start, offset), period.salary, field_of(period, position, "from"))
                   for offset in range(months_between(start, month_start(period.end)))]
    return months


def state_years(params: ParameterSet, began: dt.date, granted: dt.date) -> tuple[int | None, str]:
    """(years of State months averaged, None for all of them; the key deciding it) for SI begun on ``began``."""
    if began >= dt.date.fromisoformat(str(params.value_at(STATE_WHOLE_FROM_KEY, granted))):
        return None, STATE_WHOLE_FROM_KEY
    bands = sorted(int(key.rsplit(".", 1)[1]) for key in params.parameters
                   if key.startswith(f"{STATE_YEARS_PREFIX}.") and key.rsplit(".", 1)[1].isdigit())
    starts = [year for year in bands if year <= began.year]
    key = f"{STATE_YEARS_PREFIX}.{starts[-1] if starts else 'before_1995'}"
    return int(params.value_at(key, granted)), key


@dataclass(frozen=True)
class StateRevaluation:
    """How State months are revalued: by the base salary (``multiplier``) or, if not ``by_base``, by the CPI."""

    by_base: bool
    multiplier: int
    where: str


def state_revaluation(params: ParameterSet, began: dt.date, granted: dt.date) -> StateRevaluation:
    """How the State months of a worker whose SI began on ``began`` are revalued for a grant on ``granted``."""
    by_base = began < dt.date.fromisoformat(str(params.value_at(STATE_BY_BASE_BEFORE_KEY, granted)))
    if not by_base:
        return StateRevaluation(by_base=False, multiplier=0,
                                where=basis(params, STATE_BY_BASE_BEFORE_KEY, granted))
    which = params.value_at(STATE_BASIS_KEY, granted)
    where = "; ".join(dict.fromkeys((basis(params, STATE_BY_BASE_BEFORE_KEY, granted),
                                     basis(params, STATE_BASIS_KEY, granted), basis(params, BASE_SALARY_KEY, granted))))
    if which == "reference_level" and params.value_at(REFERENCE_EQUALS_BASE_KEY, granted) is not True:
        raise ParameterNotInForce(f"no reference level on {granted.isoformat()}", code="law.parameter_not_in_force",
                                  field="as_of", rule="the reference level is encoded while it equals the base salary")
    return StateRevaluation(by_base=True, multiplier=int(params.value_at(BASE_SALARY_KEY, granted)), where=where)


def _state_value(params: ParameterSet, month: _Month, granted: dt.date, how: StateRevaluation) -> Fraction:
    """One State month revalued: its coefficient × the base salary of the grant, or its salary × the CPI."""
    if not how.by_base:
        return month.salary * coefficient(params, month.month.year, granted)
    base = month_base_salary(params, month.month)
    if base is None:
        first = params.get(BASE_SALARY_KEY).values[0].starts
        raise InvalidInput(
            f"no base salary is known for {format_month(month.month)} (the table begins {format_month(first)}):"
            " the State pay-scale coefficient of that month cannot be derived", code="sector.state_before_base_salary",
            field=month.field, rule="State pay-scale months revalued by the base salary need that month's base salary",
        ) from None
    return Fraction(month.salary, base) * how.multiplier


def month_base_salary(params: ParameterSet, month: dt.date) -> int | None:
    """The base salary a State pay-scale coefficient of ``month`` is derived from (None before the table)."""
    try:
        return int(params.value_at(BASE_SALARY_KEY, month))
    except ParameterNotInForce:
        return None


def state_conversion_before(params: ParameterSet, granted: dt.date) -> dt.date:
    """State months before this day must be converted to the pay scale of the grant to be averaged."""
    return dt.date.fromisoformat(str(params.value_at(STATE_CONVERSION_KEY, granted)))


def state_whole_period_if_higher(params: ParameterSet, granted: dt.date) -> bool:
    """Whether the whole State period is averaged where higher than the last years, for a grant on ``granted``."""
    return params.value_at(STATE_IF_HIGHER_KEY, granted) is True


def _check_conversion(params: ParameterSet, months: list[_Month], granted: dt.date, why: str) -> None:
    converted_before = state_conversion_before(params, granted)
    early = [m for m in months if m.month < converted_before]
    if early:
        raise InvalidInput(
            f"the State pay-scale salary of {format_month(early[0].month)} is averaged ({why}) and, being before"
            f" {format_month(converted_before)}, must first be converted to the pay scale in force on the day of grant"
            f" ({basis(params, STATE_CONVERSION_KEY, granted)}); the conversion needs the grade and step, which are"
            " not in the case", code="sector.state_conversion_not_modelled", field=early[0].field,
            rule=f"State pay-scale months averaged are from {format_month(converted_before)}")


def _state_lines(params: ParameterSet, months: list[_Month], values: list[Fraction], granted: dt.date,
                 how: StateRevaluation) -> list[Line]:
    years: dict[int, list[Fraction]] = defaultdict(lambda: [Fraction(0), Fraction(0), Fraction(0)])
    for month, value in zip(months, values, strict=True):
        entry = years[month.month.year]
        entry[0] += 1
        entry[1] += value / how.multiplier if how.by_base else month.salary
        entry[2] += value
    lines = []
    for year, (count, amount, revalued) in sorted(years.items()):
        shown = (f"coefficients {decimal(amount)} × {dong(how.multiplier)}" if how.by_base else
                 f"{dong(int(amount))} × {decimal(coefficient(params, year, granted))}")
        lines.append(Line(f"State pay-scale salaries of {year}, revalued", f"Tiền lương theo thang lương Nhà nước"
                          f" năm {year} đã điều chỉnh", f"{count} months, {shown} = {dong(round_half_up(revalued))}",
                          how.where if how.by_base else basis(params, revaluation_key(year), granted)))
    return lines


def _state_average(params: ParameterSet, periods: list[tuple[int, SalaryPeriod]], began: dt.date,
                   granted: dt.date, mixed: bool) -> tuple[Fraction, int, list[Line], str]:
    """(State average, State months, lines, basis): the last years' average, or the whole period's where higher."""
    months = _expand(periods)
    years, years_key = state_years(params, began, granted)
    window = months if years is None else months[-12 * years:]
    how = state_revaluation(params, began, granted)
    whole_rule = len(window) < len(months) and state_whole_period_if_higher(params, granted)
    span = "the whole period" if years is None else f"the last {years} years"
    used = months if whole_rule else window
    values = [_state_value(params, month, granted, how) for month in used]
    _check_conversion(params, used, granted, "the whole State period is compared with the last years"
                      if whole_rule else f"it is one of the months of {span}")
    last_values = values[len(used) - len(window):]
    average = sum(last_values, Fraction(0)) / len(window)
    chosen = window
    lines = [Line("State pay-scale months averaged", "Thời gian đóng theo thang lương Nhà nước được tính bình quân",
                  f"SI began {format_month(began)}: {span}, {format_month(window[0].month)} to"
                  f" {format_month(window[-1].month)}, {len(window)} of {len(months)} months",
                  basis(params, years_key, granted))]
    if whole_rule:
        whole = sum(values, Fraction(0)) / len(months)
        higher = whole > average
        if higher and mixed:
            raise InvalidInput(
                "the State pay-scale months average higher over the whole period than over the last years; whether"
                f" {basis(params, STATE_IF_HIGHER_KEY, granted)} applies to the State time of a career that also has"
                " employer-set months is not decided here", code="sector.state_mixed_whole_period_not_decided",
                field="history", rule="a mixed career is averaged when the rule on the whole State period is clear")
        lines.append(Line("Whole State period compared", "So sánh với bình quân toàn bộ thời gian",
                          f"last years {dong(round_half_up(average))}, whole period {dong(round_half_up(whole))}:"
                          f" {'the whole period is higher and is used' if higher else 'the last years are kept'}",
                          basis(params, STATE_IF_HIGHER_KEY, granted)))
        if higher:
            average, chosen, last_values = whole, months, values
    lines += _state_lines(params, chosen, last_values, granted, how)
    lines.append(Line("State pay-scale average", "Mức bình quân tiền lương theo thang lương Nhà nước",
                      f"{dong(round_half_up(sum(last_values, Fraction(0))))} / {len(chosen)} months ="
                      f" {dong(round_half_up(average))}", basis(params, years_key, granted)))
    return average, len(months), lines, basis(params, years_key, granted)


def average_salary(params: ParameterSet, periods: tuple[SalaryPeriod, ...],
                   granted: dt.date) -> tuple[Fraction, int, list[Line]]:
    """(exact revalued average, months averaged, explanation lines) for a benefit granted on ``granted``."""
    check_periods(periods, granted)
    indexed = list(enumerate(periods))
    state = [(i, p) for i, p in indexed if p.scheme == "compulsory" and p.sector == "state"]
    employer = tuple(p for _, p in indexed if p.scheme == "compulsory" and p.sector != "state")
    voluntary = tuple(p for _, p in indexed if p.scheme == "voluntary")
    compulsory = [p for _, p in indexed if p.scheme == "compulsory"]
    lines: list[Line] = []
    total, count = Fraction(0), 0
    bases: list[str] = []
    if employer:
        employer_total, employer_months, employer_lines = _by_year(params, employer, granted, voluntary=False)
        total, count = employer_total, employer_months
        lines += employer_lines
        bases.append(basis(params, EMPLOYER_SET_KEY, granted))
    if state:
        began = month_start(compulsory[0].start)
        state_average, state_months, state_lines, state_basis = _state_average(
            params, state, began, granted, bool(employer))
        total += state_average * state_months
        count += state_months
        lines += state_lines
        bases.append(basis(params, STATE_MIXED_KEY, granted) if employer else state_basis)
    if voluntary:
        voluntary_total, voluntary_months, voluntary_lines = _by_year(params, voluntary, granted, voluntary=True)
        total += voluntary_total
        count += voluntary_months
        lines += voluntary_lines
        bases.append(basis(params, VOLUNTARY_MIXED_KEY if compulsory else VOLUNTARY_ALL_KEY, granted))
    average = total / count
    if len(bases) == 1 and state and not employer and not voluntary:
        return average, count, lines  # the State average line is the average
    shown = round_half_up(average)
    lines.append(Line("Average monthly salary (revalued)", "Mức bình quân tiền lương tháng đóng BHXH",
                      f"{dong(round_half_up(total))} / {count} months = {dong(shown)}"
                      + (" (shown rounded; the benefit uses the exact average)" if average != shown else ""),
                      "; ".join(dict.fromkeys(bases))))
    return average, count, lines


__all__ = ["SalaryPeriod", "StateRevaluation", "average_salary", "check_periods", "coefficient", "month_base_salary",
           "months_by_year", "revaluation_key", "state_conversion_before", "state_revaluation",
           "state_whole_period_if_higher", "state_years", "voluntary_coefficient"]
