"""What the administrative map and the offices look like at the edge (API responses).

Every unit says the dates it is in force, because a code alone is ambiguous across the 2025
reform: a client that stores an address stores the date it was read on, too.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from ansinh.org.directory import SuccessionInfo
from ansinh.org.service import (
    CommuneInfo,
    OfficeDetail,
    OfficeInfo,
    ProvinceDetail,
    Responsibility,
    UnitInfo,
)


class UnitPublic(BaseModel):
    """A province (or other unit) and the dates it is in force."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(description="Statistics office code, zero-padded (\"01\", \"00070\").")
    name: str
    division_type: str = Field(
        description="As the statistics office gives it (tỉnh, xã, phường …)."
    )
    valid_from: dt.date
    valid_to: dt.date | None = Field(description="Last day in force; null while in force.")

    @classmethod
    def of(cls, unit: UnitInfo) -> UnitPublic:
        """From the service's view of a unit."""
        return cls(
            code=unit.code, name=unit.name, division_type=unit.division_type,
            valid_from=unit.valid_from, valid_to=unit.valid_to,
        )


class ProvincePublic(UnitPublic):
    """A province on a date, with where it came from and where it went."""

    commune_count: int = Field(description="Communes in force in it on the date asked for.")
    came_from: list[UnitPublic] = Field(description="Provinces it took over, if any.")
    went_into: list[UnitPublic] = Field(description="Provinces that took it over, if any.")

    @classmethod
    def of_detail(cls, detail: ProvinceDetail) -> ProvincePublic:
        """From the service's province with its lineage."""
        unit = detail.province
        return cls(
            code=unit.code, name=unit.name, division_type=unit.division_type,
            valid_from=unit.valid_from, valid_to=unit.valid_to,
            commune_count=detail.commune_count,
            came_from=[UnitPublic.of(u) for u in detail.came_from],
            went_into=[UnitPublic.of(u) for u in detail.went_into],
        )


class ProvinceList(BaseModel):
    """The provinces in force on a date."""

    on: dt.date
    count: int
    items: list[UnitPublic]


class CommunePublic(BaseModel):
    """A commune with its province (and district, before the reform)."""

    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    division_type: str
    province_code: str
    province_name: str
    district_code: str | None = None
    district_name: str | None = None
    valid_from: dt.date
    valid_to: dt.date | None

    @classmethod
    def of(cls, commune: CommuneInfo) -> CommunePublic:
        """From the service's view of a commune."""
        return cls(
            code=commune.code, name=commune.name, division_type=commune.division_type,
            province_code=commune.province_code, province_name=commune.province_name,
            district_code=commune.district_code, district_name=commune.district_name,
            valid_from=commune.valid_from, valid_to=commune.valid_to,
        )


class CommuneList(BaseModel):
    """Communes in force on a date, filtered by province and search text."""

    on: dt.date
    count: int
    items: list[CommunePublic]


class OfficePublic(BaseModel):
    """An office and the dates it is in force."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(description="Stable office code (VSS, P63-01, D63-001, P34-01 …; docs/offices.md).")
    name: str
    name_en: str
    kind: str = Field(description="central, provincial, regional or grassroots.")
    parent_code: str | None
    valid_from: dt.date
    valid_to: dt.date | None = Field(description="Last day in force; null while in force.")

    @classmethod
    def of(cls, office: OfficeInfo) -> OfficePublic:
        return cls(code=office.code, name=office.name, name_en=office.name_en, kind=office.kind.value,
                   parent_code=office.parent_code, valid_from=office.valid_from, valid_to=office.valid_to)


class OfficeList(BaseModel):
    """The offices in force on a date."""

    on: dt.date
    count: int
    items: list[OfficePublic]


class SuccessionPublic(BaseModel):
    """The office on the other side of a succession."""

    office: OfficePublic
    effective_on: dt.date
    change: str = Field(description="merge, split, split-share, rename or dissolve.")


class OfficeDetailPublic(OfficePublic):
    """An office read on a date: areas and offices under it then, and its lineage."""

    on: dt.date
    in_force: bool
    source: str
    areas: list[UnitPublic] = Field(description="Units it serves directly on the date (empty if not in force).")
    children: list[OfficePublic]
    predecessors: list[SuccessionPublic]
    successors: list[SuccessionPublic]

    @classmethod
    def of_detail(cls, detail: OfficeDetail) -> OfficeDetailPublic:
        def links(items: tuple[SuccessionInfo, ...]) -> list[SuccessionPublic]:
            return [SuccessionPublic(office=OfficePublic.of(s.office), effective_on=s.effective_on, change=s.change)
                    for s in items]

        base = OfficePublic.of(detail.office).model_dump()
        return cls(**base, on=detail.on, in_force=detail.in_force, source=detail.office.source,
                   areas=[UnitPublic.of(u) for u in detail.areas],
                   children=[OfficePublic.of(c) for c in detail.children],
                   predecessors=links(detail.predecessors), successors=links(detail.successors))


class ResponsibilityPublic(BaseModel):
    """The office responsible on a date for a commune read on a date."""

    commune: UnitPublic = Field(description="The commune the code named on read_on.")
    read_on: dt.date
    on: dt.date
    communes: list[UnitPublic] = Field(description="The commune(s) in force on `on` it is, or came from.")
    office: OfficePublic | None = Field(description="The responsible office; null when `offices` holds several.")
    offices: list[OfficePublic]

    @classmethod
    def of(cls, answer: Responsibility) -> ResponsibilityPublic:
        return cls(commune=UnitPublic.of(answer.commune), read_on=answer.read_on, on=answer.on,
                   communes=[UnitPublic.of(c) for c in answer.communes],
                   office=OfficePublic.of(answer.office) if answer.office else None,
                   offices=[OfficePublic.of(o) for o in answer.offices])
