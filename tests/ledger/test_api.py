"""``/api/v1/ledger`` for accountants and managers; other roles are refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ansinh.accounts.roles import Role
from ansinh.api.app import create_app
from ansinh.core.actor import Actor
from ansinh.db.uow import UnitOfWork
from ansinh.ledger import service
from ansinh.ledger.chart import Fund
from ansinh.ledger.schemas import LineIn
from tests.signin import bearer, staff

S = Fund.SICKNESS_MATERNITY
PERIOD = {"start": "2026-03-01", "end": "2026-03-31"}


@pytest.fixture
def client(db: Engine) -> Iterator[TestClient]:
    for key, lines in (("assess:2026-03:EMP7", [LineIn(account_code="135", fund=S, debit=200_000),
                                                LineIn(account_code="573", fund=S, credit=200_000)]),
                       ("pay:9:1", [LineIn(account_code="673", fund=S, debit=50_000),
                                    LineIn(account_code="3388", fund=S, credit=50_000)])):
        service.post_entry(uow=UnitOfWork(db), key=key, entry_date=dt.date(2026, 3, 15), description=key,
                           source_type="test", source_id=key, lines=lines, actor=Actor(username="system"),
                           at=dt.datetime(2026, 3, 15, tzinfo=dt.UTC))
    with TestClient(create_app(db)) as client:
        yield client


def test_accountant_reads_the_trial_balance(client: TestClient, db: Engine) -> None:
    headers = bearer(db, staff(db, role=Role.ACCOUNTANT))
    response = client.get("/api/v1/ledger/trial-balance", params=PERIOD, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["balanced"] is True
    assert (body["total_debits"], body["total_credits"]) == (250_000, 250_000)
    health = client.get("/api/v1/ledger/trial-balance", params=PERIOD | {"fund": "health"}, headers=headers)
    assert health.json()["rows"] == []


def test_manager_reads_a_fund_statement(client: TestClient, db: Engine) -> None:
    headers = bearer(db, staff(db, role=Role.MANAGER))
    response = client.get("/api/v1/ledger/fund-statement", params=PERIOD | {"fund": S.value}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["total_revenue"], body["total_expense"], body["net"]) == (200_000, 50_000, 150_000)
    assert body["liabilities"] == [{"account_code": "3388", "account_name": "Benefits payable to beneficiaries",
                                    "amount": 50_000}]


def test_accounts_and_bad_input(client: TestClient, db: Engine) -> None:
    headers = bearer(db, staff(db, role=Role.ACCOUNTANT))
    accounts = client.get("/api/v1/ledger/accounts", headers=headers).json()
    assert {"112", "135", "573", "673"} <= {a["code"] for a in accounts}
    backwards = client.get("/api/v1/ledger/trial-balance", params={"start": "2026-04-01", "end": "2026-03-01"},
                           headers=headers)
    assert backwards.status_code == 422
    assert backwards.json()["code"] == "ledger.period"


def test_an_officer_may_not_read_the_ledger(client: TestClient, db: Engine) -> None:
    headers = bearer(db, staff(db, role=Role.OFFICER))
    response = client.get("/api/v1/ledger/trial-balance", params=PERIOD, headers=headers)
    assert response.status_code == 403
