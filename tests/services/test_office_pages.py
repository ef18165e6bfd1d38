"""The officers' dossier pages, the messages page and the on-time report page, on both databases.

The clock is held at Monday 2 March 2026, 10:00 in Vietnam, the first working week after
Tết; the dossiers are filed through the verbs before it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping

import pytest
from fastapi.testclient import TestClient

from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import Role
from ansinh.api.app import create_app
from ansinh.core import clock
from ansinh.services import dossiers, views
from ansinh.services.dossier_schemas import Assignment, Decision, DossierSubmit
from ansinh.services.models import DossierStatus
from ansinh.web.session import CSRF_COOKIE
from tests.factories import register_person
from tests.services.conftest import HANOI, SAIGON, Desk, correction, pdf_upload, vn
from tests.signin import sign_in_pages, staff

NOW = vn(2026, 3, 2, 10)
S = DossierStatus
SAIGON_CITIZEN = "079090012345"
REASONS = "Thông tin đề nghị điều chỉnh không khớp với Cơ sở dữ liệu quốc gia về dân cư."


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def sign_in(desk: Desk) -> Iterator[Callable[[str], TestClient]]:
    """Clients of the app signed in as the given usernames, closed after the test."""
    opened: list[TestClient] = []

    def client(username: str) -> TestClient:
        opened.append(TestClient(create_app(desk.engine)).__enter__())
        sign_in_pages(opened[-1], username)
        return opened[-1]

    yield client
    for each in opened:
        each.__exit__(None, None, None)


def counter(desk: Desk, at: dt.datetime, principal: Principal | None = None,
            data: DossierSubmit | None = None) -> int:
    return dossiers.submit(uow=desk.uow, principal=principal or desk.hanoi,
                           data=data or correction(applicant_name="Phạm Thị Hương"), at=at).id


def online(desk: Desk, at: dt.datetime, office_code: str | None = None) -> int:
    return dossiers.submit(uow=desk.uow, principal=desk.citizen, data=correction(office_code=office_code), at=at).id


def review(desk: Desk, dossier_id: int, at: dt.datetime, principal: Principal | None = None) -> None:
    officer = principal or desk.hanoi
    dossiers.assign(uow=desk.uow, principal=officer, dossier_id=dossier_id,
                    data=Assignment(assignee=officer.username), at=at)
    dossiers.start_review(uow=desk.uow, principal=officer, dossier_id=dossier_id, at=at)


def status_of(desk: Desk, dossier_id: int) -> DossierStatus:
    return views.get_dossier(uow=desk.uow, principal=desk.hanoi, dossier_id=dossier_id, on=NOW.date()).status


def post(client: TestClient, path: str, data: Mapping[str, str | list[str]] | None = None,
         *, csrf: bool = True) -> tuple[int, str, str]:
    """POST a page form (with the session's CSRF token unless told not to): status, Location, body."""
    fields = {**(data or {}), **({"csrf_token": client.cookies.get(CSRF_COOKIE) or ""} if csrf else {})}
    response = client.post(path, data=fields, follow_redirects=False)
    return response.status_code, response.headers.get("location", ""), response.text


def forms_of(html: str) -> set[str]:
    return set(re.findall(r'<form [^>]*id="(\w+)-form"', html))


def saigon_resident(desk: Desk) -> DossierSubmit:
    register_person(desk.uow, citizen_id=SAIGON_CITIZEN, full_name="Trần Văn Nam", birth_date=dt.date(1990, 3, 1),
                    sex="male", si_number="7912345678", commune="26743")
    return DossierSubmit.model_validate({
        "procedure_code": "608", "citizen_id": SAIGON_CITIZEN, "applicant_name": "Trần Văn Nam",
        "data": {"citizen_id": SAIGON_CITIZEN, "field": "full_name", "new_value": "Trần Văn Nam"},
        "documents": [pdf_upload().model_dump()]})


# ----------------------------------------------------------------------------- the queue

def test_queue_lists_overdue_first_highlighted_and_what_waits_for_receipt(
        desk: Desk, sign_in: Callable[[str], TestClient]) -> None:
    on_time = counter(desk, vn(2026, 2, 27))  # due 6 March
    overdue = counter(desk, vn(2026, 2, 12))  # due 26 February
    due_soon = counter(desk, vn(2026, 2, 24))  # due 3 March
    waiting = online(desk, vn(2026, 3, 1, 20))
    elsewhere = counter(desk, vn(2026, 2, 27, 11), principal=desk.saigon)  # received at P34-79, held by P34-01
    page = sign_in("officer.hanoi").get("/officer/dossiers", params={"lang": "en"})

    assert page.status_code == 200
    held = re.search(r'<table class="data queue" id="held">.*?</table>', page.text, re.S)
    awaiting = re.search(r'<table class="data queue" id="awaiting">.*?</table>', page.text, re.S)
    assert held and awaiting
    assert [int(i) for i in re.findall(r'<tr data-dossier="(\d+)"', held.group(0))] == [
        overdue, due_soon, on_time, elsewhere]
    row = re.search(rf'<tr data-dossier="{overdue}" class="queue__row--overdue">.*?</tr>', held.group(0), re.S)
    assert row and ">Overdue</span>" in row.group(0)
    assert f'<tr data-dossier="{due_soon}" class="queue__row--due_soon">' in held.group(0)
    assert "received at P34-79" in held.group(0).split(f'data-dossier="{elsewhere}"')[1]
    assert re.findall(r'<tr data-dossier="(\d+)"', awaiting.group(0)) == [str(waiting)]
    assert f'action="/officer/dossiers/{waiting}/receive"' in awaiting.group(0)
    assert ">Receive</button>" in awaiting.group(0)


def test_queue_filters_by_status(desk: Desk, sign_in: Callable[[str], TestClient]) -> None:
    received = counter(desk, vn(2026, 2, 27))
    in_review = counter(desk, vn(2026, 2, 27, 11))
    review(desk, in_review, vn(2026, 2, 27, 14))
    page = sign_in("officer.hanoi").get("/officer/dossiers", params={"status": "in_review"}).text

    assert '<form class="office-filter" method="get" action="/officer/dossiers">' in page
    assert '<option value="in_review" selected>' in page
    assert re.findall(r'<tr data-dossier="(\d+)"', page) == [str(in_review)]
    assert f'data-dossier="{received}"' not in page
    assert 'id="awaiting"' not in page


# ----------------------------------------------------------------------------- a dossier and its steps

def test_dossier_page_shows_only_the_steps_this_officer_may_take(
        desk: Desk, sign_in: Callable[[str], TestClient]) -> None:
    dossier_id = counter(desk, vn(2026, 2, 13))
    hanoi, second = sign_in("officer.hanoi"), sign_in("officer.hanoi2")
    path = f"/officer/dossiers/{dossier_id}"

    first = hanoi.get(path, params={"lang": "en"})
    assert first.status_code == 200
    assert forms_of(first.text) == {"assign"}
    assert re.findall(r'<option value="([\w.]+)"', first.text.split('id="assign-form"')[1].split("</form>")[0]) == [
        "officer.hanoi", "officer.hanoi2"]
    assert "Deadline" in first.text and "Feb 27, 2026" in first.text  # due across Tết
    assert re.search(r'<a href="/dossiers/\d+/documents/\d+">tk1-ts.pdf</a>', first.text)

    review(desk, dossier_id, vn(2026, 2, 23))
    assert forms_of(hanoi.get(path).text) == {"assign", "approve", "refuse", "supplement"}
    assert forms_of(second.get(path).text) == {"assign"}


def test_each_form_moves_the_dossier_and_redirects_back(desk: Desk, sign_in: Callable[[str], TestClient]) -> None:
    dossier_id = online(desk, vn(2026, 3, 1, 20), office_code=SAIGON)
    saigon, hanoi = sign_in("officer.saigon"), sign_in("officer.hanoi")
    path = f"/officer/dossiers/{dossier_id}"

    assert post(saigon, f"{path}/receive")[:2] == (303, path)
    page = saigon.get(path).text
    assert re.search(r'data-testid="receipt-code">HS260302\d{7}<', page)
    assert 'data-testid="holding-office">P34-01<' in page
    assert post(hanoi, f"{path}/assign", {"assignee": "officer.hanoi"})[:2] == (303, path)
    assert status_of(desk, dossier_id) == S.ASSIGNED
    assert post(hanoi, f"{path}/review")[:2] == (303, path)
    assert status_of(desk, dossier_id) == S.IN_REVIEW
    rows = {"document_code": ["change_evidence", "", ""], "field": ["", "new_value", ""],
            "note": ["Bản sao giấy khai sinh", "Tên phải như trên CCCD", ""]}
    assert post(hanoi, f"{path}/supplement", rows)[0] == 303
    public = views.get_dossier(uow=desk.uow, principal=desk.hanoi, dossier_id=dossier_id, on=NOW.date())
    assert public.status == S.AWAITING_SUPPLEMENT
    assert [(i.document_code, i.field) for i in public.supplement_request or []] == [
        ("change_evidence", None), (None, "new_value")]


def test_decide_and_deliver_through_the_forms(desk: Desk, sign_in: Callable[[str], TestClient]) -> None:
    approved, refused = counter(desk, vn(2026, 2, 24)), counter(desk, vn(2026, 2, 24, 11))
    for dossier_id in (approved, refused):
        review(desk, dossier_id, vn(2026, 2, 25))
    hanoi = sign_in("officer.hanoi")

    assert post(hanoi, f"/officer/dossiers/{approved}/decision", {"decision": "approve"})[0] == 303
    assert post(hanoi, f"/officer/dossiers/{refused}/decision", {"decision": "refuse", "reasons": REASONS})[0] == 303
    assert (status_of(desk, approved), status_of(desk, refused)) == (S.APPROVED, S.REFUSED)
    assert forms_of(hanoi.get(f"/officer/dossiers/{approved}").text) == {"deliver"}
    assert post(hanoi, f"/officer/dossiers/{approved}/delivery", {"note": "Trả tại bộ phận một cửa"})[0] == 303
    assert status_of(desk, approved) == S.DELIVERED
    assert forms_of(hanoi.get(f"/officer/dossiers/{approved}").text) == set()


def test_a_refused_step_shows_the_dossier_again_with_the_reason(
        desk: Desk, sign_in: Callable[[str], TestClient]) -> None:
    dossier_id = counter(desk, vn(2026, 2, 24))
    review(desk, dossier_id, vn(2026, 2, 25))
    status, location, body = post(sign_in("officer.hanoi"), f"/officer/dossiers/{dossier_id}/decision?lang=en",
                                  {"decision": "refuse", "reasons": "no"})
    assert (status, location) == (422, "")
    assert 'data-testid="action-error"' in body and "a refusal states its reasons" in body
    assert 'id="refuse-form"' in body
    assert status_of(desk, dossier_id) == S.IN_REVIEW

    status, _, body = post(sign_in("officer.hanoi2"), f"/officer/dossiers/{dossier_id}/review")
    assert status == 409  # already in review
    assert status_of(desk, dossier_id) == S.IN_REVIEW


def test_a_form_without_the_csrf_token_is_refused(desk: Desk, sign_in: Callable[[str], TestClient]) -> None:
    dossier_id = counter(desk, vn(2026, 2, 24))
    status, _, _ = post(sign_in("officer.hanoi"), f"/officer/dossiers/{dossier_id}/assign",
                        {"assignee": "officer.hanoi"}, csrf=False)
    assert status == 403
    assert status_of(desk, dossier_id) == S.RECEIVED


def test_an_officer_of_another_office_does_not_see_the_dossier(
        desk: Desk, sign_in: Callable[[str], TestClient]) -> None:
    dossier_id = counter(desk, vn(2026, 2, 24))
    saigon = sign_in("officer.saigon")
    assert saigon.get(f"/officer/dossiers/{dossier_id}").status_code == 404
    assert post(saigon, f"/officer/dossiers/{dossier_id}/assign", {"assignee": "officer.saigon"})[0] == 404
    assert saigon.get("/officer/dossiers/not-a-number").status_code == 404
    assert saigon.get("/officer/messages", params={"dossier": str(dossier_id)}).status_code == 404
    assert status_of(desk, dossier_id) == S.RECEIVED


def test_pages_need_their_permission(desk: Desk, sign_in: Callable[[str], TestClient]) -> None:
    manager = sign_in(staff(desk.engine, role=Role.MANAGER, office_code=HANOI, username="manager.hanoi"))
    assert manager.get("/officer/dossiers").status_code == 403
    assert sign_in("officer.hanoi").get("/manager/on-time").status_code == 403
    with TestClient(create_app(desk.engine)) as anonymous:
        response = anonymous.get("/officer/dossiers", follow_redirects=False)
    assert response.headers["location"].startswith("/signin")


# ----------------------------------------------------------------------------- messages

def test_messages_page_lists_what_a_dossier_sent(desk: Desk, sign_in: Callable[[str], TestClient]) -> None:
    dossier_id = online(desk, vn(2026, 2, 26, 9))
    dossiers.receive(uow=desk.uow, principal=desk.hanoi, dossier_id=dossier_id, at=vn(2026, 2, 26, 10))
    hanoi = sign_in("officer.hanoi")

    page = hanoi.get("/officer/messages", params={"dossier": str(dossier_id), "lang": "en"}).text
    table = re.search(r'<table class="data messages" id="messages">.*?</table>', page, re.S)
    assert table
    rows = re.findall(r'<tr data-channel="(\w+)" data-status="(\w+)">', table.group(0))
    assert sorted(rows) == [("email", "pending"), ("email", "pending"), ("sms", "pending"), ("sms", "pending")]
    assert "huong@example.vn" in table.group(0) and "0912345678" in table.group(0)
    assert "Hẹn trả kết quả: 05/03/2026" in table.group(0)  # the receipt's message, due across the week
    assert table.group(0).index("đã tiếp nhận") < table.group(0).index("đã nộp, chờ tiếp nhận")  # newest first
    assert 'data-channel' not in hanoi.get("/officer/messages").text  # no dossier named: none listed


# ----------------------------------------------------------------------------- the on-time report

def test_report_page_draws_one_bar_per_office_with_its_percent(
        desk: Desk, sign_in: Callable[[str], TestClient]) -> None:
    to_saigon = saigon_resident(desk)
    on_time, late = counter(desk, vn(2026, 2, 13, 9)), counter(desk, vn(2026, 2, 13, 10))
    saigon = counter(desk, vn(2026, 2, 13, 9), principal=desk.saigon, data=to_saigon)
    for dossier_id in (on_time, late):
        review(desk, dossier_id, vn(2026, 2, 23))
    review(desk, saigon, vn(2026, 2, 23), principal=desk.saigon)
    decide = Decision(approve=False, reasons=REASONS)
    dossiers.decide(uow=desk.uow, principal=desk.hanoi, dossier_id=on_time, data=decide, at=vn(2026, 2, 27))
    dossiers.decide(uow=desk.uow, principal=desk.hanoi, dossier_id=late, data=decide, at=vn(2026, 3, 2, 8))
    dossiers.decide(uow=desk.uow, principal=desk.saigon, dossier_id=saigon, data=decide, at=vn(2026, 2, 24))
    manager = sign_in(staff(desk.engine, role=Role.MANAGER, username="manager.central"))  # sees every office

    page = manager.get("/manager/on-time", params={"start": "2026-02-01", "end": "2026-03-31", "lang": "en"})
    assert page.status_code == 200
    svg = re.search(r"<svg class=\"rate-chart\".*?</svg>", page.text, re.S)
    assert svg
    bars = re.findall(r'<g class="rate-chart__bar" data-office="([\w-]+)">\s*<title>([^<]*)</title>', svg.group(0))
    assert [code for code, _ in bars] == [HANOI, SAIGON]
    assert bars[0][1].startswith("P34-01") and bars[0][1].endswith(": 50% on time (1 of 2)")
    assert re.findall(r'<text class="rate-chart__value"[^>]*>([^<]*)</text>', svg.group(0)) == ["50%", "100%"]
    assert re.findall(r'<rect x="90" y="\d+" width="([\d.]+)"', svg.group(0)) == ["210.0", "420.0"]
    total = re.search(r'data-testid="grand-total">(.*?)</tr>', page.text, re.S)
    assert total
    assert re.findall(r'<td class="num"[^>]*>([^<]*)</td>', total.group(1)) == ["3", "2", "1", "66.7%", "4.3", "0"]

    vietnamese = manager.get("/manager/on-time", params={"start": "2026-02-01", "end": "2026-03-31", "lang": "vi"})
    assert "66,7%" in vietnamese.text

    hanoi = sign_in(staff(desk.engine, role=Role.MANAGER, office_code=HANOI, username="manager.hanoi"))
    own = hanoi.get("/manager/on-time", params={"start": "2026-02-01", "end": "2026-03-31", "lang": "en"})
    assert set(re.findall(r'data-office="([\w-]+)"', own.text)) == {HANOI}  # a province reads its own figures


def test_report_page_defaults_to_this_month_and_refuses_a_backwards_period(
        desk: Desk, sign_in: Callable[[str], TestClient]) -> None:
    manager = sign_in(staff(desk.engine, role=Role.MANAGER, office_code=HANOI, username="manager.hanoi"))
    page = manager.get("/manager/on-time").text
    assert 'name="start" value="2026-03-01"' in page and 'name="end" value="2026-03-02"' in page
    assert "<svg" not in page

    refused = manager.get("/manager/on-time", params={"start": "2026-03-02", "end": "2026-03-01", "lang": "en"})
    assert refused.status_code == 422
    assert "a report&#39;s period ends on or after its start" in refused.text
    assert manager.get("/manager/on-time", params={"start": "2 March"}).status_code == 422
