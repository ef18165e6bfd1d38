"""The monthly old-age pension of compulsory SI: eligibility, rate, early reduction, lump sum, minimum.

Law on SI 58/2014/QH13 (retirements to 2025-06-30) and 41/2024/QH15 (from 2025-07-01); the
law of the retirement date (``as_of``) applies, read from dated parameters:

- age: the normal retirement age (:mod:`ansinh.rules.retirement_age`), or
  ``si.retirement_age.early.hazardous_years_below`` years lower with at least
  ``si.retirement_age.early.hazardous_min_years`` years in hazardous jobs, or
  ``si.pension.early.reduced_capacity_years_below`` years lower on reduced working capacity;
  ages are compared in months (the worker is of age from the month it is reached);
- years: eligibility counts whole years (12 full months, Law 41 art. 5(6));
  ``si.pension.eligibility.min_years`` (``min_years_reduced_capacity`` on reduced capacity);
- the rate counts odd months 1-6 as half a year and 7-11 as a full year (art. 5(6)); women
  ``base + female.step × (Y − female.base_years)``; men the same with the men's parameters when
  ``Y ≥ male.base_years``, else ``male_short.base + male_short.step × (Y − male_short.base_years)``;
  at most ``rate.max``; then, on reduced capacity, ``early.reduction_per_year`` for each whole
  year before the reference age and ``early.reduction_half_year`` for 6-11 odd months;
- the lump sum on retirement: ``lump_sum.per_year × AS`` for each (rounded) year above the
  years that give the maximum rate (``base_years + (max − base) / step``), or
  ``lump_sum.per_year_after_age`` months of AS for such years contributed after reaching the
  retirement age, where that rule is in force;
- the minimum pension: the base salary (the reference level) for a pensioner with at least
  ``minimum.min_years`` whole years who joined SI before ``minimum.joined_before`` where that
  condition is in force.

The monthly pension and the lump sum are each rounded once, half up, to the đồng.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.core.periods import add_months, format_month, month_start
from ansinh.law.params import ParameterSet
from ansinh.rules.contribution_law import BASE_SALARY_KEY, rate
from ansinh.rules.explain import Line, Reason, basis, dong, percent
from ansinh.rules.money import round_half_up
from ansinh.rules.retirement_age import Sex, format_age, normal_retirement_age

EARLY_REASONS = ("none", "reduced_capacity", "hazardous")
MIN_YEARS_KEY = "si.pension.eligibility.min_years"
MIN_YEARS_REDUCED_KEY = "si.pension.eligibility.min_years_reduced_capacity"
HAZARD_BELOW_KEY = "si.retirement_age.early.hazardous_years_below"
HAZARD_MIN_YEARS_KEY = "si.retirement_age.early.hazardous_min_years"
REDUCED_BELOW_KEY = "si.pension.early.reduced_capacity_years_below"
BASE_KEY = "si.pension.rate.base"
MAX_KEY = "si.pension.rate.max"
SHORT_BASE_KEY = "si.pension.rate.male_short.base"
SHORT_YEARS_KEY = "si.pension.rate.male_short.base_years"
SHORT_STEP_KEY = "si.pension.rate.male_short.step"
REDUCTION_YEAR_KEY = "si.pension.early.reduction_per_year"
REDUCTION_HALF_KEY = "si.pension.early.reduction_half_year"
LUMP_KEY = "si.pension.lump_sum.per_year"
LUMP_AFTER_AGE_KEY = "si.pension.lump_sum.per_year_after_age"
MINIMUM_YEARS_KEY = "si.pension.minimum.min_years"
MINIMUM_JOINED_KEY = "si.pension.minimum.joined_before"
ODD_MONTHS_BASIS = "Law on Social Insurance 41/2024/QH15, art. 5(6) (odd months 1-6 = half a year, 7-11 = a year)"


def _rate_key(sex: Sex, name: str) -> str:
    return f"si.pension.rate.{sex}.{name}"


@dataclass(frozen=True)
class PensionCase:
    """A retirement on ``as_of``: the worker, the compulsory months and the average salary.

    ``months`` are the compulsory SI contribution months; ``average_salary`` the revalued
    average (:mod:`ansinh.rules.pension_salary`), exact; ``hazardous_months`` the months in
    heavy, hazardous or dangerous jobs; ``first_month`` the first contribution month (for the
    minimum pension's joining date); ``months_after_age`` the months contributed after the
    month the normal retirement age was reached.
    """

    as_of: dt.date
    sex: Sex
    birth_date: dt.date
    months: int
    average_salary: Fraction
    early_reason: str = "none"
    hazardous_months: int = 0
    first_month: dt.date | None = None
    months_after_age: int = 0


@dataclass
class PensionResult:
    eligible: bool
    reasons: list[Reason]
    retirement_age: str
    years_counted: str
    rate: Fraction
    average_salary: int
    monthly: int
    lump_sum: int
    explanation: list[Line] = field(default_factory=list)

    def amounts(self) -> dict[str, int | str | float]:
        """The amounts as ``ansinh quote`` publishes them."""
        return {"retirement_age": self.retirement_age, "years_counted": self.years_counted,
                "rate_percent": float(self.rate * 100), "average_salary": self.average_salary,
                "monthly": self.monthly, "lump_sum": self.lump_sum}


def benefit_years(months: int) -> Fraction:
    """Years for a benefit amount: whole years, odd 1-6 months = ½ year, 7-11 months = 1 year.

    >>> benefit_years(272), benefit_years(207), benefit_years(360)
    (Fraction(23, 1), Fraction(35, 2), Fraction(30, 1))
    """
    whole, odd = divmod(months, 12)
    return Fraction(whole) + (0 if odd == 0 else Fraction(1, 2) if odd <= 6 else 1)


def _years_text(months: int) -> str:
    return f"{months // 12} years {months % 12} months"


def _in_force(params: ParameterSet, key: str, day: dt.date) -> str | None:
    """The value of ``key`` on ``day`` as text, or None where the law has no such rule that day."""
    try:
        return str(params.value_at(key, day))
    except ParameterNotInForce:
        return None


def _check(case: PensionCase) -> None:
    if case.early_reason not in EARLY_REASONS:
        raise InvalidInput(f"early_reason {case.early_reason!r} is not one of {', '.join(EARLY_REASONS)}",
                           code="early_reason.invalid", field="early_reason",
                           rule="early_reason is none, reduced_capacity or hazardous")
    if case.months < 0:
        raise InvalidInput("months of contribution cannot be negative", code="months.negative", field="history",
                           rule="contribution months are zero or more")
    if case.average_salary < 0:
        raise InvalidInput("the average salary cannot be negative", code="salary.negative", field="history",
                           rule="salaries are whole đồng, zero or more")
    if not 0 <= case.hazardous_months <= case.months:
        raise InvalidInput("hazardous months must be between 0 and the months contributed",
                           code="hazardous.invalid", field="history", rule="hazardous months are part of the career")


def _age_lines(params: ParameterSet, case: PensionCase) -> tuple[int, int, int, list[Line], list[Reason]]:
    """(normal age, lowest age allowed, reference age for the reduction, lines, reasons)."""
    day = case.as_of
    normal = normal_retirement_age(params, case.sex, case.birth_date, day)
    lines = [Line("Normal retirement age", "Tuổi nghỉ hưu trong điều kiện lao động bình thường",
                  f"{format_age(normal.months)}, reached in {format_month(normal.reached)}", normal.basis)]
    reasons: list[Reason] = []
    lowest = reference = normal.months
    hazard_years = int(params.value_at(HAZARD_MIN_YEARS_KEY, day))
    hazardous = case.hazardous_months // 12 >= hazard_years
    hazard_below = int(params.value_at(HAZARD_BELOW_KEY, day)) * 12
    if case.early_reason == "hazardous":
        if not hazardous:
            reasons.append(Reason("too_few_hazardous_years",
                                  f"{_years_text(case.hazardous_months)} in hazardous jobs; at least {hazard_years}"
                                  " years are needed to retire earlier"))
        else:
            lowest = reference = normal.months - hazard_below
            lines.append(Line("Retirement age, hazardous jobs", "Tuổi nghỉ hưu, nghề nặng nhọc, độc hại",
                              f"{format_age(lowest)} ({_years_text(case.hazardous_months)} in hazardous jobs)",
                              basis(params, HAZARD_BELOW_KEY, day)))
    elif case.early_reason == "reduced_capacity":
        if hazardous:
            reference = normal.months - hazard_below
        lowest = reference - int(params.value_at(REDUCED_BELOW_KEY, day)) * 12
        lines.append(Line("Earliest age, reduced working capacity", "Tuổi thấp nhất khi suy giảm khả năng lao động",
                          f"{format_age(lowest)} (reference age {format_age(reference)}; 61 % to under 81 % loss"
                          " taken as given)", basis(params, REDUCED_BELOW_KEY, day)))
    return normal.months, lowest, reference, lines, reasons


def _rate(params: ParameterSet, case: PensionCase, years: Fraction) -> tuple[Fraction, Fraction, Line]:
    """(rate before the cap, years that give the maximum rate or 0, line)."""
    day = case.as_of
    base_years = Fraction(params.value_at(_rate_key(case.sex, "base_years"), day))
    maximum = rate(params, MAX_KEY, day)
    if case.sex == "male" and years < base_years:
        short_base, short_step = rate(params, SHORT_BASE_KEY, day), rate(params, SHORT_STEP_KEY, day)
        short_years = Fraction(params.value_at(SHORT_YEARS_KEY, day))
        value = short_base + short_step * (years - short_years)
        return value, Fraction(0), Line(
            "Pension rate", "Tỷ lệ hưởng lương hưu",
            f"{percent(short_base)} for {short_years} years + {percent(short_step)} × {years - short_years}"
            f" = {percent(value)}", basis(params, SHORT_BASE_KEY, day))
    base, step = rate(params, BASE_KEY, day), rate(params, _rate_key(case.sex, "step"), day)
    value = base + step * (years - base_years)
    full_years = base_years + (maximum - base) / step
    return value, full_years, Line(
        "Pension rate", "Tỷ lệ hưởng lương hưu",
        f"{percent(base)} for {base_years} years + {percent(step)} × {years - base_years} = {percent(value)}"
        f", at most {percent(maximum)} (reached at {full_years} years)",
        "; ".join(dict.fromkeys(basis(params, key, day) for key in
                                (BASE_KEY, _rate_key(case.sex, "base_years"), _rate_key(case.sex, "step")))))


def _lump_sum(params: ParameterSet, case: PensionCase, extra: Fraction, average: Fraction) -> tuple[int, Line]:
    day = case.as_of
    per_year = rate(params, LUMP_KEY, day)
    after_multiple = _in_force(params, LUMP_AFTER_AGE_KEY, day)
    after = min(extra, benefit_years(case.months_after_age)) if after_multiple is not None else Fraction(0)
    before = extra - after
    amount = per_year * before * average + Fraction(int(after_multiple or 0)) * after * average
    lump = round_half_up(amount)
    text = f"{before} years × {per_year} × {dong(round_half_up(average))}"
    bases = basis(params, LUMP_KEY, day)
    if after:
        text += f" + {after} years after the retirement age × {after_multiple} × {dong(round_half_up(average))}"
        bases += f"; {basis(params, LUMP_AFTER_AGE_KEY, day)}"
    return lump, Line("Lump sum on retirement (years above the maximum rate)", "Trợ cấp một lần khi nghỉ hưu",
                      f"{text} = {dong(lump)} (rounded once, half up)", bases)


def _minimum(params: ParameterSet, case: PensionCase, monthly: int) -> tuple[int, Line | None]:
    day = case.as_of
    needed = int(params.value_at(MINIMUM_YEARS_KEY, day))
    joined_before = _in_force(params, MINIMUM_JOINED_KEY, day)
    if case.months // 12 < needed:
        return monthly, None
    if joined_before is not None and (
            case.first_month is None or case.first_month >= dt.date.fromisoformat(joined_before)):
        return monthly, None
    floor = int(params.value_at(BASE_SALARY_KEY, day))
    if monthly >= floor:
        return monthly, None
    return floor, Line("Minimum pension", "Mức lương hưu thấp nhất",
                       f"{dong(monthly)} is below the base salary (reference level) {dong(floor)}:"
                       f" raised to {dong(floor)}",
                       f"{basis(params, MINIMUM_YEARS_KEY, day)}; {basis(params, BASE_SALARY_KEY, day)}")


def compute(case: PensionCase, params: ParameterSet) -> PensionResult:
    """The monthly pension of a worker retiring on ``case.as_of``."""
    _check(case)
    day = case.as_of
    average = case.average_salary
    average_shown = round_half_up(average)
    normal, lowest, reference, lines, reasons = _age_lines(params, case)
    birth_month = month_start(case.birth_date)
    age = (day.year - birth_month.year) * 12 + day.month - birth_month.month
    if age < lowest:
        reasons.append(Reason("too_young", f"aged {format_age(age)} in {format_month(month_start(day))};"
                                           f" the pension needs {format_age(lowest)}, reached in"
                                           f" {format_month(add_months(birth_month, lowest))}"))
    needed_key = MIN_YEARS_REDUCED_KEY if case.early_reason == "reduced_capacity" else MIN_YEARS_KEY
    needed = int(params.value_at(needed_key, day))
    lines.append(Line("Contribution years (eligibility)", "Thời gian đóng BHXH (điều kiện)",
                      f"{_years_text(case.months)}: {case.months // 12} whole years, at least {needed} needed",
                      basis(params, needed_key, day)))
    if case.months // 12 < needed:
        reasons.append(Reason("too_few_years", f"{_years_text(case.months)} of compulsory SI;"
                                               f" at least {needed} whole years are needed"))
    years_counted = format_age(case.months)
    if reasons:
        return PensionResult(False, reasons, format_age(normal), years_counted, Fraction(0), average_shown, 0, 0,
                             lines)
    years = benefit_years(case.months)
    lines.append(Line("Contribution years counted for the rate", "Số năm đóng tính tỷ lệ hưởng",
                      f"{_years_text(case.months)} → {years} years", ODD_MONTHS_BASIS))
    uncapped, full_years, rate_line = _rate(params, case, years)
    lines.append(rate_line)
    maximum = rate(params, MAX_KEY, day)
    pension_rate = min(uncapped, maximum)
    if case.early_reason == "reduced_capacity" and age < reference:
        early_years, early_months = divmod(reference - age, 12)
        per_year, half = rate(params, REDUCTION_YEAR_KEY, day), rate(params, REDUCTION_HALF_KEY, day)
        reduction = per_year * early_years + (half if early_months >= 6 else 0)
        pension_rate = max(pension_rate - reduction, Fraction(0))
        lines.append(Line("Early-retirement reduction", "Giảm tỷ lệ hưởng do nghỉ hưu trước tuổi",
                          f"{early_years} years {early_months} months before {format_age(reference)}:"
                          f" {percent(per_year)} × {early_years}"
                          f" + {percent(half) if early_months >= 6 else '0 % (under 6 months)'}"
                          f" = {percent(reduction)}; rate {percent(pension_rate)}",
                          f"{basis(params, REDUCTION_YEAR_KEY, day)}"))
    lines.append(Line("Average monthly salary", "Mức bình quân tiền lương tháng đóng BHXH", dong(average_shown),
                      "revalued average (see the salary lines)"))
    monthly = round_half_up(pension_rate * average)
    lines.append(Line("Monthly pension", "Mức lương hưu hằng tháng",
                      f"{percent(pension_rate)} × {dong(average_shown)} = {dong(monthly)} (rounded once, half up)",
                      basis(params, MAX_KEY, day)))
    monthly, minimum_line = _minimum(params, case, monthly)
    if minimum_line is not None:
        lines.append(minimum_line)
    lump = 0
    if full_years and years > full_years:
        lump, lump_line = _lump_sum(params, case, years - full_years, average)
        lines.append(lump_line)
    return PensionResult(True, [], format_age(normal), years_counted, pension_rate, average_shown, monthly, lump,
                         lines)


__all__ = ["EARLY_REASONS", "PensionCase", "PensionResult", "Reason", "benefit_years", "compute"]
