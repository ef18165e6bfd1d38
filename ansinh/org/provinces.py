"""The provinces before and after Resolution 202/2025/QH15, as read-only reference data.

``data/provinces-2025.csv`` lists the 63 provinces in force until 2025-06-30 with the
province each merged into on 2025-07-01. The old codes also open every citizen ID
(zero-padded to three digits), which is why identifier validation reads them from here
rather than from a copy of its own.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class ProvinceMerger:
    old_code: str
    old_name: str
    new_code: str
    new_name: str


@lru_cache(maxsize=1)
def mergers() -> tuple[ProvinceMerger, ...]:
    """The 63 old provinces and the new province each became part of."""
    with (DATA / "provinces-2025.csv").open(encoding="utf-8") as handle:
        return tuple(ProvinceMerger(**row) for row in csv.DictReader(handle))


@lru_cache(maxsize=1)
def old_province_codes() -> frozenset[str]:
    """The 63 two-digit province codes in force before 2025-07-01."""
    return frozenset(m.old_code for m in mergers())


def citizen_id_province_codes() -> frozenset[str]:
    """The three-digit place-of-birth codes that may open a citizen ID."""
    return frozenset(f"0{code}" for code in old_province_codes())


@lru_cache(maxsize=1)
def province_population() -> dict[str, int]:
    """Population of each of the 34 new provinces (2025 merger dossier figures)."""
    with (DATA / "provinces-stats.csv").open(encoding="utf-8") as handle:
        return {row["code"]: int(row["population"]) for row in csv.DictReader(handle)}
