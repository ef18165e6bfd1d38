"""The administrative map as reference records, read from the data shipped with ansinh.

Nothing here touches the database: it turns the sources into plain records that
:mod:`ansinh.org.admin_map` writes. The 34 provinces and 3,321 communes in force from the
reform come from the installed ``vietnam-provinces`` package (never typed by hand; note
that it numbers about a hundred communes differently from the statistics office's current
list, see docs/admin-map.md); the 63 provinces before it and the province each went into
come from ``data/provinces-2025.csv``; the districts and communes before the reform and the
commune conversion come from :mod:`ansinh.org.legacy`; the dates and the law that sets them
come from ``data/admin-map.yaml``, so no legal date is a literal in code.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import TypedDict

import vietnam_provinces
import yaml
from vietnam_provinces import VietNamDivisionType

from ansinh.org.models import AdminLevel
from ansinh.org.provinces import DATA, mergers

PROVINCE_CODE_WIDTH = 2
COMMUNE_CODE_WIDTH = 5
DISTRICT_CODE_WIDTH = 3
CODE_WIDTH = {
    AdminLevel.PROVINCE: PROVINCE_CODE_WIDTH,
    AdminLevel.DISTRICT: DISTRICT_CODE_WIDTH,
    AdminLevel.COMMUNE: COMMUNE_CODE_WIDTH,
}
"""Codes are numbers, zero-padded to a fixed width per level as they are printed on forms."""

PACKAGE_SOURCE = (
    f"vietnam-provinces {vietnam_provinces.__version__} "
    f"(data {vietnam_provinces.__data_version__})"
)


@dataclass(frozen=True)
class UnitKey:
    """What names one version of a unit: its level, its code and the day it came into force."""

    level: AdminLevel
    code: str
    valid_from: dt.date


@dataclass(frozen=True)
class UnitRecord:
    """One version of a unit to be written, with the key of its parent unit if any."""

    key: UnitKey
    name: str
    division_type: str
    valid_to: dt.date | None
    source: str
    parent: UnitKey | None = None


@dataclass(frozen=True)
class SuccessionRecord:
    """``successor`` took over (all or part of) ``predecessor`` on ``effective_on``."""

    predecessor: UnitKey
    successor: UnitKey
    effective_on: dt.date
    source: str


@dataclass(frozen=True)
class MapPeriods:
    """When the pre-reform map starts, when the reform takes effect, and the law for each."""

    before_from: dt.date
    before_source: str
    reform_on: dt.date
    reform_source: str

    @property
    def before_to(self) -> dt.date:
        """The last day of the pre-reform map: the day before the reform."""
        return self.reform_on - dt.timedelta(days=1)


@lru_cache(maxsize=1)
def periods() -> MapPeriods:
    """The periods of the map, from ``data/admin-map.yaml``."""
    with (DATA / "admin-map.yaml").open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    return MapPeriods(
        before_from=raw["before_reform"]["valid_from"],
        before_source=raw["before_reform"]["source"],
        reform_on=raw["reform"]["effective_on"],
        reform_source=raw["reform"]["source"],
    )


def pad(level: AdminLevel, code: int | str) -> str:
    """A code as the map stores it: digits, zero-padded to the width of its level."""
    return str(int(code)).zfill(CODE_WIDTH[level])


def key(level: AdminLevel, code: int | str, valid_from: dt.date) -> UnitKey:
    """The key of a unit, its code padded as stored."""
    return UnitKey(level, pad(level, code), valid_from)


def clean_name(name: str) -> str:
    """A name with single spaces: the package has a few with doubled ones ("Xã  Xuân Giang")."""
    return " ".join(name.split())


def _old_province_type(name: str) -> str:
    """The old CSV names centrally-run cities "Thành phố …"; every other unit is a tỉnh."""
    if name.startswith("Thành phố "):
        return VietNamDivisionType.THANH_PHO_TRUNG_UONG.value
    return VietNamDivisionType.TINH.value


def old_provinces() -> list[UnitRecord]:
    """The 63 provinces in force from 2008-08-01 until the day before the reform."""
    p = periods()
    source = f"org/data/provinces-2025.csv; {p.before_source}"
    return [
        UnitRecord(
            key=key(AdminLevel.PROVINCE, m.old_code, p.before_from),
            name=m.old_name,
            division_type=_old_province_type(m.old_name),
            valid_to=p.before_to,
            source=source,
        )
        for m in mergers()
    ]


class _PackageWard(TypedDict):
    name: str
    code: int
    division_type: str


class _PackageProvince(TypedDict):
    name: str
    code: int
    division_type: str
    wards: list[_PackageWard]


@lru_cache(maxsize=1)
def _package_divisions() -> list[_PackageProvince]:
    """The package's nested JSON: each province with its wards (communes)."""
    text = vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8")
    divisions: list[_PackageProvince] = json.loads(text)
    return divisions


def new_units() -> list[UnitRecord]:
    """The 34 provinces and their communes in force from the reform, open-ended."""
    p = periods()
    source = f"{PACKAGE_SOURCE}; {p.reform_source}"
    records: list[UnitRecord] = []
    for province in _package_divisions():
        parent = key(AdminLevel.PROVINCE, province["code"], p.reform_on)
        records.append(
            UnitRecord(parent, clean_name(province["name"]), province["division_type"], None, source)
        )
        records.extend(
            UnitRecord(
                key=key(AdminLevel.COMMUNE, ward["code"], p.reform_on),
                name=clean_name(ward["name"]),
                division_type=ward["division_type"],
                valid_to=None,
                source=source,
                parent=parent,
            )
            for ward in province["wards"]
        )
    return records


def province_successions() -> list[SuccessionRecord]:
    """Each old province -> the new province it went into on the reform date."""
    p = periods()
    return [
        SuccessionRecord(
            predecessor=key(AdminLevel.PROVINCE, m.old_code, p.before_from),
            successor=key(AdminLevel.PROVINCE, m.new_code, p.reform_on),
            effective_on=p.reform_on,
            source=p.reform_source,
        )
        for m in mergers()
    ]
