"""``GET /api/v1/procedures``: the catalogue over HTTP, open without signing in."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ansinh.api.app import create_app

PREFIX = "/api/v1/procedures"


@pytest.fixture
def client(db: Engine) -> TestClient:
    """A client that sends no credentials at all."""
    return TestClient(create_app(db))


def test_the_catalogue_is_public(client: TestClient) -> None:
    response = client.get(PREFIX)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(body["items"]) == 47
    first = body["items"][0]
    assert first == {
        "code": "600", "national_code": None,
        "name_vi": "Đăng ký, điều chỉnh đóng BHXH bắt buộc, BHYT, BHTN, BHTNLĐ-BNN; cấp sổ BHXH, thẻ BHYT",
        "name_en": ("Register or adjust compulsory SI, HI, UI and work-injury contributions; "
                    "issue the SI book and HI card"),
        "domain": "collection", "applicants": ["employer"], "online_level": "full",
        "deadline_working_days": 5, "any_office": False, "availability": "not_yet_available",
    }


def test_filters(client: TestClient) -> None:
    cards = client.get(PREFIX, params={"domain": "cards"}).json()
    assert [item["code"] for item in cards["items"]] == ["603", "607", "608", "610", "612", "613"]
    facility = client.get(PREFIX, params={"applicant": "facility"}).json()
    assert {item["code"] for item in facility["items"]} >= {"AS-HI-SETTLEMENT", "AS-HI-CONTRACT"}
    assert all("facility" in item["applicants"] for item in facility["items"])


def test_one_procedure_in_full(client: TestClient) -> None:
    response = client.get(f"{PREFIX}/630")
    assert response.status_code == 200
    body = response.json()
    assert body["national_code"] == "1.001667"
    assert body["deadline_working_days"] == 7
    assert body["service_verb"] == "ansinh.quote.service.quote"
    assert body["availability"]["area"] == "benefits"
    assert body["data_schema"]["type"] == "object"
    assert "claims" in body["data_schema"]["required"]
    held = {item["code"]: item for item in body["documents_not_asked"]}
    assert held["birth_registration_copy"]["held_by"] == "population_register"
    assert held["birth_registration_copy"]["why"]


def test_an_unknown_code_is_a_problem_naming_code(client: TestClient) -> None:
    response = client.get(f"{PREFIX}/999")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert (body["code"], body["field"]) == ("procedure.unknown", "code")


def test_an_unknown_domain_is_refused(client: TestClient) -> None:
    response = client.get(PREFIX, params={"domain": "lottery"})
    assert response.status_code == 422
    assert response.json()["field"] == "domain"
