"""The ``pension`` regime of the quote contract: the monthly old-age pension on ``as_of``.

``as_of`` is the day of retirement; ``person`` is required (sex and birth date give the
retirement age); ``history`` the contribution periods, compulsory (employer-set pay or the
State pay scale, whose ``salary`` is the pay coefficient × the base salary of the month) and
voluntary (the chosen income); the ``hazardous`` flag of compulsory periods counts towards
the hazardous-jobs age; ``early_reason`` is ``none``, ``reduced_capacity`` (then
``loss_percent``, the assessed loss of working capacity, is required) or ``hazardous``.
Eligibility is decided first; the average revalued salary is computed only for an eligible
worker (it needs the coefficient tables of the year of grant). Errors name the period by
its position in the case's ``history``.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from ansinh.core.errors import InvalidInput
from ansinh.core.periods import add_months, month_start, months_between
from ansinh.law import default_parameters
from ansinh.quote.common import answered, months_of
from ansinh.quote.schemas import QuoteCase, QuoteResult
from ansinh.rules.explain import Line
from ansinh.rules.pension import PensionCase, compute
from ansinh.rules.pension_salary import SalaryPeriod, average_salary, check_periods
from ansinh.rules.retirement_age import normal_retirement_age


def salary_periods(case: QuoteCase) -> tuple[SalaryPeriod, ...]:
    """The case's history as salary periods, each keeping its position for error fields."""
    return tuple(
        SalaryPeriod(*months_of(index, period), salary=period.salary, scheme=period.scheme, sector=period.sector,
                     index=index)
        for index, period in enumerate(case.history)
    )


def answer(case: QuoteCase) -> QuoteResult:
    """The old-age pension of a worker retiring on ``case.as_of``, explained."""
    if case.person is None:
        raise InvalidInput("the person (sex and birth date) is needed for a pension", code="person.missing",
                           field="person", rule="the retirement age depends on sex and birth date")
    params = default_parameters()
    periods = salary_periods(case)
    check_periods(periods, case.as_of)
    compulsory = [p for p in periods if p.scheme == "compulsory"]
    voluntary = [p for p in periods if p.scheme == "voluntary"]
    months = sum(months_between(p.start, p.end) for p in periods)
    hazardous = sum(months_between(p.start, p.end) for p, q in zip(periods, case.history, strict=True)
                    if q.hazardous and p.scheme == "compulsory")
    reached = normal_retirement_age(params, case.person.sex, case.person.birth_date, case.as_of).reached
    after_age = sum(max(0, months_between(max(p.start, add_months(reached, 1)), p.end)) for p in periods
                    if p.end > reached)
    pension_case = PensionCase(
        as_of=case.as_of, sex=case.person.sex, birth_date=case.person.birth_date, months=months,
        average_salary=Fraction(0), early_reason=case.early_reason or "none", hazardous_months=hazardous,
        first_month=month_start(compulsory[0].start) if compulsory else None, months_after_age=after_age,
        compulsory_months=sum(months_between(p.start, p.end) for p in compulsory),
        first_voluntary_month=month_start(voluntary[0].start) if voluntary else None, loss_percent=case.loss_percent,
    )
    result = compute(pension_case, params)
    salary_lines: list[Line] = []
    if result.eligible:
        average, _, salary_lines = average_salary(params, periods, case.as_of)
        result = compute(replace(pension_case, average_salary=average), params)
    lines = result.explanation[:1] + salary_lines + result.explanation[1:]
    return answered(case, amounts=result.amounts(), lines=lines, eligible=result.eligible, reasons=result.reasons)
