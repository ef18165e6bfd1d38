"""The registry over HTTP: status codes and RFC 9457 problem+json for bad input."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from ansinh.api.app import create_app
from ansinh.db.uow import UnitOfWork
from ansinh.registry.models import Participation, Person
from tests.registry.conftest import AS_OF, HOAN_KIEM, AddToRegister

PERSON = {"citizen_id": "001085012345", "full_name": "Nguyễn Văn An", "birth_date": "1985-03-02",
          "sex": "male", "residence_commune_code": HOAN_KIEM, "si_number": "0123456789"}
EMPLOYER = {"tax_code": "0100233488", "name": "Công ty TNHH Ánh Dương", "address_commune_code": HOAN_KIEM,
            "wage_region": 1, "ownership_sector": "private", "industry_code": "C"}
PERIOD = {"employer_unit_code": "0100233488", "scheme": "compulsory", "hi_group_code": "DN",
          "start_month": "2025-01", "monthly_salary": 7_500_000}
AT = {"as_of": AS_OF.isoformat()}


@pytest.fixture
def client(db: Engine, add_to_register: AddToRegister) -> Iterator[TestClient]:
    add_to_register()
    with TestClient(create_app(db)) as client:
        yield client


def rows(db: Engine, model: type) -> int:
    with UnitOfWork(db) as uow:
        return uow.session.scalar(select(func.count()).select_from(model)) or 0


def assert_problem(response: object, status: int, code: str, field: str | None) -> dict[str, object]:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith("application/problem+json")  # type: ignore[attr-defined]
    body: dict[str, object] = response.json()  # type: ignore[attr-defined]
    assert body["code"] == code
    assert body["status"] == status
    if field is not None:
        assert body["field"] == field
    return body


def test_register_then_read_the_file(client: TestClient) -> None:
    created = client.post("/api/v1/people", json=PERSON, params=AT)
    assert created.status_code == 201
    assert created.json()["person"]["residence"]["province_name"] == "Thành phố Hà Nội"
    assert client.post("/api/v1/employers", json=EMPLOYER, params=AT).status_code == 201
    assert client.post("/api/v1/people/0123456789/participations", json=PERIOD, params=AT).status_code == 201
    file = client.get("/api/v1/people/001085012345/file", params=AT).json()
    assert file["total_months"] == 23
    assert file["history"][0] == {"month": "2025-01", "employer_unit_code": "AA0000N",
                                  "employer_name": "Công ty TNHH Ánh Dương", "scheme": "compulsory",
                                  "hi_group_code": "DN", "monthly_salary": 7_500_000}
    assert client.get("/api/v1/people", params={"q": "nguyen van an"}).json()["count"] == 1


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"citizen_id": "0010850123"}, "citizen_id.format", "citizen_id"),
        ({"birth_date": "1985-02-30"}, "request.invalid", "birth_date"),
        ({"birth_date": "2099-01-01", "citizen_id": "001299012345"}, "birth_date.future", "birth_date"),
        ({"sex": "other"}, "request.invalid", "sex"),
        ({"residence_commune_code": "00001"}, "commune.unknown", "residence_commune_code"),
        ({"unexpected": 1}, "request.invalid", "unexpected"),
    ],
)
def test_bad_people_are_422_with_the_field(client: TestClient, db: Engine, change: dict[str, object],
                                           code: str, field: str) -> None:
    response = client.post("/api/v1/people", json={**PERSON, **change}, params=AT)
    assert_problem(response, 422, code, field)
    assert rows(db, Person) == 0


def test_duplicate_is_409_and_unknown_is_404(client: TestClient) -> None:
    client.post("/api/v1/people", json=PERSON, params=AT)
    assert_problem(client.post("/api/v1/people", json=PERSON, params=AT), 409,
                   "person.duplicate_citizen_id", "citizen_id")
    assert_problem(client.get("/api/v1/people/001085099999"), 404, "person.not_found", "key")
    assert_problem(client.get("/api/v1/people/12AB"), 422, "person.key", "key")
    assert_problem(client.get("/api/v1/employers/0100233488"), 404, "employer.not_found", "key")


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"monthly_salary": -5}, "request.invalid", "monthly_salary"),
        ({"monthly_salary": 7_500_000.5}, "request.invalid", "monthly_salary"),
        ({"monthly_salary": "7500000"}, "request.invalid", "monthly_salary"),
        ({"start_month": "2025-13"}, "request.invalid", "start_month"),
        ({"start_month": "2025-05", "end_month": "2025-04"}, "period.order", "end_month"),
        ({"monthly_salary": 1_000_000}, "salary.below_minimum_wage", "monthly_salary"),
    ],
)
def test_bad_periods_are_422_with_the_field(client: TestClient, db: Engine, change: dict[str, object],
                                            code: str, field: str) -> None:
    client.post("/api/v1/people", json=PERSON, params=AT)
    client.post("/api/v1/employers", json=EMPLOYER, params=AT)
    response = client.post("/api/v1/people/001085012345/participations", json={**PERIOD, **change}, params=AT)
    assert_problem(response, 422, code, field)
    assert rows(db, Participation) == 0


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"wage_region": 5}, "request.invalid", "wage_region"),
        ({"wage_region": 0}, "request.invalid", "wage_region"),
        ({"tax_code": "0100233480"}, "tax_code.check_digit", "tax_code"),
        ({"industry_code": "Z"}, "request.invalid", "industry_code"),
    ],
)
def test_bad_employers_are_422(client: TestClient, change: dict[str, object], code: str, field: str) -> None:
    assert_problem(client.post("/api/v1/employers", json={**EMPLOYER, **change}, params=AT), 422, code, field)


def test_death_notice_over_http(client: TestClient) -> None:
    client.post("/api/v1/people", json=PERSON, params=AT)
    body = client.post("/api/v1/people/death-notices", params=AT,
                       json={"citizen_id": "001085012345", "death_date": "2026-10-01"}).json()
    assert body["registered_person"] is True
    assert client.get("/api/v1/people/001085012345").json()["death_date"] == "2026-10-01"
