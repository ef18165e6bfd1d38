"""Explanation lines: what a calculator did, step by step, with the legal basis of each step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from ansinh.law.params import ParameterSet


@dataclass(frozen=True)
class Line:
    """One step of a decision: a label in English and Vietnamese, a value, its legal basis."""

    label: str
    label_vi: str
    value: str
    basis: str


@dataclass(frozen=True)
class Reason:
    """Why the law grants nothing: a stable code and a readable message."""

    code: str
    message: str


def basis(params: ParameterSet, key: str, day: dt.date) -> str:
    """The instrument and article behind the value of ``key`` on ``day``."""
    source = params.source_at(key, day)
    return f"{source.instrument}, {source.article}"


def dong(amount: int) -> str:
    """An amount of đồng written with thousands separators, e.g. ``46,800,000 đ``."""
    return f"{amount:,} đ"


def decimal(value: Fraction) -> str:
    """``value`` written exactly as a decimal, e.g. ``Fraction(133, 2)`` → ``"66.5"``.

    Rates and factors are quoted decimals, so their products always end; a value that does
    not end is written as a fraction (``"1/3"``) rather than rounded, so an explanation never
    shows a figure the calculation did not use.
    """
    digits = 0
    scaled = value
    while scaled.denominator != 1 and digits < 30:
        scaled *= 10
        digits += 1
    if scaled.denominator != 1:
        return f"{value.numerator}/{value.denominator}"
    sign = "-" if scaled < 0 else ""
    text = str(abs(scaled.numerator)).rjust(digits + 1, "0")
    whole, fraction_part = (text[:-digits], text[-digits:]) if digits else (text, "")
    return f"{sign}{whole}.{fraction_part}" if fraction_part else f"{sign}{whole}"


def percent(rate: Fraction) -> str:
    """A rate as an exact percentage, e.g. ``0.5 %``."""
    return f"{decimal(rate * 100)} %"
