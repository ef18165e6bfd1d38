"""The pages of arrears and compliance through the test client: forms, refusals, redirects, both languages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ansinh.accounts.roles import Role
from ansinh.api.app import create_app
from ansinh.db.uow import UnitOfWork
from ansinh.web.session import CSRF_COOKIE
from tests.collection.arrears_helpers import assess, employer_with_workers
from tests.factories import register_person
from tests.signin import sign_in_pages, staff

HIDDEN = "001185007777"


@pytest.fixture
def client(db: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as client:
        yield client


@pytest.fixture
def unit(db: Engine) -> str:
    uow = UnitOfWork(db)
    unit, _ = employer_with_workers(uow, salaries=(10_000_000,), start_month="2025-08")
    assess(uow, dt.date(2025, 8, 1), dt.date(2025, 9, 1))
    register_person(uow, citizen_id=HIDDEN, si_number="0123477777", full_name="Đỗ Thị Ẩn")
    return unit


def _csrf(client: TestClient) -> str:
    return client.cookies.get(CSRF_COOKIE) or ""


def test_the_accountant_sees_the_ageing_charges_interest_and_sends_reminders(db: Engine, client: TestClient,
                                                                          unit: str) -> None:
    sign_in_pages(client, staff(db, role=Role.ACCOUNTANT))
    page = client.get("/accountant/arrears", params={"as_of": "2025-11-15"})
    assert page.status_code == 200 and unit in page.text and "Nợ đóng" in page.text
    assert 'data-status="late"' in page.text

    charged = client.post("/accountant/arrears/interest", data={"csrf_token": _csrf(client), "through": "2025-11-15"},
                          follow_redirects=False)
    assert charged.status_code == 303
    refused = client.post("/accountant/arrears/interest", data={"csrf_token": _csrf(client), "through": "2025-11-01"})
    assert refused.status_code == 409 and "2025-11-15" in refused.text
    sent = client.post("/accountant/arrears/reminders", data={"csrf_token": _csrf(client), "on": "2025-11-16"},
                       follow_redirects=True)
    assert sent.status_code == 200 and 'id="reminders"' in sent.text and 'id="interest-runs"' in sent.text
    english = client.get("/accountant/arrears", params={"as_of": "2025-11-15", "lang": "en"})
    assert "Late-payment interest" in english.text and "Over 180 days" in english.text


def test_the_inspector_opens_a_case_from_the_list_records_a_finding_and_closes_it(db: Engine, client: TestClient,
                                                                               unit: str) -> None:
    sign_in_pages(client, staff(db, role=Role.INSPECTOR))
    listed = client.get("/inspector/risk")
    assert listed.status_code == 200 and f'data-unit="{unit}"' in listed.text and "ngày sau hạn đóng" in listed.text
    opened = client.post("/inspector/cases", data={"csrf_token": _csrf(client), "employer_unit_code": unit},
                         follow_redirects=False)
    assert opened.status_code == 303
    case_path = opened.headers["location"]
    again = client.post("/inspector/cases", data={"csrf_token": _csrf(client), "employer_unit_code": unit})
    assert again.status_code == 409

    bad = client.post(f"{case_path}/findings", data={"csrf_token": _csrf(client), "kind": "undeclared_worker",
                                                     "person_key": HIDDEN, "from_month": "2025-08",
                                                     "salary": "chín triệu"})
    assert bad.status_code == 422 and "form.number" not in bad.text and "chín triệu" in bad.text
    client.post(f"{case_path}/findings", data={"csrf_token": _csrf(client), "kind": "undeclared_worker",
                                               "person_key": HIDDEN, "from_month": "2025-08", "salary": "9.000.000",
                                               "note": "Bảng lương", "version": "1"})
    closed = client.post(f"{case_path}/close", data={"csrf_token": _csrf(client), "conclusion": "Không khai 1 người",
                                                     "version": "2"}, follow_redirects=True)
    assert closed.status_code == 200 and 'id="extra-dues"' in closed.text and "Đỗ Thị Ẩn" in closed.text
    assert client.get("/inspector/cases").status_code == 200
    assert client.get("/inspector/cases/abc").status_code == 404


def test_others_may_not_open_these_pages(db: Engine, client: TestClient) -> None:
    sign_in_pages(client, staff(db, role=Role.OFFICER))
    assert client.get("/inspector/risk").status_code == 403
    assert client.get("/accountant/arrears").status_code == 403


def test_an_inspector_of_another_province_sees_neither_the_employer_nor_its_case(db: Engine, client: TestClient,
                                                                                 unit: str) -> None:
    sign_in_pages(client, staff(db, role=Role.INSPECTOR, office_code="P34-79"))
    risk = client.get("/inspector/risk", params={"as_of": "2025-11-16"})
    assert risk.status_code == 200 and unit not in risk.text
    opened = client.post("/inspector/cases", data={"csrf_token": _csrf(client), "employer_unit_code": unit})
    assert opened.status_code == 404
    cases = client.get("/inspector/cases")
    assert cases.status_code == 200 and unit not in cases.text
