"""Pension indexation (điều chỉnh lương hưu): the amount in force on a day after the general increases.

Law on SI 41/2024/QH15 art. 67 (58/2014/QH13 art. 57 before 2025-07-01): the Government raises
pensions, SI allowances and monthly allowances by decree. Each dated value of
``si.pension.indexation.rate`` is one increase (Decrees 76/2017, 88/2018, 44/2019, 108/2021,
42/2023, 75/2024, 162/2026; none in 2020-2021). Given an amount paid from a date, each increase
dated after that date and on or before ``as_of`` is applied in order, on the amount of the month
before (each decree's art. 2(3): the raised amount is the base of the next increase):

1. ``p = p × (1 + r)``, rounded once, half up, to the đồng (the decrees and circulars give the
   factor, e.g. × 1,08, not the rounding: whole đồng half up is this code's convention); ``r`` is
   ``rate``, or ``cohort.rate`` for a pension started on or after ``cohort.started_from`` where the
   increase has such a second rate (2023: 20.8 % for pensions not raised by Decree 108/2021,
   i.e. started from 2022-01-01);
2. for a pension started before ``pre_1995.started_before`` (1995-01-01) and an increase with a
   top-up: if ``p`` is below ``pre_1995.floor``, ``p = min(p + top_up, floor)``, which is the
   decrees' "+top-up below floor − top-up, raised to the floor from there".

An increase applies to pensions had before its date (each decree's art. 1): a pension that
starts on the date of an increase is not raised by it.

Amounts paid before ``amounts_from`` (2016-08-01) are refused: the increases before 2016 are not
encoded, and Decree 55/2016's 8 % for pensions started 2015-01-01 to 2016-04-30 counts from each
pension's first month, so an earlier amount may or may not include it. The cohort conditions the
case cannot show (groups a decree leaves out) are not modelled: the pension is taken to be an
old-age pension of the groups every decree covers.

>>> import datetime as dt
>>> from ansinh.law import default_parameters
>>> result = compute(IndexationCase(as_of=dt.date(2024, 7, 1), monthly=5_000_000, started=dt.date(2023, 1, 1)),
...                  default_parameters())
>>> result.monthly, [(i.starts.isoformat(), i.monthly) for i in result.increases]
(6946000, [('2023-07-01', 6040000), ('2024-07-01', 6946000)])
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.law.params import ParameterSet
from ansinh.rules.explain import Line, Reason, basis, dong, percent
from ansinh.rules.money import round_half_up

PREFIX = "si.pension.indexation"
RATE_KEY = f"{PREFIX}.rate"
COHORT_FROM_KEY = f"{PREFIX}.cohort.started_from"
COHORT_RATE_KEY = f"{PREFIX}.cohort.rate"
TOP_UP_KEY = f"{PREFIX}.pre_1995.top_up"
FLOOR_KEY = f"{PREFIX}.pre_1995.floor"
PRE_1995_KEY = f"{PREFIX}.pre_1995.started_before"
AMOUNTS_FROM_KEY = f"{PREFIX}.amounts_from"
LAW_BASIS = ("Law on Social Insurance 58/2014/QH13, art. 57; 41/2024/QH15, art. 67 (pensions raised by decree,"
             " each raised amount the base of the next)")
PER_INCREASE_KEYS = (COHORT_FROM_KEY, COHORT_RATE_KEY, TOP_UP_KEY, FLOOR_KEY)
"""Keys with a value (or null) on the date of every increase of ``RATE_KEY``."""


@dataclass(frozen=True)
class IndexationCase:
    """``monthly`` đồng paid from ``paid_from`` (default ``started``, the day the pension started)."""

    as_of: dt.date
    monthly: int
    started: dt.date
    paid_from: dt.date | None = None
    paid_from_field: str = "month"


@dataclass(frozen=True)
class Increase:
    """One increase applied: its date, its rate, the flat top-up added and the amount after it."""

    starts: dt.date
    rate: Fraction
    top_up: int
    monthly: int

    def published(self) -> dict[str, Any]:
        """The increase as ``ansinh quote`` publishes it."""
        return {"from": self.starts.isoformat(), "percent": float(self.rate * 100), "top_up": self.top_up,
                "monthly": self.monthly}


@dataclass
class IndexationResult:
    monthly: int
    increases: list[Increase]
    explanation: list[Line] = field(default_factory=list)
    eligible: bool = True
    reasons: list[Reason] = field(default_factory=list)

    def amounts(self) -> dict[str, Any]:
        """The amounts as ``ansinh quote`` publishes them."""
        return {"monthly": self.monthly, "increases": [increase.published() for increase in self.increases]}


def increase_dates(params: ParameterSet) -> list[dt.date]:
    """The dates of the general increases, oldest first."""
    return [value.starts for value in params.get(RATE_KEY).values if value.value is not None]


def _on(params: ParameterSet, key: str, day: dt.date) -> Any:
    """The value of ``key`` on ``day``, or None where it is null or not yet in force."""
    try:
        return params.value_at(key, day)
    except ParameterNotInForce:
        return None


def _check(params: ParameterSet, case: IndexationCase) -> dt.date:
    """The date the amount is paid from, after refusing what cannot be indexed."""
    if case.monthly <= 0:
        raise InvalidInput("the monthly pension must be more than 0 đồng", code="pension_indexation.monthly",
                           field="monthly_pension", rule="the amount indexed is the monthly pension paid")
    if case.started > case.as_of:
        raise InvalidInput(f"the pension starts {case.started.isoformat()}, after {case.as_of.isoformat()}",
                           code="pension_indexation.start_after_as_of", field="pension_start",
                           rule="the pension starts on or before the day asked about")
    paid_from = max(case.paid_from or case.started, case.started)
    field_name = case.paid_from_field if case.paid_from is not None else "pension_start"
    if case.paid_from is not None and case.paid_from.replace(day=1) < case.started.replace(day=1):
        raise InvalidInput(f"the amount is paid from {case.paid_from.isoformat()[:7]}, before the pension starts"
                           f" ({case.started.isoformat()})", code="pension_indexation.paid_before_start",
                           field=field_name, rule="the month of the amount is on or after the pension's start")
    if paid_from > case.as_of:
        raise InvalidInput(f"the amount is paid from {paid_from.isoformat()}, after {case.as_of.isoformat()}",
                           code="pension_indexation.paid_after_as_of", field=field_name,
                           rule="the month of the amount is on or before the day asked about")
    first = params.get(AMOUNTS_FROM_KEY).values[0]
    known = dt.date.fromisoformat(str(first.value))
    if paid_from < known:
        raise InvalidInput(
            f"an amount paid from {paid_from.isoformat()} cannot be indexed: the increases before"
            f" {known.isoformat()} are not known here; give the month of an amount paid on or after"
            f" {known.isoformat()[:7]} (field month) with that amount", code="pension_indexation.before_known",
            field=field_name, rule=f"{first.source.instrument}, {first.source.article}")
    return paid_from


def _raise(params: ParameterSet, case: IndexationCase, day: dt.date, before: int) -> tuple[Increase, Line]:
    """The increase of ``day`` applied to ``before``."""
    cohort_from = _on(params, COHORT_FROM_KEY, day)
    in_cohort = cohort_from is not None and case.started >= dt.date.fromisoformat(str(cohort_from))
    key = COHORT_RATE_KEY if in_cohort else RATE_KEY
    rate = Fraction(params.value_at(key, day))
    raised = round_half_up(before * (1 + rate))
    text = f"{dong(before)} × (1 + {percent(rate)}) = {dong(raised)} (rounded once, half up)"
    if in_cohort:
        text += f" (pension started on or after {cohort_from}, not raised by the previous increase)"
    bases = [basis(params, key, day)]
    top_up = 0
    amount, floor = _on(params, TOP_UP_KEY, day), _on(params, FLOOR_KEY, day)
    pre_1995 = _on(params, PRE_1995_KEY, day)
    if amount is not None and floor is not None and pre_1995 is not None \
            and case.started < dt.date.fromisoformat(str(pre_1995)) and raised < floor:
        top_up = min(int(amount), int(floor) - raised)
        text += (f"; started before {pre_1995} and below {dong(int(floor))}: + {dong(top_up)}"
                 f" = {dong(raised + top_up)}")
        bases += [basis(params, TOP_UP_KEY, day), basis(params, PRE_1995_KEY, day)]
    increase = Increase(day, rate, top_up, raised + top_up)
    return increase, Line(f"Increase of {day.isoformat()}", f"Điều chỉnh từ {day.strftime('%d/%m/%Y')}",
                          text, "; ".join(dict.fromkeys(bases)))


def compute(case: IndexationCase, params: ParameterSet) -> IndexationResult:
    """The monthly pension in force on ``case.as_of``, explained increase by increase."""
    paid_from = _check(params, case)
    lines = [Line("Amount indexed", "Mức hưởng được điều chỉnh",
                  f"{dong(case.monthly)} paid from {paid_from.isoformat()} (pension started"
                  f" {case.started.isoformat()})", basis(params, AMOUNTS_FROM_KEY, paid_from))]
    monthly = case.monthly
    increases: list[Increase] = []
    for day in increase_dates(params):
        if paid_from < day <= case.as_of:
            increase, line = _raise(params, case, day, monthly)
            increases.append(increase)
            lines.append(line)
            monthly = increase.monthly
    if not increases:
        lines.append(Line("Increases", "Các lần điều chỉnh",
                          f"none from {paid_from.isoformat()} to {case.as_of.isoformat()}",
                          basis(params, RATE_KEY, increase_dates(params)[0])))
    lines.append(Line("Monthly pension in force", "Mức lương hưu hằng tháng",
                      f"{dong(monthly)} on {case.as_of.isoformat()}", LAW_BASIS))
    return IndexationResult(monthly, increases, lines)


__all__ = ["PER_INCREASE_KEYS", "Increase", "IndexationCase", "IndexationResult", "compute", "increase_dates"]
