"""The national e-identity sign-in (OpenID Connect) without a live provider.

The provider's metadata and token exchange are stood in for at Authlib's client (the only
parts that would cross the network); everything of ours runs: the redirect with state and
nonce in the signed state cookie, the callback, the claims read, and the citizen's session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from authlib.integrations.starlette_client import StarletteOAuth2App
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ansinh.accounts import service
from ansinh.accounts.models import AccountKind
from ansinh.api.app import create_app
from ansinh.core.settings import get_settings
from ansinh.db.uow import UnitOfWork
from ansinh.registry.lookups import person_by_key
from tests.factories import register_person
from tests.signin import BY_ADMIN

CITIZEN_ID = "001185004321"
METADATA = {"issuer": "https://eid.example", "authorization_endpoint": "https://eid.example/authorize",
            "token_endpoint": "https://eid.example/token"}


@pytest.fixture
def client(db: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("ANSINH_OIDC_ISSUER", "https://eid.example")
    monkeypatch.setenv("ANSINH_OIDC_CLIENT_ID", "ansinh")
    monkeypatch.setenv("ANSINH_OIDC_CLIENT_SECRET", "secret")
    get_settings.cache_clear()

    async def metadata(self: StarletteOAuth2App) -> dict[str, Any]:
        return METADATA

    monkeypatch.setattr(StarletteOAuth2App, "load_server_metadata", metadata)
    register_person(UnitOfWork(db), citizen_id=CITIZEN_ID)
    with UnitOfWork(db) as uow:
        person_id = person_by_key(uow.session, CITIZEN_ID).id
    service.create_account(uow=UnitOfWork(db), username=CITIZEN_ID, kind=AccountKind.CITIZEN,
                           display_name="Phạm Thị Thu Hương", person_id=person_id, **BY_ADMIN)
    with TestClient(create_app(db)) as client:
        yield client
    get_settings.cache_clear()


def test_citizens_are_sent_to_the_provider_and_come_back_signed_in(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    sent = client.get("/signin/national-eid", params={"next": f"/officer/people/{CITIZEN_ID}"},
                      follow_redirects=False)
    assert sent.status_code == 302
    where = urlsplit(sent.headers["location"])
    query = parse_qs(where.query)
    assert f"{where.scheme}://{where.netloc}{where.path}" == METADATA["authorization_endpoint"]
    assert query["client_id"] == ["ansinh"] and query["response_type"] == ["code"]
    assert query["redirect_uri"][0].endswith("/signin/national-eid/callback")
    assert query["state"][0] and "openid" in query["scope"][0]

    async def token(self: StarletteOAuth2App, request: Any, **kwargs: Any) -> dict[str, Any]:
        return {"access_token": "at", "userinfo": {"sub": "vneid-123", "citizen_id": CITIZEN_ID}}

    monkeypatch.setattr(StarletteOAuth2App, "authorize_access_token", token)
    back = client.get("/signin/national-eid/callback", params={"code": "c", "state": query["state"][0]},
                      follow_redirects=False)
    assert back.status_code == 303, back.text
    assert back.headers["location"] == f"/officer/people/{CITIZEN_ID}"
    assert client.get(f"/api/v1/people/{CITIZEN_ID}").status_code == 200
    assert client.get("/api/v1/auth/me").json()["role"] == "citizen"


def test_the_local_stand_in_is_closed_when_a_provider_is_configured(client: TestClient) -> None:
    response = client.post("/signin/citizen", data={"citizen_id": CITIZEN_ID, "password": "whatever-it-is"})
    assert response.status_code == 409
    assert "auth.use_national_eid" in response.text


def test_an_identity_without_an_account_is_refused(client: TestClient, monkeypatch: pytest.MonkeyPatch,
                                                   db: Engine) -> None:
    register_person(UnitOfWork(db), citizen_id="001090001234", si_number="0123456780", full_name="Lê Văn Bình",
                    sex="male", birth_date=dt.date(1990, 1, 5))

    async def token(self: StarletteOAuth2App, request: Any, **kwargs: Any) -> dict[str, Any]:
        return {"access_token": "at", "userinfo": {"sub": "001090001234"}}

    monkeypatch.setattr(StarletteOAuth2App, "authorize_access_token", token)
    back = client.get("/signin/national-eid/callback", params={"code": "c", "state": "s"}, follow_redirects=False)
    assert back.status_code == 303 and back.headers["location"].startswith("/signin")
    assert client.get("/api/v1/auth/me").status_code == 401
