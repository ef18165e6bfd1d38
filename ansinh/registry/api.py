"""HTTP routes of the registry: people, their participation, duplicates, deaths, employers.

Each route translates HTTP to one service call; errors become problem+json.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from ansinh.api.deps import AsOf, UowDep
from ansinh.core import clock
from ansinh.core.actor import SYSTEM
from ansinh.registry import deaths, duplicates, service
from ansinh.registry.models import DuplicateStatus
from ansinh.registry.schemas import (
    DeathNoticeIn,
    DuplicateFlagPublic,
    EmployerCreate,
    EmployerList,
    EmployerPublic,
    ParticipationCreate,
    ParticipationPublic,
    PersonCreate,
    PersonFile,
    PersonList,
    PersonPublic,
    PersonUpdate,
    RegistrationResult,
)

people_router = APIRouter(prefix="/people", tags=["people"])
employers_router = APIRouter(prefix="/employers", tags=["employers"])

Key = Annotated[str, "citizen ID (12 digits) or SI number (10 digits)"]
Limit = Annotated[int, Query(ge=1, le=200)]
RecordId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Id of a record (a 32-bit integer).")]


@people_router.post("", status_code=status.HTTP_201_CREATED)
def register_person(data: PersonCreate, uow: UowDep, as_of: AsOf) -> RegistrationResult:
    """Register a person after checking their identity against the population register."""
    return service.register_person(uow=uow, data=data, as_of=as_of,
                                   actor=SYSTEM, at=clock.now())  # actor: signed-in principal


@people_router.get("")
def find_people(uow: UowDep, q: Annotated[str, Query(min_length=1, max_length=120)],
                limit: Limit = 50) -> PersonList:
    """Find people by citizen ID, SI number or name (diacritics optional)."""
    return service.find_people(uow=uow, query=q, limit=limit,
                               actor=SYSTEM, at=clock.now())  # actor: signed-in principal


@people_router.get("/duplicate-flags")
def list_duplicate_flags(uow: UowDep, status: DuplicateStatus | None = DuplicateStatus.OPEN,
                         limit: Limit = 100) -> list[DuplicateFlagPublic]:
    """Likely duplicates waiting for an officer (or decided, by status)."""
    return duplicates.list_duplicate_flags(uow=uow, status=status, limit=limit,
                                           actor=SYSTEM, at=clock.now())  # actor: signed-in principal


@people_router.post("/duplicate-flags/{flag_id}/decision")
def decide_duplicate_flag(flag_id: RecordId, decision: DuplicateStatus, uow: UowDep,
                          as_of: AsOf) -> DuplicateFlagPublic:
    """Record that a flagged pair is one person or two."""
    return duplicates.resolve_duplicate_flag(uow=uow, flag_id=flag_id, decision=decision, as_of=as_of,
                                             actor=SYSTEM, at=clock.now())  # actor: signed-in principal


@people_router.post("/death-notices")
def receive_death_notice(data: DeathNoticeIn, uow: UowDep, as_of: AsOf) -> deaths.DeathNoticeResult:
    """A death notified by the national population register."""
    return deaths.receive_death_notice(uow=uow, data=data, as_of=as_of,
                                       actor=SYSTEM, at=clock.now())  # actor: signed-in principal


@people_router.get("/{key}")
def get_person(key: Key, uow: UowDep) -> PersonPublic:
    """A person's identity."""
    return service.get_person(uow=uow, key=key,
                              actor=SYSTEM, at=clock.now())  # actor: signed-in principal


@people_router.patch("/{key}")
def update_person(key: Key, data: PersonUpdate, uow: UowDep, as_of: AsOf) -> PersonPublic:
    """Correct a person's name or move their residence."""
    return service.update_person(uow=uow, key=key, data=data, as_of=as_of,
                                 actor=SYSTEM, at=clock.now())  # actor: signed-in principal


@people_router.get("/{key}/file")
def person_file(key: Key, uow: UowDep, as_of: AsOf) -> PersonFile:
    """Identity, employers and month-by-month participation history."""
    return service.person_file(uow=uow, key=key, as_of=as_of,
                               actor=SYSTEM, at=clock.now())  # actor: signed-in principal


@people_router.get("/{key}/participations")
def list_participations(key: Key, uow: UowDep, as_of: AsOf) -> list[ParticipationPublic]:
    """A person's participation periods."""
    return service.list_participations(uow=uow, key=key, as_of=as_of,
                                       actor=SYSTEM, at=clock.now())  # actor: signed-in principal


@people_router.post("/{key}/participations", status_code=status.HTTP_201_CREATED)
def add_participation(key: Key, data: ParticipationCreate, uow: UowDep,
                      as_of: AsOf) -> ParticipationPublic:
    """Record a period of participation at a declared salary."""
    return service.add_participation(uow=uow, key=key, data=data, as_of=as_of,
                                     actor=SYSTEM, at=clock.now())  # actor: signed-in principal


@employers_router.post("", status_code=status.HTTP_201_CREATED)
def register_employer(data: EmployerCreate, uow: UowDep, as_of: AsOf) -> EmployerPublic:
    """Register an employer."""
    return service.register_employer(uow=uow, data=data, as_of=as_of,
                                     actor=SYSTEM, at=clock.now())  # actor: signed-in principal


@employers_router.get("")
def find_employers(uow: UowDep, q: Annotated[str, Query(min_length=1, max_length=200)],
                   limit: Limit = 50) -> EmployerList:
    """Find employers by name, unit code or tax code."""
    return service.find_employers(uow=uow, query=q, limit=limit)


@employers_router.get("/{key}")
def get_employer(key: str, uow: UowDep) -> EmployerPublic:
    """An employer by unit code or tax code."""
    return service.get_employer(uow=uow, key=key)
