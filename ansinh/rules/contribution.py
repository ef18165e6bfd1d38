"""Monthly contributions for one person: compulsory (employer, employee, State) or voluntary.

``compute(case, params)`` answers the bases, each payer's amount per fund, the totals and the
explanation. Every amount per fund is rounded once, half up, to the đồng
(:func:`ansinh.rules.money.apply_rate`). The batch form over Polars frames
(:mod:`ansinh.rules.contribution_batch`) reads the same rule table and gives the same amounts.
"""

from __future__ import annotations

from ansinh.core.errors import InvalidInput
from ansinh.law.params import ParameterSet
from ansinh.rules.contribution_law import (
    COMPULSORY_SHARES,
    Base,
    compulsory_limits,
    rate,
    rate_key,
)
from ansinh.rules.contribution_types import PAYERS, ContributionCase, ContributionResult
from ansinh.rules.explain import Line, basis, dong, percent
from ansinh.rules.money import apply_rate
from ansinh.rules.voluntary import household_health, voluntary_shares


def _check(case: ContributionCase) -> None:
    if case.salary < 0:
        raise InvalidInput("a salary cannot be negative", code="salary.negative", field="salary",
                           rule="salaries are whole đồng, zero or more")
    if case.scheme not in ("compulsory", "voluntary"):
        raise InvalidInput(f"scheme {case.scheme!r} is not compulsory or voluntary", code="scheme.invalid",
                           field="scheme", rule="a contribution is compulsory or voluntary")
    if case.household_member_index is not None and case.scheme == "compulsory":
        raise InvalidInput(
            "household HI is not paid by a compulsory participant", code="household.compulsory",
            field="household_member_index", rule="a worker's HI is paid with the employer (Law on HI art. 13)",
        )


def _clamp_line(
    name: str, name_vi: str, *, salary: int, floor: int, ceiling: int, why: str
) -> tuple[int, Line]:
    base = min(max(salary, floor), ceiling)
    note = "raised to the floor" if salary < floor else ("capped at the ceiling" if salary > ceiling else "as declared")
    return base, Line(name, name_vi, f"{dong(base)} ({note}; floor {dong(floor)}, ceiling {dong(ceiling)})", why)


def _compulsory(case: ContributionCase, params: ParameterSet) -> ContributionResult:
    month = case.month
    limits = compulsory_limits(params, month, region=case.region, sector=case.sector)
    lines: list[Line] = []
    bases: dict[str, int] = {}
    floor_basis = basis(params, limits.floor_key, month) if limits.floor else "State pay scale"
    for base, name, name_vi, ceiling, ceiling_key in (
        (Base.SI, "SI salary base", "Tiền lương đóng BHXH", limits.si_ceiling, "si.base.ceiling_multiple"),
        (Base.HI, "HI salary base", "Tiền lương đóng BHYT", limits.hi_ceiling, "hi.base.ceiling_multiple"),
        (Base.UI, "UI salary base", "Tiền lương đóng BHTN", limits.ui_ceiling, "ui.base.ceiling_multiple"),
    ):
        why = f"floor: {floor_basis}; ceiling: {basis(params, ceiling_key, month)}"
        bases[base.value], line = _clamp_line(
            name, name_vi, salary=case.salary, floor=limits.floor, ceiling=ceiling, why=why
        )
        lines.append(line)
    shares: dict[str, dict[str, int]] = {payer: {} for payer in PAYERS}
    for share in COMPULSORY_SHARES:
        key = rate_key(share, reduced_work_injury=case.reduced_work_injury_rate, sector=case.sector)
        share_rate = rate(params, key, month)
        amount = apply_rate(bases[share.base.value], share_rate)
        shares[share.payer][share.fund] = amount
        lines.append(Line(share.label, share.label_vi,
                          f"{percent(share_rate)} × {dong(bases[share.base.value])} = {dong(amount)}",
                          basis(params, key, month)))
    return ContributionResult(bases=bases, shares=shares, explanation=lines)


def compute(case: ContributionCase, params: ParameterSet) -> ContributionResult:
    """The contributions due for ``case`` under the law in force in its month."""
    _check(case)
    if case.scheme == "compulsory":
        result = _compulsory(case, params)
    else:
        result = voluntary_shares(case.salary, case.month, case.support_group, params)
    if case.household_member_index is not None:
        household_health(result, case.household_member_index, case.month, params)
    lines = result.explanation
    lines.append(Line("Total contributions", "Tổng số đóng", dong(result.total), "sum of the amounts above"))
    return result


__all__ = ["ContributionCase", "ContributionResult", "compute"]
