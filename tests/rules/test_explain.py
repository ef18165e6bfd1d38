"""Explanation lines show exactly the figures the calculation used."""

from __future__ import annotations

from fractions import Fraction

import pytest

from ansinh.rules.explain import decimal, dong, percent


@pytest.mark.parametrize(("value", "text"), [(Fraction(32), "32"), (Fraction(133, 2), "66.5"),
                                             (Fraction(76, 1), "76"), (Fraction(1, 3), "1/3"),
                                             (Fraction(3, 40), "0.075"), (Fraction(-5, 2), "-2.5"),
                                             (Fraction(1234567891, 1000), "1234567.891")])
def test_decimal_is_exact(value: Fraction, text: str) -> None:
    """Seven significant digits stay seven: a float ``:g`` would have shown ``1.23457e+06``."""
    assert decimal(value) == text


@pytest.mark.parametrize(("rate", "text"), [(Fraction("0.005"), "0.5 %"), (Fraction("0.425"), "42.5 %"),
                                            (Fraction("0.75"), "75 %"), (Fraction("0.0003"), "0.03 %")])
def test_percent_is_exact(rate: Fraction, text: str) -> None:
    assert percent(rate) == text


def test_dong_groups_thousands() -> None:
    assert dong(46_800_000) == "46,800,000 đ"
