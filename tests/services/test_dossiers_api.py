"""``/api/v1/dossiers`` over HTTP: the whole path with bearer tokens, problem+json for refusals,
document downloads, public tracking, and the outbox list for administrators.

The clock is set by the test (``clock.now`` is what the routes read), so the deadlines
asserted here are those of the days named, whatever day the tests run on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import func, select

from ansinh.accounts.roles import Role
from ansinh.api.app import create_app
from ansinh.core import clock
from ansinh.db.uow import UnitOfWork
from ansinh.services.downloads import attachment
from ansinh.services.models import Dossier, DossierDocument, DossierEvent, OutboxMessage
from tests.services.conftest import CITIZEN_ID, HANOI, MINIMAL_PDF, SAIGON, Desk, correction, pdf_upload, vn
from tests.signin import bearer, staff

DOSSIERS = "/api/v1/dossiers"


@dataclass
class Http:
    """A client, a settable clock, and bearer tokens issued at the clock's time."""

    client: TestClient
    desk: Desk
    at: dt.datetime

    def as_(self, username: str) -> dict[str, str]:
        return bearer(self.desk.engine, username)

    def post(self, path: str, username: str, body: dict[str, Any] | None = None) -> Response:
        return self.client.post(f"{DOSSIERS}{path}", json=body, headers=self.as_(username))

    def get(self, path: str, username: str | None = None, **params: str) -> Response:
        headers = self.as_(username) if username else {}
        return self.client.get(f"{DOSSIERS}{path}", params=params, headers=headers)


@pytest.fixture
def http(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> Iterator[Http]:
    state = Http(TestClient(create_app(desk.engine)), desk, vn(2026, 2, 12, 20))
    monkeypatch.setattr(clock, "now", lambda: state.at)
    monkeypatch.setattr(clock, "today", lambda: clock.now().date())
    with state.client:
        yield state


def rows(desk: Desk) -> tuple[int, ...]:
    with UnitOfWork(desk.engine) as uow:
        return tuple(uow.session.scalar(select(func.count()).select_from(m)) or 0
                     for m in (Dossier, DossierDocument, DossierEvent, OutboxMessage))


def ok(response: Response, status: int = 200) -> Any:
    """The JSON body of a response with ``status``."""
    assert response.status_code == status, response.text
    return response.json()


def problem(response: Response, status: int, code: str, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    if field is not None:
        assert body["field"] == field
    return body


def filing(**changes: Any) -> dict[str, Any]:
    return correction(**{"office_code": SAIGON, **changes}).model_dump(mode="json")


def test_a_dossier_from_filing_to_delivery_over_http(http: Http) -> None:
    filed = ok(http.post("", "huong", filing()), 201)
    dossier_id = filed["id"]
    assert (filed["status"], filed["channel"], filed["receipt_code"]) == ("submitted", "online", None)
    assert filed["history"][0]["action"] == "submit"
    assert [d["id"] for d in ok(http.get("/mine", "huong"))] == [dossier_id]
    assert [d["id"] for d in ok(http.get("/queue", "officer.saigon"))] == [dossier_id]

    http.at = vn(2026, 2, 13, 9)
    received = ok(http.post(f"/{dossier_id}/receipt", "officer.saigon"))
    receipt = received["receipt_code"]
    assert receipt == f"HS260213{dossier_id:07d}"
    assert (received["due_on"], received["office"]["code"], received["receiving_office"]["code"]) \
        == ("2026-02-27", HANOI, SAIGON)

    http.at = vn(2026, 2, 23, 9)
    assert [d["id"] for d in ok(http.get("/queue", "officer.hanoi"))] == [dossier_id]
    assigned = ok(http.post(f"/{dossier_id}/assignment", "officer.hanoi", {"assignee": "officer.hanoi2"}))
    assert (assigned["status"], assigned["assignee"]) == ("assigned", "officer.hanoi2")
    assert ok(http.post(f"/{dossier_id}/review", "officer.hanoi2"))["status"] == "in_review"

    http.at = vn(2026, 2, 24, 10)
    asked = ok(http.post(f"/{dossier_id}/supplement-request", "officer.hanoi2",
                         {"items": [{"document_code": "change_evidence", "note": "Giấy tờ chứng minh họ tên"}]}))
    assert (asked["status"], asked["deadline_status"]) == ("awaiting_supplement", None)

    http.at = vn(2026, 2, 26, 10)
    upload = pdf_upload("change_evidence", "giấy tờ \"chứng minh\".pdf").model_dump()
    answered = ok(http.post(f"/{dossier_id}/supplement", "huong", {"documents": [upload], "note": "đã bổ sung"}))
    assert (answered["status"], answered["due_on"]) == ("in_review", "2026-03-03")
    assert answered["paused"] == [["2026-02-24", "2026-02-26"]]

    http.at = vn(2026, 2, 27, 10)
    approved = ok(http.post(f"/{dossier_id}/decision", "officer.hanoi2", {"approve": True}))
    assert (approved["status"], approved["on_time"], approved["result"]["corrected"]) == ("approved", True,
                                                                                           "full_name")
    http.at = vn(2026, 3, 2, 9)
    delivered = ok(http.post(f"/{dossier_id}/delivery", "officer.hanoi", {"note": "VssID"}))
    assert (delivered["status"], delivered["delivered_on"]) == ("delivered", "2026-03-02")

    mine = ok(http.get(f"/{dossier_id}", "huong"))
    assert [s["action"] for s in mine["history"]] == [
        "submit", "receive", "assign", "start_review", "request_supplement", "answer_supplement", "approve",
        "deliver"]
    days = [s["working_day"] for s in mine["history"]]
    assert days[:5] == [None, 0, 1, 1, 2]
    assert days[5:] == [2, 3, 4]  # the paused 25 and 26 February are not counted
    tracked = ok(http.get("/track", receipt=receipt, citizen_id=CITIZEN_ID))
    assert (tracked["status"], tracked["on_time"], len(tracked["steps"])) == ("delivered", True, 8)
    evidence = next(d for d in mine["documents"] if d["document_code"] == "change_evidence")
    download = http.client.get(f"{DOSSIERS}/{dossier_id}/documents/{evidence['id']}",
                               headers=http.as_("officer.hanoi2"))
    assert (download.status_code, download.content) == (200, MINIMAL_PDF)
    assert download.headers["content-disposition"].startswith(
        "attachment; filename=\"giay to chung minh.pdf\"; filename*=UTF-8''gi%E1%BA%A5y%20t%E1%BB%9D%20%22")


@pytest.fixture
def received(http: Http) -> tuple[int, str]:
    """A dossier filed online and received in Hồ Chí Minh City on 13 February; its id and receipt code."""
    dossier_id = ok(http.post("", "huong", filing()), 201)["id"]
    http.at = vn(2026, 2, 13, 9)
    receipt: str = ok(http.post(f"/{dossier_id}/receipt", "officer.saigon"))["receipt_code"]
    return dossier_id, receipt


def test_tracking_is_public_and_a_wrong_pair_is_an_unknown_receipt(http: Http, received: tuple[int, str]) -> None:
    _, receipt = received
    tracked = ok(http.get("/track", receipt=receipt, citizen_id=CITIZEN_ID))
    assert (tracked["receipt_code"], tracked["status"], tracked["due_on"]) == (receipt, "received", "2026-02-27")
    assert set(tracked) == {"receipt_code", "procedure_code", "procedure_name_vi", "procedure_name_en", "status",
                            "office_name", "received_on", "due_on", "deadline_status", "on_time", "steps"}
    wrong_pair = problem(http.get("/track", receipt=receipt, citizen_id="079090001234"), 404, "dossier.not_found",
                         "receipt")
    unknown = problem(http.get("/track", receipt="HS2602139999999", citizen_id=CITIZEN_ID), 404, "dossier.not_found")
    assert wrong_pair == unknown
    problem(http.get("/track", receipt=receipt), 422, "request.invalid", "citizen_id")


def test_documents_download_as_attachments(http: Http, received: tuple[int, str]) -> None:
    dossier_id, _ = received
    document = ok(http.get(f"/{dossier_id}", "huong"))["documents"][0]
    for who in ("huong", "officer.saigon", "officer.hanoi"):
        response = http.client.get(f"{DOSSIERS}/{dossier_id}/documents/{document['id']}", headers=http.as_(who))
        assert response.status_code == 200, response.text
        assert response.content == MINIMAL_PDF
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"] == \
            "attachment; filename=\"tk1-ts.pdf\"; filename*=UTF-8''tk1-ts.pdf"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "private, no-store"
    problem(http.client.get(f"{DOSSIERS}/{dossier_id}/documents/{document['id'] + 99}", headers=http.as_("huong")),
            404, "dossier.document_not_found", "document_id")
    problem(http.client.get(f"{DOSSIERS}/{dossier_id}/documents/{document['id']}"), 401, "auth.required")


def test_attachment_names_cannot_break_the_header() -> None:
    assert attachment("giấy tờ \"chứng minh\";.pdf") == (
        "attachment; filename=\"giay to chung minh.pdf\"; "
        "filename*=UTF-8''gi%E1%BA%A5y%20t%E1%BB%9D%20%22ch%E1%BB%A9ng%20minh%22%3B.pdf")
    assert attachment("a\r\nSet-Cookie: x=1.pdf") == (
        "attachment; filename=\"aSet-Cookie: x=1.pdf\"; filename*=UTF-8''aSet-Cookie%3A%20x%3D1.pdf")
    assert attachment("hồ.pdf").startswith("attachment; filename=\"ho.pdf\"")
    assert attachment("Đơn.pdf").startswith("attachment; filename=\"Don.pdf\"")
    assert attachment("\u202e").startswith("attachment; filename=\"document\"")


def test_refusals_are_problems_with_their_codes_and_write_nothing(http: Http, received: tuple[int, str]) -> None:
    dossier_id, _ = received
    before = rows(http.desk)
    problem(http.post("", "huong", filing(procedure_code="630")), 422, "procedure.not_available", "procedure_code")
    problem(http.post("", "huong", filing(documents=[])), 422, "dossier.documents_missing", "documents")
    problem(http.post("", "huong", {**filing(), "surprise": 1}), 422, "request.invalid", "surprise")
    problem(http.post("", "huong", {**filing(), "contact_phone": "12345"}), 422, "request.invalid", "contact_phone")
    problem(http.post(f"/{dossier_id}/receipt", "officer.saigon"), 409, "dossier.transition", "status")
    problem(http.post(f"/{dossier_id}/decision", "officer.hanoi", {"approve": True}), 409, "dossier.transition")
    problem(http.post(f"/{dossier_id}/assignment", "officer.saigon", {"assignee": "officer.saigon"}), 403,
            "dossier.not_your_office", "dossier_id")
    problem(http.post(f"/{dossier_id}/assignment", "officer.hanoi", {"assignee": "nobody.here"}), 422,
            "dossier.assignee", "assignee")
    problem(http.post(f"/{dossier_id}/supplement", "huong", {}), 422, "request.invalid")
    problem(http.post("/0/receipt", "officer.saigon"), 422, "request.invalid", "dossier_id")
    problem(http.post(f"/{2**31}/receipt", "officer.saigon"), 422, "request.invalid", "dossier_id")
    problem(http.post(f"/{dossier_id + 99}/receipt", "officer.saigon"), 404, "dossier.not_found", "dossier_id")
    problem(http.post("", "officer.saigon", {}), 422, "request.invalid")
    assert rows(http.desk) == before


def test_a_dossier_is_hidden_from_whoever_may_not_read_it(http: Http, received: tuple[int, str]) -> None:
    dossier_id, _ = received
    staff(http.desk.engine, role=Role.OFFICER, office_code="P34-48", username="officer.danang")
    staff(http.desk.engine, role=Role.APPROVER, office_code=HANOI, username="approver.hanoi")
    hidden = problem(http.get(f"/{dossier_id}", "officer.danang"), 404, "dossier.not_found", "dossier_id")
    assert hidden["detail"] == problem(http.get(f"/{dossier_id + 99}", "officer.danang"), 404,
                                       "dossier.not_found")["detail"].replace(str(dossier_id + 99), str(dossier_id))
    assert ok(http.get(f"/{dossier_id}", "approver.hanoi"))["id"] == dossier_id
    assert ok(http.get("/queue", "officer.danang")) == []
    problem(http.get(f"/{dossier_id}"), 401, "auth.required")
    problem(http.get("/mine", "approver.hanoi"), 403, "auth.forbidden")
    problem(http.get("/queue", "huong"), 403, "auth.forbidden")


def test_the_outbox_list_is_for_administrators(http: Http, received: tuple[int, str]) -> None:
    dossier_id, receipt = received
    admin = staff(http.desk.engine, role=Role.ADMINISTRATOR)
    listed = http.client.get("/api/v1/outbox/messages", params={"dossier_id": dossier_id},
                             headers=http.as_(admin))
    messages = ok(listed)
    assert sorted((m["key"].rsplit(":", 1)[1], m["status"]) for m in messages) == [
        ("email", "pending"), ("email", "pending"), ("sms", "pending"), ("sms", "pending")]
    assert all(m["dossier_id"] == dossier_id for m in messages)
    assert any(receipt in m["subject"] for m in messages)
    only_sms = ok(http.client.get("/api/v1/outbox/messages", params={"dossier_id": dossier_id, "channel": "sms"},
                                  headers=http.as_(admin)))
    assert [m["recipient"] for m in only_sms] == ["0912345678", "0912345678"]
    assert ok(http.client.get("/api/v1/outbox/messages", params={"status": "dead"}, headers=http.as_(admin))) == []
    problem(http.client.get("/api/v1/outbox/messages", params={"channel": "fax"}, headers=http.as_(admin)), 422,
            "request.invalid", "channel")
    problem(http.client.get("/api/v1/outbox/messages", headers=http.as_("officer.hanoi")), 403, "auth.forbidden")
