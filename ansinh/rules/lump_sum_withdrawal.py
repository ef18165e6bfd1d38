"""The one-time SI withdrawal (BHXH một lần): eligibility from the record, and the amount.

Law on SI 58/2014/QH13 art. 60 with Resolution 93/2015/QH13 (claims to 2025-06-30) and Law
41/2024/QH15 art. 70 (from 2025-07-01); the law of the claim date (``as_of``) applies.

Only the grounds the contribution record can show are decided here:

- (a) the worker has reached the normal retirement age with fewer whole years than a pension
  needs (``si.pension.eligibility.min_years``);
- (đ) the worker has had no contribution in the ``si.lump_sum.eligibility.months_out`` months
  up to the month before the claim, has fewer than ``max_years`` whole years, and (where
  ``contributed_before`` is in force) has contribution time before that date.

Emigration, the listed diseases, loss of working capacity and the armed-forces cases are not
in the quote's input and are not decided.

Amount: the average revalued salary AS (:mod:`ansinh.rules.pension_salary`);
``months_per_year_before × AS`` per whole year before ``split_year`` (its odd months move to the
later period), ``months_per_year_from × AS`` per year from then, that period's odd months
counted 1-6 = ½, 7-11 = 1 year; under one year in all: the retirement and survivorship
contributions paid on the declared salaries, at most ``under_one_year_cap_months × AS``. Rounded
once, half up, to the đồng.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from ansinh.core.errors import ParameterNotInForce
from ansinh.core.periods import add_months, format_month, month_start, months_between
from ansinh.law.params import ParameterSet
from ansinh.rules.contribution_law import rate
from ansinh.rules.explain import Line, Reason, basis, dong, percent
from ansinh.rules.money import round_half_up
from ansinh.rules.pension import MIN_YEARS_KEY, ODD_MONTHS_BASIS, benefit_years
from ansinh.rules.pension_salary import SalaryPeriod, average_salary, check_periods
from ansinh.rules.retirement_age import Sex, format_age, normal_retirement_age

MONTHS_OUT_KEY = "si.lump_sum.eligibility.months_out"
MAX_YEARS_KEY = "si.lump_sum.eligibility.max_years"
CONTRIBUTED_BEFORE_KEY = "si.lump_sum.eligibility.contributed_before"
BEFORE_KEY = "si.lump_sum.months_per_year_before"
FROM_KEY = "si.lump_sum.months_per_year_from"
SPLIT_KEY = "si.lump_sum.split_year"
CAP_KEY = "si.lump_sum.under_one_year_cap_months"
PAID_RATE_KEYS = ("si.rates.retirement_survivor.employer", "si.rates.retirement_survivor.employee")


@dataclass(frozen=True)
class WithdrawalCase:
    """A claim received on ``as_of`` by a worker with these compulsory contribution periods."""

    as_of: dt.date
    sex: Sex
    birth_date: dt.date
    history: tuple[SalaryPeriod, ...]


@dataclass
class WithdrawalResult:
    eligible: bool
    reasons: list[Reason]
    average_salary: int
    amount: int
    explanation: list[Line] = field(default_factory=list)

    def amounts(self) -> dict[str, int]:
        """The amounts as ``ansinh quote`` publishes them."""
        return {"average_salary": self.average_salary, "amount": self.amount}


def split_months(params: ParameterSet, history: tuple[SalaryPeriod, ...], day: dt.date) -> tuple[int, int]:
    """(months before ``split_year``, months from it)."""
    split = dt.date(int(params.value_at(SPLIT_KEY, day)), 1, 1)
    before = after = 0
    for period in history:
        start, end = month_start(period.start), month_start(period.end)
        if start < split:
            before += months_between(start, min(end, add_months(split, -1)))
        if end >= split:
            after += months_between(max(start, split), end)
    return before, after


def withdrawal_amount(params: ParameterSet, day: dt.date, before: int, after: int,
                      average: Fraction) -> tuple[int, list[Line]]:
    """The amount for ``before`` months before the split year and ``after`` from it (one year or more)."""
    split = int(params.value_at(SPLIT_KEY, day))
    early_years, odd = divmod(before, 12)
    later = benefit_years(after + odd)
    per_before, per_from = rate(params, BEFORE_KEY, day), rate(params, FROM_KEY, day)
    amount = round_half_up((per_before * early_years + per_from * later) * average)
    shown = dong(round_half_up(average))
    return amount, [
        Line(f"Years before {split}", f"Số năm đóng trước năm {split}",
             f"{before} months = {early_years} years, {odd} odd months moved to the later period",
             basis(params, SPLIT_KEY, day)),
        Line(f"Years from {split}", f"Số năm đóng từ năm {split}",
             f"{after} + {odd} = {after + odd} months → {later} years", ODD_MONTHS_BASIS),
        Line("One-time withdrawal", "Mức hưởng BHXH một lần",
             f"({float(per_before):g} × {early_years} + {float(per_from):g} × {later}) × {shown} = {dong(amount)}"
             " (rounded once, half up)", basis(params, FROM_KEY, day)),
    ]


def _paid(params: ParameterSet, history: tuple[SalaryPeriod, ...]) -> Fraction:
    paid = Fraction(0)
    for period in history:
        start = month_start(period.start)
        for offset in range(months_between(start, month_start(period.end))):
            month = add_months(start, offset)
            paid += period.salary * sum((rate(params, key, month) for key in PAID_RATE_KEYS), Fraction(0))
    return paid


def under_one_year_amount(params: ParameterSet, day: dt.date, history: tuple[SalaryPeriod, ...],
                          average: Fraction) -> tuple[int, list[Line]]:
    """Under one year: the retirement and survivorship contributions paid, at most the cap."""
    paid = _paid(params, history)
    cap_months = int(params.value_at(CAP_KEY, day))
    cap = cap_months * average
    amount = round_half_up(min(paid, cap))
    return amount, [Line(
        "One-time withdrawal, under one year", "Mức hưởng BHXH một lần, dưới một năm",
        f"contributions paid {dong(round_half_up(paid))} (retirement and survivorship rates on the declared"
        f" salaries), at most {cap_months} × {dong(round_half_up(average))} = {dong(round_half_up(cap))}"
        f" → {dong(amount)}", basis(params, CAP_KEY, day))]


def _eligibility(params: ParameterSet, case: WithdrawalCase, months: int) -> tuple[list[Reason], list[Line]]:
    """Reasons against both grounds (empty if either is met) and the lines deciding them."""
    day = case.as_of
    claim_month = month_start(day)
    age = normal_retirement_age(params, case.sex, case.birth_date, day)
    pension_years = int(params.value_at(MIN_YEARS_KEY, day))
    at_age = claim_month >= age.reached
    ground_a: list[Reason] = []
    if not at_age:
        ground_a.append(Reason("too_young", f"the retirement age {format_age(age.months)} is reached in"
                                            f" {format_month(age.reached)}"))
    elif months // 12 >= pension_years:
        ground_a.append(Reason("pension_eligible", f"{months // 12} whole years at the retirement age give a"
                                                   f" pension ({pension_years} needed)"))
    lines = [Line("Retirement age with too few years for a pension", "Đủ tuổi nghỉ hưu, chưa đủ số năm hưởng lương hưu",
                  f"age {format_age(age.months)} reached {format_month(age.reached)}; {months // 12} whole years,"
                  f" a pension needs {pension_years}: {'met' if not ground_a else 'not met'}",
                  f"{age.basis}; {basis(params, MIN_YEARS_KEY, day)}")]
    if not ground_a:
        return [], lines
    ground_d: list[Reason] = []
    out = int(params.value_at(MONTHS_OUT_KEY, day))
    most = int(params.value_at(MAX_YEARS_KEY, day))
    last = max(month_start(p.end) for p in case.history)
    latest_allowed = add_months(claim_month, -(out + 1))
    if last > latest_allowed:
        up_to = format_month(add_months(claim_month, -1))
        ground_d.append(Reason("too_soon_after_leaving", f"last contribution {format_month(last)}; {out} months"
                                                         f" without SI up to {up_to} are needed"))
    if months // 12 >= most:
        ground_d.append(Reason("too_many_years", f"{months // 12} whole years; fewer than {most} are needed"))
    try:
        before = dt.date.fromisoformat(str(params.value_at(CONTRIBUTED_BEFORE_KEY, day)))
    except ParameterNotInForce:
        before = None
    if before is not None and min(month_start(p.start) for p in case.history) >= before:
        ground_d.append(Reason("no_contribution_before_law_41", f"no contribution before {before.isoformat()}"))
    lines.append(Line("Left SI with too few years", "Sau 12 tháng không tham gia BHXH, chưa đủ 20 năm",
                      f"last contribution {format_month(last)}, at most {format_month(latest_allowed)};"
                      f" {months // 12} whole years, fewer than {most}: {'met' if not ground_d else 'not met'}",
                      f"{basis(params, MONTHS_OUT_KEY, day)}"))
    if not ground_d:
        return [], lines
    return ground_a + ground_d, lines


def compute(case: WithdrawalCase, params: ParameterSet) -> WithdrawalResult:
    """The one-time withdrawal claimed on ``case.as_of``."""
    check_periods(case.history, case.as_of)
    day = case.as_of
    months = sum(months_between(month_start(p.start), month_start(p.end)) for p in case.history)
    reasons, lines = _eligibility(params, case, months)
    if reasons:
        return WithdrawalResult(False, reasons, 0, 0, lines)
    average, _, salary_lines = average_salary(params, case.history, day)
    lines.extend(salary_lines)
    if months < 12:
        amount, amount_lines = under_one_year_amount(params, day, case.history, average)
        lines.append(Line("Contribution rates paid back", "Tỷ lệ đóng",
                          " + ".join(percent(rate(params, key, day)) for key in PAID_RATE_KEYS),
                          "; ".join(basis(params, key, day) for key in PAID_RATE_KEYS)))
    else:
        amount, amount_lines = withdrawal_amount(params, day, *split_months(params, case.history, day), average)
    lines.extend(amount_lines)
    return WithdrawalResult(True, [], round_half_up(average), amount, lines)


__all__ = ["Reason", "WithdrawalCase", "WithdrawalResult", "compute", "split_months", "under_one_year_amount",
           "withdrawal_amount"]
