"""Restructuring over HTTP behind four eyes: one administrator submits, another approves.

Each test has a database of its own (``org_engine``): the plan renames Cao Bằng's office on
2026-01-01, after the 2025 reform.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from ansinh.accounts.roles import Role
from ansinh.api.app import create_app
from ansinh.audit.models import AuditEvent
from ansinh.db.uow import UnitOfWork
from ansinh.org import service
from ansinh.org.models import Office
from tests.signin import bearer, staff

PLAN = {"key": "rename-cb-api", "effective_on": "2026-01-01", "source": "Decision 2/QĐ-TEST (test plan)",
        "operations": [{"op": "rename", "office": "P34-04",
                        "to": {"code": "P34-04-B", "name": "Bảo hiểm xã hội tỉnh Cao Bằng (mới)",
                               "name_en": "Cao Bang (new)"}}]}


@pytest.fixture
def client(org_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(org_engine)) as client:
        yield client


def admins(engine: Engine) -> tuple[dict[str, str], dict[str, str]]:
    return (bearer(engine, staff(engine, role=Role.ADMINISTRATOR, office_code="VSS", username="admin.maker")),
            bearer(engine, staff(engine, role=Role.ADMINISTRATOR, office_code="VSS", username="admin.checker")))


def offices(engine: Engine) -> int:
    with UnitOfWork(engine) as uow:
        return uow.session.scalar(select(func.count()).select_from(Office)) or 0


def test_submitted_plan_waits_and_a_second_administrator_applies_it(client: TestClient, org_engine: Engine) -> None:
    maker, checker = admins(org_engine)
    before = offices(org_engine)
    submitted = client.post("/api/v1/org/restructure-plans", json=PLAN, headers=maker)
    assert submitted.status_code == 201, submitted.text
    body = submitted.json()
    assert (body["status"], body["dry_run"], body["offices_opened"]) == ("pending", True, ["P34-04-B"])
    assert offices(org_engine) == before, "a submitted plan changes nothing yet"

    own = client.post(f"/api/v1/org/restructure-plans/{body['approval_id']}/approval", headers=maker)
    assert own.status_code == 403 and own.json()["code"] == "auth.maker_checker"
    assert offices(org_engine) == before

    applied = client.post(f"/api/v1/org/restructure-plans/{body['approval_id']}/approval", headers=checker)
    assert applied.status_code == 200, applied.text
    assert (applied.json()["status"], applied.json()["dry_run"]) == ("approved", False)
    renamed = service.get_office(uow=UnitOfWork(org_engine), code="P34-04-B", on=dt.date(2026, 1, 1))
    assert [u.code for u in renamed.areas] == ["04"]

    again = client.post(f"/api/v1/org/restructure-plans/{body['approval_id']}/approval", headers=checker)
    assert again.status_code == 409 and again.json()["code"] == "approval.decided"
    with UnitOfWork(org_engine) as uow:
        actions = list(uow.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("approval.%"))
                                           .order_by(AuditEvent.seq)))
    assert actions == ["approval.prepare", "approval.approved"]


def test_an_invalid_plan_is_refused_at_submission_naming_the_field(client: TestClient, org_engine: Engine) -> None:
    maker, _ = admins(org_engine)
    bad = {**PLAN, "operations": [{"op": "rename", "office": "NOPE", "to": PLAN["operations"][0]["to"]}]}
    response = client.post("/api/v1/org/restructure-plans", json=bad, headers=maker)
    assert response.status_code == 422, response.text
    assert response.json()["field"].startswith("operations.0")


def test_only_administrators_restructure(client: TestClient, org_engine: Engine) -> None:
    officer = bearer(org_engine, staff(org_engine, office_code="VSS"))
    assert client.post("/api/v1/org/restructure-plans", json=PLAN, headers=officer).status_code == 403
    assert client.post("/api/v1/org/restructure-plans", json=PLAN).status_code == 401
