"""Test data built through the registry's own verbs, so tests see what production writes.

Only the population register is written directly: it stands for the national database,
which ansinh reads but never writes, and registration refuses anyone it does not know.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ansinh.core.actor import SYSTEM
from ansinh.db.uow import UnitOfWork
from ansinh.registry import service
from ansinh.registry.models import PopulationRecord
from ansinh.registry.schemas import (
    EmployerCreate,
    EmployerPublic,
    ParticipationCreate,
    ParticipationPublic,
    PersonCreate,
    PersonPublic,
)

AS_OF = dt.date(2025, 12, 15)
"""The day test data is registered on; later than every period the factories create."""
LOADED_AT = dt.datetime(2025, 12, 15, 9, 0, tzinfo=dt.UTC)
"""The moment the audit log records for test data (entered by the system)."""
HOAN_KIEM = "00070"
"""Phường Hoàn Kiếm, Thành phố Hà Nội (a commune in force from 2025-07-01)."""


def add_population_record(
    uow: UnitOfWork, *, citizen_id: str, full_name: str, birth_date: dt.date, sex: str,
    residence_commune_code: str = HOAN_KIEM, death_date: dt.date | None = None,
) -> None:
    """Put a citizen in the local copy of the population register and commit."""
    with uow:
        uow.session.add(
            PopulationRecord(
                citizen_id=citizen_id, full_name=full_name, birth_date=birth_date, sex=sex,
                residence_commune_code=residence_commune_code, death_date=death_date,
            )
        )
        uow.commit()


def register_person(
    uow: UnitOfWork, *, citizen_id: str = "001185004321", full_name: str = "Phạm Thị Thu Hương",
    birth_date: dt.date = dt.date(1985, 7, 14), sex: str = "female",
    si_number: str | None = "0123456789", commune: str = HOAN_KIEM,
    household_code: str | None = None, household_role: str | None = None, as_of: dt.date = AS_OF,
) -> PersonPublic:
    """A person known to the population register, then registered with ansinh."""
    add_population_record(
        uow, citizen_id=citizen_id, full_name=full_name, birth_date=birth_date, sex=sex,
        residence_commune_code=commune,
    )
    data = PersonCreate.model_validate({
        "citizen_id": citizen_id, "full_name": full_name, "birth_date": birth_date, "sex": sex,
        "residence_commune_code": commune, "si_number": si_number,
        "household_code": household_code, "household_role": household_role,
    })
    return service.register_person(uow=uow, data=data, as_of=as_of, actor=SYSTEM, at=LOADED_AT).person


def register_employer(
    uow: UnitOfWork, *, tax_code: str = "0100233488", name: str = "Công ty TNHH Ánh Dương",
    commune: str = HOAN_KIEM, wage_region: int = 1, ownership_sector: str = "private",
    industry_code: str = "C", as_of: dt.date = AS_OF,
) -> EmployerPublic:
    """A registered employer (unit code issued by ansinh)."""
    data = EmployerCreate.model_validate({
        "tax_code": tax_code, "name": name, "address_commune_code": commune,
        "wage_region": wage_region, "ownership_sector": ownership_sector,
        "industry_code": industry_code,
    })
    return service.register_employer(uow=uow, data=data, as_of=as_of, actor=SYSTEM, at=LOADED_AT)


def add_participation(
    uow: UnitOfWork, key: str, *, start_month: str, end_month: str | None, monthly_salary: int,
    employer_unit_code: str | None = None, scheme: str = "compulsory", hi_group_code: str = "DN",
    as_of: dt.date = AS_OF,
) -> ParticipationPublic:
    """A participation period of the person ``key`` (citizen ID or SI number)."""
    data = ParticipationCreate.model_validate({
        "employer_unit_code": employer_unit_code, "scheme": scheme, "hi_group_code": hi_group_code,
        "start_month": start_month, "end_month": end_month, "monthly_salary": monthly_salary,
    })
    return service.add_participation(uow=uow, key=key, data=data, as_of=as_of, actor=SYSTEM, at=LOADED_AT)


@dataclass(frozen=True)
class PersonWithHistory:
    """A person with one employer and two closed periods across a year end."""

    person: PersonPublic
    employer: EmployerPublic
    months: tuple[str, ...] = (
        "2024-11", "2024-12", "2025-01", "2025-02", "2025-03", "2025-04",
    )
    first_salary: int = 12_500_000
    second_salary: int = 13_800_000


def person_with_history(uow: UnitOfWork) -> PersonWithHistory:
    """Phạm Thị Thu Hương, employed by Công ty TNHH Ánh Dương from 2024-11 to 2025-04.

    The periods are closed so that the history does not depend on the day a page is read:
    4 months at 12,500,000 đồng, then a raise to 13,800,000 đồng for 2 months.
    """
    person = register_person(uow)
    employer = register_employer(uow)
    scenario = PersonWithHistory(person=person, employer=employer)
    add_participation(
        uow, person.citizen_id, employer_unit_code=employer.unit_code, start_month="2024-11",
        end_month="2025-02", monthly_salary=scenario.first_salary,
    )
    add_participation(
        uow, person.citizen_id, employer_unit_code=employer.unit_code, start_month="2025-03",
        end_month="2025-04", monthly_salary=scenario.second_salary,
    )
    return scenario


def add_staff(uow: UnitOfWork, *, username: str, office_code: str, valid_from: dt.date,
              role: str = "officer") -> int:
    """A staff account posted as ``role`` at ``office_code`` from ``valid_from``; the posting's id.

    Written directly as rows (no password, no audit event): these accounts never sign in,
    they only stand at an office for a restructuring to move.
    """
    from sqlalchemy import select

    from ansinh.accounts.models import Account, AccountKind, Posting
    from ansinh.org.models import Office

    with uow:
        office_id = uow.session.scalar(select(Office.id).where(Office.code == office_code))
        account = Account(username=username, kind=AccountKind.STAFF, display_name=username, active=True,
                          failed_signins=0, created_on=valid_from)
        uow.session.add(account)
        uow.session.flush()
        posting = Posting(account_id=account.id, office_id=office_id, role=role, valid_from=valid_from)
        uow.session.add(posting)
        uow.session.flush()
        uow.commit()
        return posting.id
