"""Jurisdiction: which records a signed-in principal may see, on a date.

- Staff of a central office see the whole country.
- Other staff see the people living, and the employers located, in the areas their office
  serves on that date, or that an office below theirs serves (a provincial office sees its
  district offices' areas). After a restructuring the same record falls to the successor
  office from the effective date, with no change to the record.
- A citizen sees only their own record.
- An employer sees itself and the people it has declared (any participation with it), and
  of their files only its own periods and months with them.
- A health facility sees no registry record: it checks cards and its own claims.

A record outside the caller's jurisdiction answers exactly as a record that does not
exist (``NotFound``), so that probing does not reveal who is registered. The API checks it
on the day of the request: an officer acts for their office as it is today, and may then
read the record as it stood on any date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import polars as pl

from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import Role
from ansinh.core.errors import NotFound
from ansinh.db.uow import UnitOfWork
from ansinh.org.directory import offices_by_id, responsible_office
from ansinh.org.service import commune_infos
from ansinh.registry import extracts
from ansinh.registry.lookups import employer_by_id, employer_by_key, has_declared, person_by_key
from ansinh.registry.schemas import EmployerList, ParticipationPublic, PersonFile, PersonList

STAFF_DEPTH = 4
"""Office tiers at most (central, regional, provincial, grassroots): bounds the walk up."""


def _commune_code(uow: UnitOfWork, commune_id: int) -> tuple[str, dt.date]:
    """The code of a commune and a day it was in force on, to read it by."""
    commune = commune_infos(uow=uow, ids=[commune_id]).get(commune_id)
    if commune is None:
        raise NotFound("the record's commune is not in the map", code="commune.unknown")
    return commune.code, commune.valid_from


def _covers(uow: UnitOfWork, principal: Principal, commune_id: int, on: dt.date) -> bool:
    """Whether the principal's office, or an office under it, serves the commune on ``on``."""
    if principal.national:
        return True
    if principal.office_id is None:
        return False
    code, read_on = _commune_code(uow, commune_id)
    serving = responsible_office(uow=uow, commune_code=code, on=on, read_on=read_on).offices
    frontier = {office.id for office in serving}
    for _ in range(STAFF_DEPTH):
        if principal.office_id in frontier:
            return True
        parents = {o.parent_id for o in offices_by_id(uow.session, frontier).values() if o.parent_id is not None}
        if not parents:
            return False
        frontier = parents
    return principal.office_id in frontier


def _hidden(what: str, key: str, field: str) -> NotFound:
    return NotFound(f"no {what} registered as {key}", code=f"{what}.not_found", field=field)


def check_person(*, uow: UnitOfWork, principal: Principal, key: str, on: dt.date, field: str = "key") -> int:
    """The id of the person ``key`` if ``principal`` may see them on ``on``; else ``person.not_found``."""
    with uow:
        person = person_by_key(uow.session, key, field=field)
        if principal.role == Role.CITIZEN:
            visible = person.id == principal.person_id
        elif principal.role == Role.EMPLOYER:
            visible = principal.employer_id is not None and has_declared(
                uow.session, employer_id=principal.employer_id, person_id=person.id)
        elif principal.role == Role.FACILITY:
            visible = False
        else:
            visible = _covers(uow, principal, person.residence_commune_id, on)
        if not visible:
            raise _hidden("person", key, field)
        return person.id


def check_employer(*, uow: UnitOfWork, principal: Principal, key: str, on: dt.date, field: str = "key") -> int:
    """The id of the employer ``key`` if ``principal`` may see it on ``on``; else ``employer.not_found``."""
    with uow:
        employer = employer_by_key(uow.session, key, field=field)
        if principal.role == Role.EMPLOYER:
            visible = employer.id == principal.employer_id
        elif principal.role in {Role.CITIZEN, Role.FACILITY}:
            visible = False
        else:
            visible = _covers(uow, principal, employer.address_commune_id, on)
        if not visible:
            raise _hidden("employer", key, field)
        return employer.id


def _sees(check: Callable[..., int], uow: UnitOfWork, principal: Principal, key: str, on: dt.date) -> bool:
    try:
        check(uow=uow, principal=principal, key=key, on=on)
    except NotFound:
        return False
    return True


def visible_people(*, uow: UnitOfWork, principal: Principal, people: PersonList, on: dt.date) -> PersonList:
    """The search results the principal may see (all of them for a central office)."""
    if principal.national:
        return people
    items = [p for p in people.items if _sees(check_person, uow, principal, p.citizen_id, on)]
    return PersonList(items=items, count=len(items))


def visible_employers(*, uow: UnitOfWork, principal: Principal, employers: EmployerList,
                      on: dt.date) -> EmployerList:
    """The employers found that the principal may see."""
    if principal.national:
        return employers
    items = [e for e in employers.items if _sees(check_employer, uow, principal, e.unit_code, on)]
    return EmployerList(items=items, count=len(items))


def visible_employer_ids(*, uow: UnitOfWork, principal: Principal, on: dt.date) -> set[int] | None:
    """The ids of the employers a staff principal may see on ``on``; None when it sees them all.

    For the lists that rank or age every employer (the risk list, arrears): the office's
    reach is decided once per commune where employers are located, not once per employer.
    """
    if principal.national:
        return None
    with uow:
        located = extracts.employers(uow.session).select("employer_id", "address_commune_id")
        if principal.role in {Role.EMPLOYER, Role.CITIZEN, Role.FACILITY}:
            return {principal.employer_id} if principal.role == Role.EMPLOYER and principal.employer_id else set()
        covered = {commune for commune in located.get_column("address_commune_id").unique().to_list()
                   if _covers(uow, principal, commune, on)}
    return set(located.filter(pl.col("address_commune_id").is_in(list(covered))).get_column("employer_id").to_list())


def employer_unit_code(*, uow: UnitOfWork, principal: Principal) -> str | None:
    """The unit code of an employer principal's employer (None for other roles)."""
    if principal.role != Role.EMPLOYER or principal.employer_id is None:
        return None
    with uow:
        return employer_by_id(uow.session, principal.employer_id).unit_code


def person_file_for(*, uow: UnitOfWork, principal: Principal, file: PersonFile) -> PersonFile:
    """What of a person's file the principal may see: an employer only its own periods and
    months with the person, and no other employer nor possible duplicates; others all of it."""
    unit = employer_unit_code(uow=uow, principal=principal)
    if unit is None:
        return file
    history = [month for month in file.history if month.employer_unit_code == unit]
    return file.model_copy(update={
        "employers": [e for e in file.employers if e.unit_code == unit],
        "participations": [p for p in file.participations if p.employer_unit_code == unit],
        "history": history, "total_months": len({m.month for m in history}), "possible_duplicates": []})


def participations_for(*, uow: UnitOfWork, principal: Principal,
                       participations: list[ParticipationPublic]) -> list[ParticipationPublic]:
    """An employer sees only its own periods with the person; others all of them."""
    unit = employer_unit_code(uow=uow, principal=principal)
    return participations if unit is None else [p for p in participations if p.employer_unit_code == unit]
