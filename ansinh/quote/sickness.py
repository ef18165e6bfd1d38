"""Answer a quote case of regime ``sickness`` with the scalar sickness calculator.

``as_of`` is the first day of leave; ``days`` (working days asked) is required; ``kind``
defaults to ``own``, ``days_used_this_year`` to 0; ``child_age_months`` is required when
``kind`` is ``child``. Only compulsory periods that paid into the sickness and maternity fund
count (voluntary SI has no sickness benefit); a period's ``hazardous`` flag marks heavy,
hazardous or difficult-area work. Errors name the period by its position in ``history``.
"""

from __future__ import annotations

from ansinh.core.errors import InvalidInput
from ansinh.law import default_parameters
from ansinh.quote.common import dated_by, decided, paying_into
from ansinh.quote.schemas import QuoteCase, QuoteResult
from ansinh.rules.short_term_salary import InsuredPeriod
from ansinh.rules.sickness import SicknessCase, compute

FUND = "sickness_maternity"


def insured_periods(case: QuoteCase) -> tuple[InsuredPeriod, ...]:
    """The compulsory periods of ``case.history`` that paid into the sickness and maternity fund."""
    return tuple(
        InsuredPeriod(start=start, end=end, salary=period.salary, hazardous=period.hazardous, index=index)
        for index, period, start, end in paying_into(case, FUND)
    )


def answer(case: QuoteCase) -> QuoteResult:
    """The sickness benefit for leave starting on ``case.as_of``, explained."""
    if case.days is None:
        raise InvalidInput(f"days is required for regime {case.regime.value}", code="quote.missing_field",
                           field="days", rule="see the fields each regime needs in the quote contract")
    with dated_by("as_of"):
        result = compute(
            SicknessCase(as_of=case.as_of, history=insured_periods(case), days=case.days,
                         days_used_this_year=case.days_used_this_year or 0, kind=case.kind or "own",
                         child_age_months=case.child_age_months),
            default_parameters(),
        )
    return decided(case, result)
