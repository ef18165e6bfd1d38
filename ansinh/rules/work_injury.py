"""Work injury and occupational disease benefits from the fund, explained.

Law on Occupational Safety and Health 84/2015/QH13 (in force 2016-07-01), arts. 48, 49 and
53, in units of the base salary (``si.base_salary``; from 2025-07-01 the reference level
equals it, Law 41/2024 art. 141(13), and Law 41/2024 art. 139(1) left these formulas alone).
Every number is a dated parameter under ``si.work_injury``:

- loss of working capacity from ``lump_sum.min_loss`` (5 %) below ``monthly.min_loss`` (31 %):
  a lump sum ``base_multiple × B`` at 5 % ``+ step_multiple × B`` per further 1 %, plus the
  seniority part ``(first_year + per_extra_year × (years − 1)) ×`` the salary of the month
  before the event (art. 48(2));
- loss from 31 %: a monthly allowance ``base_rate × B`` at 31 % ``+ step_rate × B`` per
  further 1 %, plus the seniority part in the same shape with the monthly rates (art. 49(2));
- death from the accident or disease: ``death.multiple × B`` of the month of death (art. 53).

``years`` are the whole years of work-injury contributions up to the month before the event;
1 year or less gives the first-year part only. The salary is that of the month before the
event; when the event falls in the first month of contributions (or of a return after a
gap) it is that month's salary (art. 48(2)(b)). Each amount is rounded once, half up, to the
đồng. Not modelled: the constant-attendance allowance (art. 52), recovery after treatment
(art. 54), retraining (art. 55) and the employer's own compensation (arts. 38-39).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from ansinh.core.errors import InvalidInput
from ansinh.core.periods import add_months, format_month, month_start, months_between
from ansinh.law.params import ParameterSet
from ansinh.rules.contribution_law import BASE_SALARY_KEY, rate
from ansinh.rules.explain import Line, Reason, basis, decimal, dong, percent
from ansinh.rules.history import check_history
from ansinh.rules.money import round_half_up

LUMP_MIN_LOSS_KEY = "si.work_injury.lump_sum.min_loss"
LUMP_BASE_KEY = "si.work_injury.lump_sum.base_multiple"
LUMP_STEP_KEY = "si.work_injury.lump_sum.step_multiple"
MONTHLY_MIN_LOSS_KEY = "si.work_injury.monthly.min_loss"
MONTHLY_BASE_KEY = "si.work_injury.monthly.base_rate"
MONTHLY_STEP_KEY = "si.work_injury.monthly.step_rate"
SENIORITY_LUMP_FIRST_KEY = "si.work_injury.seniority.lump_sum.first_year"
SENIORITY_LUMP_EXTRA_KEY = "si.work_injury.seniority.lump_sum.per_extra_year"
SENIORITY_MONTHLY_FIRST_KEY = "si.work_injury.seniority.monthly.first_year"
SENIORITY_MONTHLY_EXTRA_KEY = "si.work_injury.seniority.monthly.per_extra_year"
DEATH_MULTIPLE_KEY = "si.work_injury.death.multiple"
KINDS = ("accident", "disease")


@dataclass(frozen=True)
class WorkInjuryPeriod:
    """Months of contributions to the work-injury fund, inclusive, at one monthly salary.

    ``start`` and ``end`` are read as their months; ``index`` is the period's position in
    the caller's history, used to name the field of an error.
    """

    start: dt.date
    end: dt.date
    salary: int
    index: int | None = None


@dataclass(frozen=True)
class WorkInjuryCase:
    """An accident or a diagnosed disease on ``as_of`` (the day of death when ``died``)."""

    as_of: dt.date
    history: tuple[WorkInjuryPeriod, ...]
    loss_percent: int | None = None
    kind: str = "accident"
    died: bool = False


@dataclass
class WorkInjuryResult:
    eligible: bool
    reasons: list[Reason]
    lump_sum: int
    monthly: int
    death_allowance: int
    explanation: list[Line] = field(default_factory=list)

    def amounts(self) -> dict[str, int]:
        """The amounts as ``ansinh quote`` publishes them."""
        return {"lump_sum": self.lump_sum, "monthly": self.monthly, "death_allowance": self.death_allowance}


def _check(case: WorkInjuryCase) -> None:
    if case.kind not in KINDS:
        raise InvalidInput(f"kind {case.kind!r} is not one of {', '.join(KINDS)}", code="work_injury.kind",
                           field="kind", rule="a work injury is an accident or an occupational disease")
    if case.loss_percent is None and not case.died:
        raise InvalidInput("loss_percent is required unless the worker died", code="quote.missing_field",
                           field="loss_percent", rule="the benefit depends on the assessed loss of working capacity")
    if case.loss_percent is not None and not 0 <= case.loss_percent <= 100:
        raise InvalidInput(f"loss_percent {case.loss_percent} is not 0 to 100", code="work_injury.loss_percent",
                           field="loss_percent", rule="the loss of working capacity is a whole percentage, 0 to 100")
    check_history(case.history)  # work may go on after the injury: no bound by the event


def _salary_month(case: WorkInjuryCase) -> tuple[int, dt.date, int] | None:
    """(salary, its month, months contributed before the event month), or None if not insured."""
    event = month_start(case.as_of)
    before = add_months(event, -1)
    salary: tuple[int, dt.date] | None = None
    months = 0
    for period in case.history:
        start, end = month_start(period.start), month_start(period.end)
        if start <= before:
            months += months_between(start, min(end, before))
        if start <= before <= end:
            salary = (period.salary, before)
    if salary is None:
        # the first month of contributions, or of a return after a gap (art. 48(2)(b))
        for period in case.history:
            if month_start(period.start) == event:
                salary = (period.salary, event)
    if salary is None:
        return None
    return salary[0], salary[1], months


def _seniority(
    params: ParameterSet, day: dt.date, *, keys: tuple[str, str], months: int, salary: int, month: dt.date
) -> tuple[Fraction, Line]:
    first_key, extra_key = keys
    first = rate(params, first_key, day)
    extra = rate(params, extra_key, day)
    years = months // 12
    further = max(0, years - 1)
    share = first + extra * further
    amount = share * salary
    return amount, Line(
        "Seniority part", "Trợ cấp tính theo số năm đóng vào quỹ",
        f"{months} months in the fund = {years} whole years: {decimal(first)} + {decimal(extra)} × {further}"
        f" = {decimal(share)}"
        f" × {dong(salary)} (salary of {format_month(month)}) = {dong(round_half_up(amount))}",
        f"{basis(params, first_key, day)}; whole years counted, odd months not [UNVERIFIED convention]",
    )


def _not_eligible(reason: Reason, lines: list[Line]) -> WorkInjuryResult:
    return WorkInjuryResult(eligible=False, reasons=[reason], lump_sum=0, monthly=0, death_allowance=0,
                            explanation=lines)


def compute(case: WorkInjuryCase, params: ParameterSet) -> WorkInjuryResult:
    """What the work-injury fund pays for the accident, disease or death in ``case``."""
    _check(case)
    day = case.as_of
    base_salary = int(params.value_at(BASE_SALARY_KEY, day))
    what = "work accident" if case.kind == "accident" else "occupational disease (date of diagnosis)"
    lines = [
        Line("Event", "Sự kiện", f"{what} on {day.isoformat()}" + (", the worker died" if case.died else ""),
             "Law on Occupational Safety and Health 84/2015/QH13, arts. 45-46; the law of the event's date applies"),
        Line("Base salary", "Mức lương cơ sở", dong(base_salary),
             f"{basis(params, BASE_SALARY_KEY, day)} (= the reference level from 2025-07-01)"),
    ]
    found = _salary_month(case)
    if found is None:
        return _not_eligible(Reason(
            "not_insured_at_event",
            f"no work-injury contribution in {format_month(add_months(month_start(day), -1))} (the month before the"
            f" event) and the event is not in a first month of contributions",
        ), lines)
    salary, salary_month, months = found
    if case.died:
        multiple = int(params.value_at(DEATH_MULTIPLE_KEY, day))
        allowance = multiple * base_salary
        lines.append(Line("Death allowance", "Trợ cấp một lần khi chết do TNLĐ-BNN",
                          f"{multiple} × {dong(base_salary)} (base salary of the month of death) = {dong(allowance)}",
                          basis(params, DEATH_MULTIPLE_KEY, day)))
        return WorkInjuryResult(eligible=True, reasons=[], lump_sum=0, monthly=0, death_allowance=allowance,
                                explanation=lines)
    loss_percent = case.loss_percent or 0  # _check refused a missing loss unless the worker died
    loss = Fraction(loss_percent, 100)
    lump_min = rate(params, LUMP_MIN_LOSS_KEY, day)
    monthly_min = rate(params, MONTHLY_MIN_LOSS_KEY, day)
    if loss < lump_min:
        lines.append(Line("Loss of working capacity", "Mức suy giảm khả năng lao động",
                          f"{loss_percent} % (below {percent(lump_min)})", basis(params, LUMP_MIN_LOSS_KEY, day)))
        return _not_eligible(Reason(
            "loss_below_threshold",
            f"a loss of working capacity of {loss_percent} % is below the {percent(lump_min)} the fund pays from",
        ), lines)
    if loss < monthly_min:
        multiple = int(params.value_at(LUMP_BASE_KEY, day))
        step = rate(params, LUMP_STEP_KEY, day)
        extra = loss_percent - int(lump_min * 100)
        by_loss = (multiple + step * extra) * base_salary
        lines.append(Line(
            "Lump sum by loss", "Trợ cấp một lần theo mức suy giảm",
            f"{loss_percent} %: ({multiple} + {decimal(step)} × {extra}) × {dong(base_salary)}"
            f" = {dong(round_half_up(by_loss))}",
            f"{basis(params, LUMP_BASE_KEY, day)}; {percent(lump_min)} to below {percent(monthly_min)}",
        ))
        by_years, line = _seniority(params, day, keys=(SENIORITY_LUMP_FIRST_KEY, SENIORITY_LUMP_EXTRA_KEY),
                                    months=months, salary=salary, month=salary_month)
        lines.append(line)
        lump_sum = round_half_up(by_loss + by_years)
        lines.append(Line("Lump sum", "Trợ cấp một lần",
                          f"{dong(lump_sum)} (rounded once, half up, to the đồng)",
                          basis(params, LUMP_BASE_KEY, day)))
        return WorkInjuryResult(eligible=True, reasons=[], lump_sum=lump_sum, monthly=0, death_allowance=0,
                                explanation=lines)
    base_rate = rate(params, MONTHLY_BASE_KEY, day)
    step_rate = rate(params, MONTHLY_STEP_KEY, day)
    extra = loss_percent - int(monthly_min * 100)
    share = base_rate + step_rate * extra
    by_loss = share * base_salary
    lines.append(Line(
        "Monthly allowance by loss", "Trợ cấp hằng tháng theo mức suy giảm",
        f"{loss_percent} %: {percent(base_rate)} + {percent(step_rate)} × {extra} = {percent(share)}"
        f" × {dong(base_salary)} = {dong(round_half_up(by_loss))}",
        f"{basis(params, MONTHLY_BASE_KEY, day)}; from {percent(monthly_min)}",
    ))
    by_years, line = _seniority(params, day, keys=(SENIORITY_MONTHLY_FIRST_KEY, SENIORITY_MONTHLY_EXTRA_KEY),
                                months=months, salary=salary, month=salary_month)
    lines.append(line)
    monthly = round_half_up(by_loss + by_years)
    lines.append(Line("Monthly allowance", "Trợ cấp hằng tháng",
                      f"{dong(monthly)} (rounded once, half up, to the đồng)", basis(params, MONTHLY_BASE_KEY, day)))
    return WorkInjuryResult(eligible=True, reasons=[], lump_sum=0, monthly=monthly, death_allowance=0,
                            explanation=lines)


__all__ = ["Reason", "WorkInjuryCase", "WorkInjuryPeriod", "WorkInjuryResult", "compute"]
