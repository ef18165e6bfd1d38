"""The ``social_pension`` regime of the quote contract: the social pension decided on ``as_of``.

``as_of`` is the day the commune chairman decides on the written request; ``person`` is
required (the birth date gives the age); ``poor_household`` (poor or near-poor household)
lowers the age; ``monthly_pension`` is the pension or monthly SI allowance the person receives,
if any. A case before the benefit existed (2025-07-01) is answered ``eligible: false`` with the
reason ``not_in_force``, not refused: the law then simply gave nothing.
"""

from __future__ import annotations

from ansinh.law import default_parameters
from ansinh.quote.common import dated_by, decided, missing
from ansinh.quote.schemas import QuoteCase, QuoteResult
from ansinh.rules.social_pension import SocialPensionCase, compute


def answer(case: QuoteCase) -> QuoteResult:
    """The monthly social pension of the person of ``case``, explained."""
    if case.person is None:
        raise missing(case, "person", " (the birth date gives the age)")
    with dated_by("as_of"):
        result = compute(
            SocialPensionCase(as_of=case.as_of, birth_date=case.person.birth_date,
                              poor_household=bool(case.poor_household), monthly_pension=case.monthly_pension or 0),
            default_parameters(),
        )
    return decided(case, result)
