"""The arrears and compliance API: accountants age arrears, charge interest, remind; inspectors rank and inspect."""

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
from tests.collection.arrears_helpers import assess, employer_with_workers
from tests.factories import register_person
from tests.signin import BY_ADMIN, PASSWORD, bearer, officer_headers

AUGUST, SEPTEMBER, OCTOBER = (dt.date(2025, m, 1) for m in (8, 9, 10))
HIDDEN = "001185007777"


@pytest.fixture
def client(db: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as client:
        yield client


@pytest.fixture
def unit(db: Engine) -> str:
    uow = UnitOfWork(db)
    unit, _ = employer_with_workers(uow, salaries=(10_000_000,), start_month="2025-08")
    assess(uow, AUGUST, SEPTEMBER, OCTOBER)
    register_person(uow, citizen_id=HIDDEN, si_number="0123477777", full_name="Đỗ Thị Ẩn")
    return unit


def test_an_accountant_ages_arrears_charges_interest_once_and_sends_reminders(client: TestClient, db: Engine,
                                                                              unit: str) -> None:
    headers = officer_headers(db, Role.ACCOUNTANT)
    ageing = client.get("/api/v1/arrears", params={"as_of": "2025-11-15"}, headers=headers)
    assert ageing.status_code == 200, ageing.text
    row = ageing.json()["rows"][0]
    assert row["unit_code"] == unit and row["status"] == "late" and row["days_31_60"] > 0

    first = client.post("/api/v1/arrears/interest-runs", json={"through": "2025-11-15"}, headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["key"] == "interest:2025-11-15" and first.json()["total"] > 0
    again = client.post("/api/v1/arrears/interest-runs", json={"through": "2025-11-15"}, headers=headers)
    assert again.status_code == 200 and again.json()["already_run"]
    earlier = client.post("/api/v1/arrears/interest-runs", json={"through": "2025-11-01"}, headers=headers)
    assert earlier.status_code == 409 and earlier.json()["code"] == "interest.through_before_last"
    assert earlier.headers["content-type"].startswith("application/problem+json")

    sent = client.post("/api/v1/arrears/reminders", json={"on": "2025-11-16"}, headers=headers)
    assert sent.status_code == 200, sent.text
    assert [r["unit_code"] for r in sent.json()["sent"]] == [unit]
    bad = client.post("/api/v1/arrears/reminders", json={"on": "2025-11-16", "every_days": 0}, headers=headers)
    assert bad.status_code == 422


def test_an_inspector_opens_a_case_from_the_risk_list_records_a_finding_and_closes_it(client: TestClient, db: Engine,
                                                                                     unit: str) -> None:
    headers = officer_headers(db, Role.INSPECTOR)
    ranked = client.get("/api/v1/compliance/risk", params={"as_of": "2025-12-15", "limit": 5}, headers=headers)
    assert ranked.status_code == 200, ranked.text
    top = ranked.json()["rows"][0]
    assert top["unit_code"] == unit and top["score"] > 0 and top["reasons"][0]["sentence"]

    opened = client.post("/api/v1/inspections", json={"employer_unit_code": unit}, headers=headers)
    assert opened.status_code == 201, opened.text
    case = opened.json()
    assert client.post("/api/v1/inspections", json={"employer_unit_code": unit},
                       headers=headers).json()["code"] == "inspection.already_open"

    finding = {"kind": "undeclared_worker", "person_key": HIDDEN, "from_month": "2025-08", "salary": 9_000_000,
               "note": "Bảng lương tháng 8", "version": case["version"]}
    recorded = client.post(f"/api/v1/inspections/{case['id']}/findings", json=finding, headers=headers)
    assert recorded.status_code == 201, recorded.text
    stale = client.post(f"/api/v1/inspections/{case['id']}/findings", json=finding, headers=headers)
    assert stale.status_code == 409 and stale.json()["code"] == "inspection.version"

    closed = client.post(f"/api/v1/inspections/{case['id']}/close",
                         json={"conclusion": "Không khai 1 lao động", "version": recorded.json()["version"]},
                         headers=headers)
    assert closed.status_code == 200, closed.text
    body = closed.json()
    assert body["status"] == "closed" and body["declaration_id"] and body["extra_total"] > 0
    assert len(body["extra_dues"]) == 3
    listed = client.get("/api/v1/inspections", params={"status": "closed"}, headers=headers).json()
    assert [c["id"] for c in listed] == [case["id"]] and listed[0]["findings"] == 1
    assert client.get("/api/v1/inspections/999999", headers=headers).json()["code"] == "inspection.not_found"


def test_an_accountant_records_a_write_off_once(client: TestClient, db: Engine, unit: str) -> None:
    headers = officer_headers(db, Role.ACCOUNTANT)
    body = {"employer_unit_code": unit, "decision_ref": "12/QĐ-BHXH", "decided_on": "2025-12-20",
            "through": "2025-09-01", "reason": "Doanh nghiệp phá sản"}
    first = client.post("/api/v1/arrears/write-offs", json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["months"] == ["2025-08-01", "2025-09-01"] and first.json()["contributions"] > 0
    again = client.post("/api/v1/arrears/write-offs", json=body, headers=headers)
    assert again.status_code == 200 and again.json()["already_recorded"]
    bad = client.post("/api/v1/arrears/write-offs", json=body | {"decision_ref": "13/QĐ", "through": "2025-09-15"},
                      headers=headers)
    assert bad.status_code == 422 and bad.json()["code"] == "write_off.through"
    ageing = client.get("/api/v1/arrears", params={"as_of": "2025-12-20"}, headers=headers).json()
    assert ageing["rows"][0]["oldest_unpaid_month"] == "2025-10-01"  # August and September are no longer owed
    inspector = client.post("/api/v1/arrears/write-offs", json=body, headers=officer_headers(db, Role.INSPECTOR))
    assert inspector.status_code == 403


def _staff_at(db: Engine, office_code: str, role: Role) -> dict[str, str]:
    name = f"{role.value}.{office_code.lower()}"
    service.create_account(uow=UnitOfWork(db), username=name, kind=AccountKind.STAFF, display_name=name,
                           password=PASSWORD, **BY_ADMIN)
    service.add_posting(uow=UnitOfWork(db), username=name, office_code=office_code, role=role,
                        valid_from=dt.date(2025, 7, 1), **BY_ADMIN)
    return bearer(db, name)


def test_a_provincial_office_sees_only_the_employers_of_its_area(client: TestClient, db: Engine, unit: str) -> None:
    hanoi, hcmc = _staff_at(db, "P34-01", Role.INSPECTOR), _staff_at(db, "P34-79", Role.INSPECTOR)
    as_of = {"as_of": "2025-11-16"}
    assert [r["unit_code"] for r in client.get("/api/v1/compliance/risk", params=as_of,
                                               headers=hanoi).json()["rows"]] == [unit]
    away = client.get("/api/v1/compliance/risk", params=as_of, headers=hcmc).json()
    assert away["rows"] == [] and away["total"] == 0
    refused = client.post("/api/v1/inspections", json={"employer_unit_code": unit}, headers=hcmc)
    assert refused.status_code == 404 and refused.json()["code"] == "employer.not_found"
    case = client.post("/api/v1/inspections", json={"employer_unit_code": unit}, headers=hanoi).json()
    hidden = client.get(f"/api/v1/inspections/{case['id']}", headers=hcmc)
    nobody = client.get("/api/v1/inspections/999999", headers=hcmc)
    assert hidden.status_code == nobody.status_code == 404
    assert hidden.json()["code"] == nobody.json()["code"] == "inspection.not_found"
    assert client.get("/api/v1/inspections", headers=hcmc).json() == []
    assert [c["unit_code"] for c in client.get("/api/v1/inspections", headers=hanoi).json()] == [unit]
    accountant = _staff_at(db, "P34-79", Role.ACCOUNTANT)
    assert client.get("/api/v1/arrears", params=as_of, headers=accountant).json()["rows"] == []
