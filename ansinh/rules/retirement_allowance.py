"""The monthly allowance for people at retirement age without a pension (Law 41/2024 art. 23).

Law on SI 41/2024/QH15 art. 23 and Decree 158/2025/ND-CP arts. 22-24, new from 2025-07-01; the
allowance is paid "from the person's own contributions" until the social-pension age.
``as_of`` is the day of the written request, and of the decision (which follows within five
working days, Law 41 art. 24(2): the same law and amounts are taken):

- eligible: at the normal retirement age (:mod:`ansinh.rules.retirement_age`; of age from the
  month it is reached), with contributions but fewer whole years than a pension needs
  (``si.pension.eligibility.min_years``), below the social-pension age (``social_pension_age``,
  lower in a poor or near-poor household); no lump sum and no deferral are taken as given by
  the request. Reasons: ``not_in_force`` (before 2025-07-01), ``too_young``,
  ``pension_eligible``, ``social_pension_age``;
- months ``Ttt = Mbq × factor × N / TChtxh`` (D158 art. 23(1)), any part of a month counted as
  a whole month (``part_month_rounding``); Mbq the revalued average salary
  (:func:`ansinh.rules.pension_salary.average_salary`) for a benefit granted on ``as_of``; N the
  contribution years, odd months 1 to ``half_year_max_odd_months`` counting ½ and more 1;
  TChtxh the social pension on ``as_of``;
- ``Tdt``: the months from the month of the request to the social-pension age (D158 art.
  23(2)-(3)), counted up to the month before the one in which that age is reached, since the
  social pension can be paid from that month (Decree 176/2025 art. 4);
- the monthly amount is TChtxh (D158 art. 24(1)); if ``Ttt > Tdt`` it is paid for Tdt months at
  ``TChtxh × Ttt / Tdt`` (art. 24(2), rounded once, half up);
- if ``Ttt < Tdt`` it is paid for Ttt months, and the person **may pay** once
  ``STmlct = (Tdt − Ttt) × TChtxh`` (art. 23(3), the ``shortfall``) to receive it up to the
  social-pension age; if not paid at the decision, TChtxh is that of the day of payment.

Not modelled: the early retirement ages, voluntary and State-scale careers (refused by the
average), the allowance's later indexation (regime ``pension_indexation``) and the lump sum to
relatives on death (D158 art. 25).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from ansinh.core.errors import ParameterNotInForce
from ansinh.core.periods import add_months, format_month, month_start, months_between
from ansinh.law.params import ParameterSet
from ansinh.rules.contribution_law import rate
from ansinh.rules.explain import Line, Reason, basis, dong
from ansinh.rules.money import round_half_up
from ansinh.rules.pension_salary import SalaryPeriod, average_salary, check_periods
from ansinh.rules.retirement_age import Sex, format_age, normal_retirement_age
from ansinh.rules.social_pension import AMOUNT_KEY, birthday, not_in_force, social_pension_age

MIN_YEARS_KEY = "si.pension.eligibility.min_years"
FACTOR_KEY = "si.retirement_allowance.factor"
HALF_YEAR_KEY = "si.retirement_allowance.half_year_max_odd_months"
ROUNDING_KEY = "si.retirement_allowance.part_month_rounding"
ROUNDINGS: dict[str, Callable[[Fraction], int]] = {"up": math.ceil, "half_up": round_half_up, "down": math.floor}
REQUEST_BASIS = "Decree 158/2025/ND-CP, art. 23(2) (from the month of the written request at retirement age)"


@dataclass(frozen=True)
class RetirementAllowanceCase:
    """A written request on ``as_of`` by a person with the contribution ``periods``."""

    as_of: dt.date
    sex: Sex
    birth_date: dt.date
    periods: tuple[SalaryPeriod, ...]
    poor_household: bool = False


@dataclass
class RetirementAllowanceResult:
    eligible: bool
    reasons: list[Reason]
    years_counted: str
    years: Fraction = Fraction(0)
    average_salary: int = 0
    months: int = 0
    months_to_social_pension: int = 0
    monthly: int = 0
    shortfall: int = 0
    explanation: list[Line] = field(default_factory=list)

    @property
    def months_paid(self) -> int:
        """Months paid without the optional payment: Ttt, at most Tdt."""
        return min(self.months, self.months_to_social_pension)

    def amounts(self) -> dict[str, int | str | float]:
        """The amounts as ``ansinh quote`` publishes them."""
        return {"average_salary": self.average_salary, "years_counted": self.years_counted,
                "years_for_months": float(self.years), "months": self.months,
                "months_to_social_pension": self.months_to_social_pension, "months_paid": self.months_paid,
                "monthly": self.monthly, "shortfall": self.shortfall}


def allowance_years(params: ParameterSet, months: int, day: dt.date) -> Fraction:
    """N: whole years, odd months up to ``half_year_max_odd_months`` = ½, more = 1.

    >>> import datetime as dt
    >>> from ansinh.law import default_parameters
    >>> [allowance_years(default_parameters(), m, dt.date(2025, 8, 1)) for m in (120, 126, 127)]
    [Fraction(10, 1), Fraction(21, 2), Fraction(11, 1)]
    """
    whole, odd = divmod(months, 12)
    half_max = int(params.value_at(HALF_YEAR_KEY, day))
    return Fraction(whole) + (0 if odd == 0 else Fraction(1, 2) if odd <= half_max else 1)


def _number(value: Fraction) -> str:
    """A fraction as a short decimal: ``10``, ``10.5``, ``452.77`` (two places where not exact)."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):g}" if (value * 100).denominator == 1 else f"{float(value):.2f}"


def _refused(reasons: list[Reason], months: int, lines: list[Line]) -> RetirementAllowanceResult:
    return RetirementAllowanceResult(False, reasons, format_age(months), explanation=lines)


def _eligibility(params: ParameterSet, case: RetirementAllowanceCase, months: int) -> tuple[int, list[Reason],
                                                                                            list[Line]]:
    """(Tdt, reasons, lines) for a request on ``case.as_of``."""
    day = case.as_of
    start = month_start(day)
    normal = normal_retirement_age(params, case.sex, case.birth_date, day)
    lines = [Line("Normal retirement age", "Tuổi nghỉ hưu",
                  f"{format_age(normal.months)}, reached in {format_month(normal.reached)}", normal.basis)]
    reasons: list[Reason] = []
    if start < normal.reached:
        reasons.append(Reason("too_young", f"the request in {format_month(start)} is before the retirement age"
                                           f" {format_age(normal.months)}, reached in {format_month(normal.reached)}"))
    needed = int(params.value_at(MIN_YEARS_KEY, day))
    lines.append(Line("Contribution time", "Thời gian đóng BHXH",
                      f"{months // 12} years {months % 12} months: {months // 12} whole years, fewer than the"
                      f" {needed} a pension needs" if months // 12 < needed else
                      f"{months // 12} years {months % 12} months: a pension needs {needed} whole years",
                      basis(params, MIN_YEARS_KEY, day)))
    if months // 12 >= needed:
        reasons.append(Reason("pension_eligible", f"{months // 12} whole years of contributions: the old-age pension"
                                                  f" (at least {needed} years) is due instead of this allowance"))
    age, age_basis = social_pension_age(params, day, poor_household=case.poor_household)
    reached = month_start(birthday(case.birth_date, age))
    to_social = months_between(start, reached) - 1
    household = " (poor or near-poor household)" if case.poor_household else ""
    lines.append(Line("Months to the social-pension age (Tdt)",
                      "Thời gian đến khi đủ tuổi hưởng trợ cấp hưu trí xã hội",
                      f"{age} years{household}, reached in {format_month(reached)}: {format_month(start)} to"
                      f" {format_month(add_months(reached, -1))} = {max(to_social, 0)} months",
                      f"{age_basis}; {REQUEST_BASIS}"))
    if to_social <= 0:
        reasons.append(Reason("social_pension_age", f"aged {age} or more in {format_month(start)}: the social pension"
                                                    " is due instead of this allowance"))
    return to_social, reasons, lines


def _check(case: RetirementAllowanceCase) -> int:
    check_periods(case.periods, case.as_of)
    return sum(months_between(month_start(p.start), month_start(p.end)) for p in case.periods)


def compute(case: RetirementAllowanceCase, params: ParameterSet) -> RetirementAllowanceResult:
    """The monthly allowance of Law 41/2024 art. 23 for a request on ``case.as_of``."""
    day = case.as_of
    months = _check(case)
    try:
        factor = rate(params, FACTOR_KEY, day)
        social = int(params.value_at(AMOUNT_KEY, day))
    except ParameterNotInForce:
        reason, line = not_in_force(params, day, "the monthly allowance of Law 41/2024 art. 23", FACTOR_KEY)
        return _refused([reason], months, [line])
    to_social, reasons, lines = _eligibility(params, case, months)
    if reasons:
        return _refused(reasons, months, lines)
    average, _, salary_lines = average_salary(params, case.periods, day)
    lines += salary_lines
    years = allowance_years(params, months, day)
    lines.append(Line("Years counted (N)", "Số năm đóng BHXH (N)",
                      f"{months // 12} years {months % 12} months → {_number(years)}",
                      basis(params, HALF_YEAR_KEY, day)))
    exact = average * factor * years / social
    rounding = str(params.value_at(ROUNDING_KEY, day))
    ttt = ROUNDINGS[rounding](exact)
    shown = round_half_up(average)
    lines.append(Line("Months of allowance (Ttt)", "Thời gian hưởng trợ cấp hằng tháng (Ttt)",
                      f"{dong(shown)} × {_number(factor)} × {_number(years)} / {dong(social)} = {_number(exact)}"
                      f" → {ttt} months (a part of a month rounded {rounding})",
                      f"{basis(params, FACTOR_KEY, day)}; {basis(params, ROUNDING_KEY, day)}"))
    monthly, shortfall = social, 0
    if ttt > to_social:
        monthly = round_half_up(Fraction(social * ttt, to_social))
        lines.append(Line("Monthly allowance (higher: Ttt > Tdt)", "Mức trợ cấp hằng tháng cao hơn",
                          f"{dong(social)} × {ttt} / {to_social} = {dong(monthly)} for {to_social} months"
                          " (rounded once, half up)", "Decree 158/2025/ND-CP, art. 24(2)"))
    else:
        lines.append(Line("Monthly allowance", "Mức trợ cấp hằng tháng",
                          f"the social pension {dong(social)} for {ttt} months", f"{basis(params, AMOUNT_KEY, day)};"
                          " Decree 158/2025/ND-CP, art. 24(1)"))
    if ttt < to_social:
        shortfall = (to_social - ttt) * social
        lines.append(Line("Optional payment for the missing months", "Số tiền đóng một lần cho phần còn thiếu",
                          f"({to_social} − {ttt}) × {dong(social)} = {dong(shortfall)}: the person may pay this once"
                          f" to receive the allowance for all {to_social} months (at the social pension of the day"
                          " paid, if not paid at the decision)", "Decree 158/2025/ND-CP, art. 23(3)"))
    return RetirementAllowanceResult(True, [], format_age(months), years, shown, ttt, to_social, monthly, shortfall,
                                     lines)


__all__ = ["RetirementAllowanceCase", "RetirementAllowanceResult", "SalaryPeriod", "allowance_years", "compute"]
