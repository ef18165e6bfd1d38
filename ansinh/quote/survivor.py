"""Answer a quote case of regime ``survivor`` with the survivor-benefit calculator.

``as_of`` is the date of death; ``history`` the deceased's contributions; ``dependants`` the
relatives eligible for the monthly allowance, each ``{"needs_support": bool}`` (``true`` when
no one directly cares for them). ``deceased`` is ``contributor`` (default), ``pensioner``
(then ``monthly_received``, the pension of the month of death, and ``months_received``, the
months of pension received counting the month of death, are required) or
``work_injury_recipient`` (then ``loss_percent``, at least 31, and ``monthly_received``, the
allowance, are required); ``work_related_death`` marks a death from a work accident or
occupational disease. A member's lump sum is paid on the average salary revalued with the
tables of the year of death (employer-set pay and the State pay scale); careers with voluntary
months needing it are refused (see :mod:`ansinh.rules.survivor`). ``lump_sum_chosen`` says the
dependants who may take the monthly allowance choose the lump sum instead; under Law 58 a
dependant marked ``"choice_barred": true`` (a child under 6, or a child or spouse with a loss
of capacity of 81 % or more) bars that choice.
"""

from __future__ import annotations

from typing import Any

from ansinh.core.errors import InvalidInput
from ansinh.law import default_parameters
from ansinh.quote.common import dated_by, decided, months_of
from ansinh.quote.schemas import QuoteCase, QuoteResult
from ansinh.rules.survivor import Dependant, SurvivorCase, SurvivorPeriod, compute

DEPENDANT_RULE = 'a dependant is {"needs_support": true|false, "choice_barred": true|false (optional)}'


def _dependants(raw: list[dict[str, Any]] | None) -> tuple[Dependant, ...]:
    dependants: list[Dependant] = []
    for index, entry in enumerate(raw or []):
        unknown = sorted(set(entry) - {"needs_support", "choice_barred"})
        if unknown:
            raise InvalidInput(f"unknown field(s) {', '.join(unknown)}", code="quote.unknown_field",
                               field=f"dependants.{index}.{unknown[0]}", rule=DEPENDANT_RULE)
        flags = {name: entry.get(name, False if name == "choice_barred" else None)
                 for name in ("needs_support", "choice_barred")}
        for name, value in flags.items():
            if not isinstance(value, bool):
                raise InvalidInput(f"{name} is {value!r}, not true or false", code="quote.invalid_field",
                                   field=f"dependants.{index}.{name}", rule=DEPENDANT_RULE)
        dependants.append(Dependant(needs_support=bool(flags["needs_support"]),
                                    choice_barred=bool(flags["choice_barred"])))
    return tuple(dependants)


def _periods(case: QuoteCase) -> tuple[SurvivorPeriod, ...]:
    return tuple(
        SurvivorPeriod(
            *months_of(index, period), salary=period.salary, state_scale=period.sector == "state",
            voluntary=period.scheme == "voluntary", index=index,
        )
        for index, period in enumerate(case.history)
    )


def answer(case: QuoteCase) -> QuoteResult:
    """What the survivors of the person who died on ``case.as_of`` receive, explained."""
    survivor_case = SurvivorCase(
        as_of=case.as_of, history=_periods(case), dependants=_dependants(case.dependants),
        deceased=case.deceased or "contributor", work_related_death=bool(case.work_related_death),
        monthly_received=case.monthly_received, months_received=case.months_received, loss_percent=case.loss_percent,
        lump_sum_chosen=bool(case.lump_sum_chosen),
    )
    with dated_by("as_of"):
        result = compute(survivor_case, default_parameters())
    return decided(case, result)


__all__ = ["answer"]
