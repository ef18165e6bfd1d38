"""The ``unemployment`` regime of the quote contract.

``as_of`` is the date the contract ended; ``history`` the contribution periods. Only the
months that paid into the unemployment fund count: voluntary SI periods and periods whose
``funds`` list leaves out ``unemployment`` are skipped. Errors name the period by its
position in the case's ``history``.
"""

from __future__ import annotations

from ansinh.law import default_parameters
from ansinh.quote.common import decided, paying_into
from ansinh.quote.schemas import QuoteCase, QuoteResult
from ansinh.rules.contribution_law import Sector
from ansinh.rules.unemployment import UIPeriod, UnemploymentCase, compute

UI_FUND = "unemployment"


def _ui_periods(case: QuoteCase) -> tuple[UIPeriod, ...]:
    return tuple(
        UIPeriod(start=start, end=end, salary=period.salary, sector=Sector(period.sector), region=period.region,
                 index=index)
        for index, period, start, end in paying_into(case, UI_FUND)
    )


def answer(case: QuoteCase) -> QuoteResult:
    """The unemployment benefit for a contract that ended on ``case.as_of``, explained."""
    result = compute(UnemploymentCase(as_of=case.as_of, history=_ui_periods(case)), default_parameters())
    return decided(case, result)
