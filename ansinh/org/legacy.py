"""The districts and communes in force before the reform, and where each commune went.

They come from the 2026 releases of ``vietnam-provinces`` (which need Python 3.12 and so are
not a dependency), extracted once by ``scripts/extract_legacy_admin_map.py`` into the
compressed CSVs beside this module; ``data/legacy-admin-map.yaml`` records the release, the
wheel's checksum and every row the extraction left out.

The release holds the map as it stood on the eve of the reform, not its history: a commune
merged in 2020 is absent, and a district formed in 2025 is there. Its units are stored from
the start of the pre-reform map (2008-08-01) to the day before the reform, so that an
address recorded at any time in that period can be read; the ``source`` of each row says so.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from functools import lru_cache

import yaml

from ansinh.org.models import AdminLevel
from ansinh.org.provinces import DATA
from ansinh.org.reference import SuccessionRecord, UnitRecord, clean_name, key, periods


@lru_cache(maxsize=1)
def provenance() -> dict[str, object]:
    """What the extraction read and what it left out (``data/legacy-admin-map.yaml``)."""
    with (DATA / "legacy-admin-map.yaml").open(encoding="utf-8") as handle:
        loaded: dict[str, object] = yaml.safe_load(handle)
    return loaded


def _rows(name: str) -> Iterator[dict[str, str]]:
    with gzip.open(DATA / name, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _source() -> str:
    info = provenance()
    return (
        f"{info['package']} legacy map (data {info['data_version']}): the map on the eve of "
        f"the reform, stored from {periods().before_from.isoformat()}"
    )


def legacy_units() -> list[UnitRecord]:
    """The 696 districts and 10,051 communes before the reform, under the 63 provinces."""
    p = periods()
    source = _source()
    districts = [
        UnitRecord(
            key=key(AdminLevel.DISTRICT, row["code"], p.before_from),
            name=clean_name(row["name"]),
            division_type=row["division_type"],
            valid_to=p.before_to,
            source=source,
            parent=key(AdminLevel.PROVINCE, row["province_code"], p.before_from),
        )
        for row in _rows("legacy-districts.csv.gz")
    ]
    communes = [
        UnitRecord(
            key=key(AdminLevel.COMMUNE, row["code"], p.before_from),
            name=clean_name(row["name"]),
            division_type=row["division_type"],
            valid_to=p.before_to,
            source=source,
            parent=key(AdminLevel.DISTRICT, row["district_code"], p.before_from),
        )
        for row in _rows("legacy-communes.csv.gz")
    ]
    return districts + communes


def commune_successions() -> list[SuccessionRecord]:
    """Each old commune -> the new commune(s) that took it over (wholly or in part)."""
    p = periods()
    source = f"{p.reform_source}; conversion table {provenance()['conversion_source']}"
    return [
        SuccessionRecord(
            predecessor=key(AdminLevel.COMMUNE, row["old_code"], p.before_from),
            successor=key(AdminLevel.COMMUNE, row["new_code"], p.reform_on),
            effective_on=p.reform_on,
            source=source,
        )
        for row in _rows("commune-conversion-2025.csv.gz")
    ]
