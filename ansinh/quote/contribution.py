"""The ``contribution`` regime of the quote contract."""

from __future__ import annotations

import datetime as dt

from ansinh.core.periods import parse_month
from ansinh.law import default_parameters
from ansinh.quote.common import answered, dated_by, missing
from ansinh.quote.schemas import QuoteCase, QuoteResult
from ansinh.rules.contribution import ContributionCase, ContributionResult, compute
from ansinh.rules.contribution_law import Sector


def answer(case: QuoteCase) -> QuoteResult:
    """A month's contributions for the case, explained."""
    if case.month is None:
        raise missing(case, "month")
    if case.salary is None:
        raise missing(case, "salary")
    month, salary = parse_month(case.month, field="month"), case.salary
    with dated_by("month"):  # the month contributed for is what fell outside the law's dates
        calculation = _compute_contribution(case, month, salary)
    return answered(case, amounts=calculation.amounts(), lines=calculation.explanation)


def _compute_contribution(case: QuoteCase, month: dt.date, salary: int) -> ContributionResult:
    return compute(
        ContributionCase(
            month=month, salary=salary, scheme=case.scheme or "compulsory", region=case.region,
            sector=Sector(case.sector or "enterprise"), reduced_work_injury_rate=case.reduced_work_injury_rate,
            household_member_index=case.household_member_index, support_group=case.support_group or "other",
        ),
        default_parameters(),
    )
