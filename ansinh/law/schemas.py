"""Public views of legal parameters, shared by ``ansinh law`` and ``/api/v1/law``.

Values are shown exactly: amounts as integers, rates as decimal strings ("0.5") or, when
no finite decimal exists, as a fraction ("2/3").
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

from pydantic import BaseModel

from ansinh.law.params import DatedValue, Parameter


def exact(value: Any) -> Any:
    """A parameter value in a form JSON keeps exactly."""
    if not isinstance(value, Fraction):
        return value
    decimal = Decimal(value.numerator) / Decimal(value.denominator)
    return str(decimal) if Fraction(decimal) == value else f"{value.numerator}/{value.denominator}"


class SourcePublic(BaseModel):
    instrument: str
    article: str
    note: str | None = None


class DatedValuePublic(BaseModel):
    starts: dt.date
    value: Any
    source: SourcePublic

    @classmethod
    def of(cls, dated: DatedValue) -> DatedValuePublic:
        return cls(
            starts=dated.starts, value=exact(dated.value),
            source=SourcePublic(instrument=dated.source.instrument, article=dated.source.article,
                                note=dated.source.note),
        )


class ParameterPublic(BaseModel):
    """A parameter read on a date, with the value in force and its whole history."""

    key: str
    description: str
    unit: str
    at: dt.date
    in_force: DatedValuePublic
    history: list[DatedValuePublic]

    @classmethod
    def of(cls, parameter: Parameter, at: dt.date) -> ParameterPublic:
        return cls(
            key=parameter.key, description=parameter.description, unit=parameter.unit, at=at,
            in_force=DatedValuePublic.of(parameter.entry_at(at)),
            history=[DatedValuePublic.of(v) for v in parameter.values],
        )


class ParameterSummary(BaseModel):
    """One line of the catalogue: the value in force on the date asked, if any."""

    key: str
    description: str
    unit: str
    value: Any
    starts: dt.date | None
    instrument: str | None


class ParameterList(BaseModel):
    at: dt.date
    count: int
    items: list[ParameterSummary]


def summary(parameter: Parameter, at: dt.date) -> ParameterSummary:
    """The catalogue line of ``parameter`` on ``at`` (no value when not in force then)."""
    in_force = [v for v in parameter.values if v.starts <= at]
    current = in_force[-1] if in_force and in_force[-1].value is not None else None
    return ParameterSummary(
        key=parameter.key, description=parameter.description, unit=parameter.unit,
        value=exact(current.value) if current else None,
        starts=current.starts if current else None,
        instrument=current.source.instrument if current else None,
    )
