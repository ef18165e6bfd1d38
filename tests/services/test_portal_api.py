"""``/api/v1/portal``: the national portal forwards dossiers with its API key, idempotently, and
is told of each step by callbacks that the outbox sends (and retries) to its endpoint."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ansinh.accounts import service as accounts
from ansinh.accounts.models import AccountKind
from ansinh.api.app import create_app
from ansinh.core import clock
from ansinh.core.settings import get_settings
from ansinh.db.uow import UnitOfWork
from ansinh.services import outbox
from ansinh.services.catalogue import default_catalogue
from ansinh.services.models import Dossier, DossierDocument, OutboxChannel, OutboxMessage, OutboxStatus
from ansinh.services.ports import PortalCallbackPort, Ports, RecordingPort
from tests.services.conftest import CITIZEN_ID, HANOI, Desk, pdf_upload, vn
from tests.signin import BY_ADMIN, bearer

PORTAL = "/api/v1/portal/dossiers"
PORTAL_ID = "G22.99-260212-000123"


def forwarded(**changes: Any) -> dict[str, Any]:
    """A name correction as the portal forwards it."""
    body = {"portal_dossier_id": PORTAL_ID, "procedure_code": "608", "citizen_id": CITIZEN_ID,
            "applicant_name": "Phạm Thị Thu Hương",
            "data": {"citizen_id": CITIZEN_ID, "field": "full_name", "new_value": "Phạm Thị Thu Hương"},
            "documents": [pdf_upload().model_dump()], "contact_phone": "0912345678"}
    body.update(changes)
    return body


@dataclass
class Portal:
    client: TestClient
    desk: Desk
    key: dict[str, str]
    at: dt.datetime

    def forward(self, body: dict[str, Any]) -> Any:
        return self.client.post(PORTAL, json=body, headers=self.key)


def _portal(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> Iterator[Portal]:
    accounts.create_account(uow=UnitOfWork(desk.engine), username="portal.dvcqg", kind=AccountKind.PORTAL,
                            display_name="Cổng Dịch vụ công quốc gia", **BY_ADMIN)
    secret = accounts.issue_api_key(uow=UnitOfWork(desk.engine), username="portal.dvcqg", label="DVCQG",
                                    now=BY_ADMIN["at"], actor=BY_ADMIN["actor"])
    state = Portal(TestClient(create_app(desk.engine)), desk, {"X-API-Key": secret}, vn(2026, 2, 12, 20))
    monkeypatch.setattr(clock, "now", lambda: state.at)
    monkeypatch.setattr(clock, "today", lambda: clock.now().date())
    with state.client:
        yield state


@pytest.fixture
def portal(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> Iterator[Portal]:
    """The portal's machine client, with its API key, and no callback URL configured."""
    monkeypatch.delenv("ANSINH_PORTAL_CALLBACK_URL", raising=False)
    get_settings.cache_clear()
    yield from _portal(desk, monkeypatch)
    get_settings.cache_clear()


def rows(desk: Desk) -> tuple[int, ...]:
    with UnitOfWork(desk.engine) as uow:
        return tuple(uow.session.scalar(select(func.count()).select_from(m)) or 0
                     for m in (Dossier, DossierDocument, OutboxMessage))


def test_forwarding_is_idempotent_on_the_portals_id(portal: Portal) -> None:
    first = portal.forward(forwarded())
    assert first.status_code == 201, first.text
    created = first.json()
    assert created["created"] is True
    dossier = created["dossier"]
    assert (dossier["channel"], dossier["portal_dossier_id"], dossier["status"]) == ("portal", PORTAL_ID, "submitted")
    assert (dossier["applicant_name"], dossier["receiving_office"]["code"]) == ("Phạm Thị Thu Hương", HANOI)
    written = rows(portal.desk)

    again = portal.forward(forwarded())
    assert again.status_code == 200, again.text
    assert again.json()["created"] is False
    assert again.json()["dossier"]["id"] == dossier["id"]
    assert rows(portal.desk) == written

    other = portal.forward(forwarded(data={**forwarded()["data"], "new_value": "Phạm Thị Hương"}))
    assert other.status_code == 409, other.text
    assert other.headers["content-type"].startswith("application/problem+json")
    assert (other.json()["code"], other.json()["field"]) == ("dossier.portal_duplicate", "portal_dossier_id")
    assert rows(portal.desk) == written


def test_the_portal_reads_back_the_status_of_its_dossiers(portal: Portal) -> None:
    dossier_id = portal.forward(forwarded()).json()["dossier"]["id"]
    status = portal.client.get(f"{PORTAL}/{PORTAL_ID}", headers=portal.key)
    assert status.status_code == 200, status.text
    assert status.json() == {
        "portal_dossier_id": PORTAL_ID, "receipt_code": None, "procedure_code": "608",
        "procedure_name_vi": default_catalogue().procedures["608"].name_vi, "status": "submitted",
        "office_code": None, "office_name": None, "received_on": None, "due_on": None, "deadline_status": None,
        "on_time": None, "decided_on": None, "delivered_on": None,
        "steps": [{"status": "submitted", "day": "2026-02-12"}]}
    portal.at = vn(2026, 2, 13, 9)
    receipt = portal.client.post(f"/api/v1/dossiers/{dossier_id}/receipt",
                                 headers=bearer(portal.desk.engine, "officer.hanoi"))
    assert receipt.status_code == 200, receipt.text
    received = portal.client.get(f"{PORTAL}/{PORTAL_ID}", headers=portal.key).json()
    assert (received["status"], received["office_code"], received["due_on"]) == ("received", HANOI, "2026-02-27")
    assert received["receipt_code"] == f"HS260213{dossier_id:07d}"
    unknown = portal.client.get(f"{PORTAL}/G22.99-000", headers=portal.key)
    assert (unknown.status_code, unknown.json()["code"], unknown.json()["field"]) \
        == (404, "dossier.not_found", "portal_dossier_id")
    assert portal.client.get(f"{PORTAL}/bad%20id", headers=portal.key).status_code == 422


def test_the_portal_may_forward_but_not_process(portal: Portal) -> None:
    dossier_id = portal.forward(forwarded()).json()["dossier"]["id"]
    refused = portal.client.post(f"/api/v1/dossiers/{dossier_id}/receipt", headers=portal.key)
    assert (refused.status_code, refused.json()["code"]) == (403, "auth.forbidden")
    hidden = portal.client.get(f"/api/v1/dossiers/{dossier_id + 1}", headers=portal.key)
    assert (hidden.status_code, hidden.json()["code"]) == (404, "dossier.not_found")
    citizen = portal.client.post(PORTAL, json=forwarded(), headers=bearer(portal.desk.engine, "huong"))
    assert (citizen.status_code, citizen.json()["code"]) == (403, "auth.forbidden")
    assert portal.client.post(PORTAL, json=forwarded()).status_code == 401
    wrong_key = portal.client.post(PORTAL, json=forwarded(), headers={"X-API-Key": "key_not-a-real-one"})
    assert (wrong_key.status_code, wrong_key.json()["code"]) == (401, "auth.invalid_token")


# ----------------------------------------------------------------------------- callbacks


@dataclass
class Receiver:
    """A local HTTP endpoint standing for the portal: records each POST, answers with ``status``."""

    url: str
    status: int = 200
    posts: list[tuple[str, dict[str, str], dict[str, Any]]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.posts.append((self.path, dict(self.headers.items()), body))
            self.send_response(state.status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *_args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/dvcqg/callbacks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def called_back(desk: Desk, receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> Iterator[Portal]:
    """The portal's client, with callbacks configured to go to ``receiver``."""
    monkeypatch.setenv("ANSINH_PORTAL_CALLBACK_URL", receiver.url)
    get_settings.cache_clear()
    yield from _portal(desk, monkeypatch)
    get_settings.cache_clear()


def portal_messages(desk: Desk) -> list[outbox.OutboxMessagePublic]:
    found = outbox.messages(uow=UnitOfWork(desk.engine), channel=OutboxChannel.PORTAL)
    return sorted(found, key=lambda m: m.id)


def test_each_step_is_called_back_to_the_portal_with_retries(called_back: Portal, receiver: Receiver) -> None:
    desk = called_back.desk
    dossier_id = called_back.forward(forwarded()).json()["dossier"]["id"]
    called_back.at = vn(2026, 2, 13, 9)
    receipt = called_back.client.post(f"/api/v1/dossiers/{dossier_id}/receipt", headers=bearer(desk.engine,
                                                                                                 "officer.hanoi"))
    assert receipt.status_code == 200, receipt.text
    receipt_code = receipt.json()["receipt_code"]

    submitted, received = portal_messages(desk)
    assert (submitted.recipient, received.recipient) == (receiver.url, receiver.url)
    assert json.loads(received.body) == {
        "portal_dossier_id": PORTAL_ID, "receipt_code": receipt_code, "status": "received",
        "status_at": "2026-02-13T09:00:00+07:00", "due_on": "2026-02-27",
        "note": "tiếp nhận và giải quyết tại P34-01: P34-01 quản lý xã nơi cư trú của người này ngày 13/02/2026"}
    assert json.loads(submitted.body)["status"] == "submitted"
    assert json.loads(submitted.body)["receipt_code"] is None

    ports = Ports(email=RecordingPort(), sms=RecordingPort(),
                  portal=PortalCallbackPort(url=receiver.url, api_key="portal-secret"))
    sent = outbox.deliver_due(uow=UnitOfWork(desk.engine), ports=ports, at=vn(2026, 2, 13, 9, 1))
    assert sent.sent == 4  # two callbacks, two SMS (the portal gave a phone, no e-mail)
    assert [body for _, _, body in receiver.posts] == [json.loads(submitted.body), json.loads(received.body)]
    path, headers, _ = receiver.posts[0]
    assert path == "/dvcqg/callbacks"
    assert headers["X-Api-Key"] == "portal-secret"
    assert headers["Content-Type"].startswith("application/json")
    assert {m.status for m in portal_messages(desk)} == {OutboxStatus.SENT}

    # Every change of status is called back, assignment and review too. The portal answers 500:
    # each callback waits a minute and is tried again.
    receiver.status = 500
    called_back.at = vn(2026, 2, 23, 9)
    officer, assignee = bearer(desk.engine, "officer.hanoi"), bearer(desk.engine, "officer.hanoi2")
    steps = [("assignment", officer, {"assignee": "officer.hanoi2"}), ("review", assignee, None),
             ("supplement-request", assignee, {"items": [{"field": "reason", "note": "ghi rõ lý do"}]})]
    for step, headers, body in steps:
        answer = called_back.client.post(f"/api/v1/dossiers/{dossier_id}/{step}", json=body, headers=headers)
        assert answer.status_code == 200, answer.text
    assert len(portal_messages(desk)) == 5
    failing = vn(2026, 2, 23, 9, 5)
    report = outbox.deliver_due(uow=UnitOfWork(desk.engine), ports=ports, at=failing)
    assert (report.sent, report.retrying, report.dead) == (1, 3, 0)  # the SMS went, the callbacks did not
    retried = portal_messages(desk)[-3:]
    assert [json.loads(m.body)["status"] for m in retried] == ["assigned", "in_review", "awaiting_supplement"]
    assert json.loads(retried[-1].body)["note"] == "reason: ghi rõ lý do"
    assert {(m.status, m.attempts) for m in retried} == {(OutboxStatus.PENDING, 1)}
    assert {m.next_attempt_at for m in retried} == {failing + outbox.backoff_after(1)}
    assert all("HTTP 500" in (m.last_error or "") for m in retried)
    receiver.status = 200
    assert outbox.deliver_due(uow=UnitOfWork(desk.engine), ports=ports, at=failing).sent == 0  # not yet due
    due = retried[0].next_attempt_at
    assert outbox.deliver_due(uow=UnitOfWork(desk.engine), ports=ports, at=due).sent == 3
    assert len(receiver.posts) == 8  # the failed attempts reached the portal too
    assert [body["status"] for _, _, body in receiver.posts[2:]] == [
        "assigned", "in_review", "awaiting_supplement"] * 2
