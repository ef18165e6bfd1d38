"""The permission matrix: every role, and no one, against every API route.

Each route of the OpenAPI document is listed here with what it needs: public, any signed-in
caller, or a permission. A new route that is not listed fails the first test, so no route
ships without a decision. Then each role calls each route: without the permission it gets
403, anonymous 401, with it anything but 401/403 (a bad or empty body then answers 422,
which shows the route was reached).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ansinh.accounts import service
from ansinh.accounts.models import AccountKind
from ansinh.accounts.roles import ROLE_PERMISSIONS, STAFF_ROLES, Permission, Role
from ansinh.api.app import create_app
from ansinh.db.uow import UnitOfWork
from tests.factories import register_employer, register_person
from tests.signin import BY_ADMIN, PASSWORD, bearer, staff

PUBLIC = "public"
SIGNED_IN = "signed-in"
P = Permission
DECLARE = frozenset({P.CONTRIBUTION_DECLARE, P.PARTICIPATION_RECORD})
"""An employer declares for itself; staff who record participation, on an employer's behalf."""
ROUTES: dict[str, str | Permission | frozenset[Permission]] = {
    "POST /api/v1/auth/token": PUBLIC,
    "POST /api/v1/auth/signout": SIGNED_IN,
    "GET /api/v1/auth/me": SIGNED_IN,
    "POST /api/v1/accounts": P.ACCOUNT_MANAGE,
    "POST /api/v1/accounts/{username}/postings": P.ACCOUNT_MANAGE,
    "POST /api/v1/accounts/{username}/api-keys": P.ACCOUNT_MANAGE,
    "POST /api/v1/people": P.PERSON_REGISTER,
    "GET /api/v1/people": P.PERSON_SEARCH,
    "GET /api/v1/people/duplicate-flags": P.DUPLICATE_REVIEW,
    "POST /api/v1/people/duplicate-flags/{flag_id}/decision": P.DUPLICATE_REVIEW,
    "POST /api/v1/people/death-notices": P.DEATH_RECORD,
    "GET /api/v1/people/{key}": P.PERSON_READ,
    "PATCH /api/v1/people/{key}": P.PERSON_REGISTER,
    "GET /api/v1/people/{key}/file": P.PERSON_READ,
    "GET /api/v1/people/{key}/participations": P.PERSON_READ,
    "POST /api/v1/people/{key}/participations": P.PARTICIPATION_RECORD,
    "POST /api/v1/employers": P.EMPLOYER_REGISTER,
    "GET /api/v1/employers": P.EMPLOYER_SEARCH,
    "GET /api/v1/employers/{key}": P.EMPLOYER_READ,
    "POST /api/v1/employers/{unit_code}/declarations": DECLARE,
    "POST /api/v1/employers/{unit_code}/declarations/file": DECLARE,
    "GET /api/v1/employers/{unit_code}/declarations": DECLARE,
    "GET /api/v1/employers/{unit_code}/declarations/{declaration_id}": DECLARE,
    "GET /api/v1/employers/{unit_code}/declarations/{declaration_id}/rejections.csv": DECLARE,
    "GET /api/v1/areas/provinces": PUBLIC,
    "GET /api/v1/areas/provinces/{code}": PUBLIC,
    "GET /api/v1/areas/communes": PUBLIC,
    "GET /api/v1/areas/communes/{code}": PUBLIC,
    "GET /api/v1/offices": PUBLIC,
    "GET /api/v1/offices/responsible": PUBLIC,
    "GET /api/v1/offices/{code}": PUBLIC,
    "POST /api/v1/org/restructure-plans": P.ORG_RESTRUCTURE,
    "POST /api/v1/org/restructure-plans/{approval_id}/approval": P.ORG_RESTRUCTURE,
    "GET /api/v1/audit/events": P.AUDIT_READ,
    "GET /api/v1/audit/head": P.AUDIT_READ,
    "GET /api/v1/audit/verification": P.AUDIT_READ,
    "GET /api/v1/law": PUBLIC,
    "GET /api/v1/law/{key}": PUBLIC,
    "POST /api/v1/quote": PUBLIC,
    "GET /api/v1/procedures": PUBLIC,
    "GET /api/v1/procedures/{code}": PUBLIC,
    "POST /api/v1/dossiers": P.DOSSIER_SUBMIT,
    "GET /api/v1/dossiers/track": PUBLIC,
    "GET /api/v1/dossiers/mine": P.DOSSIER_SUBMIT,
    "GET /api/v1/dossiers/queue": P.DOSSIER_PROCESS,
    "GET /api/v1/dossiers/{dossier_id}": SIGNED_IN,
    "GET /api/v1/dossiers/{dossier_id}/documents/{document_id}": SIGNED_IN,
    "POST /api/v1/dossiers/{dossier_id}/receipt": P.DOSSIER_PROCESS,
    "POST /api/v1/dossiers/{dossier_id}/assignment": P.DOSSIER_PROCESS,
    "POST /api/v1/dossiers/{dossier_id}/review": P.DOSSIER_PROCESS,
    "POST /api/v1/dossiers/{dossier_id}/supplement-request": P.DOSSIER_PROCESS,
    "POST /api/v1/dossiers/{dossier_id}/supplement": frozenset({P.DOSSIER_SUBMIT, P.DOSSIER_PROCESS}),
    "POST /api/v1/dossiers/{dossier_id}/decision": P.DOSSIER_PROCESS,
    "POST /api/v1/dossiers/{dossier_id}/delivery": P.DOSSIER_PROCESS,
    "POST /api/v1/portal/dossiers": P.PORTAL_FORWARD,
    "GET /api/v1/portal/dossiers/{portal_dossier_id}": P.PORTAL_FORWARD,
    "GET /api/v1/outbox/messages": P.ACCOUNT_MANAGE,
    "GET /api/v1/reports/on-time": P.REPORT_READ,
    "GET /api/v1/ledger/trial-balance": P.LEDGER_READ,
    "GET /api/v1/ledger/fund-statement": P.LEDGER_READ,
    "GET /api/v1/ledger/accounts": P.LEDGER_READ,
    "POST /api/v1/bank/statements": P.BANK_STATEMENT_SUBMIT,
    "GET /api/v1/payments/transactions": P.PAYMENT_RECONCILE,
    "POST /api/v1/payments/transactions/{transaction_id}/match": P.PAYMENT_RECONCILE,
    "POST /api/v1/payments/transactions/{transaction_id}/return": P.PAYMENT_RECONCILE,
    "GET /api/v1/payments/orders/{order_id}": frozenset({P.PAYMENT_RECONCILE, P.CONTRIBUTION_DECLARE}),
    "GET /api/v1/payments/orders/{order_id}/pdf": frozenset({P.PAYMENT_RECONCILE, P.CONTRIBUTION_DECLARE}),
    "GET /api/v1/people/{key}/contributions": P.PERSON_READ,
    "GET /api/v1/arrears": frozenset({P.PAYMENT_RECONCILE, P.INSPECTION_MANAGE}),
    "POST /api/v1/arrears/interest-runs": P.PAYMENT_RECONCILE,
    "POST /api/v1/arrears/reminders": P.PAYMENT_RECONCILE,
    "POST /api/v1/arrears/write-offs": P.PAYMENT_RECONCILE,
    "GET /api/v1/compliance/risk": P.INSPECTION_MANAGE,
    "GET /api/v1/inspections": P.INSPECTION_MANAGE,
    "POST /api/v1/inspections": P.INSPECTION_MANAGE,
    "GET /api/v1/inspections/{case_id}": P.INSPECTION_MANAGE,
    "POST /api/v1/inspections/{case_id}/findings": P.INSPECTION_MANAGE,
    "POST /api/v1/inspections/{case_id}/close": P.INSPECTION_MANAGE,
}
CITIZEN_ID = "001185004321"
SAMPLE = {"key": CITIZEN_ID, "username": "someone.else", "flag_id": "1", "code": "01", "approval_id": "1",
          "dossier_id": "1", "document_id": "1", "portal_dossier_id": "PORTAL-1"}


def routes_of(client: TestClient) -> set[str]:
    document = client.get("/api/v1/openapi.json").json()
    return {f"{method.upper()} {path}" for path, operations in document["paths"].items() for method in operations}


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: SAMPLE.get(m.group(1), "x"), path)


@pytest.fixture
def client(db: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as client:
        yield client


@pytest.fixture
def callers(db: Engine) -> dict[Role, dict[str, str]]:
    """Bearer headers for one account of each role (staff at a central office)."""
    person = register_person(UnitOfWork(db), citizen_id=CITIZEN_ID)
    employer = register_employer(UnitOfWork(db))
    headers = {role: bearer(db, staff(db, role=role)) for role in STAFF_ROLES}
    with UnitOfWork(db) as uow:
        from ansinh.registry.lookups import employer_by_key, person_by_key

        person_id = person_by_key(uow.session, person.citizen_id).id
        employer_id = employer_by_key(uow.session, employer.unit_code).id
    for role, kind, link in ((Role.CITIZEN, AccountKind.CITIZEN, {"person_id": person_id}),
                             (Role.EMPLOYER, AccountKind.EMPLOYER, {"employer_id": employer_id}),
                             (Role.FACILITY, AccountKind.FACILITY, {"facility_code": "01001"}),
                             (Role.PORTAL, AccountKind.PORTAL, {}),
                             (Role.BANK, AccountKind.BANK, {})):
        service.create_account(uow=UnitOfWork(db), username=f"{role.value}.account", kind=kind,
                               display_name=role.value, password=PASSWORD, **BY_ADMIN,
                               **link)  # type: ignore[arg-type]
        headers[role] = bearer(db, f"{role.value}.account")
    return headers


def test_every_route_has_a_declared_permission(client: TestClient) -> None:
    assert routes_of(client) == set(ROUTES), "list each new route in ROUTES with what it needs"


def test_anonymous_callers_get_401_on_every_protected_route(client: TestClient) -> None:
    for route, needs in ROUTES.items():
        method, path = route.split(" ", 1)
        response = client.request(method, concrete(path), json={})
        if needs == PUBLIC:
            assert response.status_code not in {401, 403}, route
        else:
            assert response.status_code == 401, (route, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
            assert response.json()["code"] == "auth.required"
            assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_exactly_the_routes_its_permissions_allow(
        client: TestClient, callers: dict[Role, dict[str, str]], role: Role) -> None:
    for route, needs in ROUTES.items():
        if route == "POST /api/v1/auth/signout":
            continue  # would revoke the token the loop goes on using; tested on its own
        method, path = route.split(" ", 1)
        response = client.request(method, concrete(path), json={}, headers=callers[role])
        either = needs if isinstance(needs, frozenset) else {needs}  # a route some permission of a set opens
        allowed = needs in {PUBLIC, SIGNED_IN} or bool(either & ROLE_PERMISSIONS[role])
        if allowed:
            assert response.status_code not in {401, 403}, (role, route, response.text)
        else:
            assert response.status_code == 403, (role, route, response.text)
            assert response.json()["code"] == "auth.forbidden"
