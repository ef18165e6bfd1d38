"""Answer a quote case of regime ``work_injury`` with the work-injury calculator.

``loss_percent`` is required unless ``died`` is true (a death from the accident or disease
gives the death allowance whatever the loss). ``kind`` defaults to ``accident``. Only the
months that paid into the work-injury fund count for the seniority part: voluntary SI
periods and periods whose ``funds`` list leaves out ``work_injury`` are skipped. Errors name
the period by its position in the case's ``history``.
"""

from __future__ import annotations

from ansinh.law import default_parameters
from ansinh.quote.common import dated_by, decided, paying_into
from ansinh.quote.schemas import QuoteCase, QuoteResult
from ansinh.rules.work_injury import WorkInjuryCase, WorkInjuryPeriod, compute

FUND = "work_injury"


def _periods(case: QuoteCase) -> tuple[WorkInjuryPeriod, ...]:
    return tuple(
        WorkInjuryPeriod(start=start, end=end, salary=period.salary, index=index)
        for index, period, start, end in paying_into(case, FUND)
    )


def answer(case: QuoteCase) -> QuoteResult:
    """What the work-injury fund pays for the event on ``case.as_of``, explained."""
    wi_case = WorkInjuryCase(as_of=case.as_of, history=_periods(case), loss_percent=case.loss_percent,
                             kind=case.kind or "accident", died=bool(case.died))
    with dated_by("as_of"):
        result = compute(wi_case, default_parameters())
    return decided(case, result)


__all__ = ["answer"]
