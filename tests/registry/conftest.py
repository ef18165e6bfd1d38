"""Registry test helpers: the population register and a ready employer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from ansinh.core.actor import Actor
from ansinh.db.uow import UnitOfWork
from ansinh.registry import service
from ansinh.registry.models import PopulationRecord
from ansinh.registry.schemas import EmployerCreate, EmployerPublic, PersonCreate

AS_OF = dt.date(2026, 11, 23)
OFFICER = Actor(username="lan.nguyen", role="officer", office_code="HN-HK", account_id=7)
AT = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
BY: dict[str, Any] = {"actor": OFFICER, "at": AT}
"""Who registry verbs act as in these tests, and when: ``service.get_person(..., **BY)``."""
HOAN_KIEM = "00070"  # Phường Hoàn Kiếm, Thành phố Hà Nội (from 2025-07-01)

AddToRegister = Callable[..., PopulationRecord]


@pytest.fixture
def add_to_register(uow: UnitOfWork) -> AddToRegister:
    """Put a citizen in the population register (what the national database holds)."""

    def add(citizen_id: str = "001085012345", full_name: str = "Nguyễn Văn An",
            birth_date: dt.date = dt.date(1985, 3, 2), sex: str = "male",
            commune: str = HOAN_KIEM, death_date: dt.date | None = None) -> PopulationRecord:
        record = PopulationRecord(citizen_id=citizen_id, full_name=full_name, birth_date=birth_date,
                                  sex=sex, residence_commune_code=commune, death_date=death_date)
        with uow:
            uow.session.add(record)
            uow.commit()
        return record

    return add


def person_input(**overrides: object) -> PersonCreate:
    data: dict[str, object] = {
        "citizen_id": "001085012345", "full_name": "Nguyễn Văn An", "birth_date": "1985-03-02",
        "sex": "male", "residence_commune_code": HOAN_KIEM, "si_number": "0123456789",
    }
    data.update(overrides)
    return PersonCreate.model_validate(data)


def employer_input(**overrides: object) -> EmployerCreate:
    data: dict[str, object] = {
        "tax_code": "0100233488", "name": "Công ty TNHH Ánh Dương", "address_commune_code": HOAN_KIEM,
        "wage_region": 1, "ownership_sector": "private", "industry_code": "C",
    }
    data.update(overrides)
    return EmployerCreate.model_validate(data)


@pytest.fixture
def employer(uow: UnitOfWork) -> EmployerPublic:
    return service.register_employer(uow=uow, data=employer_input(), as_of=AS_OF, **BY)


@pytest.fixture
def person(uow: UnitOfWork, add_to_register: AddToRegister) -> str:
    """A registered person; returns their citizen ID."""
    add_to_register()
    return service.register_person(uow=uow, data=person_input(), as_of=AS_OF, **BY).person.citizen_id
