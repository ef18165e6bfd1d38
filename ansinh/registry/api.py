"""HTTP routes of the registry: people, their participation, duplicates, deaths, employers.

Each route translates HTTP to one service call; errors become problem+json.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from ansinh.accounts.jurisdiction import (
    check_employer,
    check_person,
    participations_for,
    person_file_for,
    visible_employers,
    visible_people,
)
from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import Permission
from ansinh.api.auth import require
from ansinh.api.deps import AsOf, UowDep
from ansinh.core import clock
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
Registrar = Annotated[Principal, Depends(require(Permission.PERSON_REGISTER))]
Searcher = Annotated[Principal, Depends(require(Permission.PERSON_SEARCH))]
DuplicateReviewer = Annotated[Principal, Depends(require(Permission.DUPLICATE_REVIEW))]
DeathRecorder = Annotated[Principal, Depends(require(Permission.DEATH_RECORD))]
PersonReader = Annotated[Principal, Depends(require(Permission.PERSON_READ))]
ParticipationRecorder = Annotated[Principal, Depends(require(Permission.PARTICIPATION_RECORD))]
EmployerRegistrar = Annotated[Principal, Depends(require(Permission.EMPLOYER_REGISTER))]
EmployerSearcher = Annotated[Principal, Depends(require(Permission.EMPLOYER_SEARCH))]
EmployerReader = Annotated[Principal, Depends(require(Permission.EMPLOYER_READ))]


@people_router.post("", status_code=status.HTTP_201_CREATED)
def register_person(data: PersonCreate, uow: UowDep, as_of: AsOf, principal: Registrar) -> RegistrationResult:
    """Register a person after checking their identity against the population register."""
    return service.register_person(uow=uow, data=data, as_of=as_of,
                                   actor=principal.actor, at=clock.now())


@people_router.get("")
def find_people(uow: UowDep, q: Annotated[str, Query(min_length=1, max_length=120)], principal: Searcher,
                limit: Limit = 50) -> PersonList:
    """Find people by citizen ID, SI number or name (diacritics optional)."""
    found = service.find_people(uow=uow, query=q, limit=limit, actor=principal.actor, at=clock.now())
    return visible_people(uow=uow, principal=principal, people=found, on=clock.today())


@people_router.get("/duplicate-flags")
def list_duplicate_flags(uow: UowDep, principal: DuplicateReviewer,
                         status: DuplicateStatus | None = DuplicateStatus.OPEN,
                         limit: Limit = 100) -> list[DuplicateFlagPublic]:
    """Likely duplicates waiting for an officer (or decided, by status)."""
    return duplicates.list_duplicate_flags(uow=uow, status=status, limit=limit,
                                           actor=principal.actor, at=clock.now())


@people_router.post("/duplicate-flags/{flag_id}/decision")
def decide_duplicate_flag(flag_id: RecordId, decision: DuplicateStatus, uow: UowDep,
                          as_of: AsOf, principal: DuplicateReviewer) -> DuplicateFlagPublic:
    """Record that a flagged pair is one person or two."""
    return duplicates.resolve_duplicate_flag(uow=uow, flag_id=flag_id, decision=decision, as_of=as_of,
                                             actor=principal.actor, at=clock.now())


@people_router.post("/death-notices")
def receive_death_notice(data: DeathNoticeIn, uow: UowDep, as_of: AsOf,
                         principal: DeathRecorder) -> deaths.DeathNoticeResult:
    """A death notified by the national population register."""
    return deaths.receive_death_notice(uow=uow, data=data, as_of=as_of,
                                       actor=principal.actor, at=clock.now())


@people_router.get("/{key}")
def get_person(key: Key, uow: UowDep, principal: PersonReader) -> PersonPublic:
    """A person's identity."""
    check_person(uow=uow, principal=principal, key=key, on=clock.today())
    return service.get_person(uow=uow, key=key,
                              actor=principal.actor, at=clock.now())


@people_router.patch("/{key}")
def update_person(key: Key, data: PersonUpdate, uow: UowDep, as_of: AsOf, principal: Registrar) -> PersonPublic:
    """Correct a person's name or move their residence."""
    check_person(uow=uow, principal=principal, key=key, on=clock.today())
    return service.update_person(uow=uow, key=key, data=data, as_of=as_of,
                                 actor=principal.actor, at=clock.now())


@people_router.get("/{key}/file")
def person_file(key: Key, uow: UowDep, as_of: AsOf, principal: PersonReader) -> PersonFile:
    """Identity, employers and month-by-month participation history."""
    check_person(uow=uow, principal=principal, key=key, on=clock.today())
    file = service.person_file(uow=uow, key=key, as_of=as_of, actor=principal.actor, at=clock.now())
    return person_file_for(uow=uow, principal=principal, file=file)


@people_router.get("/{key}/participations")
def list_participations(key: Key, uow: UowDep, as_of: AsOf, principal: PersonReader) -> list[ParticipationPublic]:
    """A person's participation periods."""
    check_person(uow=uow, principal=principal, key=key, on=clock.today())
    periods = service.list_participations(uow=uow, key=key, as_of=as_of, actor=principal.actor, at=clock.now())
    return participations_for(uow=uow, principal=principal, participations=periods)


@people_router.post("/{key}/participations", status_code=status.HTTP_201_CREATED)
def add_participation(key: Key, data: ParticipationCreate, uow: UowDep,
                      as_of: AsOf, principal: ParticipationRecorder) -> ParticipationPublic:
    """Record a period of participation at a declared salary."""
    check_person(uow=uow, principal=principal, key=key, on=clock.today())
    return service.add_participation(uow=uow, key=key, data=data, as_of=as_of,
                                     actor=principal.actor, at=clock.now())


@employers_router.post("", status_code=status.HTTP_201_CREATED)
def register_employer(data: EmployerCreate, uow: UowDep, as_of: AsOf,
                      principal: EmployerRegistrar) -> EmployerPublic:
    """Register an employer."""
    return service.register_employer(uow=uow, data=data, as_of=as_of,
                                     actor=principal.actor, at=clock.now())


@employers_router.get("")
def find_employers(uow: UowDep, q: Annotated[str, Query(min_length=1, max_length=200)],
                   principal: EmployerSearcher, limit: Limit = 50) -> EmployerList:
    """Find employers by name, unit code or tax code."""
    found = service.find_employers(uow=uow, query=q, limit=limit)
    return visible_employers(uow=uow, principal=principal, employers=found, on=clock.today())


@employers_router.get("/{key}")
def get_employer(key: str, uow: UowDep, principal: EmployerReader) -> EmployerPublic:
    """An employer by unit code or tax code."""
    check_employer(uow=uow, principal=principal, key=key, on=clock.today())
    return service.get_employer(uow=uow, key=key)
