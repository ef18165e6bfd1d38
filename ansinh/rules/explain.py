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


def percent(rate: Fraction) -> str:
    """A rate as a percentage without float noise, e.g. ``0.5 %``."""
    value = rate * 100
    text = f"{value.numerator // value.denominator}" if value.denominator == 1 else f"{float(value):g}"
    return f"{text} %"
