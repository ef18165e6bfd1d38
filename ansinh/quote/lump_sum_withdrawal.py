"""The ``lump_sum_withdrawal`` regime of the quote contract: the one-time SI withdrawal.

``as_of`` is the day the claim is received (and decided); ``person`` is required (the
retirement age ground); ``history`` the contribution periods: compulsory (employer-set pay
or the State pay scale) and voluntary; ``support_group`` (``poor``, ``near_poor``,
``ethnic_minority``, ``other``) is required when voluntary months fall in the years of State
support, which the withdrawal excludes. Only the grounds the record shows are decided (see
:mod:`ansinh.rules.lump_sum_withdrawal`).
"""

from __future__ import annotations

from ansinh.core.errors import InvalidInput
from ansinh.law import default_parameters
from ansinh.quote.common import decided
from ansinh.quote.pension import salary_periods
from ansinh.quote.schemas import QuoteCase, QuoteResult
from ansinh.rules.lump_sum_withdrawal import WithdrawalCase, compute


def answer(case: QuoteCase) -> QuoteResult:
    """The one-time withdrawal claimed on ``case.as_of``, explained."""
    if case.person is None:
        raise InvalidInput("the person (sex and birth date) is needed for a withdrawal", code="person.missing",
                           field="person", rule="the retirement age depends on sex and birth date")
    result = compute(WithdrawalCase(as_of=case.as_of, sex=case.person.sex, birth_date=case.person.birth_date,
                                    history=salary_periods(case), support_group=case.support_group),
                     default_parameters())
    return decided(case, result)
