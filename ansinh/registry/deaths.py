"""Deaths notified by the population register.

A notice is kept as received (receiving it twice changes nothing), the person's record
gets the death date, and their open participation periods end with the month of death,
so that no contribution is assessed and no card stays valid for a dead person.

A notice taken is a ``person.death`` event on the person, or on the population record
when the person is not registered with ansinh; a notice received again changes nothing
and writes no event.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlalchemy import select

from ansinh.audit.service import record_event
from ansinh.core.actor import Actor
from ansinh.core.errors import InvalidInput, NotFound
from ansinh.core.periods import month_start
from ansinh.db.uow import UnitOfWork
from ansinh.registry.identifiers import parse_citizen_id
from ansinh.registry.models import DeathNotice, Participation, Person
from ansinh.registry.population import LocalPopulationRegister, PopulationRegister
from ansinh.registry.schemas import DeathNoticeIn


class DeathNoticeResult(BaseModel):
    citizen_id: str
    death_date: dt.date
    registered_person: bool
    periods_closed: int
    already_received: bool


def receive_death_notice(
    *, uow: UnitOfWork, data: DeathNoticeIn, as_of: dt.date, actor: Actor, at: dt.datetime,
    register: PopulationRegister | None = None,
) -> DeathNoticeResult:
    """Take a death notice from the population register."""
    with uow:
        parts = parse_citizen_id(data.citizen_id)
        if data.death_date > as_of:
            raise InvalidInput(
                f"{data.death_date.isoformat()} is after {as_of.isoformat()}", code="death_date.future",
                field="death_date", rule="a death is notified after it happens",
            )
        if data.death_date.year < parts.birth_year:
            raise InvalidInput(
                "the death date is before the birth year in the citizen ID",
                code="death_date.before_birth", field="death_date", rule="a person dies after birth",
            )
        register = register or LocalPopulationRegister(uow.session)
        if register.lookup(data.citizen_id) is None:
            raise NotFound(f"{data.citizen_id} is not in the population register",
                           code="identity.not_in_register", field="citizen_id")
        existing = uow.session.scalar(
            select(DeathNotice).where(DeathNotice.citizen_id == data.citizen_id)
        )
        if existing is not None:
            return DeathNoticeResult(
                citizen_id=data.citizen_id, death_date=existing.death_date,
                registered_person=existing.person_id is not None, periods_closed=0,
                already_received=True,
            )
        person = uow.session.scalar(select(Person).where(Person.citizen_id == data.citizen_id))
        closed = _close_periods(uow, person, data.death_date) if person else 0
        if person is not None:
            person.death_date = data.death_date
        register.record_death(data.citizen_id, data.death_date)
        uow.session.add(DeathNotice(citizen_id=data.citizen_id, death_date=data.death_date,
                                    received_on=as_of, person_id=person.id if person else None))
        record_event(uow=uow, actor=actor, action="person.death",
                     record_type="person" if person else "population_record",
                     record_id=person.id if person else data.citizen_id, at=at,
                     detail={"death_date": data.death_date, "periods_closed": closed})
        uow.commit()
        return DeathNoticeResult(citizen_id=data.citizen_id, death_date=data.death_date,
                                 registered_person=person is not None, periods_closed=closed,
                                 already_received=False)


def _close_periods(uow: UnitOfWork, person: Person, death_date: dt.date) -> int:
    last = month_start(death_date)
    periods = uow.session.scalars(
        select(Participation).where(
            Participation.person_id == person.id,
            (Participation.end_month.is_(None)) | (Participation.end_month > last),
        )
    ).all()
    closed = 0
    for period in periods:
        # A period declared to start after the death is left for an officer to cancel:
        # records are corrected by a procedure, never deleted here.
        if period.start_month <= last:
            period.end_month = last
            closed += 1
    return closed
