"""Jurisdiction over HTTP: who sees which person and employer (both databases).

A record outside the caller's jurisdiction answers exactly like a record that does not
exist, so a caller cannot learn who is registered by probing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ansinh.accounts import service
from ansinh.accounts.models import AccountKind
from ansinh.accounts.roles import Role
from ansinh.api.app import create_app
from ansinh.db.uow import UnitOfWork
from ansinh.registry.lookups import employer_by_key, person_by_key
from tests.factories import add_participation, register_employer, register_person
from tests.signin import BY_ADMIN, PASSWORD, bearer, staff

HANOI_PERSON = "001185004321"
OTHER_PERSON = "001090001234"
AS_OF = {"as_of": "2026-11-23"}


@pytest.fixture
def client(db: Engine) -> Iterator[TestClient]:
    register_person(UnitOfWork(db), citizen_id=HANOI_PERSON)
    register_person(UnitOfWork(db), citizen_id=OTHER_PERSON, si_number="0123456780", full_name="Lê Văn Bình",
                    sex="male", birth_date=dt.date(1990, 1, 5))
    with TestClient(create_app(db)) as client:
        yield client


def officer_at(db: Engine, office_code: str) -> dict[str, str]:
    name = f"officer.{office_code.lower()}"
    service.create_account(uow=UnitOfWork(db), username=name, kind=AccountKind.STAFF, display_name=name,
                           password=PASSWORD, **BY_ADMIN)
    service.add_posting(uow=UnitOfWork(db), username=name, office_code=office_code, role=Role.OFFICER,
                        valid_from=dt.date(2025, 7, 1), **BY_ADMIN)
    return bearer(db, name)


def test_an_office_sees_the_people_of_its_province(client: TestClient, db: Engine) -> None:
    hanoi = officer_at(db, "P34-01")
    response = client.get(f"/api/v1/people/{HANOI_PERSON}", params=AS_OF, headers=hanoi)
    assert response.status_code == 200, response.text
    assert response.json()["citizen_id"] == HANOI_PERSON


def test_another_province_gets_the_same_404_as_for_no_one(client: TestClient, db: Engine) -> None:
    hcmc = officer_at(db, "P34-79")
    outside = client.get(f"/api/v1/people/{HANOI_PERSON}", params=AS_OF, headers=hcmc)
    nobody = client.get("/api/v1/people/079199999999", params=AS_OF, headers=hcmc)
    assert outside.status_code == nobody.status_code == 404
    assert outside.json()["code"] == nobody.json()["code"] == "person.not_found"
    assert set(outside.json()) == set(nobody.json())
    for path in ("file", "participations"):
        assert client.get(f"/api/v1/people/{HANOI_PERSON}/{path}", params=AS_OF, headers=hcmc).status_code == 404


def test_search_shows_only_the_people_in_jurisdiction(client: TestClient, db: Engine) -> None:
    hcmc = officer_at(db, "P34-79")
    national = bearer(db, staff(db))
    assert client.get("/api/v1/people", params={"q": "Hương", **AS_OF}, headers=hcmc).json()["items"] == []
    found = client.get("/api/v1/people", params={"q": "Hương", **AS_OF}, headers=national).json()["items"]
    assert [p["citizen_id"] for p in found] == [HANOI_PERSON]


def test_a_citizen_sees_only_themselves(client: TestClient, db: Engine) -> None:
    with UnitOfWork(db) as uow:
        person_id = person_by_key(uow.session, HANOI_PERSON).id
    service.create_account(uow=UnitOfWork(db), username=HANOI_PERSON, kind=AccountKind.CITIZEN,
                           display_name="Hương", password=PASSWORD, person_id=person_id,
                           **BY_ADMIN)
    me = bearer(db, HANOI_PERSON)
    assert client.get(f"/api/v1/people/{HANOI_PERSON}/file", params=AS_OF, headers=me).status_code == 200
    assert client.get(f"/api/v1/people/{OTHER_PERSON}", params=AS_OF, headers=me).status_code == 404
    assert client.get("/api/v1/people", params={"q": "Bình"}, headers=me).status_code == 403


def test_an_employer_sees_its_own_workers_only(client: TestClient, db: Engine) -> None:
    employer = register_employer(UnitOfWork(db))
    add_participation(UnitOfWork(db), HANOI_PERSON, start_month="2025-01", end_month=None,
                      monthly_salary=7_500_000, employer_unit_code=employer.unit_code)
    with UnitOfWork(db) as uow:
        employer_id = employer_by_key(uow.session, employer.unit_code).id
    service.create_account(uow=UnitOfWork(db), username="anh.duong", kind=AccountKind.EMPLOYER,
                           display_name="Ánh Dương", password=PASSWORD, employer_id=employer_id,
                           **BY_ADMIN)
    unit = bearer(db, "anh.duong")
    assert client.get(f"/api/v1/people/{HANOI_PERSON}", params=AS_OF, headers=unit).status_code == 200
    assert client.get(f"/api/v1/people/{OTHER_PERSON}", params=AS_OF, headers=unit).status_code == 404
    assert client.get(f"/api/v1/employers/{employer.unit_code}", headers=unit).status_code == 200


def test_an_employer_sees_only_its_own_periods_of_a_worker(client: TestClient, db: Engine) -> None:
    """The worker was declared by two employers; each sees only its own period and months."""
    first = register_employer(UnitOfWork(db))
    second = register_employer(UnitOfWork(db), tax_code="0100109106", name="Công ty Cổ phần Sông Hồng")
    add_participation(UnitOfWork(db), HANOI_PERSON, start_month="2024-01", end_month="2024-12",
                      monthly_salary=7_000_000, employer_unit_code=first.unit_code)
    add_participation(UnitOfWork(db), HANOI_PERSON, start_month="2025-01", end_month=None,
                      monthly_salary=9_000_000, employer_unit_code=second.unit_code)
    with UnitOfWork(db) as uow:
        employer_id = employer_by_key(uow.session, first.unit_code).id
    service.create_account(uow=UnitOfWork(db), username="first.unit", kind=AccountKind.EMPLOYER,
                           display_name="First", password=PASSWORD, employer_id=employer_id, **BY_ADMIN)
    unit = bearer(db, "first.unit")
    file = client.get(f"/api/v1/people/{HANOI_PERSON}/file", params=AS_OF, headers=unit).json()
    assert [p["employer_unit_code"] for p in file["participations"]] == [first.unit_code]
    assert {m["employer_unit_code"] for m in file["history"]} == {first.unit_code}
    assert file["total_months"] == 12
    assert [e["unit_code"] for e in file["employers"]] == [first.unit_code]
    periods = client.get(f"/api/v1/people/{HANOI_PERSON}/participations", params=AS_OF, headers=unit).json()
    assert [p["monthly_salary"] for p in periods] == [7_000_000]
    national = bearer(db, staff(db))
    everything = client.get(f"/api/v1/people/{HANOI_PERSON}/participations", params=AS_OF, headers=national).json()
    assert len(everything) == 2


def test_jurisdiction_is_today_s_whatever_date_the_record_is_read_on(client: TestClient, db: Engine) -> None:
    """Before 2025-07-01 Hà Nội was served by the old provincial office P63-01; an officer of
    its successor P34-01, acting today, reads the person's record as it stood on either date."""
    hanoi = officer_at(db, "P34-01")
    for day in ("2025-06-30", "2025-07-01"):
        response = client.get(f"/api/v1/people/{HANOI_PERSON}", params={"as_of": day}, headers=hanoi)
        assert response.status_code == 200, (day, response.text)
