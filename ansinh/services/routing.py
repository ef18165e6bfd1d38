"""Any-office routing: which office decides a dossier, whichever office received it.

A dossier goes to the office responsible, on the day it is received, for the records of
the person it is about: the office serving their commune of residence (its district office
before 2025-07-01, its provincial office after), read through the organisation's effective
dates, so a dossier received the day after a restructuring goes to the successor office
with no change of code. The receiving office is kept on the dossier and on its work item.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ansinh.db.uow import UnitOfWork
from ansinh.org.directory import OfficeInfo, office_of_record_on, offices_by_id, responsible_office
from ansinh.org.service import commune_infos


@dataclass(frozen=True)
class Route:
    """Where a dossier received at ``receiving`` goes, and why (in Vietnamese: it is written
    into the dossier's history, which the agency keeps in its own language)."""

    receiving: OfficeInfo
    responsible: OfficeInfo
    reason: str

    @property
    def forwarded(self) -> bool:
        return self.receiving.id != self.responsible.id


def responsible_for_commune(*, uow: UnitOfWork, commune_id: int, on: dt.date) -> OfficeInfo | None:
    """The one office responsible on ``on`` for the commune ``commune_id``; None if none or several."""
    commune = commune_infos(uow=uow, ids=[commune_id]).get(commune_id)
    if commune is None:
        return None
    found = responsible_office(uow=uow, commune_code=commune.code, on=on, read_on=commune.valid_from)
    return found.offices[0] if found.offices else None


def route(*, uow: UnitOfWork, receiving: OfficeInfo, commune_id: int | None, on: dt.date) -> Route:
    """The office that decides a dossier about a person living in ``commune_id``, received on ``on``.

    A person not yet in the records (``commune_id`` None), or living where no office is
    recorded, is handled by the receiving office itself.
    """
    if commune_id is None:
        return Route(receiving, receiving, "người này chưa có hồ sơ tham gia: cơ quan tiếp nhận giải quyết")
    responsible = responsible_for_commune(uow=uow, commune_id=commune_id, on=on)
    if responsible is None:
        return Route(receiving, receiving,
                     "không có một cơ quan duy nhất quản lý xã nơi cư trú: cơ quan tiếp nhận giải quyết")
    if responsible.valid_to is not None and responsible.valid_to < on:
        successor = office_of_record_on(uow=uow, office_id=responsible.id, on=on)
        responsible = successor or receiving
    return Route(receiving, responsible, f"{responsible.code} quản lý xã nơi cư trú của người này ngày {on:%d/%m/%Y}")


def office_now(*, uow: UnitOfWork, office_id: int, on: dt.date) -> OfficeInfo | None:
    """The office that stands on ``on`` for ``office_id`` (itself, or its successor after a restructuring)."""
    with uow:
        office = offices_by_id(uow.session, [office_id]).get(office_id)
    if office is None or office.in_force(on):
        return office
    return office_of_record_on(uow=uow, office_id=office_id, on=on)
