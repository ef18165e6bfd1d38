"""Answer a quote case of regime ``maternity`` with the scalar maternity calculator.

``as_of`` is the date of birth (childbirth, paternity), of the visit (prenatal) or of the
miscarriage, abortion or stillbirth (miscarriage); ``event`` defaults to ``childbirth`` and
``children`` to 1; prenatal leave needs ``days`` (the working days asked); a miscarriage needs
``pregnancy_weeks`` (completed weeks) and takes ``days`` as the calendar days prescribed
(at most the band's days; the band's maximum when not given). Only compulsory periods that
paid into the sickness and maternity fund count. Besides the contract's amounts, ``days``
gives the days of paternity, prenatal or miscarriage leave.
"""

from __future__ import annotations

from ansinh.law import default_parameters
from ansinh.quote.common import dated_by, decided
from ansinh.quote.schemas import QuoteCase, QuoteResult
from ansinh.quote.sickness import insured_periods
from ansinh.rules.maternity import MaternityCase, compute


def answer(case: QuoteCase) -> QuoteResult:
    """The maternity benefit for the event of ``case``, explained."""
    with dated_by("as_of"):
        result = compute(
            MaternityCase(as_of=case.as_of, history=insured_periods(case), event=case.event or "childbirth",
                          children=case.children or 1, days=case.days, pregnancy_weeks=case.pregnancy_weeks),
            default_parameters(),
        )
    return decided(case, result)
