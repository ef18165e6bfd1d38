"""Answer a quote case with the scalar calculator of its regime.

The same calculators serve case management and the national batch; this module only maps
the public contract onto them, one module per regime; a case a calculator cannot decide
under the law it encodes is refused naming the field, never answered with a made-up amount.
"""

from __future__ import annotations

from collections.abc import Callable

from ansinh.core.errors import InvalidInput
from ansinh.quote import (
    contribution,
    hi_cost_share,
    lump_sum_withdrawal,
    maternity,
    pension,
    pension_indexation,
    retirement_allowance,
    sickness,
    social_pension,
    survivor,
    unemployment,
    work_injury,
)
from ansinh.quote.schemas import QuoteCase, QuoteResult, Regime

ANSWERS: dict[Regime, Callable[[QuoteCase], QuoteResult]] = {
    Regime.CONTRIBUTION: contribution.answer,
    Regime.PENSION: pension.answer,
    Regime.LUMP_SUM_WITHDRAWAL: lump_sum_withdrawal.answer,
    Regime.UNEMPLOYMENT: unemployment.answer,
    Regime.HI_COST_SHARE: hi_cost_share.answer,
    Regime.SICKNESS: sickness.answer,
    Regime.MATERNITY: maternity.answer,
    Regime.WORK_INJURY: work_injury.answer,
    Regime.SURVIVOR: survivor.answer,
    Regime.SOCIAL_PENSION: social_pension.answer,
    Regime.RETIREMENT_ALLOWANCE: retirement_allowance.answer,
    Regime.PENSION_INDEXATION: pension_indexation.answer,
}


def quote(case: QuoteCase) -> QuoteResult:
    """What the law in force on the case's date gives for ``case``."""
    answer = ANSWERS.get(case.regime)
    if answer is None:
        raise InvalidInput(f"regime {case.regime.value} is not answered yet", code="quote.regime_not_available",
                           field="regime", rule="the regimes answered are " + ", ".join(sorted(ANSWERS)))
    return answer(case)
