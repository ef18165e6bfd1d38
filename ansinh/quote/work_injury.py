"""Answer a quote case of regime ``work_injury`` with the work-injury calculator.

``loss_percent`` is required unless ``died`` is true (a death from the accident or disease
gives the death allowance whatever the loss). ``kind`` defaults to ``accident``. Only the
months that paid into the work-injury fund count for the seniority part: voluntary SI
periods and periods whose ``funds`` list leaves out ``work_injury`` are skipped. Errors name
the period by its position in the case's ``history``.
"""

from __future__ import annotations

from ansinh.core.errors import ParameterNotInForce
from ansinh.core.periods import parse_month
from ansinh.law import default_parameters
from ansinh.quote.schemas import ExplanationLine, QuoteCase, QuoteResult, Reason
from ansinh.rules.work_injury import WorkInjuryCase, WorkInjuryPeriod, compute

FUND = "work_injury"


def _periods(case: QuoteCase) -> tuple[WorkInjuryPeriod, ...]:
    periods: list[WorkInjuryPeriod] = []
    for index, period in enumerate(case.history):
        if period.scheme != "compulsory":
            continue
        if period.funds is not None and FUND not in period.funds:
            continue
        periods.append(WorkInjuryPeriod(
            start=parse_month(period.start, field=f"history.{index}.from"),
            end=parse_month(period.end, field=f"history.{index}.to"),
            salary=period.salary, index=index,
        ))
    return tuple(periods)


def answer(case: QuoteCase) -> QuoteResult:
    """What the work-injury fund pays for the event on ``case.as_of``, explained."""
    wi_case = WorkInjuryCase(as_of=case.as_of, history=_periods(case), loss_percent=case.loss_percent,
                             kind=case.kind or "accident", died=bool(case.died))
    try:
        result = compute(wi_case, default_parameters())
    except ParameterNotInForce as error:
        error.field = "as_of"  # the event's date is what fell outside the law's dates
        raise
    return QuoteResult(
        regime=case.regime, as_of=case.as_of, eligible=result.eligible,
        reasons=[Reason(code=reason.code, message=reason.message) for reason in result.reasons],
        amounts=dict(result.amounts()),
        explanation=[ExplanationLine(label=line.label, label_vi=line.label_vi, value=line.value, basis=line.basis)
                     for line in result.explanation],
    )


__all__ = ["answer"]
