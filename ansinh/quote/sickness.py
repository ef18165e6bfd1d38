"""Answer a quote case of regime ``sickness`` with the scalar sickness calculator.

``as_of`` is the first day of leave; ``days`` (working days asked) is required; ``kind``
defaults to ``own``, ``days_used_this_year`` to 0; ``child_age_months`` is required when
``kind`` is ``child``. Only compulsory periods that paid into the sickness and maternity fund
count (voluntary SI has no sickness benefit); a period's ``hazardous`` flag marks heavy,
hazardous or difficult-area work. Errors name the period by its position in ``history``.
"""

from __future__ import annotations

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.core.periods import parse_month
from ansinh.law import default_parameters
from ansinh.quote.schemas import ExplanationLine, QuoteCase, QuoteResult, Reason
from ansinh.rules.short_term_salary import InsuredPeriod
from ansinh.rules.sickness import SicknessCase, compute

FUND = "sickness_maternity"


def insured_periods(case: QuoteCase) -> tuple[InsuredPeriod, ...]:
    """The compulsory periods of ``case.history`` that paid into the sickness and maternity fund."""
    periods: list[InsuredPeriod] = []
    for index, period in enumerate(case.history):
        if period.scheme != "compulsory":
            continue
        if period.funds is not None and FUND not in period.funds:
            continue
        periods.append(InsuredPeriod(
            start=parse_month(period.start, field=f"history.{index}.from"),
            end=parse_month(period.end, field=f"history.{index}.to"),
            salary=period.salary, hazardous=period.hazardous, index=index,
        ))
    return tuple(periods)


def answer(case: QuoteCase) -> QuoteResult:
    """The sickness benefit for leave starting on ``case.as_of``, explained."""
    if case.days is None:
        raise InvalidInput(f"days is required for regime {case.regime.value}", code="quote.missing_field",
                           field="days", rule="see the fields each regime needs in the quote contract")
    try:
        result = compute(
            SicknessCase(as_of=case.as_of, history=insured_periods(case), days=case.days,
                         days_used_this_year=case.days_used_this_year or 0, kind=case.kind or "own",
                         child_age_months=case.child_age_months),
            default_parameters(),
        )
    except ParameterNotInForce as error:
        error.field = "as_of"
        raise
    return QuoteResult(
        regime=case.regime, as_of=case.as_of, eligible=result.eligible,
        reasons=[Reason(code=reason.code, message=reason.message) for reason in result.reasons],
        amounts=dict(result.amounts()),
        explanation=[ExplanationLine(label=line.label, label_vi=line.label_vi, value=line.value, basis=line.basis)
                     for line in result.explanation],
    )
