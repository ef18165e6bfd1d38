"""Finding registry records by the keys people and employers are known by."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from ansinh.core.errors import InvalidInput, NotFound
from ansinh.registry.models import Employer, Participation, Person

PERSON_KEY_RULE = "a person is named by a 12-digit citizen ID or a 10-digit SI number"
EMPLOYER_KEY_RULE = "an employer is named by its unit code or its tax code"
_DIGITS = re.compile(r"^\d+$", re.ASCII)


def person_by_key(session: Session, key: str, *, field: str = "key") -> Person:
    """The person with citizen ID or SI number ``key``."""
    key = key.strip()
    if _DIGITS.match(key) and len(key) == 12:
        person = session.scalar(select(Person).where(Person.citizen_id == key))
    elif _DIGITS.match(key) and len(key) == 10:
        person = session.scalar(select(Person).where(Person.si_number == key))
    else:
        raise InvalidInput(
            f"{key!r} is neither a citizen ID nor an SI number", code="person.key", field=field,
            rule=PERSON_KEY_RULE,
        )
    if person is None:
        raise NotFound(f"no person registered as {key}", code="person.not_found", field=field)
    return person


def person_by_id(session: Session, person_id: int) -> Person:
    """The person with internal id ``person_id`` (an account's link)."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"no person with id {person_id}", code="person.not_found", field="person_id")
    return person


def employer_by_key(session: Session, key: str, *, field: str = "key") -> Employer:
    """The employer with unit code or tax code ``key``."""
    key = key.strip()
    column = Employer.tax_code if key[:1].isdigit() else Employer.unit_code
    employer = session.scalar(select(Employer).where(column == key))
    if employer is None:
        raise NotFound(
            f"no employer registered as {key}", code="employer.not_found", field=field,
            rule=EMPLOYER_KEY_RULE,
        )
    return employer


def employer_by_id(session: Session, employer_id: int) -> Employer:
    """The employer with internal id ``employer_id`` (an account's link)."""
    employer = session.get(Employer, employer_id)
    if employer is None:
        raise NotFound(f"no employer with id {employer_id}", code="employer.not_found", field="employer_id")
    return employer


def has_declared(session: Session, *, employer_id: int, person_id: int) -> bool:
    """Whether the employer has ever declared the person (any participation period with it)."""
    return session.scalar(select(Participation.id).where(
        Participation.person_id == person_id, Participation.employer_id == employer_id).limit(1)) is not None
