"""Which rules and which age an old-age pension is decided by (see :mod:`ansinh.rules.pension`).

The worker's career decides the rules: compulsory only, or with voluntary months and
enough compulsory years, the compulsory rules; otherwise the voluntary rules (Law 58/2014
art. 71, Law 41/2024 art. 111). The early reason then decides the age: the normal age,
the hazardous-jobs age, or the early pension on reduced working capacity with its own
ages by the loss of capacity (Law 58/2014 art. 55, Law 41/2024 art. 65), and the
reference age its reduction is counted from (Decree 158/2025 art. 13(2)); a person who
joined voluntary SI before 2021 may have a transitional age (Law 41/2024 art. 141(9)).
Everything is read from dated parameters on the retirement day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.core.periods import format_month, month_start
from ansinh.law.params import ParameterSet
from ansinh.rules.contribution_law import rate
from ansinh.rules.explain import Line, Reason, basis, percent
from ansinh.rules.retirement_age import Sex, format_age, normal_retirement_age

EARLY_REASONS = ("none", "reduced_capacity", "hazardous")
MIN_YEARS_KEY = "si.pension.eligibility.min_years"
MIN_YEARS_REDUCED_KEY = "si.pension.eligibility.min_years_reduced_capacity"
HAZARD_BELOW_KEY = "si.retirement_age.early.hazardous_years_below"
HAZARD_MIN_YEARS_KEY = "si.retirement_age.early.hazardous_min_years"
REDUCED_BELOW_KEY = "si.pension.early.reduced_capacity_years_below"
SEVERE_BELOW_KEY = "si.pension.early.severe_capacity_years_below"
REDUCED_MIN_LOSS_KEY = "si.pension.early.reduced_capacity_min_loss"
SEVERE_MIN_LOSS_KEY = "si.pension.early.severe_capacity_min_loss"
ESPECIALLY_HAZARDOUS_KEY = "si.pension.early.especially_hazardous_min_years"
HALF_RULE_KEY = "si.pension.early.half_year_rule"
REDUCTION_YEAR_KEY = "si.pension.early.reduction_per_year"
MIXED_KEY = "si.pension.mixed.compulsory_min_years"
MIXED_REDUCED_KEY = "si.pension.mixed.compulsory_min_years_reduced_capacity"
VOLUNTARY_MIN_YEARS_KEY = "si.pension.voluntary.min_years"
VOLUNTARY_RATES_KEY = "si.pension.voluntary.rates_as_compulsory"
TRANSITIONAL = "si.pension.voluntary.transitional"


@dataclass(frozen=True)
class PensionCase:
    """A retirement on ``as_of``: the worker, the months contributed and the average salary.

    ``months`` are all SI contribution months, compulsory and voluntary; ``compulsory_months``
    those of compulsory SI (None: all of them); ``average_salary`` the revalued average
    (:mod:`ansinh.rules.pension_salary`), exact; ``hazardous_months`` the months in heavy,
    hazardous or dangerous jobs; ``first_month`` the first compulsory contribution month (for
    the minimum pension's joining date); ``first_voluntary_month`` the first voluntary one;
    ``months_after_age`` the months contributed after the month the normal retirement age
    was reached; ``loss_percent`` the assessed loss of working capacity, needed with
    ``early_reason`` ``reduced_capacity``.
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
    compulsory_months: int | None = None
    first_voluntary_month: dt.date | None = None
    loss_percent: int | None = None

    @property
    def compulsory(self) -> int:
        """Months of compulsory SI."""
        return self.months if self.compulsory_months is None else self.compulsory_months

    @property
    def voluntary(self) -> int:
        """Months of voluntary SI."""
        return self.months - self.compulsory


@dataclass(frozen=True)
class Ages:
    """How the pension is decided: the ages (in months), the years condition and the rules.

    ``reference`` is the age the early reduction counts from (None: no reduction);
    ``years_key`` the parameter of the whole years needed, counted on ``years_months``.
    """

    normal: int
    age: int
    lowest: int
    reference: int | None
    years_key: str
    years_months: int
    compulsory_rules: bool
    lines: tuple[Line, ...]
    reasons: tuple[Reason, ...]


def _years_text(months: int) -> str:
    return f"{months // 12} years {months % 12} months"


def check_case(case: PensionCase) -> None:
    """Refuse a case that cannot be decided, naming the field."""
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
    if not 0 <= case.compulsory <= case.months:
        raise InvalidInput("compulsory months must be between 0 and the months contributed",
                           code="months.compulsory_invalid", field="history",
                           rule="compulsory months are part of the career")
    if not 0 <= case.hazardous_months <= case.months:
        raise InvalidInput("hazardous months must be between 0 and the months contributed",
                           code="hazardous.invalid", field="history", rule="hazardous months are part of the career")
    if case.early_reason == "reduced_capacity" and case.loss_percent is None:
        raise InvalidInput("loss_percent is required for an early pension on reduced working capacity",
                           code="quote.missing_field", field="loss_percent",
                           rule="the early pension depends on the assessed loss of working capacity")
    if case.loss_percent is not None and not 0 <= case.loss_percent <= 100:
        raise InvalidInput(f"loss_percent {case.loss_percent} is not 0 to 100", code="loss_percent.invalid",
                           field="loss_percent", rule="the loss of working capacity is a whole percentage, 0 to 100")


def _rules(params: ParameterSet, case: PensionCase, reduced_route: bool) -> tuple[bool, Line | None]:
    """(compulsory rules?, the line saying why) for a career with voluntary months."""
    day = case.as_of
    if case.voluntary == 0:
        return True, None
    key = MIXED_REDUCED_KEY if reduced_route else MIXED_KEY
    needed, years = int(params.value_at(key, day)), case.compulsory // 12
    if case.compulsory and years >= needed:
        return True, Line("Pension under the compulsory rules", "Hưởng lương hưu theo chính sách BHXH bắt buộc",
                          f"{years} whole years of compulsory SI, at least {needed}; {_years_text(case.voluntary)}"
                          " of voluntary SI count in the total", basis(params, key, day))
    if params.value_at(VOLUNTARY_RATES_KEY, day) is not True:
        raise ParameterNotInForce(f"no voluntary pension rates on {day.isoformat()}", code="law.parameter_not_in_force",
                                  field="as_of", rule=f"{VOLUNTARY_RATES_KEY} says the rates are the compulsory ones")
    why = (f"{years} whole years of compulsory SI, fewer than {needed}" if case.compulsory
           else "voluntary SI only")
    return False, Line("Pension under the voluntary rules", "Hưởng lương hưu theo chính sách BHXH tự nguyện",
                       f"{why}: the normal retirement age, the years of all SI, the rate and lump sum of the"
                       " compulsory rules, no minimum pension",
                       f"{basis(params, key, day)}; {basis(params, VOLUNTARY_RATES_KEY, day)}")


def _reduced_capacity(params: ParameterSet, case: PensionCase, normal: int,
                      age: int) -> tuple[int, list[Line], list[Reason]]:
    """(lowest age, lines, reasons) of the early pension on reduced working capacity."""
    day = case.as_of
    loss_percent = case.loss_percent or 0  # check_case refused a missing loss with this reason
    loss = Fraction(loss_percent, 100)
    minimum, severe = rate(params, REDUCED_MIN_LOSS_KEY, day), rate(params, SEVERE_MIN_LOSS_KEY, day)
    if loss < minimum:
        return normal, [], [Reason("capacity_loss_too_low", f"a loss of working capacity of {loss_percent} %; an"
                                                            f" early pension needs at least {percent(minimum)}")]
    key = SEVERE_BELOW_KEY if loss >= severe else REDUCED_BELOW_KEY
    below = int(params.value_at(key, day))
    lowest = normal - below * 12
    especially = int(params.value_at(ESPECIALLY_HAZARDOUS_KEY, day))
    if age < lowest and case.hazardous_months // 12 >= especially:
        raise InvalidInput(
            f"{_years_text(case.hazardous_months)} in hazardous jobs: with {especially} years in especially heavy,"
            f" hazardous or dangerous jobs the early pension has no age condition"
            f" ({basis(params, ESPECIALLY_HAZARDOUS_KEY, day)}), but the history does not say which jobs were"
            " especially heavy", code="pension.especially_hazardous_not_decided", field="history",
            rule="the pension at any age for especially heavy jobs is not decided from the hazardous flag")
    band = (f"{percent(severe)} or more" if loss >= severe else f"{percent(minimum)} to under {percent(severe)}")
    return lowest, [Line("Earliest age, reduced working capacity", "Tuổi thấp nhất khi suy giảm khả năng lao động",
                         f"{format_age(lowest)}: a loss of {loss_percent} % ({band}) allows {below} years below the"
                         f" normal age {format_age(normal)}",
                         f"{basis(params, key, day)}; {basis(params, REDUCED_MIN_LOSS_KEY, day)}")], []


def _transitional(params: ParameterSet, case: PensionCase) -> tuple[int, Line] | None:
    """(transitional age, line) of a person who joined voluntary SI early enough, where that rule is in force."""
    day = case.as_of
    try:
        joined_before = dt.date.fromisoformat(str(params.value_at(f"{TRANSITIONAL}.joined_before", day)))
    except ParameterNotInForce:
        return None
    needed = int(params.value_at(f"{TRANSITIONAL}.min_years", day))
    first = case.first_voluntary_month
    if first is None or first >= joined_before or case.voluntary // 12 < needed:
        return None
    months = int(params.value_at(f"{TRANSITIONAL}.{case.sex}_age_months", day))
    return months, Line("Transitional age, voluntary SI before " + joined_before.isoformat(),
                        "Tuổi hưởng lương hưu theo quy định chuyển tiếp",
                        f"{format_age(months)}: voluntary SI from {format_month(first)},"
                        f" {_years_text(case.voluntary)} of it (at least {needed} years)",
                        basis(params, f"{TRANSITIONAL}.joined_before", day))


def pension_ages(params: ParameterSet, case: PensionCase) -> Ages:
    """The rules, ages and years condition of ``case`` (refusing what cannot be decided)."""
    check_case(case)
    day = case.as_of
    normal = normal_retirement_age(params, case.sex, case.birth_date, day)
    birth_month = month_start(case.birth_date)
    age = (day.year - birth_month.year) * 12 + day.month - birth_month.month
    lines = [Line("Normal retirement age", "Tuổi nghỉ hưu trong điều kiện lao động bình thường",
                  f"{format_age(normal.months)}, reached in {format_month(normal.reached)}", normal.basis)]
    hazard_years = int(params.value_at(HAZARD_MIN_YEARS_KEY, day))
    hazardous = case.hazardous_months // 12 >= hazard_years
    hazard_age = normal.months - int(params.value_at(HAZARD_BELOW_KEY, day)) * 12
    reduced_reference = hazard_age if hazardous else normal.months
    reduced_route = case.early_reason == "reduced_capacity" and age < reduced_reference
    compulsory_rules, rules_line = _rules(params, case, reduced_route)
    lines += [rules_line] if rules_line else []
    lowest, reference, reasons = normal.months, None, []
    years_key = MIN_YEARS_KEY if compulsory_rules else VOLUNTARY_MIN_YEARS_KEY
    if not compulsory_rules:
        if case.early_reason != "none":
            lines.append(Line("No early pension under the voluntary rules", "Không nghỉ hưu trước tuổi",
                              f"early_reason {case.early_reason} does not lower the age",
                              basis(params, VOLUNTARY_MIN_YEARS_KEY, day)))
    elif case.early_reason == "hazardous" and not hazardous:
        reasons.append(Reason("too_few_hazardous_years", f"{_years_text(case.hazardous_months)} in hazardous"
                                                         f" jobs; at least {hazard_years} years are needed to retire"
                                                         " earlier"))
    elif case.early_reason == "hazardous":
        lowest = hazard_age
        lines.append(Line("Retirement age, hazardous jobs", "Tuổi nghỉ hưu, nghề nặng nhọc, độc hại",
                          f"{format_age(lowest)} ({_years_text(case.hazardous_months)} in hazardous jobs)",
                          basis(params, HAZARD_BELOW_KEY, day)))
    elif reduced_route:
        lowest, more_lines, more_reasons = _reduced_capacity(params, case, normal.months, age)
        lines += more_lines
        reasons += more_reasons
        reference, years_key = reduced_reference, MIN_YEARS_REDUCED_KEY
    elif case.early_reason == "reduced_capacity":
        lowest = reduced_reference
        lines.append(Line("Reduced working capacity at the reference age", "Đủ tuổi làm mốc tính giảm",
                          f"aged {format_age(age)}, at least {format_age(reduced_reference)}: no early reduction,"
                          " the conditions of a normal pension apply", basis(params, REDUCTION_YEAR_KEY, day)))
    transitional = _transitional(params, case)
    if transitional is not None:
        transitional_age, transitional_line = transitional
        lines.append(transitional_line)
        if age >= transitional_age:
            return Ages(normal.months, age, min(lowest, transitional_age), None, f"{TRANSITIONAL}.min_years",
                        case.voluntary, compulsory_rules, tuple(lines), ())
        lowest = min(lowest, transitional_age)
    return Ages(normal.months, age, lowest, reference, years_key, case.months, compulsory_rules, tuple(lines),
                tuple(reasons))


__all__ = ["EARLY_REASONS", "Ages", "PensionCase", "check_case", "pension_ages"]
