"""The registry's verbs on employers (re-exported by :mod:`ansinh.registry.service`)."""

from __future__ import annotations

import datetime as dt
import string

from sqlalchemy import func, literal, select

from ansinh.audit.service import record_event
from ansinh.core.actor import Actor
from ansinh.core.errors import Conflict, InvalidInput
from ansinh.db.uow import UnitOfWork
from ansinh.org import service as org
from ansinh.registry import views
from ansinh.registry.identifiers import name_key, validate_tax_code, validate_unit_code
from ansinh.registry.lookups import employer_by_key
from ansinh.registry.models import Employer
from ansinh.registry.schemas import EmployerCreate, EmployerList, EmployerPublic

MAX_RESULTS = 200
NAME_KEY_LENGTH = 200
"""Length of the employer's search key column."""


def _issue_unit_code(uow: UnitOfWork) -> str:
    """The next free unit code in the ``AAnnnnA`` form, counting from the number of units."""
    serial = uow.session.scalar(select(func.count(Employer.id))) or 0
    letters = string.ascii_uppercase
    while True:
        block, number = divmod(serial, 10_000)
        code = f"{letters[block // 26 % 26]}{letters[block % 26]}{number:04d}N"
        if uow.session.scalar(select(Employer.id).where(Employer.unit_code == code)) is None:
            return code
        serial += 1


def register_employer(
    *, uow: UnitOfWork, data: EmployerCreate, as_of: dt.date, actor: Actor, at: dt.datetime
) -> EmployerPublic:
    """Register an employer (a contributing unit) with its workplace's minimum-wage region."""
    with uow:
        validate_tax_code(data.tax_code)
        if data.unit_code is not None:
            validate_unit_code(data.unit_code)
        commune = org.resolve_commune(uow=uow, code=data.address_commune_code, on=as_of,
                                      field="address_commune_code")
        if uow.session.scalar(select(Employer.id).where(Employer.tax_code == data.tax_code)):
            raise Conflict(
                f"tax code {data.tax_code} is already registered", code="employer.duplicate_tax_code",
                field="tax_code", rule="one registration per tax code",
            )
        key = name_key(data.name)
        if len(key) > NAME_KEY_LENGTH:
            raise InvalidInput(
                f"the name folds to {len(key)} characters for search, more than {NAME_KEY_LENGTH}",
                code="name.length", field="name",
                rule=f"an employer name has at most {NAME_KEY_LENGTH} characters, also once folded for search",
            )
        unit_code = data.unit_code or _issue_unit_code(uow)
        if uow.session.scalar(select(Employer.id).where(Employer.unit_code == unit_code)):
            raise Conflict(
                f"unit code {unit_code} is taken", code="employer.duplicate_unit_code",
                field="unit_code", rule="unit codes are unique",
            )
        employer = Employer(
            unit_code=unit_code, tax_code=data.tax_code, name=" ".join(data.name.split()),
            name_key=key,
            address_commune_id=commune.id, wage_region=data.wage_region,
            wage_region_source=data.wage_region_source, ownership_sector=data.ownership_sector,
            industry_code=data.industry_code, registered_on=as_of,
        )
        uow.session.add(employer)
        uow.session.flush()
        result = views.employer_public(employer, commune)
        record_event(uow=uow, actor=actor, action="employer.register", record_type="employer",
                     record_id=employer.id, at=at, detail={"unit_code": unit_code, "tax_code": data.tax_code})
        uow.commit()
        return result


def get_employer(*, uow: UnitOfWork, key: str) -> EmployerPublic:
    """An employer by unit code or tax code."""
    with uow:
        employer = employer_by_key(uow.session, key)
        commune = org.commune_infos(uow=uow, ids=[employer.address_commune_id])
        return views.employer_public(employer, commune[employer.address_commune_id])


def find_employers(*, uow: UnitOfWork, query: str, limit: int = 50) -> EmployerList:
    """Employers whose name contains every word of ``query``, or with that code."""
    with uow:
        text = query.strip()
        statement = select(Employer)
        if text and (text[:1].isdigit() or text.isupper()):
            statement = statement.where((Employer.tax_code == text) | (Employer.unit_code == text))
        else:
            padded = literal(" ") + Employer.name_key
            for word in name_key(text).split():
                statement = statement.where(padded.contains(f" {word}", autoescape=True))
        employers = list(uow.session.scalars(statement.order_by(Employer.name).limit(min(limit, MAX_RESULTS))))
        communes = org.commune_infos(uow=uow, ids={e.address_commune_id for e in employers})
        items = [views.employer_public(e, communes[e.address_commune_id]) for e in employers]
        return EmployerList(items=items, count=len(items))
