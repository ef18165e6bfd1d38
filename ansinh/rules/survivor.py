"""Survivor benefits on the death of an active or deferred compulsory SI member, explained.

Law on Social Insurance 58/2014/QH13 (deaths to 2025-06-30, arts. 66-70) and 41/2024/QH15
(from 2025-07-01, arts. 85-89); the law of the date of death applies, read from dated
parameters under ``si.survivor``:

- funeral allowance ``funeral.multiple ×`` the base salary (Law 58) or the reference level
  (Law 41, equal to the base salary while ``si.reference_level_equals_base_salary``), of the
  month of death (``amount_basis`` names which), when the deceased had at least
  ``funeral.min_months`` months of compulsory SI;
- monthly survivor allowance when the deceased had at least ``monthly.min_years`` whole
  years of compulsory SI and eligible dependants are named: ``monthly.rate`` (50 %) of that
  amount for each dependant, ``monthly.rate_no_carer`` (70 %) for one with no direct carer,
  for at most ``monthly.max_dependants`` dependants (the first ones named), each rounded once;
- otherwise (too few years for the monthly allowance, or no dependant) the lump sum:
  ``months_per_year_before_2014`` (1.5) months of the average salary per year
  before ``split_year`` and ``months_per_year_from_2014`` (2) per year from it, at
  least ``minimum_months`` (3) months; odd months of the earlier period move to the later
  one, whose odd months count as half a year (1-6) or a full year (7-11) (Law 41/2024
  arts. 5(6), 89(1)(a)); rounded once, half up, to the đồng.

The average salary for the lump sum is the revalued average of all compulsory months, the
same as for the one-time withdrawal (Decree 158/2025 art. 15(7)). The caller may give it;
otherwise :func:`ansinh.rules.pension_salary.average_salary` computes it for employer-set
pay with the coefficient table of the year of death (taken as the year of grant), which is
known for 2025 and 2026 only: other years raise ``ParameterNotInForce`` rather than reuse a
table. State pay-scale and voluntary careers are refused for the lump sum.

Not modelled: deaths of pensioners or of recipients of a monthly work-injury allowance, deaths
from a work accident or disease (which qualify without the contribution years), the
dependants' own conditions (age, loss of capacity, income under the reference level: the
caller names only eligible dependants), the dependants' choice of the lump sum instead of the
monthly allowance, double allowances for two or more deaths, and voluntary SI (art. 109-111).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.core.periods import add_months, month_start, months_between
from ansinh.law.params import ParameterSet
from ansinh.rules.contribution_law import BASE_SALARY_KEY, rate
from ansinh.rules.explain import Line, Reason, basis, dong, percent
from ansinh.rules.history import check_history, field_of
from ansinh.rules.money import round_half_up
from ansinh.rules.pension_salary import SalaryPeriod, average_salary

AMOUNT_BASIS_KEY = "si.survivor.amount_basis"
REFERENCE_EQUALS_BASE_KEY = "si.reference_level_equals_base_salary"
FUNERAL_MULTIPLE_KEY = "si.survivor.funeral.multiple"
FUNERAL_MIN_MONTHS_KEY = "si.survivor.funeral.min_months"
MONTHLY_MIN_YEARS_KEY = "si.survivor.monthly.min_years"
MONTHLY_RATE_KEY = "si.survivor.monthly.rate"
MONTHLY_RATE_NO_CARER_KEY = "si.survivor.monthly.rate_no_carer"
MAX_DEPENDANTS_KEY = "si.survivor.monthly.max_dependants"
LUMP_BEFORE_KEY = "si.survivor.lump_sum.months_per_year_before_2014"
LUMP_FROM_KEY = "si.survivor.lump_sum.months_per_year_from_2014"
LUMP_SPLIT_KEY = "si.survivor.lump_sum.split_year"
LUMP_MIN_KEY = "si.survivor.lump_sum.minimum_months"
ODD_MONTHS_HALF_YEAR = 6
"""Odd months 1-6 count as half a year, 7-11 as a full year (Law 41/2024 art. 5(6))."""


@dataclass(frozen=True)
class SurvivorPeriod:
    """Months of contributions, inclusive, at one monthly salary.

    ``state_scale``: salary on the State pay scale; ``voluntary``: voluntary SI. ``index``
    is the period's position in the caller's history, used to name the field of an error.
    """

    start: dt.date
    end: dt.date
    salary: int
    state_scale: bool = False
    voluntary: bool = False
    index: int | None = None


@dataclass(frozen=True)
class Dependant:
    """A relative eligible for the monthly allowance; ``needs_support`` when no one directly cares for them."""

    needs_support: bool


@dataclass(frozen=True)
class SurvivorCase:
    """A death on ``as_of``: the deceased's contributions, the dependants, optionally the revalued average."""

    as_of: dt.date
    history: tuple[SurvivorPeriod, ...]
    dependants: tuple[Dependant, ...] = ()
    average_salary: Fraction | None = None


@dataclass
class SurvivorResult:
    eligible: bool
    reasons: list[Reason]
    funeral_allowance: int
    monthly_per_dependant: list[int]
    monthly_total: int
    lump_sum: int
    explanation: list[Line] = field(default_factory=list)

    def amounts(self) -> dict[str, int | list[int]]:
        """The amounts as ``ansinh quote`` publishes them."""
        return {"funeral_allowance": self.funeral_allowance, "monthly_per_dependant": list(self.monthly_per_dependant),
                "monthly_total": self.monthly_total, "lump_sum": self.lump_sum}


def _check(case: SurvivorCase) -> None:
    if case.average_salary is not None and case.average_salary < 0:
        raise InvalidInput("the average salary cannot be negative", code="salary.negative", field="average_salary",
                           rule="salaries are whole đồng, zero or more")
    check_history(case.history, event=case.as_of, code="history.after_death", event_name="the death",
                  rule="the benefits are computed on the months paid up to the month of death")


def _amount_basis(params: ParameterSet, day: dt.date) -> tuple[int, str, str]:
    """(the amount the allowances multiply, its name, its legal basis) for a death on ``day``."""
    which = params.value_at(AMOUNT_BASIS_KEY, day)
    amount = int(params.value_at(BASE_SALARY_KEY, day))
    where = f"{basis(params, AMOUNT_BASIS_KEY, day)}; {basis(params, BASE_SALARY_KEY, day)}"
    if which == "base_salary":
        return amount, "base salary", where
    if which == "reference_level" and params.value_at(REFERENCE_EQUALS_BASE_KEY, day) is True:
        equal = basis(params, REFERENCE_EQUALS_BASE_KEY, day)
        return amount, "reference level (= the base salary)", f"{where}; {equal}"
    raise ParameterNotInForce(
        f"no amount for {which!r} on {day.isoformat()}", code="law.parameter_not_in_force", field="as_of",
        rule="the reference level is encoded only while it equals the base salary",
    )


def _compulsory_months(case: SurvivorCase) -> list[tuple[dt.date, int]]:
    months: list[tuple[dt.date, int]] = []
    for period in case.history:
        if period.voluntary:
            continue
        start = month_start(period.start)
        for offset in range(months_between(start, month_start(period.end))):
            months.append((add_months(start, offset), period.salary))
    return months


def _years(months: int) -> Fraction:
    """Whole years plus odd months: 1-6 → half a year, 7-11 → a full year."""
    whole, odd = divmod(months, 12)
    if odd == 0:
        return Fraction(whole)
    return Fraction(whole) + (Fraction(1, 2) if odd <= ODD_MONTHS_HALF_YEAR else 1)


def _average(params: ParameterSet, case: SurvivorCase) -> tuple[Fraction, list[Line]]:
    """The revalued average salary of all compulsory months (Decree 158/2025 art. 15(7))."""
    for position, period in enumerate(case.history):
        if period.voluntary:
            raise InvalidInput("the lump sum of a career with voluntary SI is not modelled (Law 41/2024 art. 110-111)",
                               code="survivor.voluntary_not_modelled", field=field_of(period, position, "scheme"),
                               rule="only compulsory SI careers are quoted for the survivor lump sum")
        if period.state_scale:
            raise InvalidInput(
                "salaries on the State pay scale are revalued by the reference level, which is not modelled",
                code="sector.state_not_supported", field=field_of(period, position, "sector"),
                rule="only salaries set by the employer are averaged for the survivor lump sum")
    if case.average_salary is not None:
        return case.average_salary, [Line(
            "Average salary", "Mức bình quân tiền lương",
            f"{dong(round_half_up(case.average_salary))} (given, revalued)",
            "Law on Social Insurance 41/2024/QH15, art. 72; Decree 158/2025/ND-CP, art. 15(7)",
        )]
    periods = tuple(SalaryPeriod(start=p.start, end=p.end, salary=p.salary, index=p.index if p.index is not None else i)
                    for i, p in enumerate(case.history))
    # the table of the year of grant, taken as the year of death (the decision date is not in the case)
    average, _, lines = average_salary(params, periods, case.as_of)
    return average, lines


def _lump_sum(params: ParameterSet, case: SurvivorCase, months: list[tuple[dt.date, int]]) -> tuple[int, list[Line]]:
    day = case.as_of
    average, average_lines = _average(params, case)
    split = int(params.value_at(LUMP_SPLIT_KEY, day))
    before = sum(1 for month, _ in months if month.year < split)
    after = len(months) - before
    years_before, odd = divmod(before, 12)
    years_after = _years(after + odd)
    per_before = Fraction(params.value_at(LUMP_BEFORE_KEY, day))
    per_after = Fraction(params.value_at(LUMP_FROM_KEY, day))
    minimum = int(params.value_at(LUMP_MIN_KEY, day))
    by_years = per_before * years_before + per_after * years_after
    multiple = max(by_years, Fraction(minimum))
    amount = round_half_up(multiple * average)
    lines = [*average_lines, Line(
        "Years for the lump sum", "Số năm tính trợ cấp tuất một lần",
        f"{before} months before {split} = {years_before} years (odd {odd} months moved on); {after} months from"
        f" {split} + {odd} = {after + odd} months = {float(years_after):g} years (1-6 odd months = half a year,"
        " 7-11 = a year)",
        basis(params, LUMP_SPLIT_KEY, day),
    ), Line(
        "Lump-sum survivor benefit", "Trợ cấp tuất một lần",
        f"{float(per_before):g} × {years_before} + {float(per_after):g} × {float(years_after):g}"
        f" = {float(by_years):g} months, at least {minimum} → {float(multiple):g} × {dong(round_half_up(average))}"
        f" = {dong(amount)} (rounded once, half up, to the đồng)",
        f"{basis(params, LUMP_FROM_KEY, day)}; minimum: {basis(params, LUMP_MIN_KEY, day)}",
    )]
    return amount, lines


def _monthly(params: ParameterSet, case: SurvivorCase, amount_basis: int, name: str) -> tuple[list[int], list[Line]]:
    day = case.as_of
    most = int(params.value_at(MAX_DEPENDANTS_KEY, day))
    ordinary = rate(params, MONTHLY_RATE_KEY, day)
    no_carer = rate(params, MONTHLY_RATE_NO_CARER_KEY, day)
    paid = case.dependants[:most]
    amounts: list[int] = []
    lines: list[Line] = []
    for number, dependant in enumerate(paid, start=1):
        share, key = (no_carer, MONTHLY_RATE_NO_CARER_KEY) if dependant.needs_support else (ordinary, MONTHLY_RATE_KEY)
        amount = round_half_up(share * amount_basis)
        amounts.append(amount)
        lines.append(Line(
            f"Monthly survivor allowance, dependant {number}", f"Trợ cấp tuất hằng tháng, thân nhân {number}",
            f"{percent(share)} × {dong(amount_basis)} ({name})"
            f"{' (no direct carer)' if dependant.needs_support else ''} = {dong(amount)}",
            basis(params, key, day),
        ))
    if len(case.dependants) > most:
        lines.append(Line("Dependants paid", "Số thân nhân được hưởng",
                          f"{len(case.dependants)} named, at most {most} paid: the first {most} named",
                          basis(params, MAX_DEPENDANTS_KEY, day)))
    return amounts, lines


def compute(case: SurvivorCase, params: ParameterSet) -> SurvivorResult:
    """What the survivors of a member who died on ``case.as_of`` receive."""
    _check(case)
    day = case.as_of
    amount_basis, name, amount_where = _amount_basis(params, day)
    months = _compulsory_months(case)
    lines = [
        Line("Date of death", "Ngày chết", f"{day.isoformat()}; the law of this date applies",
             "Law on Social Insurance 41/2024/QH15, art. 5(7)"),
        Line(name.capitalize(), "Mức tham chiếu" if name.startswith("reference") else "Mức lương cơ sở",
             f"{dong(amount_basis)} (month of death)", amount_where),
        Line("Compulsory SI months", "Thời gian đóng BHXH bắt buộc",
             f"{len(months)} months = {len(months) // 12} years {len(months) % 12} months"
             + (" (voluntary months not counted)" if any(p.voluntary for p in case.history) else ""),
             "contribution history"),
    ]
    funeral = 0
    min_months = int(params.value_at(FUNERAL_MIN_MONTHS_KEY, day))
    if len(months) >= min_months:
        multiple = int(params.value_at(FUNERAL_MULTIPLE_KEY, day))
        funeral = multiple * amount_basis
        lines.append(Line("Funeral allowance", "Trợ cấp mai táng",
                          f"{multiple} × {dong(amount_basis)} = {dong(funeral)} ({len(months)} ≥ {min_months} months)",
                          basis(params, FUNERAL_MULTIPLE_KEY, day)))
    else:
        lines.append(Line("Funeral allowance", "Trợ cấp mai táng",
                          f"not paid: {len(months)} months of compulsory SI, {min_months} needed",
                          basis(params, FUNERAL_MIN_MONTHS_KEY, day)))
    min_years = int(params.value_at(MONTHLY_MIN_YEARS_KEY, day))
    monthly_eligible = len(months) // 12 >= min_years
    lines.append(Line("Monthly survivor allowance: the deceased's years", "Điều kiện hưởng trợ cấp tuất hằng tháng",
                      f"{len(months) // 12} whole years ({min_years} needed):"
                      f" {'met' if monthly_eligible else 'not met'}; {len(case.dependants)} dependant(s) named",
                      basis(params, MONTHLY_MIN_YEARS_KEY, day)))
    monthly: list[int] = []
    lump_sum = 0
    if monthly_eligible and case.dependants:
        monthly, monthly_lines = _monthly(params, case, amount_basis, name)
        lines.extend(monthly_lines)
        lines.append(Line("Monthly survivor allowance, total", "Tổng trợ cấp tuất hằng tháng",
                          dong(sum(monthly)), basis(params, MONTHLY_RATE_KEY, day)))
    elif months:
        lump_sum, lump_lines = _lump_sum(params, case, months)
        lines.extend(lump_lines)
    eligible = bool(funeral or monthly or lump_sum)
    reasons = [] if eligible else [Reason(
        "nothing_payable" if months else "not_insured_at_event",
        "the deceased had no compulsory SI contributions" if not months
        else "no amount is payable on the contributions given",
    )]
    return SurvivorResult(eligible=eligible, reasons=reasons, funeral_allowance=funeral,
                          monthly_per_dependant=monthly, monthly_total=sum(monthly), lump_sum=lump_sum,
                          explanation=lines)


__all__ = ["Dependant", "Reason", "SurvivorCase", "SurvivorPeriod", "SurvivorResult", "compute"]
