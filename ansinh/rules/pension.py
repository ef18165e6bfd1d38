"""The monthly old-age pension: eligibility, rate, early reduction, lump sum, minimum.

Law on SI 58/2014/QH13 (retirements to 2025-06-30) and 41/2024/QH15 (from 2025-07-01); the
law of the retirement date (``as_of``) applies, read from dated parameters:

- which rules: a career with voluntary months takes the compulsory rules with at least
  ``si.pension.mixed.compulsory_min_years`` whole compulsory years
  (``compulsory_min_years_reduced_capacity`` for an early pension on reduced capacity),
  otherwise the voluntary rules (Law 58 art. 71, Law 41 art. 111): the normal age only,
  ``si.pension.voluntary.min_years`` of all SI, the same rate and lump sum
  (``si.pension.voluntary.rates_as_compulsory``) and no minimum pension. Time counts in
  total, compulsory and voluntary (Decree 158 art. 17(1));
- age: the normal retirement age (:mod:`ansinh.rules.retirement_age`); with
  ``early_reason`` hazardous and at least ``si.retirement_age.early.hazardous_min_years``
  years in hazardous jobs, ``hazardous_years_below`` years lower; on reduced working
  capacity (``loss_percent``) below the reference age (the normal age, or the hazardous
  age with those years: Decree 158 art. 13(2)), ``si.pension.early.reduced_capacity_years_below``
  years below the normal age from a loss of ``reduced_capacity_min_loss``, and
  ``severe_capacity_years_below`` from ``severe_capacity_min_loss``. The pension at any
  age for ``especially_hazardous_min_years`` in especially heavy jobs (Law 58 art.
  55(1)(c), Law 41 art. 65(1)(c)) needs to know which jobs were especially heavy, which the
  quote's hazardous flag does not say: a case that only that rule could grant is refused
  (``pension.especially_hazardous_not_decided``). From 2025-07-01 a person who joined
  voluntary SI before ``si.pension.voluntary.transitional.joined_before`` with
  ``transitional.min_years`` of voluntary SI may retire at the transitional ages (Law 41
  art. 141(9), Decree 158 art. 17(2)). Ages are compared in months (the worker is of age
  from the month it is reached);
- years: eligibility counts whole years (12 full months); ``si.pension.eligibility.min_years``
  (``min_years_reduced_capacity`` for the early pension on reduced capacity);
- the rate counts odd months 1-6 as half a year and 7-11 as a full year (art. 5(6)); women
  ``base + female.step × (Y − female.base_years)``; men the same with the men's parameters when
  ``Y ≥ male.base_years``, else ``male_short.base + male_short.step × (Y − male_short.base_years)``;
  at most ``rate.max``; then, for an early pension on reduced capacity,
  ``early.reduction_per_year`` for each whole year before the reference age and
  ``early.reduction_half_year`` for odd months as ``early.half_year_rule`` says (6 months is
  the law's threshold in both versions);
- the lump sum on retirement: ``lump_sum.per_year × AS`` for each (rounded) year above the
  years that give the maximum rate (``base_years + (max − base) / step``), or
  ``lump_sum.per_year_after_age`` months of AS for such years contributed after reaching the
  retirement age, where that rule is in force;
- the minimum pension (compulsory rules only): the base salary (the reference level) for a
  pensioner with at least ``minimum.min_years`` whole compulsory years who joined SI before
  ``minimum.joined_before`` where that condition is in force.

The monthly pension and the lump sum are each rounded once, half up, to the đồng.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from ansinh.core.errors import ParameterNotInForce
from ansinh.core.periods import add_months, format_month, month_start
from ansinh.law.params import ParameterSet
from ansinh.rules.contribution_law import BASE_SALARY_KEY, rate
from ansinh.rules.explain import Line, Reason, basis, dong, percent
from ansinh.rules.money import round_half_up
from ansinh.rules.pension_ages import (
    EARLY_REASONS,
    HALF_RULE_KEY,
    MIN_YEARS_KEY,
    MIN_YEARS_REDUCED_KEY,
    REDUCTION_YEAR_KEY,
    Ages,
    PensionCase,
    pension_ages,
)
from ansinh.rules.retirement_age import Sex, format_age

BASE_KEY = "si.pension.rate.base"
MAX_KEY = "si.pension.rate.max"
SHORT_BASE_KEY = "si.pension.rate.male_short.base"
SHORT_YEARS_KEY = "si.pension.rate.male_short.base_years"
SHORT_STEP_KEY = "si.pension.rate.male_short.step"
REDUCTION_HALF_KEY = "si.pension.early.reduction_half_year"
LUMP_KEY = "si.pension.lump_sum.per_year"
LUMP_AFTER_AGE_KEY = "si.pension.lump_sum.per_year_after_age"
MINIMUM_YEARS_KEY = "si.pension.minimum.min_years"
MINIMUM_JOINED_KEY = "si.pension.minimum.joined_before"
ODD_MONTHS_BASIS = "Law on Social Insurance 41/2024/QH15, art. 5(6) (odd months 1-6 = half a year, 7-11 = a year)"


def _rate_key(sex: Sex, name: str) -> str:
    return f"si.pension.rate.{sex}.{name}"


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


def _reduction(params: ParameterSet, day: dt.date, early: int, age: int) -> tuple[Fraction, Line]:
    """The rate taken off for retiring ``early`` months before the reference age, at ``age`` months."""
    years, odd = divmod(early, 12)
    per_year, half = rate(params, REDUCTION_YEAR_KEY, day), rate(params, REDUCTION_HALF_KEY, day)
    rule = params.value_at(HALF_RULE_KEY, day)
    if rule == "early_remainder":  # Law 41 art. 66(3): 6 to 11 odd months before the age take off half
        halved, why = odd >= 6, f"{odd} odd months before the reference age"
    elif rule == "age_odd_months":  # Law 58 art. 56(3): an age with 1 to 6 odd months takes off half
        halved, why = odd > 0 and 1 <= age % 12 <= 6, f"the age has {age % 12} odd months"
    else:
        raise ParameterNotInForce(f"{HALF_RULE_KEY} {rule!r} is not a rule this calculator knows",
                                  code="law.parameter_not_in_force", field="as_of", rule="age_odd_months or"
                                  " early_remainder")
    reduction = per_year * years + (half if halved else 0)
    return reduction, Line(
        "Early-retirement reduction", "Giảm tỷ lệ hưởng do nghỉ hưu trước tuổi",
        f"{years} years {odd} months before the reference age: {percent(per_year)} × {years}"
        f" + {percent(half) if halved else '0 %'} ({why}) = {percent(reduction)}",
        f"{basis(params, REDUCTION_YEAR_KEY, day)}; {basis(params, HALF_RULE_KEY, day)}")


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
    """The pension raised to the base salary where the compulsory rules give a minimum."""
    day = case.as_of
    needed = int(params.value_at(MINIMUM_YEARS_KEY, day))
    joined_before = _in_force(params, MINIMUM_JOINED_KEY, day)
    if case.compulsory // 12 < needed:
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


def _eligibility(params: ParameterSet, case: PensionCase, ages: Ages) -> tuple[list[Line], list[Reason]]:
    """The lines and reasons of the age and years conditions."""
    day = case.as_of
    lines, reasons = list(ages.lines), list(ages.reasons)
    birth_month = month_start(case.birth_date)
    if ages.age < ages.lowest:
        reasons.append(Reason("too_young", f"aged {format_age(ages.age)} in {format_month(month_start(day))};"
                                           f" the pension needs {format_age(ages.lowest)}, reached in"
                                           f" {format_month(add_months(birth_month, ages.lowest))}"))
    needed = int(params.value_at(ages.years_key, day))
    counted = ages.years_months
    lines.append(Line("Contribution years (eligibility)", "Thời gian đóng BHXH (điều kiện)",
                      f"{_years_text(counted)}: {counted // 12} whole years, at least {needed} needed",
                      basis(params, ages.years_key, day)))
    if counted // 12 < needed:
        reasons.append(Reason("too_few_years", f"{_years_text(counted)} of SI; at least {needed} whole years"
                                               " are needed"))
    return lines, reasons


def compute(case: PensionCase, params: ParameterSet) -> PensionResult:
    """The monthly pension of a worker retiring on ``case.as_of``."""
    day = case.as_of
    average = case.average_salary
    average_shown = round_half_up(average)
    ages = pension_ages(params, case)
    lines, reasons = _eligibility(params, case, ages)
    years_counted = format_age(case.months)
    if reasons:
        return PensionResult(False, reasons, format_age(ages.normal), years_counted, Fraction(0), average_shown, 0, 0,
                             lines)
    years = benefit_years(case.months)
    lines.append(Line("Contribution years counted for the rate", "Số năm đóng tính tỷ lệ hưởng",
                      f"{_years_text(case.months)} → {years} years", ODD_MONTHS_BASIS))
    uncapped, full_years, rate_line = _rate(params, case, years)
    lines.append(rate_line)
    pension_rate = min(uncapped, rate(params, MAX_KEY, day))
    if ages.reference is not None and ages.age < ages.reference:
        reduction, reduction_line = _reduction(params, day, ages.reference - ages.age, ages.age)
        pension_rate = max(pension_rate - reduction, Fraction(0))
        lines.append(reduction_line)
    lines.append(Line("Average monthly salary", "Mức bình quân tiền lương tháng đóng BHXH", dong(average_shown),
                      "revalued average (see the salary lines)"))
    monthly = round_half_up(pension_rate * average)
    lines.append(Line("Monthly pension", "Mức lương hưu hằng tháng",
                      f"{percent(pension_rate)} × {dong(average_shown)} = {dong(monthly)} (rounded once, half up)",
                      basis(params, MAX_KEY, day)))
    if ages.compulsory_rules:
        monthly, minimum_line = _minimum(params, case, monthly)
        if minimum_line is not None:
            lines.append(minimum_line)
    lump = 0
    if full_years and years > full_years:
        lump, lump_line = _lump_sum(params, case, years - full_years, average)
        lines.append(lump_line)
    return PensionResult(True, [], format_age(ages.normal), years_counted, pension_rate, average_shown, monthly, lump,
                         lines)


__all__ = ["EARLY_REASONS", "MIN_YEARS_KEY", "MIN_YEARS_REDUCED_KEY", "PensionCase", "PensionResult", "Reason",
           "benefit_years", "compute"]
