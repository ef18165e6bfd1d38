"""Identifiers for whole columns at once: citizen IDs, SI numbers, tax codes, unit codes.

Uniqueness comes from construction, not from checking and retrying row by row: within a
group that must not repeat, the ``k``-th member gets ``(a * k + b) mod M`` with ``a``
coprime to ``M``, a permutation of ``0..M-1``, so serials look random yet never collide.
Every code is valid for the validators of :mod:`ansinh.registry.identifiers`, which the
tests check.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl

from ansinh.registry.identifiers import FIRST_CENTURY

CITIZEN_SERIALS = 10**6
SI_SERIALS = 10**8
TAX_SERIALS = 10**7
_TAX_WEIGHTS = np.array([31, 29, 23, 19, 17, 13, 7, 5, 3], dtype=np.int64)
_LETTERS = pl.Series([chr(ord("A") + i) for i in range(26)])
UNIT_CODE_SPACE = 26 * 26 * 10_000 * 26


def rank_within(groups: np.ndarray) -> np.ndarray:
    """For each row, how many earlier rows share its group (0 for the first)."""
    order = np.argsort(groups, kind="stable")
    ordered = groups[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    sizes = np.diff(np.r_[starts, ordered.size])
    ranks = np.empty_like(order)
    ranks[order] = np.arange(ordered.size) - np.repeat(starts, sizes)
    return ranks


def _coprime_multipliers(rng: np.random.Generator, size: int, modulus: int) -> np.ndarray:
    """Random multipliers coprime to ``modulus`` (a power of ten here): end in 1, 3, 7 or 9."""
    tens = rng.integers(0, modulus // 10, size=size)
    return np.asarray(tens * 10 + rng.choice(np.array([1, 3, 7, 9]), size=size))


def permuted_serials(
    rng: np.random.Generator, groups: np.ndarray, n_groups: int, modulus: int
) -> np.ndarray:
    """A serial in ``0..modulus-1`` per row, distinct within each group."""
    ranks = rank_within(groups)
    if ranks.size and ranks.max() >= modulus:
        raise ValueError(f"a group holds more than {modulus} rows")
    a = _coprime_multipliers(rng, n_groups, modulus)
    b = rng.integers(0, modulus, size=n_groups)
    return np.asarray((a[groups] * ranks + b[groups]) % modulus)


def citizen_ids(
    rng: np.random.Generator, province: pl.Series, birth_year: np.ndarray, female: np.ndarray
) -> pl.Series:
    """12-digit IDs: birth-province code, century-and-sex digit, year, and a 6-digit serial."""
    century_sex = (birth_year - FIRST_CENTURY) // 100 * 2 + female.astype(np.int64)
    year2 = birth_year % 100
    province_index = province.cast(pl.Int64).to_numpy()
    groups = (province_index * 10 + century_sex) * 100 + year2
    _, dense = np.unique(groups, return_inverse=True)
    serial = permuted_serials(rng, dense, int(dense.max()) + 1 if dense.size else 0, CITIZEN_SERIALS)
    frame = pl.DataFrame({"p": province, "g": century_sex, "y": year2, "s": serial})
    return frame.select(
        pl.concat_str(
            pl.col("p"),
            pl.col("g").cast(pl.String),
            pl.col("y").cast(pl.String).str.zfill(2),
            pl.col("s").cast(pl.String).str.zfill(6),
        )
    ).to_series().alias("citizen_id")


def si_numbers(rng: np.random.Generator, province: pl.Series) -> pl.Series:
    """10-digit SI numbers: the 2-digit province of issue and a serial unique nationwide."""
    n = province.len()
    if n > SI_SERIALS:
        raise ValueError("more people than 8-digit serials")
    serial = permuted_serials(rng, np.zeros(n, dtype=np.int64), 1, SI_SERIALS)[rng.permutation(n)]
    frame = pl.DataFrame({"p": province, "s": serial})
    return frame.select(
        pl.concat_str(pl.col("p"), pl.col("s").cast(pl.String).str.zfill(8))
    ).to_series().alias("si_number")


def _tax_check(digits: np.ndarray) -> np.ndarray:
    """Check digit of each row of nine digits; 10 where none exists."""
    check = 10 - (digits @ _TAX_WEIGHTS) % 11
    return np.where(check == 10, 10, check % 10)


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values[:, None] // powers) % 10


def tax_codes(rng: np.random.Generator, province: pl.Series) -> pl.Series:
    """10-digit tax codes: province, a 7-digit serial unique nationwide, a mod-11 check digit.

    Serials that allow no check digit, or are all zeros, are skipped: each row takes the
    next unused serial of one permutation until every row has a valid code.
    """
    n = province.len()
    prefix = province.cast(pl.Int64).to_numpy()
    a = int(_coprime_multipliers(rng, 1, TAX_SERIALS)[0])
    b = int(rng.integers(0, TAX_SERIALS))
    serial = np.zeros(n, dtype=np.int64)
    check = np.full(n, 10, dtype=np.int64)
    pending = np.arange(n)
    next_k = 0
    while pending.size:
        k = np.arange(next_k, next_k + pending.size, dtype=np.int64)
        next_k += pending.size
        if next_k > TAX_SERIALS:
            raise ValueError("more employers than 7-digit serials")
        candidate = (a * k + b) % TAX_SERIALS
        digits = np.hstack([_digits(prefix[pending], 2), _digits(candidate, 7)])
        found = _tax_check(digits)
        ok = (found < 10) & (candidate != 0)
        serial[pending[ok]] = candidate[ok]
        check[pending[ok]] = found[ok]
        pending = pending[~ok]
    frame = pl.DataFrame({"p": province, "s": serial, "c": check})
    return frame.select(
        pl.concat_str(
            pl.col("p"), pl.col("s").cast(pl.String).str.zfill(7), pl.col("c").cast(pl.String)
        )
    ).to_series().alias("tax_code")


def unit_codes(rng: np.random.Generator, n: int) -> pl.Series:
    """Distinct VSS unit codes: two letters, four digits, one letter (``AB1234C``)."""
    if n > UNIT_CODE_SPACE:
        raise ValueError("more employers than unit codes")
    a = int(rng.integers(1, UNIT_CODE_SPACE))
    while math.gcd(a, UNIT_CODE_SPACE) != 1:
        a += 1
    b = int(rng.integers(0, UNIT_CODE_SPACE))
    value = (a * rng.permutation(n).astype(np.int64) + b) % UNIT_CODE_SPACE
    rest = value // 26
    pair = rest // 10_000
    frame = pl.DataFrame({
        "a": _LETTERS.gather(pair // 26),
        "b": _LETTERS.gather(pair % 26),
        "n": rest % 10_000,
        "c": _LETTERS.gather(value % 26),
    })
    return frame.select(
        pl.concat_str("a", "b", pl.col("n").cast(pl.String).str.zfill(4), "c")
    ).to_series().alias("unit_code")


def name_keys(full_name: pl.Expr) -> pl.Expr:
    """The Polars form of :func:`ansinh.registry.identifiers.name_key` (same result).

    ``đ`` is mapped by hand (it has no decomposition), then the name is decomposed (NFD),
    its combining marks dropped, lower-cased and its spaces collapsed.
    """
    return (
        full_name.str.replace_all("đ", "d", literal=True)
        .str.replace_all("Đ", "D", literal=True)
        .str.normalize("NFD")
        .str.replace_all(r"\p{Mn}", "")
        .str.to_lowercase()
        .str.replace_all(r"\s+", " ")
        .str.strip_chars(" ")
    )
