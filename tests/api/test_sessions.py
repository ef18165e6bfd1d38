"""The session cookie on the API: usable for reads, CSRF-guarded for changes, refused when forged."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ansinh.api.app import create_app
from ansinh.db.uow import UnitOfWork
from ansinh.web.session import CSRF_COOKIE
from tests.factories import register_person
from tests.signin import sign_in_pages, staff

CITIZEN_ID = "001185004321"


@pytest.fixture
def client(db: Engine) -> Iterator[TestClient]:
    register_person(UnitOfWork(db), citizen_id=CITIZEN_ID)
    with TestClient(create_app(db)) as client:
        sign_in_pages(client, staff(db))
        yield client


def test_a_session_reads_through_the_api(client: TestClient) -> None:
    assert client.get(f"/api/v1/people/{CITIZEN_ID}").status_code == 200


def test_a_change_through_the_cookie_needs_the_csrf_token(client: TestClient) -> None:
    body = {"full_name": "Phạm Thị Hương"}
    refused = client.patch(f"/api/v1/people/{CITIZEN_ID}", json=body)
    assert refused.status_code == 403 and refused.json()["code"] == "auth.csrf"
    wrong = client.patch(f"/api/v1/people/{CITIZEN_ID}", json=body, headers={"X-CSRF-Token": "csrf_guess"})
    assert wrong.status_code == 403
    token = client.cookies.get(CSRF_COOKIE)
    assert token
    reached = client.patch(f"/api/v1/people/{CITIZEN_ID}", json=body, headers={"X-CSRF-Token": token})
    # Past sign-in and CSRF, the registry itself answers: the name must match the population register.
    assert reached.status_code == 422 and reached.json()["code"] == "identity.mismatch", reached.text


def test_a_forged_or_ended_session_is_401(client: TestClient) -> None:
    token = client.cookies.get(CSRF_COOKIE) or ""
    signed_out = client.post("/signout", data={"csrf_token": token}, follow_redirects=False)
    assert signed_out.status_code == 303
    client.cookies.set("ansinh_session", "ses_forged-value")
    forged = client.get(f"/api/v1/people/{CITIZEN_ID}")
    assert forged.status_code == 401 and forged.json()["code"] == "auth.invalid_token"


def test_sign_out_without_the_csrf_token_is_refused(client: TestClient) -> None:
    response = client.post("/signout", follow_redirects=False)
    assert response.status_code == 403
    assert client.get(f"/api/v1/people/{CITIZEN_ID}").status_code == 200, "still signed in"
