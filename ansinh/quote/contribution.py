"""The ``contribution`` regime of the quote contract."""

from __future__ import annotations

import datetime as dt

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.core.periods import parse_month
from ansinh.law import default_parameters
from ansinh.quote.schemas import ExplanationLine, QuoteCase, QuoteResult
from ansinh.rules.contribution import ContributionCase, ContributionResult, compute
from ansinh.rules.contribution_law import Sector


def _missing(case: QuoteCase, name: str) -> InvalidInput:
    return InvalidInput(f"{name} is required for regime {case.regime.value}", code="quote.missing_field",
                        field=name, rule="see the fields each regime needs in the quote contract")


def answer(case: QuoteCase) -> QuoteResult:
    """A month's contributions for the case, explained."""
    if case.month is None:
        raise _missing(case, "month")
    if case.salary is None:
        raise _missing(case, "salary")
    month, salary = parse_month(case.month, field="month"), case.salary
    try:
        calculation = _compute_contribution(case, month, salary)
    except ParameterNotInForce as error:
        error.field = "month"  # the month contributed for is what fell outside the law's dates
        raise
    return QuoteResult(
        regime=case.regime, as_of=case.as_of, eligible=True, reasons=[], amounts=calculation.amounts(),
        explanation=[ExplanationLine(label=line.label, label_vi=line.label_vi, value=line.value, basis=line.basis)
                     for line in calculation.explanation],
    )


def _compute_contribution(case: QuoteCase, month: dt.date, salary: int) -> ContributionResult:
    return compute(
        ContributionCase(
            month=month, salary=salary, scheme=case.scheme or "compulsory", region=case.region,
            sector=Sector(case.sector or "enterprise"), reduced_work_injury_rate=case.reduced_work_injury_rate,
            household_member_index=case.household_member_index, support_group=case.support_group or "other",
        ),
        default_parameters(),
    )
