"""The payment routes: the bank's statements by API key, accountants' matching, orders, the SI book."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ansinh.accounts import service
from ansinh.accounts.models import AccountKind
from ansinh.accounts.roles import Role
from ansinh.api.app import create_app
from ansinh.collection.payment_orders import issue_orders, orders_of
from ansinh.core import clock
from ansinh.db.uow import UnitOfWork
from tests.collection.payment_world import ACCOUNTANT, APRIL, AT, ON, World, build_world
from tests.signin import BY_ADMIN, PASSWORD, bearer, citizen_account, officer_headers

STATEMENT = {"statement_id": "VCB-20260502", "bank_code": "VCB", "account_no": "0011001234567",
             "statement_date": "2026-05-02",
             "lines": [{"txn_id": "FT001", "value_date": "2026-05-01", "amount": 5_760_000,
                        "payer_name": "CONG TY ANH DUONG", "payer_account": "111", "description": "BHXH"},
                       {"txn_id": "FT002", "value_date": "2026-05-02", "amount": 99_000,
                        "payer_name": "ONG X", "payer_account": "222", "description": "?"}]}


@pytest.fixture
def client(db: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as client:
        yield client


@pytest.fixture
def world(db: Engine) -> World:
    world = build_world(db)
    issue_orders(uow=UnitOfWork(db), month=APRIL, on=ON, actor=ACCOUNTANT, at=AT)
    return world


def _bank_key(db: Engine) -> dict[str, str]:
    service.create_account(uow=UnitOfWork(db), username="vcb.client", kind=AccountKind.BANK,
                           display_name="Vietcombank", **BY_ADMIN)
    key = service.issue_api_key(uow=UnitOfWork(db), username="vcb.client", label="statements", now=clock.now(),
                                actor=BY_ADMIN["actor"])
    return {"X-API-Key": key}


def test_the_bank_sends_a_statement_with_its_api_key_once(db: Engine, client: TestClient, world: World) -> None:
    headers = _bank_key(db)
    first = client.post("/api/v1/bank/statements", json=STATEMENT, headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["new_lines"] == 2
    again = client.post("/api/v1/bank/statements", json=STATEMENT, headers=headers)
    assert (again.status_code, again.json()["created"]) == (200, False)
    bad = client.post("/api/v1/bank/statements", headers=headers, json={
        **STATEMENT, "statement_id": "X", "lines": [{**STATEMENT["lines"][0], "amount": -5}]})
    assert bad.status_code == 422
    assert client.get("/api/v1/payments/transactions", headers=headers).status_code == 403


def test_an_accountant_lists_matches_and_returns_transactions(db: Engine, client: TestClient, world: World) -> None:
    accountant = officer_headers(db, Role.ACCOUNTANT)
    assert client.post("/api/v1/bank/statements", json=STATEMENT, headers=accountant).status_code == 201
    listed = client.get("/api/v1/payments/transactions", headers=accountant).json()
    ids = {t["bank_txn_id"]: t["id"] for t in listed}
    matched = client.post(f"/api/v1/payments/transactions/{ids['FT001']}/match", headers=accountant,
                          json={"employer_unit_code": world.units["anh"], "note": "confirmed by phone"})
    assert matched.status_code == 200, matched.text
    assert (matched.json()["status"], matched.json()["match_rule"]) == ("matched", "manual")
    returned = client.post(f"/api/v1/payments/transactions/{ids['FT002']}/return", headers=accountant,
                           json={"note": "unknown payer"})
    assert returned.json()["status"] == "returned"
    again = client.post(f"/api/v1/payments/transactions/{ids['FT002']}/return", headers=accountant,
                        json={"note": "unknown payer"})
    assert (again.status_code, again.json()["code"]) == (409, "payment.transaction_state")


def test_an_employer_reads_its_own_order_and_its_pdf_only(db: Engine, client: TestClient, world: World) -> None:
    for name in ("anh", "binh"):
        service.create_account(uow=UnitOfWork(db), username=f"employer.{name}", kind=AccountKind.EMPLOYER,
                               display_name=name, password=PASSWORD, employer_id=world.ids[name], **BY_ADMIN)
    own = orders_of(uow=UnitOfWork(db), employer_id=world.ids["anh"])[0]
    other = orders_of(uow=UnitOfWork(db), employer_id=world.ids["binh"])[0]
    headers = bearer(db, "employer.anh")
    answer = client.get(f"/api/v1/payments/orders/{own.id}", headers=headers)
    assert answer.status_code == 200
    assert (answer.json()["reference"], answer.json()["total"]) == (own.reference, own.total)
    pdf = client.get(f"/api/v1/payments/orders/{own.id}/pdf", headers=headers)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get(f"/api/v1/payments/orders/{other.id}", headers=headers).status_code == 404


def test_a_citizen_reads_their_own_si_book_and_no_one_elses(db: Engine, client: TestClient, world: World) -> None:
    headers = bearer(db, citizen_account(db, "001185004300"))
    own = client.get("/api/v1/people/001185004300/contributions", headers=headers)
    assert own.status_code == 200, own.text
    assert [m["status"] for m in own.json()["months"]] == ["unpaid", "unpaid"]
    other = client.get("/api/v1/people/001185004301/contributions", headers=headers)
    assert other.status_code == 404
