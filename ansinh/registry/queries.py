"""Read-side registry verbs: search, the person file, and likely-duplicate detection.

Showing a person's record is audited like a change: :func:`person_file` writes a
``person.read`` event and :func:`find_people` one ``person.search`` event per search (with
the query and the number found), not one per person listed.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, literal, select

from ansinh.audit.service import record_event
from ansinh.core.actor import Actor
from ansinh.db.uow import UnitOfWork
from ansinh.org import service as org
from ansinh.registry import views
from ansinh.registry.identifiers import name_key
from ansinh.registry.lookups import person_by_key
from ansinh.registry.models import (
    DuplicateFlag,
    DuplicateStatus,
    Employer,
    Household,
    Participation,
    Person,
)
from ansinh.registry.schemas import PersonFile, PersonList, PersonSummary

MAX_RESULTS = 200
_DIGITS = re.compile(r"^\d+$", re.ASCII)


def _summaries(uow: UnitOfWork, people: list[Person]) -> list[PersonSummary]:
    communes = org.commune_infos(uow=uow, ids={p.residence_commune_id for p in people})
    return [views.person_summary(p, communes[p.residence_commune_id]) for p in people]


def find_people(*, uow: UnitOfWork, query: str, actor: Actor, at: dt.datetime, limit: int = 50) -> PersonList:
    """People matching a citizen ID, an SI number, or every word of a name.

    Names match with or without diacritics ("nguyen van an" finds "Nguyễn Văn An"), each
    query word matching the start of a word of the name ("tran thi" finds "Trần Thị Mai"
    and "Lê Thị Trân" but not "Bùi Thị Trang").
    """
    with uow:
        text = query.strip()
        limit = max(1, min(limit, MAX_RESULTS))
        statement = select(Person)
        if _DIGITS.match(text) and len(text) == 12:
            statement = statement.where(Person.citizen_id == text)
        elif _DIGITS.match(text) and len(text) == 10:
            statement = statement.where(Person.si_number == text)
        else:
            words = name_key(text).split()
            if not words:
                return PersonList(items=[], count=0)
            padded = literal(" ") + Person.name_key
            for word in words:  # each word starts a word of the name: "tran" is not "trang"
                statement = statement.where(padded.contains(f" {word}", autoescape=True))
        people = list(uow.session.scalars(statement.order_by(Person.name_key, Person.id).limit(limit)))
        items = _summaries(uow, people)
        record_event(uow=uow, actor=actor, action="person.search", record_type="person", record_id="*", at=at,
                     detail={"query": text, "limit": limit, "found": len(items)})
        uow.commit()
        return PersonList(items=items, count=len(items))


def _duplicate_candidates(uow: UnitOfWork, person: Person) -> list[Person]:
    return list(
        uow.session.scalars(
            select(Person).where(
                Person.name_key == person.name_key,
                Person.birth_date == person.birth_date,
                Person.birth_province_code == person.birth_province_code,
                Person.id != person.id,
            )
        )
    )


def possible_duplicates(
    uow: UnitOfWork, person: Person, *, raise_flags: bool, as_of: dt.date
) -> list[int]:
    """Ids of open flags pairing ``person`` with look-alikes; raises new flags if asked."""
    flag_ids: list[int] = []
    for candidate in _duplicate_candidates(uow, person):
        first, second = sorted((person.id, candidate.id))
        flag = uow.session.scalar(
            select(DuplicateFlag).where(
                DuplicateFlag.person_id == first, DuplicateFlag.candidate_id == second
            )
        )
        if flag is None and raise_flags:
            flag = DuplicateFlag(
                person_id=first, candidate_id=second, status=DuplicateStatus.OPEN, raised_on=as_of,
                reason="same name, birth date and place-of-birth code under different citizen IDs",
            )
            uow.session.add(flag)
            uow.session.flush()
        if flag is not None and flag.status == DuplicateStatus.OPEN:
            flag_ids.append(flag.id)
    return flag_ids


def person_file(*, uow: UnitOfWork, key: str, as_of: dt.date, actor: Actor, at: dt.datetime) -> PersonFile:
    """Everything an officer sees of a person on ``as_of`` (a ``person.read`` event)."""
    with uow:
        person = person_by_key(uow.session, key)
        rows = uow.session.execute(
            select(Participation, Employer)
            .outerjoin(Employer, Participation.employer_id == Employer.id)
            .where(Participation.person_id == person.id)
            .order_by(Participation.start_month, Participation.id)
        ).all()
        periods = [(period, employer) for period, employer in rows]
        employers = list({e.id: e for _, e in periods if e is not None}.values())
        communes = org.commune_infos(
            uow=uow, ids={person.residence_commune_id} | {e.address_commune_id for e in employers}
        )
        household = uow.session.get(Household, person.household_id) if person.household_id else None
        history = views.history_months(periods, as_of=as_of)
        open_flags = set(possible_duplicates(uow, person, raise_flags=False, as_of=as_of))
        look_alikes = _duplicate_candidates(uow, person) if open_flags else []
        result = PersonFile(
            person=views.person_public(person, communes[person.residence_commune_id], household),
            employers=[views.employer_public(e, communes[e.address_commune_id]) for e in employers],
            participations=[views.participation_public(p, e, as_of=as_of) for p, e in periods],
            history=history,
            total_months=views.distinct_months(history),
            possible_duplicates=_summaries(uow, look_alikes),
        )
        record_event(uow=uow, actor=actor, action="person.read", record_type="person", record_id=person.id,
                     at=at, detail={"view": "file", "as_of": as_of})
        uow.commit()
        return result


def example_people(*, uow: UnitOfWork, limit: int = 3) -> PersonList:
    """Living people with the longest participation records: good first pages to open."""
    with uow:
        periods = (
            select(Participation.person_id, func.count().label("periods"))
            .group_by(Participation.person_id)
            .subquery()
        )
        people = list(
            uow.session.scalars(
                select(Person)
                .join(periods, periods.c.person_id == Person.id)
                .where(Person.death_date.is_(None))
                .order_by(periods.c.periods.desc(), Person.id)
                .limit(limit)
            )
        )
        items = _summaries(uow, people)
        return PersonList(items=items, count=len(items))
