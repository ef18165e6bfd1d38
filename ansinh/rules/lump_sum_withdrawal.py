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

A career with voluntary months counts its whole time (Law 41 art. 102 for voluntary SI, the
same grounds); the years a pension needs are those of the rules the career would retire
under (compulsory or voluntary, :mod:`ansinh.rules.pension_ages`).

Amount: the average revalued salary AS (:mod:`ansinh.rules.pension_salary`: employer-set,
State pay-scale and voluntary months alike); ``months_per_year_before × AS`` per whole year
before ``split_year`` (its odd months move to the later period), ``months_per_year_from × AS``
per year from then, that period's odd months counted 1-6 = ½, 7-11 = 1 year; under one year
in all: the contributions paid on the declared salaries (retirement and survivorship rates,
``si.voluntary.rate`` for voluntary months), at most ``under_one_year_cap_months × AS``.
Where ``si.pension.withdrawal.excludes_voluntary_support`` is in force, the State support for
voluntary SI is taken off: for each voluntary month from the first in which support existed,
the share of the person's group (``support_group``: one group for the whole history, the
quote's field) × ``si.voluntary.rate`` × the rural poverty line of that month, for at most
``si.voluntary.support.max_months`` months of the history (Decree 159/2025 art. 9, ``TC −
M``). The amount is rounded once, half up, to the đồng, after the support is taken off.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.core.periods import add_months, format_month, month_start, months_between
from ansinh.law.params import ParameterSet
from ansinh.rules.contribution_law import rate
from ansinh.rules.explain import Line, Reason, basis, decimal, dong, percent
from ansinh.rules.money import round_half_up
from ansinh.rules.pension import MIN_YEARS_KEY, ODD_MONTHS_BASIS, benefit_years
from ansinh.rules.pension_ages import MIXED_KEY, VOLUNTARY_MIN_YEARS_KEY
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
VOLUNTARY_RATE_KEY = "si.voluntary.rate"
EXCLUDES_SUPPORT_KEY = "si.pension.withdrawal.excludes_voluntary_support"
SUPPORT_PREFIX = "si.voluntary.support"
SUPPORT_GROUPS = ("poor", "near_poor", "ethnic_minority", "other")
POVERTY_LINE_KEY = "social.poverty_line.rural"


@dataclass(frozen=True)
class WithdrawalCase:
    """A claim received on ``as_of`` by a worker with these compulsory contribution periods."""

    as_of: dt.date
    sex: Sex
    birth_date: dt.date
    history: tuple[SalaryPeriod, ...]
    support_group: str | None = None


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
    amount, lines = _by_years(params, day, before, after, average)
    return round_half_up(amount), lines


def _by_years(params: ParameterSet, day: dt.date, before: int, after: int,
              average: Fraction) -> tuple[Fraction, list[Line]]:
    split = int(params.value_at(SPLIT_KEY, day))
    early_years, odd = divmod(before, 12)
    later = benefit_years(after + odd)
    per_before, per_from = rate(params, BEFORE_KEY, day), rate(params, FROM_KEY, day)
    exact = (per_before * early_years + per_from * later) * average
    amount = round_half_up(exact)
    shown = dong(round_half_up(average))
    return exact, [
        Line(f"Years before {split}", f"Số năm đóng trước năm {split}",
             f"{before} months = {early_years} years, {odd} odd months moved to the later period",
             basis(params, SPLIT_KEY, day)),
        Line(f"Years from {split}", f"Số năm đóng từ năm {split}",
             f"{after} + {odd} = {after + odd} months → {later} years", ODD_MONTHS_BASIS),
        Line("One-time withdrawal", "Mức hưởng BHXH một lần",
             f"({decimal(per_before)} × {early_years} + {decimal(per_from)} × {later}) × {shown} = {dong(amount)}"
             " (rounded once, half up)", basis(params, FROM_KEY, day)),
    ]


def _months(history: tuple[SalaryPeriod, ...]) -> list[tuple[dt.date, SalaryPeriod]]:
    return [(add_months(month_start(period.start), offset), period) for period in history
            for offset in range(months_between(month_start(period.start), month_start(period.end)))]


def _paid(params: ParameterSet, history: tuple[SalaryPeriod, ...]) -> Fraction:
    paid = Fraction(0)
    for month, period in _months(history):
        keys = (VOLUNTARY_RATE_KEY,) if period.scheme == "voluntary" else PAID_RATE_KEYS
        paid += period.salary * sum((rate(params, key, month) for key in keys), Fraction(0))
    return paid


def under_one_year_amount(params: ParameterSet, day: dt.date, history: tuple[SalaryPeriod, ...],
                          average: Fraction) -> tuple[int, list[Line]]:
    """Under one year: the retirement and survivorship contributions paid, at most the cap."""
    amount, lines = _under_one_year(params, day, history, average)
    return round_half_up(amount), lines


def _under_one_year(params: ParameterSet, day: dt.date, history: tuple[SalaryPeriod, ...],
                    average: Fraction) -> tuple[Fraction, list[Line]]:
    paid = _paid(params, history)
    cap_months = int(params.value_at(CAP_KEY, day))
    cap = cap_months * average
    exact = min(paid, cap)
    amount = round_half_up(exact)
    return exact, [Line(
        "One-time withdrawal, under one year", "Mức hưởng BHXH một lần, dưới một năm",
        f"contributions paid {dong(round_half_up(paid))} (retirement and survivorship rates on the declared"
        f" salaries), at most {cap_months} × {dong(round_half_up(average))} = {dong(round_half_up(cap))}"
        f" → {dong(amount)}", basis(params, CAP_KEY, day))]


def _support_group(case: WithdrawalCase) -> str:
    if case.support_group is None:
        raise InvalidInput("support_group is required to take the State support for voluntary SI off the"
                           " withdrawal", code="quote.missing_field", field="support_group",
                           rule="the withdrawal excludes the State support, which depends on the person's group")
    if case.support_group not in SUPPORT_GROUPS:
        raise InvalidInput(f"support group {case.support_group!r} is not one of {', '.join(SUPPORT_GROUPS)}",
                           code="support_group.invalid", field="support_group",
                           rule="State support for voluntary SI depends on the person's group")
    return case.support_group


def state_support(params: ParameterSet, case: WithdrawalCase) -> tuple[Fraction, Line | None]:
    """The State support for voluntary SI the withdrawal excludes (0 and no line where there is none)."""
    day = case.as_of
    if params.value_at(EXCLUDES_SUPPORT_KEY, day) is not True:
        return Fraction(0), None
    first = min(params.get(f"{SUPPORT_PREFIX}.{group}").values[0].starts for group in SUPPORT_GROUPS)
    supported = [(month, period) for month, period in _months(case.history)
                 if period.scheme == "voluntary" and month >= first]
    if not supported:
        return Fraction(0), None
    group = _support_group(case)
    key = f"{SUPPORT_PREFIX}.{group}"
    total, counted = Fraction(0), 0
    for month, _ in supported:
        if counted >= int(params.value_at(f"{SUPPORT_PREFIX}.max_months", month)):
            break
        try:
            share = rate(params, key, month)
        except ParameterNotInForce:
            raise InvalidInput(f"support group {group} had no State support of its own in {format_month(month)}",
                               code="support_group.not_in_force", field="support_group",
                               rule=f"{key} applies from {params.get(key).values[0].starts.isoformat()}") from None
        total += share * rate(params, VOLUNTARY_RATE_KEY, month) * int(params.value_at(POVERTY_LINE_KEY, month))
        counted += 1
    return total, Line("State support for voluntary SI taken off", "Trừ số tiền Nhà nước hỗ trợ đóng BHXH tự nguyện",
                       f"{counted} supported months ({group}: share × {decimal(rate(params, VOLUNTARY_RATE_KEY, day))}"
                       f" × the rural poverty line of each month) = {dong(round_half_up(total))}",
                       f"{basis(params, EXCLUDES_SUPPORT_KEY, day)}; {basis(params, key, supported[-1][0])}")


def _pension_years_key(params: ParameterSet, case: WithdrawalCase) -> str:
    """The years a pension needs under the rules the career would retire under (compulsory or voluntary)."""
    compulsory = sum(months_between(month_start(p.start), month_start(p.end)) for p in case.history
                     if p.scheme == "compulsory")
    if all(p.scheme == "compulsory" for p in case.history):
        return MIN_YEARS_KEY
    return MIN_YEARS_KEY if compulsory and compulsory // 12 >= int(params.value_at(MIXED_KEY, case.as_of)) else \
        VOLUNTARY_MIN_YEARS_KEY


def _eligibility(params: ParameterSet, case: WithdrawalCase, months: int) -> tuple[list[Reason], list[Line]]:
    """Reasons against both grounds (empty if either is met) and the lines deciding them."""
    day = case.as_of
    claim_month = month_start(day)
    age = normal_retirement_age(params, case.sex, case.birth_date, day)
    years_key = _pension_years_key(params, case)
    pension_years = int(params.value_at(years_key, day))
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
                  f"{age.basis}; {basis(params, years_key, day)}")]
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
        exact, amount_lines = _under_one_year(params, day, case.history, average)
        keys = tuple(dict.fromkeys(key for p in case.history
                                   for key in ((VOLUNTARY_RATE_KEY,) if p.scheme == "voluntary" else PAID_RATE_KEYS)))
        shown = [" + ".join(percent(rate(params, key, day)) for key in PAID_RATE_KEYS if key in keys)]
        shown += [f"voluntary {percent(rate(params, VOLUNTARY_RATE_KEY, day))}"] if VOLUNTARY_RATE_KEY in keys else []
        lines.append(Line("Contribution rates paid back", "Tỷ lệ đóng", "; ".join(s for s in shown if s),
                          "; ".join(basis(params, key, day) for key in keys)))
    else:
        exact, amount_lines = _by_years(params, day, *split_months(params, case.history, day), average)
    lines.extend(amount_lines)
    support, support_line = state_support(params, case)
    amount = round_half_up(max(exact - support, Fraction(0)))
    if support_line is not None:
        lines += [support_line, Line("One-time withdrawal, less the State support", "Mức hưởng BHXH một lần",
                                     f"{dong(round_half_up(exact))} − {dong(round_half_up(support))} = {dong(amount)}"
                                     " (rounded once, half up)", basis(params, EXCLUDES_SUPPORT_KEY, day))]
    return WithdrawalResult(True, [], round_half_up(average), amount, lines)


__all__ = ["Reason", "WithdrawalCase", "WithdrawalResult", "compute", "split_months", "state_support",
           "under_one_year_amount", "withdrawal_amount"]
