"""Voluntary SI and household HI contributions (the person pays; the State may support).

Voluntary SI: 22 % of the chosen monthly income, between the rural poverty line and
20 × the reference level (Law 41/2024 arts. 31(2), 32(2), 36; Law 58/2014 art. 87 before).
The State pays a share of 22 % × the rural poverty line by the person's group (Decree
159/2025 art. 5 from 2025-07-01; Decree 134/2015 art. 14 from 2018-01-01), for at most
120 months of a person's life, which a single month's quote cannot know: the explanation
says so. Household HI: 4.5 % × the base salary × a factor falling with the member's rank in
the household (Decree 146/2018 art. 7(1)(e); Decree 188/2025).
"""

from __future__ import annotations

import datetime as dt

from ansinh.core.errors import InvalidInput
from ansinh.law.params import ParameterSet
from ansinh.rules.contribution_law import BASE_SALARY_KEY, rate
from ansinh.rules.contribution_types import PAYERS, ContributionResult
from ansinh.rules.explain import Line, basis, dong, percent
from ansinh.rules.money import apply_rate

SUPPORT_GROUPS = ("poor", "near_poor", "ethnic_minority", "other")
POVERTY_LINE_KEY = "social.poverty_line.rural"


def _support(params: ParameterSet, group: str, month: dt.date, gross_rate_on_line: int) -> tuple[int, Line]:
    if group not in SUPPORT_GROUPS:
        raise InvalidInput(
            f"support group {group!r} is not one of {', '.join(SUPPORT_GROUPS)}", code="support_group.invalid",
            field="support_group", rule="State support for voluntary SI depends on the person's group",
        )
    key = f"si.voluntary.support.{group}"
    first = params.get(key).values[0].starts
    if month < first:
        return 0, Line("State support", "Nhà nước hỗ trợ", dong(0),
                       f"no State support before {first.isoformat()} ({basis(params, key, first)})")
    support_rate = rate(params, key, month)
    amount = apply_rate(gross_rate_on_line, support_rate)
    months = params.value_at("si.voluntary.support.max_months", month)
    return amount, Line(
        "State support", "Nhà nước hỗ trợ",
        f"{percent(support_rate)} × {dong(gross_rate_on_line)} = {dong(amount)} "
        f"(for at most {months} months in a person's life)",
        basis(params, key, month),
    )


def voluntary_shares(salary: int, month: dt.date, group: str, params: ParameterSet) -> ContributionResult:
    """A voluntary participant's month: the 22 % contribution, less the State's support."""
    base_salary = int(params.value_at(BASE_SALARY_KEY, month))
    line_amount = int(params.value_at(POVERTY_LINE_KEY, month))
    ceiling = int(params.value_at("si.voluntary.base.ceiling_multiple", month)) * base_salary
    base = min(max(salary, line_amount), ceiling)
    note = "raised to the floor" if salary < line_amount else ("capped" if salary > ceiling else "as chosen")
    contribution_rate = rate(params, "si.voluntary.rate", month)
    gross = apply_rate(base, contribution_rate)
    support, support_line = _support(params, group, month, apply_rate(line_amount, contribution_rate))
    support = min(support, gross)
    lines = [
        Line("Voluntary SI income base", "Thu nhập làm căn cứ đóng BHXH tự nguyện",
             f"{dong(base)} ({note}; floor {dong(line_amount)}, ceiling {dong(ceiling)})",
             f"floor: {basis(params, POVERTY_LINE_KEY, month)}; "
             f"ceiling: {basis(params, 'si.voluntary.base.ceiling_multiple', month)}"),
        Line("Voluntary SI contribution", "Số tiền đóng BHXH tự nguyện",
             f"{percent(contribution_rate)} × {dong(base)} = {dong(gross)}", basis(params, "si.voluntary.rate", month)),
        support_line,
    ]
    shares: dict[str, dict[str, int]] = {payer: {} for payer in PAYERS}
    shares["employee"]["retirement_survivor"] = gross - support
    shares["state"]["voluntary_support"] = support
    return ContributionResult(bases={"si": base, "hi": 0, "ui": 0}, shares=shares, explanation=lines)


def household_health(result: ContributionResult, index: int, month: dt.date, params: ParameterSet) -> None:
    """Add the household HI contribution of the ``index``-th member (1, 2, …) to ``result``."""
    if index < 1:
        raise InvalidInput(f"member index {index} is not 1 or more", code="household.index",
                           field="household_member_index", rule="household members are counted from 1")
    key = f"hi.household.factor.member_{index}" if index < 5 else "hi.household.factor.member_5_plus"
    base_salary = int(params.value_at(BASE_SALARY_KEY, month))
    hi_rate = rate(params, "hi.rates.total", month) * rate(params, key, month)
    amount = apply_rate(base_salary, hi_rate)
    result.bases["hi"] = base_salary
    result.shares["employee"]["health"] = amount
    result.explanation.append(Line(
        f"Household HI, member {index}", f"BHYT hộ gia đình, thành viên thứ {index}",
        f"{percent(rate(params, 'hi.rates.total', month))} × {percent(rate(params, key, month))} × "
        f"{dong(base_salary)} = {dong(amount)}",
        f"{basis(params, 'hi.rates.total', month)}; {basis(params, key, month)}",
    ))
