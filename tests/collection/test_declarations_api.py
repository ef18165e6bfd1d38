"""The declarations API: an employer declares for its own unit, by JSON or by file; staff on its behalf."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ansinh.accounts import service
from ansinh.accounts.models import AccountKind
from ansinh.api.app import create_app
from ansinh.db.uow import UnitOfWork
from ansinh.registry.lookups import employer_by_key
from tests.factories import register_employer, register_person
from tests.signin import BY_ADMIN, PASSWORD, bearer, officer_headers

CITIZEN_ID = "001185004321"
AS_OF = {"as_of": "2026-04-20"}
GOOD = {"kind": "join", "person_key": CITIZEN_ID, "from_month": "2026-04", "salary": 10_000_000}
BAD = {"kind": "join", "person_key": "001185009999", "from_month": "2026-04", "salary": 10_000_000}


@pytest.fixture
def client(db: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as client:
        yield client


def _employer_account(db: Engine, unit: str, username: str) -> dict[str, str]:
    with UnitOfWork(db) as uow:
        employer_id = employer_by_key(uow.session, unit).id
    service.create_account(uow=UnitOfWork(db), username=username, kind=AccountKind.EMPLOYER, display_name=unit,
                           password=PASSWORD, employer_id=employer_id, **BY_ADMIN)
    return bearer(db, username)


@pytest.fixture
def setup(db: Engine) -> tuple[str, str, dict[str, str]]:
    uow = UnitOfWork(db)
    register_person(uow, citizen_id=CITIZEN_ID)
    unit = register_employer(uow).unit_code
    other = register_employer(uow, tax_code="0101243150", name="Công ty Bình Minh").unit_code
    return unit, other, _employer_account(db, unit, "employer.anduong")


def test_an_employer_declares_by_json_and_a_retry_is_a_replay(client: TestClient,
                                                              setup: tuple[str, str, dict[str, str]]) -> None:
    unit, _, headers = setup
    path = f"/api/v1/employers/{unit}/declarations"
    body = {"lines": [GOOD, BAD]}
    first = client.post(path, json=body, params=AS_OF, headers=headers | {"Idempotency-Key": "march-1"})
    assert first.status_code == 201, first.text
    result = first.json()
    assert (result["lines_accepted"], result["lines_rejected"], result["status"]) == (1, 1, "partly_accepted")
    assert result["lines"][1]["error_code"] == "person.not_found"
    again = client.post(path, json=body | {"key": "march-1"}, params=AS_OF, headers=headers)
    assert again.status_code == 200 and again.json()["replayed"] and again.json()["id"] == result["id"]

    listed = client.get(path, headers=headers).json()
    assert [d["id"] for d in listed] == [result["id"]]
    one = client.get(f"{path}/{result['id']}", headers=headers)
    assert one.json()["lines"] == result["lines"]
    report = client.get(f"{path}/{result['id']}/rejections.csv", headers=headers)
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/csv")
    assert "attachment" in report.headers["content-disposition"]
    assert report.content.startswith(b"\xef\xbb\xbfline_no,kind,person_key")
    assert "2,join,001185009999,person.not_found,person_key," in report.content.decode("utf-8-sig")


def test_a_declaration_needs_a_key_and_lines(client: TestClient, setup: tuple[str, str, dict[str, str]]) -> None:
    unit, _, headers = setup
    path = f"/api/v1/employers/{unit}/declarations"
    no_key = client.post(path, json={"lines": [GOOD]}, headers=headers)
    assert no_key.status_code == 422 and no_key.json()["code"] == "declaration.key"
    no_lines = client.post(path, json={"key": "k", "lines": []}, headers=headers)
    assert no_lines.status_code == 422 and no_lines.json()["code"] == "declaration.lines"
    unreadable = client.post(path, json={"key": "k", "lines": [{**GOOD, "from_month": "April"}]}, headers=headers)
    assert unreadable.status_code == 201 and unreadable.json()["lines"][0]["error_code"] == "month.format"


def test_an_employer_declares_a_file_and_all_or_nothing_keeps_the_registry(
        client: TestClient, setup: tuple[str, str, dict[str, str]]) -> None:
    unit, _, headers = setup
    path = f"/api/v1/employers/{unit}/declarations/file"
    data = (f"Loại,Số định danh,Từ tháng,Mức lương\ntăng,{CITIZEN_ID},04/2026,10.000.000\n"
            "tăng,001185009999,04/2026,10.000.000\n").encode()
    whole = client.post(path, files={"file": ("list.csv", data, "text/csv")}, data={"all_or_nothing": "true"},
                        params=AS_OF, headers=headers)
    assert whole.status_code == 201, whole.text
    assert whole.json()["status"] == "rejected" and whole.json()["filename"] == "list.csv"
    assert whole.json()["lines"][0]["error_code"] == "declaration.all_or_nothing"
    again = client.post(path, files={"file": ("copy.csv", data, "text/csv")}, params=AS_OF, headers=headers)
    assert again.status_code == 200 and again.json()["replayed"]
    assert again.json()["key"].startswith("file:")
    hostile = client.post(path, files={"file": ("x.csv", b"\x00\xff\xfe", "text/csv")}, headers=headers)
    assert hostile.status_code == 422 and hostile.json()["code"] == "declaration.file"


def test_an_employer_may_not_declare_for_another(client: TestClient, db: Engine,
                                                 setup: tuple[str, str, dict[str, str]]) -> None:
    unit, other, headers = setup
    response = client.post(f"/api/v1/employers/{other}/declarations", json={"key": "k", "lines": [GOOD]},
                           headers=headers)
    assert response.status_code == 404 and response.json()["code"] == "employer.not_found"
    mine = client.post(f"/api/v1/employers/{unit}/declarations", json={"key": "k", "lines": [GOOD]},
                       params=AS_OF, headers=headers).json()
    other_headers = _employer_account(db, other, "employer.binhminh")
    hidden = client.get(f"/api/v1/employers/{other}/declarations/{mine['id']}", headers=other_headers)
    assert hidden.status_code == 404 and hidden.json()["code"] == "declaration.not_found"


def test_an_officer_declares_on_an_employers_behalf(client: TestClient, db: Engine,
                                                    setup: tuple[str, str, dict[str, str]]) -> None:
    unit, _, _ = setup
    response = client.post(f"/api/v1/employers/{unit}/declarations", json={"key": "k", "lines": [GOOD]},
                           params=AS_OF, headers=officer_headers(db))
    assert response.status_code == 201 and response.json()["lines_accepted"] == 1
