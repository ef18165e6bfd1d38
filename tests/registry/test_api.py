"""The registry over HTTP: status codes and RFC 9457 problem+json for bad input."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from ansinh.api.app import create_app
from ansinh.db.uow import UnitOfWork
from ansinh.registry.models import Employer, Participation, Person
from tests.registry.conftest import AS_OF, HOAN_KIEM, AddToRegister
from tests.signin import officer_headers

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
    with TestClient(create_app(db), headers=officer_headers(db)) as client:
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


def test_duplicate_flag_id_beyond_32_bits_is_422(client: TestClient) -> None:
    response = client.post("/api/v1/people/duplicate-flags/2147483648/decision",
                           params={"decision": "confirmed_distinct"})
    assert_problem(response, 422, "request.invalid", "flag_id")


def test_body_that_is_not_utf8_is_a_400_problem(client: TestClient) -> None:
    response = client.post("/api/v1/employers", content=b'{"name": "\xff\xfe"}',
                           headers={"content-type": "application/json"}, params=AT)
    assert_problem(response, 400, "http.400", None)


def test_unknown_api_route_and_method_are_problems(client: TestClient) -> None:
    assert_problem(client.get("/api/v1/nowhere"), 404, "http.404", None)
    response = client.delete("/api/v1/people")
    assert_problem(response, 405, "http.405", None)
    assert response.headers["allow"]  # the handler keeps the headers of the HTTP error


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/people", {"q": "An\x00"}, "q"),
        ("/api/v1/employers", {"q": "\x00"}, "q"),
        ("/api/v1/employers/%00", {}, "key"),
    ],
)
def test_nul_in_a_parameter_is_422(client: TestClient, path: str, params: dict[str, str], field: str) -> None:
    assert_problem(client.get(path, params=params), 422, "request.invalid", field)


@pytest.mark.parametrize("change", [{"name": "Ánh\x00Dương"}, {"wage_region_source": "Decree\x00"}])
def test_nul_in_a_body_is_422(client: TestClient, db: Engine, change: dict[str, str]) -> None:
    field = next(iter(change))
    body = assert_problem(client.post("/api/v1/employers", json={**EMPLOYER, **change}, params=AT),
                          422, "request.invalid", field)
    assert "NUL" in str(body["detail"])
    assert rows(db, Employer) == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start_month": "0000-01"}, "start_month"),
        ({"end_month": "0000-12"}, "end_month"),
        ({"monthly_salary": 2**63}, "monthly_salary"),
        ({"monthly_salary": 10**30}, "monthly_salary"),
    ],
)
def test_periods_out_of_range_are_422(client: TestClient, db: Engine, change: dict[str, object],
                                      field: str) -> None:
    client.post("/api/v1/people", json=PERSON, params=AT)
    client.post("/api/v1/employers", json=EMPLOYER, params=AT)
    response = client.post("/api/v1/people/001085012345/participations", json={**PERIOD, **change}, params=AT)
    assert_problem(response, 422, "request.invalid", field)
    assert rows(db, Participation) == 0


def test_household_code_longer_than_20_is_422(client: TestClient, db: Engine) -> None:
    response = client.post("/api/v1/people", json={**PERSON, "household_code": "H" * 21}, params=AT)
    assert_problem(response, 422, "request.invalid", "household_code")
    assert rows(db, Person) == 0


def test_employer_name_in_another_script_is_kept_and_found(client: TestClient) -> None:
    name = "삼성전자" * 50  # 200 Hangul syllables: their search key has 200 letters too
    created = client.post("/api/v1/employers", json={**EMPLOYER, "name": name}, params=AT)
    assert created.status_code == 201, created.text
    assert client.get("/api/v1/employers", params={"q": "삼성전자"}).json()["count"] == 1


def test_employer_name_whose_search_key_is_too_long_is_422(client: TestClient, db: Engine) -> None:
    name = "\N{MUSICAL SYMBOL HALF NOTE}" * 150  # each folds to two characters
    response = client.post("/api/v1/employers", json={**EMPLOYER, "name": name}, params=AT)
    assert_problem(response, 422, "name.length", "name")
    assert rows(db, Employer) == 0


def test_file_read_in_the_last_month_a_date_holds(client: TestClient) -> None:
    client.post("/api/v1/people", json=PERSON, params=AT)
    client.post("/api/v1/employers", json=EMPLOYER, params=AT)
    period = {**PERIOD, "start_month": "9999-10"}
    assert client.post("/api/v1/people/001085012345/participations", json=period,
                       params={"as_of": "9999-12-31"}).status_code == 201
    response = client.get("/api/v1/people/001085012345/file", params={"as_of": "9999-12-31"})
    assert response.status_code == 200, response.text
    assert [m["month"] for m in response.json()["history"]] == ["9999-10", "9999-11", "9999-12"]
