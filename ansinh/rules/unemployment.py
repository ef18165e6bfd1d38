"""The monthly unemployment benefit: eligibility, amount, months and total, explained.

Law on Employment 38/2013/QH13 (terminations to 2025-12-31) and 74/2025/QH15 (from
2026-01-01); the law of the termination date applies, read from dated parameters:

- eligibility: at least ``ui.eligibility.min_months`` months of UI contributions within the
  ``ui.eligibility.window_months`` calendar months that end with the month of termination
  (the general case; the 36-month window of short contracts is not modelled);
- each month's UI salary base is ``min(salary, ui ceiling of that month)``, the ceiling from
  :func:`ansinh.rules.contribution_law.compulsory_limits` (20 × the regional minimum wage, or
  20 × the base salary for the State pay scale before 2026-01-01);
- monthly benefit ``= min(ui.benefit.rate × average UI base of the last
  ui.benefit.average_months contribution months, cap)``, rounded once, half up, to the đồng;
  the cap is ``ui.benefit.cap_multiple ×`` the regional minimum wage of the last workplace
  (or the base salary for the State pay scale while ``ui.benefit.cap_basis_state_scale``
  says so), taken at the termination date or the last contribution month
  (``ui.benefit.cap_month``);
- months of benefit from all the months given (taken as not yet used for an earlier benefit):
  ``first_months`` up to ``first_band_months`` months, then ``months_per_step`` for each
  further full ``step_months``, at most ``max_months``; the total is monthly × months.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from ansinh.core.errors import InvalidInput
from ansinh.core.periods import add_months, format_month, month_start, months_between
from ansinh.law.params import ParameterSet
from ansinh.rules.contribution_law import (
    BASE_SALARY_KEY,
    Sector,
    compulsory_limits,
    minimum_wage_key,
    rate,
)
from ansinh.rules.explain import Line, Reason, basis, dong, percent
from ansinh.rules.history import check_history, field_of
from ansinh.rules.money import round_half_up

RATE_KEY = "ui.benefit.rate"
CAP_MULTIPLE_KEY = "ui.benefit.cap_multiple"
CAP_BASIS_STATE_KEY = "ui.benefit.cap_basis_state_scale"
CAP_MONTH_KEY = "ui.benefit.cap_month"
AVERAGE_MONTHS_KEY = "ui.benefit.average_months"
MIN_MONTHS_KEY = "ui.eligibility.min_months"
WINDOW_MONTHS_KEY = "ui.eligibility.window_months"
FIRST_MONTHS_KEY = "ui.benefit.duration.first_months"
FIRST_BAND_KEY = "ui.benefit.duration.first_band_months"
STEP_MONTHS_KEY = "ui.benefit.duration.step_months"
MONTHS_PER_STEP_KEY = "ui.benefit.duration.months_per_step"
MAX_MONTHS_KEY = "ui.benefit.duration.max_months"
DURATION_KEYS = (FIRST_MONTHS_KEY, FIRST_BAND_KEY, STEP_MONTHS_KEY, MONTHS_PER_STEP_KEY, MAX_MONTHS_KEY)


@dataclass(frozen=True)
class UIPeriod:
    """Months with UI contributions, inclusive, at one monthly salary.

    ``start`` and ``end`` are month starts (any day is read as its month). ``index`` is the
    position of the period in the caller's history, used to name the field of an error.
    """

    start: dt.date
    end: dt.date
    salary: int
    sector: Sector = Sector.ENTERPRISE
    region: int | None = None
    index: int | None = None


@dataclass(frozen=True)
class UnemploymentCase:
    """A termination: its date and the months the worker paid UI for, oldest first."""

    as_of: dt.date
    history: tuple[UIPeriod, ...]


@dataclass
class UnemploymentResult:
    eligible: bool
    reasons: list[Reason]
    average_salary: int
    monthly: int
    months: int
    total: int
    explanation: list[Line] = field(default_factory=list)

    def amounts(self) -> dict[str, int]:
        """The amounts as ``ansinh quote`` publishes them."""
        return {"average_salary": self.average_salary, "monthly": self.monthly,
                "months": self.months, "total": self.total}


@dataclass(frozen=True)
class _Month:
    month: dt.date
    salary: int
    sector: Sector
    region: int | None
    index: int


def _check(case: UnemploymentCase) -> None:
    for position, period in enumerate(case.history):
        if period.region is not None and not 1 <= period.region <= 4:
            raise InvalidInput(f"region {period.region!r} is not 1 to 4", code="region.invalid",
                               field=field_of(period, position, "region"),
                               rule="the minimum-wage region of the workplace is 1, 2, 3 or 4")
    check_history(case.history, event=case.as_of, code="history.after_termination", event_name="the termination",
                  rule="the benefit is computed on the months paid up to the termination")


def _months(case: UnemploymentCase) -> list[_Month]:
    months: list[_Month] = []
    for position, period in enumerate(case.history):
        start = month_start(period.start)
        index = period.index if period.index is not None else position
        for offset in range(months_between(start, month_start(period.end))):
            months.append(_Month(add_months(start, offset), period.salary, period.sector, period.region, index))
    return months


def _bases(params: ParameterSet, keys: tuple[str, ...], day: dt.date) -> str:
    """The distinct legal bases of ``keys`` on ``day``, in order."""
    return "; ".join(dict.fromkeys(basis(params, key, day) for key in keys))


def _region_key(month: _Month) -> str:
    try:
        return minimum_wage_key(month.region)
    except InvalidInput as error:
        error.field = f"history.{month.index}.region"
        raise


def _ui_base(params: ParameterSet, month: _Month) -> tuple[int, Line]:
    try:
        limits = compulsory_limits(params, month.month, region=month.region, sector=month.sector)
    except InvalidInput as error:
        error.field = f"history.{month.index}.{error.field or 'region'}"
        raise
    base = min(month.salary, limits.ui_ceiling)
    multiple = int(params.value_at("ui.base.ceiling_multiple", month.month))
    amount_of = int(params.value_at(limits.ui_ceiling_key, month.month))
    note = "capped at the ceiling" if month.salary > limits.ui_ceiling else "as declared"
    return base, Line(
        f"UI salary base, {format_month(month.month)}", f"Tiền lương đóng BHTN tháng {format_month(month.month)}",
        f"min({dong(month.salary)}, {multiple} × {dong(amount_of)} = {dong(limits.ui_ceiling)})"
        f" = {dong(base)} ({note})",
        f"ceiling: {basis(params, 'ui.base.ceiling_multiple', month.month)}; "
        f"{basis(params, limits.ui_ceiling_key, month.month)}",
    )


def _duration(params: ParameterSet, day: dt.date, contributed: int) -> tuple[int, Line]:
    first = int(params.value_at(FIRST_MONTHS_KEY, day))
    band = int(params.value_at(FIRST_BAND_KEY, day))
    step = int(params.value_at(STEP_MONTHS_KEY, day))
    per_step = int(params.value_at(MONTHS_PER_STEP_KEY, day))
    most = int(params.value_at(MAX_MONTHS_KEY, day))
    steps = max(0, contributed - band) // step
    months = min(most, first + steps * per_step)
    return months, Line(
        "Months of benefit", "Số tháng hưởng trợ cấp",
        f"{contributed} months paid: {first} for up to {band}, + {per_step} × {steps} further full {step} months"
        f" = {first + steps * per_step}, at most {most} → {months}",
        _bases(params, DURATION_KEYS, day),
    )


def _cap(params: ParameterSet, case: UnemploymentCase, last: _Month) -> tuple[int, Line]:
    day = case.as_of
    multiple = int(params.value_at(CAP_MULTIPLE_KEY, day))
    at_last = params.value_at(CAP_MONTH_KEY, day) == "last_contribution"
    cap_day = last.month if at_last else day
    when = f"last contribution month {format_month(last.month)}" if at_last else f"termination {day.isoformat()}"
    taken_at = "last contribution month" if at_last else "termination"
    bases = [basis(params, CAP_MULTIPLE_KEY, day), f"taken at the {taken_at}: {basis(params, CAP_MONTH_KEY, day)}"]
    if last.sector == Sector.STATE and params.value_at(CAP_BASIS_STATE_KEY, day) == "base_salary":
        key, what = BASE_SALARY_KEY, "base salary (State pay scale)"
    else:
        key, what = _region_key(last), f"regional minimum wage, region {last.region}"
    if last.sector == Sector.STATE:
        bases.append(f"State pay scale: {basis(params, CAP_BASIS_STATE_KEY, day)}")
    amount = int(params.value_at(key, cap_day))
    cap = multiple * amount
    bases.append(basis(params, key, cap_day))
    return cap, Line("Benefit cap", "Mức hưởng tối đa",
                     f"{multiple} × {dong(amount)} ({what}, {when}) = {dong(cap)}", "; ".join(bases))


def _not_eligible(reasons: list[Reason], lines: list[Line]) -> UnemploymentResult:
    return UnemploymentResult(eligible=False, reasons=reasons, average_salary=0, monthly=0, months=0, total=0,
                              explanation=lines)


def compute(case: UnemploymentCase, params: ParameterSet) -> UnemploymentResult:
    """The unemployment benefit for a worker whose contract ended on ``case.as_of``."""
    _check(case)
    day = case.as_of
    months = _months(case)
    window = int(params.value_at(WINDOW_MONTHS_KEY, day))
    needed = int(params.value_at(MIN_MONTHS_KEY, day))
    last_month = month_start(day)
    first_month = add_months(last_month, -(window - 1))
    in_window = sum(1 for m in months if first_month <= m.month <= last_month)
    lines = [Line(
        "UI months paid in the window before termination", "Số tháng đóng BHTN trong thời gian trước khi chấm dứt HĐLĐ",
        f"{in_window} of the {window} months {format_month(first_month)} to {format_month(last_month)}"
        f" (at least {needed} needed; general case, not the 36-month window of short contracts)",
        _bases(params, (MIN_MONTHS_KEY, WINDOW_MONTHS_KEY), day),
    )]
    if in_window < needed:
        return _not_eligible([Reason(
            "too_few_months",
            f"{in_window} months of UI contributions in the {window} months to {format_month(last_month)};"
            f" at least {needed} are needed",
        )], lines)
    lines.append(Line("UI months paid in all", "Tổng số tháng đóng BHTN", f"{len(months)} months"
                      " (all the months given, taken as not yet used for an earlier benefit)",
                      _bases(params, DURATION_KEYS, day)))
    count = int(params.value_at(AVERAGE_MONTHS_KEY, day))
    averaged = months[-count:]
    total_base = 0
    for month in averaged:
        base, line = _ui_base(params, month)
        total_base += base
        lines.append(line)
    average = Fraction(total_base, len(averaged))
    average_shown = round_half_up(average)
    lines.append(Line(
        f"Average UI salary of the last {len(averaged)} contribution months",
        f"Bình quân tiền lương đóng BHTN của {len(averaged)} tháng liền kề",
        f"{dong(total_base)} / {len(averaged)} = {dong(average_shown)}"
        + (" (shown rounded; the benefit uses the exact average)" if average != average_shown else ""),
        basis(params, AVERAGE_MONTHS_KEY, day),
    ))
    benefit_rate = rate(params, RATE_KEY, day)
    uncapped = benefit_rate * average
    lines.append(Line("Benefit before the cap", "Mức hưởng trước khi áp mức tối đa",
                      f"{percent(benefit_rate)} × {dong(average_shown)} = {dong(round_half_up(uncapped))}",
                      basis(params, RATE_KEY, day)))
    cap, cap_line = _cap(params, case, months[-1])
    lines.append(cap_line)
    monthly = round_half_up(min(uncapped, Fraction(cap)))
    lines.append(Line("Monthly benefit", "Mức hưởng trợ cấp thất nghiệp hằng tháng",
                      f"{dong(monthly)} ({'capped' if uncapped > cap else 'under the cap'};"
                      " rounded once, half up, to the đồng)",
                      f"{basis(params, RATE_KEY, day)}"))
    benefit_months, duration_line = _duration(params, day, len(months))
    lines.append(duration_line)
    total = monthly * benefit_months
    lines.append(Line("Total benefit", "Tổng trợ cấp thất nghiệp",
                      f"{dong(monthly)} × {benefit_months} = {dong(total)}", "monthly benefit × months of benefit"))
    return UnemploymentResult(eligible=True, reasons=[], average_salary=average_shown, monthly=monthly,
                              months=benefit_months, total=total, explanation=lines)


__all__ = ["Reason", "UIPeriod", "UnemploymentCase", "UnemploymentResult", "compute"]
