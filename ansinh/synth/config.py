"""The generator's assumptions and name lists, read from ``synth/data/*.yaml``.

The numbers that shape the synthetic country (age pyramid, household sizes, career lengths,
wage spread, employer sizes) are behavioural assumptions, not law, so they live in data
files beside the code where a reader can see and change them; the law the generator needs
(minimum wages, base salary) is read from :mod:`ansinh.law` instead.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

DATA = Path(__file__).parent / "data"


def _nfc(text: object) -> str:
    return unicodedata.normalize("NFC", str(text))


def _month(text: object) -> dt.date:
    """A ``YYYY-MM`` month from the YAML, as its first day."""
    year, month = str(text).split("-")[:2]
    return dt.date(int(year), int(month), 1)


def _probabilities(weights: Any) -> np.ndarray:
    array = np.asarray(weights, dtype=np.float64)
    if array.ndim != 1 or array.size == 0 or (array < 0).any() or array.sum() <= 0:
        raise ValueError(f"weights must be non-negative and not all zero: {weights!r}")
    return np.asarray(array / array.sum())


@dataclass(frozen=True)
class Choices:
    """Labels and their probabilities (summing to 1)."""

    labels: tuple[str, ...]
    p: np.ndarray

    @classmethod
    def of(cls, weights: dict[str, float] | list[str]) -> Choices:
        if isinstance(weights, list):
            return cls(tuple(_nfc(w) for w in weights), _probabilities([1.0] * len(weights)))
        return cls(tuple(_nfc(k) for k in weights), _probabilities(list(weights.values())))


@dataclass(frozen=True)
class Retirement:
    """When a worker stops: ``base_months`` of age, plus a step a year from ``from_year``."""

    base_months: int
    from_year: int
    step_months: int
    max_extra_months: int


@dataclass(frozen=True)
class Shape:
    """Everything ``shape.yaml`` says, typed."""

    raw: dict[str, Any]

    def section(self, name: str) -> dict[str, Any]:
        value = self.raw[name]
        if not isinstance(value, dict):
            raise ValueError(f"shape.yaml: {name} must be a mapping")
        return value

    def number(self, section: str, key: str) -> float:
        return float(self.section(section)[key])

    def month(self, section: str, key: str) -> dt.date:
        return _month(self.section(section)[key])

    def pair(self, section: str, key: str) -> tuple[float, float]:
        low, high = self.section(section)[key]
        return float(low), float(high)

    def retirement(self, sex: str) -> Retirement:
        return Retirement(**{k: int(v) for k, v in self.section("work")["retirement"][sex].items()})

    def age_bands(self) -> np.ndarray:
        """Rows of (from age, to age, share, share of men)."""
        return np.asarray(self.section("population")["age_bands"], dtype=np.float64)

    def household_sizes(self) -> tuple[np.ndarray, np.ndarray]:
        sizes = self.section("households")["sizes"]
        return np.asarray([int(k) for k in sizes]), _probabilities(list(sizes.values()))

    def size_classes(self) -> np.ndarray:
        """Rows of (share of employers, fewest workers, most workers)."""
        return np.asarray(self.section("employers")["size_classes"], dtype=np.float64)

    def sectors(self) -> tuple[tuple[str, ...], np.ndarray]:
        """Sector names and a (sector x size class) matrix of shares, columns summing to 1."""
        table = self.section("employers")["sectors"]
        matrix = np.asarray(list(table.values()), dtype=np.float64)
        return tuple(table), matrix / matrix.sum(axis=0, keepdims=True)

    def industries(self, sector: str) -> Choices:
        return Choices.of(self.section("employers")["industries"][sector])

    def province_kind(self, code: str) -> str:
        provinces = self.section("provinces")
        for kind in ("metro", "urban"):
            if code in {str(c) for c in provinces[kind]}:
                return kind
        return "rural"

    def region_shares(self, kind: str) -> np.ndarray:
        return _probabilities(self.section("provinces")["region_shares"][kind])

    def employer_density(self, kind: str) -> float:
        return float(self.section("provinces")["employer_density"][kind])


@dataclass(frozen=True)
class Names:
    """Name parts with their probabilities."""

    family: Choices
    middle_male: Choices
    middle_female: Choices
    given_male: Choices
    given_female: Choices
    employer: dict[str, Choices]
    foreign_suffix: str


def _read(name: str) -> dict[str, Any]:
    with (DATA / name).open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"{name} must be a mapping")
    return data


@lru_cache(maxsize=1)
def shape() -> Shape:
    """The generator's assumptions (``shape.yaml``), read once."""
    return Shape(_read("shape.yaml"))


@lru_cache(maxsize=1)
def names() -> Names:
    """The name lists (``names.yaml``), read once."""
    data = _read("names.yaml")
    employer = data["employer"]
    return Names(
        family=Choices.of(data["family"]),
        middle_male=Choices.of(data["middle"]["male"]),
        middle_female=Choices.of(data["middle"]["female"]),
        given_male=Choices.of(data["given"]["male"]),
        given_female=Choices.of(data["given"]["female"]),
        employer={k: Choices.of(v) for k, v in employer.items() if isinstance(v, list)},
        foreign_suffix=_nfc(employer["foreign_suffix"]),
    )
