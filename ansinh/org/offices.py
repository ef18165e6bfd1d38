"""Seeding the offices of Vietnam Social Security, as restructuring plans applied in order.

``data/offices.yaml`` names the central office and the three-tier structure over the 63
provinces; ``data/plans/*.yaml`` are the changes since, as an administrator would write them.
:func:`load_offices` applies each with :func:`ansinh.org.restructure.restructure`, the code
behind ``ansinh org restructure``: so the seeded history is itself the product of plans, and
each plan's checks (no commune without an office, no office orphaned …) hold for it.

Codes (docs/offices.md): ``VSS`` the central office; ``P63-01`` … the provincial offices of the
63-province map (to 2025-06-30); ``D63-001`` … the district offices of that map, one per district;
``P34-01`` … the provincial offices of the 34-province map (from 2025-07-01), each numbered by
the statistics office's code of the unit it serves.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ansinh.core.actor import SYSTEM, Actor
from ansinh.db.uow import UnitOfWork
from ansinh.org import reference
from ansinh.org.models import OfficeKind
from ansinh.org.plan import Plan, parse_plan, read_plan_file
from ansinh.org.provinces import DATA, mergers
from ansinh.org.restructure import restructure

__all__ = ["OfficesSummary", "load_offices", "office_name", "office_name_en", "seed_plans"]

_EN_DIVISIONS = {"quận": "District", "huyện": "District", "thị xã": "Town", "thành phố": "City", "tỉnh": "Province"}


def _ascii(text: str) -> str:
    """``text`` without diacritics, case kept ("Hà Nội" -> "Ha Noi")."""
    folded = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", folded) if unicodedata.category(c) != "Mn")


def _division(name: str) -> tuple[str, str]:
    """("thành phố", "Hà Nội") from "Thành phố Hà Nội"; a bare province name is a tỉnh."""
    for division in ("thành phố", "thị xã", "quận", "huyện", "tỉnh"):
        if name.casefold().startswith(division + " "):
            return division, name[len(division) + 1:]
    return "tỉnh", name


def office_name(unit_name: str) -> str:
    """The office serving a unit: "Bảo hiểm xã hội thành phố Hà Nội", "… tỉnh Cao Bằng"."""
    division, proper = _division(unit_name)
    return f"Bảo hiểm xã hội {division} {proper}"


def office_name_en(unit_name: str) -> str:
    """Its English name: "Social Security Office of Ha Noi City"."""
    division, proper = _division(unit_name)
    return f"Social Security Office of {_ascii(proper)} {_EN_DIVISIONS[division]}"


@lru_cache(maxsize=1)
def _config() -> dict[str, Any]:
    with (DATA / "offices.yaml").open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


def _founding_plan() -> Plan:
    central = _config()["central"]
    return parse_plan({
        "key": central["key"], "effective_on": central["effective_on"], "source": central["source"],
        "operations": [{"op": "create", "office": {
            "code": central["code"], "name": central["name"], "name_en": central["name_en"],
            "kind": OfficeKind.CENTRAL.value}}],
    })


def _districts() -> list[dict[str, str]]:
    """The 696 districts before the reform (code, name, division_type, province_code), by code."""
    with gzip.open(DATA / "legacy-districts.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        return sorted(csv.DictReader(handle), key=lambda row: row["code"])


def _three_tier_plan() -> Plan:
    """One office per old province under the central office, one per district under it."""
    config, central = _config()["three_tier"], _config()["central"]["code"]
    operations: list[dict[str, Any]] = [
        {"op": "create", "office": {
            "code": config["province_code"].format(code=m.old_code), "name": office_name(m.old_name),
            "name_en": office_name_en(m.old_name), "kind": OfficeKind.PROVINCIAL.value, "parent": central,
            "areas": [f"province:{m.old_code}"]}}
        for m in mergers()
    ]
    operations += [
        {"op": "create", "office": {
            "code": config["district_code"].format(code=row["code"]), "name": office_name(row["name"]),
            "name_en": office_name_en(row["name"]), "kind": OfficeKind.GRASSROOTS.value,
            "parent": config["province_code"].format(code=row["province_code"]),
            "areas": [f"district:{row['code']}"]}}
        for row in _districts()
    ]
    return parse_plan({"key": config["key"], "effective_on": reference.periods().before_from,
                       "source": " ".join(config["source"].split()), "operations": operations})


@lru_cache(maxsize=1)
def seed_plans() -> tuple[Plan, ...]:
    """Every plan the seeding applies, in date order."""
    shipped = [read_plan_file(DATA / name) for name in _config()["plans"]]
    return (_founding_plan(), _three_tier_plan(), *sorted(shipped, key=lambda p: p.effective_on))


@dataclass(frozen=True)
class OfficesSummary:
    """What one seeding did: plans applied now, plans found already applied."""

    applied: tuple[str, ...]
    already_applied: tuple[str, ...]


def load_offices(*, uow: UnitOfWork, applied_by: Actor | str = SYSTEM,
                 through: dt.date | None = None) -> OfficesSummary:
    """Apply the seed plans not applied yet (after :func:`load_admin_map`), each in its transaction.

    Idempotent: a plan already applied with the same content is skipped. With ``through``,
    only the plans taking effect on or before that day are applied, which builds the
    organisation as it stood then (to rehearse a later plan on it).
    """
    applied: list[str] = []
    skipped: list[str] = []
    for plan in seed_plans():
        if through is not None and plan.effective_on > through:
            break
        result = restructure(uow=uow, plan=plan, actor=applied_by, applied_on=plan.effective_on)
        (skipped if result.already_applied else applied).append(plan.key)
    return OfficesSummary(tuple(applied), tuple(skipped))


def plan_path(name: str) -> Path:
    """A shipped plan file by name (``2025-07-01-provinces.yaml``)."""
    return DATA / "plans" / name
