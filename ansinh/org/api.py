"""HTTP routes of the organisation: the map (``/areas/…``) and the offices (``/offices/…``).

Each route reads on a date (``on``, default today at the edge) and calls one service
function; unknown codes answer 404 and bad parameters 422, as problem+json. These routes
are public and read-only; restructuring is an administrator's verb
(:func:`ansinh.org.service.restructure`) behind sign-in.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from ansinh.api.deps import UowDep
from ansinh.core import clock
from ansinh.org import service
from ansinh.org.models import OfficeKind
from ansinh.org.schemas import (
    CommuneList,
    CommunePublic,
    OfficeDetailPublic,
    OfficeList,
    OfficePublic,
    ProvinceList,
    ProvincePublic,
    ResponsibilityPublic,
    UnitPublic,
)

areas = APIRouter(prefix="/areas", tags=["areas"])
offices = APIRouter(prefix="/offices", tags=["offices"])


def get_on(
    on: Annotated[
        dt.date | None, Query(description="Date the map is read on (default today).")
    ] = None,
) -> dt.date:
    """The date the map is read on: given by the caller, or today."""
    return on or clock.today()


On = Annotated[dt.date, Depends(get_on)]


@areas.get("/provinces", response_model=ProvinceList)
def list_provinces(uow: UowDep, on: On) -> ProvinceList:
    """The provinces in force on a date: 63 up to 2025-06-30, 34 from 2025-07-01."""
    provinces = service.list_provinces(uow=uow, on=on)
    return ProvinceList(on=on, count=len(provinces), items=[UnitPublic.of(p) for p in provinces])


@areas.get("/provinces/{code}", response_model=ProvincePublic)
def get_province(
    uow: UowDep, on: On, code: Annotated[str, Path(description="Two-digit province code.")]
) -> ProvincePublic:
    """A province on a date, with the provinces it came from or went into."""
    return ProvincePublic.of_detail(service.get_province(uow=uow, code=code, on=on))


@areas.get("/communes", response_model=CommuneList)
def list_communes(
    uow: UowDep,
    on: On,
    province: Annotated[str | None, Query(description="Two-digit province code.")] = None,
    q: Annotated[
        str | None, Query(description="Name (diacritics optional) or code prefix.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=service.MAX_LIMIT)] = 50,
) -> CommuneList:
    """Communes in force on a date, by province and name; "phu my" finds "Phú Mỹ"."""
    communes = service.list_communes(uow=uow, on=on, province_code=province, query=q, limit=limit)
    return CommuneList(on=on, count=len(communes), items=[CommunePublic.of(c) for c in communes])


@areas.get("/communes/{code}", response_model=CommunePublic)
def get_commune(
    uow: UowDep, on: On, code: Annotated[str, Path(description="Five-digit commune code.")]
) -> CommunePublic:
    """A commune in force on a date, with its province."""
    return CommunePublic.of(service.get_commune(uow=uow, code=code, on=on))


@offices.get("", response_model=OfficeList)
def list_offices(
    uow: UowDep, on: On, kind: Annotated[OfficeKind | None, Query(description="Only offices of this kind.")] = None,
) -> OfficeList:
    """The offices in force on a date: 760 on 2025-06-30 (three tiers), 35 from 2025-07-01."""
    found = service.offices_on(uow=uow, on=on, kind=kind)
    return OfficeList(on=on, count=len(found), items=[OfficePublic.of(o) for o in found])


@offices.get("/responsible", response_model=ResponsibilityPublic)
def responsible_office(
    uow: UowDep, on: On,
    commune: Annotated[str, Query(description="Five-digit commune code.", min_length=1, max_length=5)],
    read_on: Annotated[dt.date | None, Query(
        description="Date the commune code is read on (default `on`; a code of the other side of the "
                    "2025 reform is followed through the map's successions).")] = None,
) -> ResponsibilityPublic:
    """The office responsible on a date for a commune: its own, its district's or its province's."""
    answer = service.responsible_office(uow=uow, commune_code=commune, on=on, read_on=read_on)
    return ResponsibilityPublic.of(answer)


@offices.get("/{code}", response_model=OfficeDetailPublic)
def get_office(
    uow: UowDep, on: On, code: Annotated[str, Path(description="Office code, e.g. P34-01.", max_length=20)],
) -> OfficeDetailPublic:
    """An office read on a date: its areas and offices under it then, where it came from and went."""
    return OfficeDetailPublic.of_detail(service.get_office(uow=uow, code=code, on=on))


router = APIRouter()
"""Both routers, as the application includes them."""
router.include_router(areas)
router.include_router(offices)
