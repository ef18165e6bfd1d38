"""The ``retirement_allowance`` regime: the monthly allowance of Law 41/2024 art. 23.

For a person at the retirement age with too few years for a pension and below the
social-pension age. ``as_of`` is the day of the written request (the decision follows within
five working days under the same law); ``person`` (sex and birth date) is required, and so is
``history`` (the contribution periods, averaged and revalued as for a pension granted on
``as_of``); ``poor_household`` lowers the social-pension age the allowance runs to. Errors
name the period by its position in ``history``.
"""

from __future__ import annotations

from ansinh.law import default_parameters
from ansinh.quote.common import dated_by, decided, missing
from ansinh.quote.pension import salary_periods
from ansinh.quote.schemas import QuoteCase, QuoteResult
from ansinh.rules.retirement_allowance import RetirementAllowanceCase, compute


def answer(case: QuoteCase) -> QuoteResult:
    """The monthly allowance requested on ``case.as_of``: months, amount and optional payment."""
    if case.person is None:
        raise missing(case, "person", " (sex and birth date give the retirement and social-pension ages)")
    if not case.history:
        raise missing(case, "history", " (the allowance is paid from the person's own contributions)")
    with dated_by("as_of"):
        result = compute(
            RetirementAllowanceCase(as_of=case.as_of, sex=case.person.sex, birth_date=case.person.birth_date,
                                    periods=salary_periods(case), poor_household=bool(case.poor_household)),
            default_parameters(),
        )
    return decided(case, result)
