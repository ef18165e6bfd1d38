"""HTTP routes of the administrative map: ``/areas/provinces`` and ``/areas/communes``.

Each route reads the map on a date (``on``, default today at the edge) and calls one
service function; unknown codes answer 404 and bad parameters 422, as problem+json.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from ansinh.api.deps import UowDep
from ansinh.core import clock
from ansinh.org import service
from ansinh.org.schemas import (
    CommuneList,
    CommunePublic,
    ProvinceList,
    ProvincePublic,
    UnitPublic,
)

router = APIRouter(prefix="/areas", tags=["areas"])


def get_on(
    on: Annotated[
        dt.date | None, Query(description="Date the map is read on (default today).")
    ] = None,
) -> dt.date:
    """The date the map is read on: given by the caller, or today."""
    return on or clock.today()


On = Annotated[dt.date, Depends(get_on)]


@router.get("/provinces", response_model=ProvinceList)
def list_provinces(uow: UowDep, on: On) -> ProvinceList:
    """The provinces in force on a date: 63 up to 2025-06-30, 34 from 2025-07-01."""
    provinces = service.list_provinces(uow=uow, on=on)
    return ProvinceList(on=on, count=len(provinces), items=[UnitPublic.of(p) for p in provinces])


@router.get("/provinces/{code}", response_model=ProvincePublic)
def get_province(
    uow: UowDep, on: On, code: Annotated[str, Path(description="Two-digit province code.")]
) -> ProvincePublic:
    """A province on a date, with the provinces it came from or went into."""
    return ProvincePublic.of_detail(service.get_province(uow=uow, code=code, on=on))


@router.get("/communes", response_model=CommuneList)
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


@router.get("/communes/{code}", response_model=CommunePublic)
def get_commune(
    uow: UowDep, on: On, code: Annotated[str, Path(description="Five-digit commune code.")]
) -> CommunePublic:
    """A commune in force on a date, with its province."""
    return CommunePublic.of(service.get_commune(uow=uow, code=code, on=on))
