"""The ``pension_indexation`` regime: a monthly pension after the general increases to ``as_of``.

``monthly_pension`` (required) is the amount paid from ``pension_start`` (required, the day the
pension started). A pension that started before 2016-08-01 went through increases that are not
encoded: for it, ``month`` (``YYYY-MM``, optional) names a later month in which
``monthly_pension`` was paid, and only the increases after that month are applied;
``pension_start`` still decides the cohorts (before 1995, or not raised by Decree 108/2021).
"""

from __future__ import annotations

from ansinh.core.periods import parse_month
from ansinh.law import default_parameters
from ansinh.quote.common import decided, missing
from ansinh.quote.schemas import QuoteCase, QuoteResult
from ansinh.rules.pension_indexation import IndexationCase, compute


def answer(case: QuoteCase) -> QuoteResult:
    """The monthly pension in force on ``case.as_of``, increase by increase."""
    if case.monthly_pension is None:
        raise missing(case, "monthly_pension", " (the amount paid from pension_start, or in month)")
    if case.pension_start is None:
        raise missing(case, "pension_start", " (the day the pension started)")
    paid_from = parse_month(case.month, field="month") if case.month is not None else None
    result = compute(IndexationCase(as_of=case.as_of, monthly=case.monthly_pension, started=case.pension_start,
                                    paid_from=paid_from), default_parameters())
    return decided(case, result)
