"""The social pension (trợ cấp hưu trí xã hội), new from 2025-07-01.

Law on SI 41/2024/QH15 arts. 21-22 and Decree 176/2025/ND-CP arts. 2-4, read from the dated
parameters under ``social.social_pension``; ``as_of`` is the day the commune chairman decides
on the written request:

- the benefit exists from the first date of ``amount``; a case before it is not eligible
  (``not_in_force``), the law then had no such benefit;
- age: ``age`` full years on ``as_of`` (the day of the birthday), or ``age_poor_household``
  for a member of a poor or near-poor household (``too_young`` otherwise);
- no pension or monthly SI allowance, or one lower than the social pension (Decree 176
  art. 2(1)(b)); one equal or higher is ``has_pension``;
- the amount is ``amount`` a month, paid from the month of the decision (Decree 176 art. 4);
  a lower pension is deducted only where ``lower_pension_deducted`` says so (it does not:
  see that parameter's source).

Not modelled: the higher of this and monthly social assistance (Law 41 art. 22(2)), provincial
top-ups, State-paid health insurance and funeral support.

>>> import datetime as dt
>>> from ansinh.law import default_parameters
>>> result = compute(SocialPensionCase(as_of=dt.date(2025, 7, 1), birth_date=dt.date(1950, 3, 10)),
...                  default_parameters())
>>> result.eligible, result.monthly
(True, 500000)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.core.periods import format_month, month_start
from ansinh.law.params import ParameterSet
from ansinh.rules.explain import Line, Reason, basis, dong
from ansinh.rules.retirement_age import age_in_months

AGE_KEY = "social.social_pension.age"
AGE_POOR_KEY = "social.social_pension.age_poor_household"
AMOUNT_KEY = "social.social_pension.amount"
DEDUCTED_KEY = "social.social_pension.lower_pension_deducted"
PAID_FROM_BASIS = "Decree 176/2025/ND-CP, art. 4 (paid from the month the commune chairman signs the decision)"


@dataclass(frozen=True)
class SocialPensionCase:
    """A request decided on ``as_of``; ``monthly_pension`` is the pension or monthly SI allowance
    the person receives (0 for none)."""

    as_of: dt.date
    birth_date: dt.date
    poor_household: bool = False
    monthly_pension: int = 0


@dataclass
class SocialPensionResult:
    eligible: bool
    reasons: list[Reason]
    monthly: int
    explanation: list[Line] = field(default_factory=list)

    def amounts(self) -> dict[str, int]:
        """The amounts as ``ansinh quote`` publishes them."""
        return {"monthly": self.monthly}


def first_source(params: ParameterSet, key: str) -> tuple[dt.date, str]:
    """The first date ``key`` takes effect and its legal basis."""
    first = params.get(key).values[0]
    return first.starts, f"{first.source.instrument}, {first.source.article}"


def birthday(birth_date: dt.date, years: int) -> dt.date:
    """The day a person born on ``birth_date`` is ``years`` full years old (29 February → 1 March)."""
    try:
        return birth_date.replace(year=birth_date.year + years)
    except ValueError:
        return dt.date(birth_date.year + years, 3, 1)


def social_pension_age(params: ParameterSet, day: dt.date, *, poor_household: bool) -> tuple[int, str]:
    """(age in full years from which the social pension is due, its legal basis) on ``day``."""
    key = AGE_POOR_KEY if poor_household else AGE_KEY
    return int(params.value_at(key, day)), basis(params, key, day)


def not_in_force(params: ParameterSet, day: dt.date, what: str, key: str = AMOUNT_KEY) -> tuple[Reason, Line]:
    """The reason and line for a case on ``day``, before the benefit ``what`` (first dated by ``key``) existed."""
    starts, source = first_source(params, key)
    return (Reason("not_in_force", f"{what} exists from {starts.isoformat()}; on {day.isoformat()} the law had no"
                                   " such benefit"),
            Line(f"{what[0].upper()}{what[1:]} in force", "Chế độ có hiệu lực",
                 f"no: from {starts.isoformat()}", source))


def _check(case: SocialPensionCase) -> None:
    if case.birth_date > case.as_of:
        raise InvalidInput(f"born {case.birth_date.isoformat()}, after {case.as_of.isoformat()}",
                           code="birth_date.future", field="person.birth_date",
                           rule="a person is born before the case arises")
    if case.monthly_pension < 0:
        raise InvalidInput("a monthly pension cannot be negative", code="social_pension.pension",
                           field="monthly_pension", rule="the pension received is 0 or more đồng")


def _not_eligible(reason: Reason, lines: list[Line]) -> SocialPensionResult:
    return SocialPensionResult(False, [reason], 0, lines)


def compute(case: SocialPensionCase, params: ParameterSet) -> SocialPensionResult:
    """The monthly social pension decided on ``case.as_of``, explained."""
    _check(case)
    day = case.as_of
    try:
        amount = int(params.value_at(AMOUNT_KEY, day))
    except ParameterNotInForce:
        reason, line = not_in_force(params, day, "the social pension")
        return _not_eligible(reason, [line])
    required, age_basis = social_pension_age(params, day, poor_household=case.poor_household)
    age = age_in_months(case.birth_date, day)
    household = " (poor or near-poor household)" if case.poor_household else ""
    lines = [Line("Age on the day of the decision", "Tuổi tại ngày quyết định",
                  f"{age // 12} years {age % 12} months; {required} full years needed{household}", age_basis)]
    if age < required * 12:
        reached = birthday(case.birth_date, required)
        lower = "" if case.poor_household else \
            f", or {int(params.value_at(AGE_POOR_KEY, day))} in a poor or near-poor household"
        return _not_eligible(Reason("too_young", f"aged {age // 12} years {age % 12} months on {day.isoformat()};"
                                                 f" the social pension needs {required} full years{lower}"
                                                 f" (this person reaches {required} on {reached.isoformat()})"),
                             lines)
    pension = case.monthly_pension
    if pension:
        lines.append(Line("Pension or monthly SI allowance received", "Lương hưu, trợ cấp BHXH hằng tháng đang hưởng",
                          f"{dong(pension)} {'<' if pension < amount else '≥'} the social pension {dong(amount)}",
                          "Decree 176/2025/ND-CP, art. 2(1)(b) (none, or lower than the social pension)"))
        if pension >= amount:
            return _not_eligible(Reason("has_pension", f"receives {dong(pension)} a month of pension or monthly SI"
                                                       f" allowance, not lower than the social pension"
                                                       f" {dong(amount)}"), lines)
    deducted = bool(params.value_at(DEDUCTED_KEY, day)) and pension > 0
    monthly = amount - pension if deducted else amount
    lines.append(Line("Monthly social pension", "Mức trợ cấp hưu trí xã hội hằng tháng",
                      f"{dong(amount)}" + (f" − {dong(pension)} received = {dong(monthly)}" if deducted else "")
                      + (" (the lower pension is not deducted)" if pension and not deducted else ""),
                      basis(params, AMOUNT_KEY, day) + (f"; {basis(params, DEDUCTED_KEY, day)}" if pension else "")))
    lines.append(Line("Paid from", "Thời điểm hưởng", format_month(month_start(day)), PAID_FROM_BASIS))
    return SocialPensionResult(True, [], monthly, lines)


__all__ = ["AMOUNT_KEY", "SocialPensionCase", "SocialPensionResult", "birthday", "compute", "first_source",
           "not_in_force", "social_pension_age"]
