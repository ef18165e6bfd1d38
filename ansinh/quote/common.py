"""What every regime's quote module shares: reading the history, errors, the result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.core.periods import parse_month
from ansinh.quote.schemas import ExplanationLine, HistoryPeriod, QuoteCase, QuoteResult, Reason
from ansinh.rules.explain import Line


class _Reason(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def message(self) -> str: ...


class Decision(Protocol):
    """A calculator's result that decides eligibility."""

    @property
    def eligible(self) -> bool: ...

    @property
    def reasons(self) -> Sequence[_Reason]: ...

    @property
    def explanation(self) -> Sequence[Line]: ...

    def amounts(self) -> Mapping[str, Any]: ...


def missing(case: QuoteCase, name: str, why: str = "") -> InvalidInput:
    """The error for a field the regime needs and the case lacks."""
    return InvalidInput(f"{name} is required for regime {case.regime.value}{why}", code="quote.missing_field",
                        field=name, rule="see the fields each regime needs in the quote contract")


@contextmanager
def dated_by(field: str) -> Iterator[None]:
    """Name ``field`` (the date of the case) when the law is not in force on it."""
    try:
        yield
    except ParameterNotInForce as error:
        error.field = field
        raise


def months_of(index: int, period: HistoryPeriod) -> tuple[dt.date, dt.date]:
    """First and last month of the ``index``-th history period, errors naming it."""
    return (parse_month(period.start, field=f"history.{index}.from"),
            parse_month(period.end, field=f"history.{index}.to"))


def paying_into(case: QuoteCase, fund: str) -> Iterator[tuple[int, HistoryPeriod, dt.date, dt.date]]:
    """The compulsory periods of the history that paid into ``fund`` (all, unless ``funds``
    names the funds), each with its position and its months."""
    for index, period in enumerate(case.history):
        if period.scheme != "compulsory" or (period.funds is not None and fund not in period.funds):
            continue
        yield (index, period, *months_of(index, period))


def answered(
    case: QuoteCase, *, amounts: Mapping[str, Any], lines: Sequence[Line], eligible: bool = True,
    reasons: Sequence[_Reason] = (),
) -> QuoteResult:
    """The published result of a case."""
    return QuoteResult(
        regime=case.regime, as_of=case.as_of, eligible=eligible,
        reasons=[Reason(code=reason.code, message=reason.message) for reason in reasons],
        amounts=dict(amounts),
        explanation=[ExplanationLine(label=line.label, label_vi=line.label_vi, value=line.value, basis=line.basis)
                     for line in lines],
    )


def decided(case: QuoteCase, result: Decision) -> QuoteResult:
    """The published result of a calculator that decides eligibility."""
    return answered(case, amounts=result.amounts(), lines=result.explanation, eligible=result.eligible,
                    reasons=result.reasons)
