"""The registry's verbs on people, participation, duplicates and deaths.

Each verb takes keyword-only typed input and a unit of work, runs in one transaction and
raises domain errors naming the field and the rule; nothing is written when one is raised.
The employer verbs live in :mod:`ansinh.registry.employers` and are re-exported here.

Every verb that changes a record, or shows a person's record, takes the ``actor`` who
asks and the moment ``at`` (timezone-aware, read by the caller at the edge) and writes one
audit event in its own transaction: nothing is changed or shown without a trace, and a
refused request leaves none (it is rolled back with everything else).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, or_, select

from ansinh.audit.service import record_event
from ansinh.core.actor import Actor
from ansinh.core.errors import Conflict, InvalidInput
from ansinh.core.periods import parse_month
from ansinh.db.uow import UnitOfWork
from ansinh.org import service as org
from ansinh.registry import views
from ansinh.registry.checks import (
    check_birth_date,
    check_identity,
    check_minimum_wage,
    check_period,
)
from ansinh.registry.employers import (
    find_employers,
    get_employer,
    register_employer,
)
from ansinh.registry.hi_groups import validate_hi_group
from ansinh.registry.identifiers import (
    clean_full_name,
    name_key,
    validate_citizen_id,
    validate_si_number,
)
from ansinh.registry.lookups import employer_by_key, person_by_key
from ansinh.registry.models import (
    Employer,
    Household,
    Participation,
    Person,
    Scheme,
)
from ansinh.registry.population import LocalPopulationRegister, PopulationRegister
from ansinh.registry.queries import find_people, person_file, possible_duplicates
from ansinh.registry.schemas import (
    ParticipationCreate,
    ParticipationPublic,
    PersonCreate,
    PersonPublic,
    PersonUpdate,
    RegistrationResult,
)

__all__ = [
    "add_participation",
    "find_employers",
    "find_people",
    "get_employer",
    "get_person",
    "list_participations",
    "person_file",
    "register_employer",
    "register_person",
    "update_person",
]


def _household(uow: UnitOfWork, code: str | None, commune_id: int) -> Household | None:
    if code is None:
        return None
    household = uow.session.scalar(select(Household).where(Household.code == code))
    if household is None:
        household = Household(code=code, address_commune_id=commune_id)
        uow.session.add(household)
        uow.session.flush()
    return household


def _refuse_taken_keys(uow: UnitOfWork, citizen_id: str, si_number: str | None) -> None:
    if uow.session.scalar(select(Person.id).where(Person.citizen_id == citizen_id)) is not None:
        raise Conflict(
            f"citizen ID {citizen_id} is already registered", code="person.duplicate_citizen_id",
            field="citizen_id", rule="one person, one registration",
        )
    if si_number and uow.session.scalar(select(Person.id).where(Person.si_number == si_number)):
        raise Conflict(
            f"SI number {si_number} belongs to another person", code="person.duplicate_si_number",
            field="si_number", rule="an SI number is issued once, to one person",
        )


def register_person(
    *, uow: UnitOfWork, data: PersonCreate, as_of: dt.date, actor: Actor, at: dt.datetime,
    register: PopulationRegister | None = None,
) -> RegistrationResult:
    """Register an insured person after checking their identity against the register.

    Likely duplicates (same folded name, birth date and place-of-birth code under another
    ID) are flagged for an officer, never merged.
    """
    with uow:
        full_name = clean_full_name(data.full_name)
        check_birth_date(data.birth_date, as_of=as_of)
        parts = validate_citizen_id(data.citizen_id, sex=data.sex.value, birth_date=data.birth_date)
        if data.si_number is not None:
            validate_si_number(data.si_number)
        commune = org.resolve_commune(uow=uow, code=data.residence_commune_code, on=as_of,
                                      field="residence_commune_code")
        _refuse_taken_keys(uow, data.citizen_id, data.si_number)
        entry = check_identity(
            (register or LocalPopulationRegister(uow.session)).lookup(data.citizen_id),
            citizen_id=data.citizen_id, full_name=full_name, birth_date=data.birth_date,
            sex=data.sex.value,
        )
        # The register is the authority on how a name is written: a name typed without
        # its diacritics is stored as the register spells it.
        full_name = clean_full_name(entry.full_name)
        household = _household(uow, data.household_code, commune.id)
        person = Person(
            citizen_id=data.citizen_id, si_number=data.si_number, full_name=full_name,
            name_key=name_key(full_name), birth_date=data.birth_date, sex=data.sex,
            birth_province_code=parts.birth_province_code, residence_commune_id=commune.id,
            household_id=household.id if household else None,
            household_role=data.household_role if household else None, registered_on=as_of,
        )
        uow.session.add(person)
        uow.session.flush()
        flags = possible_duplicates(uow, person, raise_flags=True, as_of=as_of)
        result = RegistrationResult(
            person=views.person_public(person, commune, household), duplicate_flags=flags
        )
        record_event(uow=uow, actor=actor, action="person.register", record_type="person",
                     record_id=person.id, at=at,
                     detail={"household_code": data.household_code, "duplicate_flags": flags})
        uow.commit()
        return result


def _person_public(uow: UnitOfWork, person: Person) -> PersonPublic:
    commune = org.commune_infos(uow=uow, ids=[person.residence_commune_id])[person.residence_commune_id]
    household = uow.session.get(Household, person.household_id) if person.household_id else None
    return views.person_public(person, commune, household)


def get_person(*, uow: UnitOfWork, key: str, actor: Actor, at: dt.datetime) -> PersonPublic:
    """A person's identity by citizen ID or SI number (a ``person.read`` event)."""
    with uow:
        person = person_by_key(uow.session, key)
        result = _person_public(uow, person)
        record_event(uow=uow, actor=actor, action="person.read", record_type="person", record_id=person.id,
                     at=at, detail={"view": "identity"})
        uow.commit()
        return result


def update_person(
    *, uow: UnitOfWork, key: str, data: PersonUpdate, as_of: dt.date, actor: Actor, at: dt.datetime
) -> PersonPublic:
    """Correct a person's name (as the register now holds it) or move their residence.

    The audit event keeps each changed value as it was and as it is now.
    """
    with uow:
        person = person_by_key(uow.session, key)
        before = {"full_name": person.full_name, "residence_commune_id": person.residence_commune_id}
        if data.full_name is not None:
            full_name = clean_full_name(data.full_name)
            entry = LocalPopulationRegister(uow.session).lookup(person.citizen_id)
            entry = check_identity(entry, citizen_id=person.citizen_id, full_name=full_name,
                                   birth_date=person.birth_date, sex=str(person.sex))
            full_name = clean_full_name(entry.full_name)
            person.full_name, person.name_key = full_name, name_key(full_name)
        if data.residence_commune_code is not None:
            commune = org.resolve_commune(uow=uow, code=data.residence_commune_code, on=as_of,
                                          field="residence_commune_code")
            person.residence_commune_id = commune.id
        uow.session.flush()
        result = _person_public(uow, person)
        after = {"full_name": person.full_name, "residence_commune_id": person.residence_commune_id}
        changes = {name: [before[name], after[name]] for name in before if before[name] != after[name]}
        record_event(uow=uow, actor=actor, action="person.update", record_type="person", record_id=person.id,
                     at=at, detail={"changed": changes})
        uow.commit()
        return result


def _employer_for(uow: UnitOfWork, data: ParticipationCreate) -> Employer | None:
    if data.scheme == Scheme.COMPULSORY:
        if data.employer_unit_code is None:
            raise InvalidInput(
                "compulsory participation needs the employer", code="participation.employer_missing",
                field="employer_unit_code", rule="compulsory insurance is declared by an employer",
            )
        return employer_by_key(uow.session, data.employer_unit_code, field="employer_unit_code")
    if data.employer_unit_code is not None:
        raise InvalidInput(
            f"{data.scheme.value} participation has no employer", code="participation.employer_given",
            field="employer_unit_code", rule="voluntary and HI-only schemes are paid without an employer",
        )
    return None


def _refuse_overlap(uow: UnitOfWork, period: Participation) -> None:
    end = period.end_month or dt.date.max
    overlapping = uow.session.scalar(
        select(Participation.id).where(
            Participation.person_id == period.person_id,
            (Participation.employer_id == period.employer_id)
            if period.employer_id is not None
            else and_(Participation.employer_id.is_(None), Participation.scheme == period.scheme),
            Participation.start_month <= end,
            or_(Participation.end_month.is_(None), Participation.end_month >= period.start_month),
        )
    )
    if overlapping is not None:
        raise Conflict(
            "the period overlaps another period of this person with the same employer or scheme",
            code="participation.overlap", field="start_month",
            rule="a person has one salary per employer (or scheme) per month",
            extra={"overlapping_id": overlapping},
        )


def add_participation(
    *, uow: UnitOfWork, key: str, data: ParticipationCreate, as_of: dt.date, actor: Actor, at: dt.datetime
) -> ParticipationPublic:
    """Record that a person was covered over a span of months at a declared salary."""
    with uow:
        person = person_by_key(uow.session, key)
        start = parse_month(data.start_month, field="start_month")
        end = parse_month(data.end_month, field="end_month") if data.end_month else None
        check_period(start, end, as_of=as_of, death_date=person.death_date)
        validate_hi_group(data.hi_group_code, data.scheme)
        if data.monthly_salary < 0:
            raise InvalidInput("a salary cannot be negative", code="salary.negative",
                               field="monthly_salary", rule="salaries are whole đồng, zero or more")
        employer = _employer_for(uow, data)
        check_minimum_wage(data.monthly_salary, scheme=data.scheme,
                           region=employer.wage_region if employer else None,
                           start=start, end=end, as_of=as_of)
        period = Participation(
            person_id=person.id, employer_id=employer.id if employer else None, scheme=data.scheme,
            hi_group_code=data.hi_group_code, start_month=start, end_month=end,
            monthly_salary=data.monthly_salary,
        )
        _refuse_overlap(uow, period)
        uow.session.add(period)
        uow.session.flush()
        result = views.participation_public(period, employer, as_of=as_of)
        record_event(uow=uow, actor=actor, action="participation.add", record_type="person",
                     record_id=person.id, at=at,
                     detail={"participation_id": period.id, "scheme": data.scheme.value,
                             "employer_unit_code": employer.unit_code if employer else None,
                             "start_month": data.start_month, "end_month": data.end_month,
                             "monthly_salary": data.monthly_salary})
        uow.commit()
        return result


def list_participations(
    *, uow: UnitOfWork, key: str, as_of: dt.date, actor: Actor, at: dt.datetime
) -> list[ParticipationPublic]:
    """A person's participation periods, oldest first (a ``person.read`` event)."""
    return person_file(uow=uow, key=key, as_of=as_of, actor=actor, at=at).participations
