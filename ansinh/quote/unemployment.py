"""The ``unemployment`` regime of the quote contract.

``as_of`` is the date the contract ended; ``history`` the contribution periods. Only the
months that paid into the unemployment fund count: voluntary SI periods and periods whose
``funds`` list leaves out ``unemployment`` are skipped. Errors name the period by its
position in the case's ``history``.
"""

from __future__ import annotations

from ansinh.core.periods import parse_month
from ansinh.law import default_parameters
from ansinh.quote.schemas import ExplanationLine, QuoteCase, QuoteResult, Reason
from ansinh.rules.contribution_law import Sector
from ansinh.rules.unemployment import UIPeriod, UnemploymentCase, compute

UI_FUND = "unemployment"


def _ui_periods(case: QuoteCase) -> tuple[UIPeriod, ...]:
    periods: list[UIPeriod] = []
    for index, period in enumerate(case.history):
        if period.scheme != "compulsory":
            continue
        if period.funds is not None and UI_FUND not in period.funds:
            continue
        periods.append(UIPeriod(
            start=parse_month(period.start, field=f"history.{index}.from"),
            end=parse_month(period.end, field=f"history.{index}.to"),
            salary=period.salary, sector=Sector(period.sector), region=period.region, index=index,
        ))
    return tuple(periods)


def answer(case: QuoteCase) -> QuoteResult:
    """The unemployment benefit for a contract that ended on ``case.as_of``, explained."""
    result = compute(UnemploymentCase(as_of=case.as_of, history=_ui_periods(case)), default_parameters())
    return QuoteResult(
        regime=case.regime, as_of=case.as_of, eligible=result.eligible,
        reasons=[Reason(code=reason.code, message=reason.message) for reason in result.reasons],
        amounts=dict(result.amounts()),
        explanation=[ExplanationLine(label=line.label, label_vi=line.label_vi, value=line.value, basis=line.basis)
                     for line in result.explanation],
    )
