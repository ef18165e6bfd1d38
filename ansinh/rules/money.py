"""Money is integer đồng; the one rounding rule lives here.

An amount the law names (a contribution per fund, a monthly benefit) is computed exactly
and rounded once, to the whole đồng, half up.

>>> from fractions import Fraction
>>> apply_rate(46_800_000, Fraction(14, 100))
6552000
>>> apply_rate(3_333_333, Fraction(15, 1000))
50000
>>> round_half_up(Fraction(5, 2)), round_half_up(Fraction(7, 3))
(3, 2)
"""

from __future__ import annotations

from fractions import Fraction


def round_half_up(amount: Fraction) -> int:
    """The whole đồng nearest ``amount`` (non-negative), halves rounded up."""
    return int((amount * 2 + 1) // 2)


def apply_rate(base: int, rate: Fraction) -> int:
    """``base × rate`` rounded half up to the đồng, in integers only.

    The batch form computes ``(2 × base × p + q) // (2 × q)`` for ``rate = p / q``, which is
    the same number; this is the definition both share.
    """
    return (2 * base * rate.numerator + rate.denominator) // (2 * rate.denominator)
