"""The sickness benefit (chế độ ốm đau): days paid, daily amount and amount, explained.

Law on SI 58/2014/QH13 arts. 25–28 (events to 2025-06-30) and 41/2024/QH15 arts. 42–45
(from 2025-07-01); the law of the first day of leave (``as_of``) applies, read from the dated
parameters under ``si.sickness``:

- the person must be insured at the event: compulsory SI paid for the month of leave or the
  month immediately before (``not_insured_at_event`` otherwise);
- own sickness: working days a calendar year by full years of contributions (bands from
  ``band_middle_years`` and ``band_high_years``), the larger table when the job at the event
  (the latest period) is heavy, hazardous or in an especially difficult area;
- a sick child: days a year per child, by age (``child.younger_age_months``,
  ``child.max_age_months``); a child of that age or older gives none (``child_too_old``);
- days paid ``= min(days asked, days a year − days used this year)``; none left is
  ``no_days_left``;
- amount ``= rate × SI salary of the month before the month of leave ÷ daily_divisor × days
  paid``, rounded once, half up, to the đồng; the daily amount is shown rounded the same way.

Not modelled: long-term illness (65/55/50 % after the yearly days), the armed forces' 100 %,
half days (Law 41/2024 art. 45(5)), recovery leave, and leave overlapping annual or maternity
leave.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ansinh.core.errors import InvalidInput
from ansinh.core.periods import add_months, format_month, month_start
from ansinh.law.params import ParameterSet
from ansinh.rules.contribution_law import rate
from ansinh.rules.explain import Line, Reason, basis, dong, percent
from ansinh.rules.money import round_half_up
from ansinh.rules.short_term_salary import InsuredPeriod, check_periods, paid_months, recent_salary

RATE_KEY = "si.sickness.rate"
DIVISOR_KEY = "si.sickness.daily_divisor"
SALARY_MONTHS_KEY = "si.sickness.salary_months"
BAND_MIDDLE_KEY = "si.sickness.band_middle_years"
BAND_HIGH_KEY = "si.sickness.band_high_years"
DAYS_KEY = "si.sickness.days.{table}.{band}"
CHILD_YOUNGER_AGE_KEY = "si.sickness.child.younger_age_months"
CHILD_MAX_AGE_KEY = "si.sickness.child.max_age_months"
CHILD_DAYS_KEY = "si.sickness.child.days.{band}"
KINDS = ("own", "child")


@dataclass(frozen=True)
class SicknessCase:
    """Sickness leave starting on ``as_of``: ``days`` working days asked, ``kind`` own or child."""

    as_of: dt.date
    history: tuple[InsuredPeriod, ...]
    days: int
    days_used_this_year: int = 0
    kind: str = "own"
    child_age_months: int | None = None


@dataclass
class SicknessResult:
    eligible: bool
    reasons: list[Reason]
    days_paid: int
    daily: int
    amount: int
    explanation: list[Line] = field(default_factory=list)

    def amounts(self) -> dict[str, int]:
        """The amounts as ``ansinh quote`` publishes them."""
        return {"days_paid": self.days_paid, "daily": self.daily, "amount": self.amount}


def _check(case: SicknessCase) -> None:
    if case.days < 1:
        raise InvalidInput(f"days {case.days} is not a positive number of working days", code="sickness.days",
                           field="days", rule="the working days of leave asked are 1 or more")
    if case.days_used_this_year < 0:
        raise InvalidInput("days used this year cannot be negative", code="sickness.days_used",
                           field="days_used_this_year", rule="days already paid this year are 0 or more")
    if case.kind not in KINDS:
        raise InvalidInput(f"kind {case.kind!r} is not own or child", code="sickness.kind", field="kind",
                           rule="sickness leave is for one's own illness (own) or a sick child (child)")
    if case.kind == "child":
        if case.child_age_months is None:
            raise InvalidInput("the child's age is needed for leave to care for a sick child",
                               code="quote.missing_field", field="child_age_months",
                               rule="child care days depend on the child's age in months")
        if case.child_age_months < 0:
            raise InvalidInput("a child's age cannot be negative", code="sickness.child_age",
                               field="child_age_months", rule="the child's age is 0 months or more")
    check_periods(case.history, case.as_of)


def _not_eligible(code: str, message: str, lines: list[Line]) -> SicknessResult:
    return SicknessResult(eligible=False, reasons=[Reason(code, message)], days_paid=0, daily=0, amount=0,
                          explanation=lines)


def _own_days(params: ParameterSet, case: SicknessCase, months_paid: int, hazardous: bool) -> tuple[int, Line]:
    day = case.as_of
    years = months_paid // 12
    middle = int(params.value_at(BAND_MIDDLE_KEY, day))
    high = int(params.value_at(BAND_HIGH_KEY, day))
    band = "high" if years >= high else "middle" if years >= middle else "low"
    table = "hazardous" if hazardous else "normal"
    key = DAYS_KEY.format(table=table, band=band)
    entitled = int(params.value_at(key, day))
    span = {"low": f"under {middle} years", "middle": f"{middle} to under {high} years",
            "high": f"{high} years or more"}[band]
    work = "heavy, hazardous or difficult-area work" if hazardous else "normal conditions"
    return entitled, Line(
        "Sickness days a year", "Số ngày nghỉ ốm đau tối đa trong năm",
        f"{months_paid} months paid = {years} full years ({span}), {work}: {entitled} working days",
        "; ".join(dict.fromkeys((basis(params, key, day), basis(params, BAND_MIDDLE_KEY, day)))),
    )


def _child_days(params: ParameterSet, case: SicknessCase, age: int) -> tuple[int | None, Line]:
    day = case.as_of
    younger = int(params.value_at(CHILD_YOUNGER_AGE_KEY, day))
    most = int(params.value_at(CHILD_MAX_AGE_KEY, day))
    if age >= most:
        return None, Line("Days a year to care for a sick child", "Số ngày nghỉ chăm con ốm đau",
                          f"child aged {age} months: none from {most} months", basis(params, CHILD_MAX_AGE_KEY, day))
    band = "younger" if age < younger else "older"
    key = CHILD_DAYS_KEY.format(band=band)
    entitled = int(params.value_at(key, day))
    span = f"under {younger} months" if band == "younger" else f"{younger} to under {most} months"
    return entitled, Line("Days a year to care for a sick child", "Số ngày nghỉ chăm con ốm đau",
                          f"child aged {age} months ({span}): {entitled} working days", basis(params, key, day))


def compute(case: SicknessCase, params: ParameterSet) -> SicknessResult:
    """The sickness benefit for leave starting on ``case.as_of``."""
    _check(case)
    day = case.as_of
    event_month = month_start(day)
    months = paid_months(case.history)
    insured = any(m.month in (event_month, add_months(event_month, -1)) for m in months)
    lines = [Line("Insured at the event", "Đang đóng BHXH khi nghỉ",
                  f"{'yes' if insured else 'no'}: SI paid for {format_month(event_month)} or the month before",
                  basis(params, RATE_KEY, day))]
    if not insured:
        return _not_eligible("not_insured_at_event",
                             f"no compulsory SI paid for {format_month(add_months(event_month, -1))} or "
                             f"{format_month(event_month)}; sickness benefit is for people insured when leave starts",
                             lines)
    if case.kind == "child" and case.child_age_months is not None:  # the age is checked above
        child_entitled, line = _child_days(params, case, case.child_age_months)
        lines.append(line)
        if child_entitled is None:
            return _not_eligible("child_too_old",
                                 f"a child aged {case.child_age_months} months gives no days of care leave", lines)
        entitled = child_entitled
    else:
        entitled, line = _own_days(params, case, len(months), months[-1].hazardous)
        lines.append(line)
    left = max(0, entitled - case.days_used_this_year)
    lines.append(Line("Days left this year", "Số ngày còn lại trong năm",
                      f"{entitled} − {case.days_used_this_year} used = {left}", "the calendar year, 01/01 to 31/12"))
    if left == 0:
        return _not_eligible("no_days_left",
                             f"all {entitled} days of the year are used ({case.days_used_this_year} used)", lines)
    days_paid = min(case.days, left)
    lines.append(Line("Days paid", "Số ngày hưởng", f"min({case.days} asked, {left} left) = {days_paid}",
                      "days asked within the days left this year"))
    count = int(params.value_at(SALARY_MONTHS_KEY, day))
    salary = recent_salary(case.history, day, count)
    base_shown = round_half_up(salary.average)
    lines.append(Line("SI salary the benefit is paid on", "Tiền lương làm căn cứ đóng BHXH",
                      f"{salary.describe()} = {dong(base_shown)}", basis(params, SALARY_MONTHS_KEY, day)))
    benefit_rate = rate(params, RATE_KEY, day)
    divisor = int(params.value_at(DIVISOR_KEY, day))
    daily_exact = benefit_rate * salary.average / divisor
    daily = round_half_up(daily_exact)
    lines.append(Line("Daily amount", "Mức hưởng một ngày",
                      f"{percent(benefit_rate)} × {dong(base_shown)} / {divisor} = {dong(daily)}"
                      + ("" if daily_exact == daily else " (shown rounded; the amount uses the exact value)"),
                      f"{basis(params, RATE_KEY, day)}; {basis(params, DIVISOR_KEY, day)}"))
    amount = round_half_up(daily_exact * days_paid)
    lines.append(Line("Sickness benefit", "Tiền trợ cấp ốm đau",
                      f"{percent(benefit_rate)} × {dong(base_shown)} / {divisor} × {days_paid} = {dong(amount)}"
                      " (rounded once, half up, to the đồng)",
                      basis(params, RATE_KEY, day)))
    return SicknessResult(eligible=True, reasons=[], days_paid=days_paid, daily=daily, amount=amount,
                          explanation=lines)


__all__ = ["InsuredPeriod", "Reason", "SicknessCase", "SicknessResult", "compute"]
