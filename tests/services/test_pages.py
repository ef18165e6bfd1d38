"""The applicant's and the public's service pages, rendered by the real app on both databases:
the catalogue, the application form generated from the procedure, one's dossiers, one
dossier with its supplement form, the downloads, and tracking."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from ansinh.api.app import create_app
from ansinh.core import clock
from ansinh.db.uow import UnitOfWork
from ansinh.services import dossiers
from ansinh.services.dossier_schemas import Assignment, Decision, SupplementItem, SupplementRequest
from ansinh.web.session import CSRF_COOKIE
from tests.factories import register_person
from tests.services.conftest import CITIZEN_ID, MINIMAL_PDF, SAIGON, Desk, principal
from tests.signin import citizen_account, sign_in_pages

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
OTHER_ID = "001090008765"
"""A man born in 1990, in Hà Nội."""


@pytest.fixture
def client(desk: Desk) -> Iterator[TestClient]:
    with TestClient(create_app(desk.engine)) as client:
        yield client


@pytest.fixture
def citizen(client: TestClient) -> TestClient:
    sign_in_pages(client, "huong")
    return client


def main_of(html: str) -> str:
    match = re.search(r"<main\b.*?</main>", html, re.S)
    assert match, "the page has no <main>"
    return match.group(0)


def form(**changes: str) -> dict[str, str]:
    """The application of procedure 608 as a browser posts it, with the session's CSRF token."""
    data = {"citizen_id": CITIZEN_ID, "data.field": "full_name", "data.new_value": "Phạm Thị Thu Hương",
            "data.reason": "", "office_code": SAIGON, "contact_email": "huong@example.vn", "contact_phone": ""}
    data.update(changes)
    return data


def apply(client: TestClient, data: dict[str, str], files: dict[str, tuple[str, bytes, str]] | None = None,
          *, csrf: bool = True) -> Response:
    token = {"csrf_token": client.cookies.get(CSRF_COOKIE) or ""} if csrf else {}
    chosen = files if files is not None else {"doc.form_tk1_ts": ("tk1-ts.pdf", MINIMAL_PDF, "application/pdf")}
    return client.post("/dossiers/new", params={"procedure": "608"}, data={**data, **token}, files=chosen,
                       follow_redirects=False)


def filed(client: TestClient) -> int:
    response = apply(client, form())
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/dossiers/(\d+)", response.headers["location"])
    assert match
    return int(match.group(1))


# ----------------------------------------------------------------------------- catalogue

def test_the_catalogue_marks_what_is_available_and_links_each_procedure(client: TestClient) -> None:
    page = main_of(client.get("/procedures").text)
    row = re.search(r'<tr data-procedure="608">.*?</tr>', page, re.S)
    assert row
    assert 'href="/procedures/608"' in row.group(0)
    assert "5 ngày làm việc" in row.group(0)
    assert 'data-availability="available"' in row.group(0)
    pension = re.search(r'<tr data-procedure="AS-PENSION">.*?</tr>', page, re.S)
    assert pension and 'data-availability="not_yet_available"' in pension.group(0)


def test_a_procedure_shows_what_is_asked_what_is_not_and_how_to_apply(client: TestClient) -> None:
    page = main_of(client.get("/procedures/608", params={"lang": "en"}).text)
    assert "Participant declaration (form TK1-TS)" in page
    assert "Documents you are not asked for" in page
    assert 'data-document="household_book"' in page
    assert "held by the national population register." in page
    assert 'href="/dossiers/new?procedure=608"' in page
    unknown = client.get("/procedures/999")
    assert unknown.status_code == 404


def test_public_pages_name_a_signed_in_visitor_and_ignore_a_stale_session(citizen: TestClient) -> None:
    assert 'data-testid="signed-in-as"' in citizen.get("/procedures").text
    citizen.cookies.clear()
    citizen.cookies.set("ansinh_session", "ses_ended-long-ago")
    stale = citizen.get("/track")
    assert stale.status_code == 200
    assert 'data-testid="signed-in-as"' not in stale.text


# ----------------------------------------------------------------------------- applying

def test_the_form_is_generated_from_the_procedures_schema(citizen: TestClient) -> None:
    response = citizen.get("/dossiers/new", params={"procedure": "608", "lang": "en"})
    assert response.status_code == 200
    page = main_of(response.text)
    subject = re.search(r'<input id="citizen_id"[^>]*>', page, re.S)
    assert subject and f'value="{CITIZEN_ID}"' in subject.group(0) and "readonly" in subject.group(0)
    select = re.search(r'<select id="data-field" name="data.field".*?</select>', page, re.S)
    assert select
    assert re.findall(r'<option value="(\w*)"', select.group(0)) == ["", "full_name", "residence"]
    assert "Birth date, sex and ID corrections are not built yet." in page
    new_value = re.search(r'<input id="data-new_value"[^>]*>', page, re.S)
    assert new_value and 'minlength="1"' in new_value.group(0) and 'maxlength="120"' in new_value.group(0)
    assert '<textarea id="data-reason" name="data.reason"' in page
    upload = re.search(r'<input id="doc-form_tk1_ts"[^>]*>', page, re.S)
    assert upload and 'type="file"' in upload.group(0) and 'accept=".pdf,.jpg,.jpeg,.png"' in upload.group(0)
    assert " required" in upload.group(0)
    optional = re.search(r'<input id="doc-change_evidence"[^>]*>', page, re.S)
    assert optional and " required" not in optional.group(0)
    assert '<option value="P34-01" selected>' in page, "the office responsible for a Hà Nội resident"
    assert '<option value="P34-79">' in page
    assert 'enctype="multipart/form-data"' in page and 'name="csrf_token"' in page


def test_a_posted_application_files_the_dossier_and_shows_it(citizen: TestClient, desk: Desk) -> None:
    dossier_id = filed(citizen)
    page = main_of(citizen.get(f"/dossiers/{dossier_id}").text)
    assert 'data-status="submitted"' in page
    assert "Đã nộp, chờ tiếp nhận" in page
    assert "tk1-ts.pdf" in page
    with UnitOfWork(desk.engine) as uow:
        from ansinh.services.views import get_dossier
        dossier = get_dossier(uow=uow, principal=desk.citizen, dossier_id=dossier_id, on=clock.today())
    assert dossier.receiving_office.code == SAIGON
    assert dossier.data == {"citizen_id": CITIZEN_ID, "field": "full_name", "new_value": "Phạm Thị Thu Hương"}
    mine = main_of(citizen.get("/dossiers/mine").text)
    assert f'href="/dossiers/{dossier_id}"' in mine


def test_a_missing_required_file_is_named_next_to_its_input(citizen: TestClient) -> None:
    response = apply(citizen, form(), files={})
    assert response.status_code == 422
    page = main_of(response.text)
    assert "Đính kèm mọi giấy tờ được đánh dấu bắt buộc." in page
    assert '<p id="doc-form_tk1_ts-error" class="field-error">Giấy tờ này là bắt buộc.</p>' in page
    assert 'value="Phạm Thị Thu Hương"' in page, "what was typed is kept"
    assert '<option value="P34-79" selected>' in page


def test_a_png_sent_as_a_pdf_is_refused_as_a_type_mismatch(citizen: TestClient) -> None:
    response = apply(citizen, form(), files={"doc.form_tk1_ts": ("tk1-ts.pdf", PNG, "application/pdf")})
    assert response.status_code == 422
    page = main_of(response.text)
    error = re.search(r'<p id="doc-form_tk1_ts-error" class="field-error">(.*?)</p>', page, re.S)
    assert error and "Tên, loại và nội dung tệp không khớp" in error.group(1)


def test_a_data_field_the_schema_refuses_is_named(citizen: TestClient) -> None:
    response = apply(citizen, form(**{"data.new_value": ""}))
    assert response.status_code == 422
    assert '<p id="data-new_value-error" class="field-error">' in main_of(response.text)


def test_an_application_without_the_csrf_token_is_refused(citizen: TestClient, desk: Desk) -> None:
    response = apply(citizen, form(), csrf=False)
    assert response.status_code == 403
    assert 'href="/dossiers/' not in main_of(citizen.get("/dossiers/mine").text)


def test_an_anonymous_visitor_is_sent_to_sign_in(client: TestClient) -> None:
    response = client.get("/dossiers/new", params={"procedure": "608"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin?next=/dossiers/new")


# ----------------------------------------------------------------------------- one dossier

def test_another_citizen_cannot_open_the_dossier_or_its_files(citizen: TestClient, desk: Desk) -> None:
    dossier_id = filed(citizen)
    register_person(UnitOfWork(desk.engine), citizen_id=OTHER_ID, full_name="Nguyễn Văn Bình", si_number=None,
                    sex="male", birth_date=dt.date(1990, 5, 2))
    citizen_account(desk.engine, OTHER_ID, "binh")
    document_id = re.search(r'/documents/(\d+)"', citizen.get(f"/dossiers/{dossier_id}").text)
    assert document_id
    citizen.cookies.clear()
    sign_in_pages(citizen, "binh")
    assert citizen.get(f"/dossiers/{dossier_id}").status_code == 404
    assert citizen.get(f"/dossiers/{dossier_id}/documents/{document_id.group(1)}").status_code == 404


def test_a_document_downloads_as_an_attachment(citizen: TestClient) -> None:
    dossier_id = filed(citizen)
    link = re.search(r'href="(/dossiers/\d+/documents/\d+)"', citizen.get(f"/dossiers/{dossier_id}").text)
    assert link
    response = citizen.get(link.group(1))
    assert response.status_code == 200
    assert response.content == MINIMAL_PDF
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith('attachment; filename="tk1-ts.pdf"')
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_applicant_answers_a_supplement_request_from_the_dossier_page(citizen: TestClient, desk: Desk) -> None:
    dossier_id = filed(citizen)
    officer = principal(desk.engine, "officer.hanoi")
    for step in (lambda at: dossiers.receive(uow=desk.uow, principal=desk.saigon, dossier_id=dossier_id, at=at),
                 lambda at: dossiers.assign(uow=desk.uow, principal=officer, dossier_id=dossier_id,
                                            data=Assignment(assignee="officer.hanoi"), at=at),
                 lambda at: dossiers.start_review(uow=desk.uow, principal=officer, dossier_id=dossier_id, at=at),
                 lambda at: dossiers.request_supplement(uow=desk.uow, principal=officer, dossier_id=dossier_id, at=at,
                                                        data=SupplementRequest(items=[SupplementItem(
                                                            document_code="change_evidence", field="new_value",
                                                            note="The new name needs the court's decision.")]))):
        step(clock.now())
    page = main_of(citizen.get(f"/dossiers/{dossier_id}", params={"lang": "en"}).text)
    assert "The new name needs the court&#39;s decision." in page
    assert '<input id="doc-change_evidence"' in page and '<input id="data-new_value"' in page
    assert "Clock stopped since" in page
    token = citizen.cookies.get(CSRF_COOKIE) or ""
    empty = citizen.post(f"/dossiers/{dossier_id}/supplement", data={"csrf_token": token, "data.new_value": ""},
                         files={"doc.change_evidence": ("", b"", "application/octet-stream")})
    assert empty.status_code == 422
    assert "Hand in at least one document or one corrected field." in main_of(empty.text)
    answered = citizen.post(f"/dossiers/{dossier_id}/supplement", follow_redirects=False,
                            data={"csrf_token": token, "data.new_value": "Phạm Thị Thu Hường", "note": "Attached."},
                            files={"doc.change_evidence": ("quyet-dinh.pdf", MINIMAL_PDF, "application/pdf")})
    assert answered.status_code == 303, answered.text
    page = main_of(citizen.get(answered.headers["location"], params={"lang": "en"}).text)
    assert 'data-status="in_review"' in page
    assert "quyet-dinh.pdf" in page and "handed in as a supplement" in page
    assert re.search(r"Clock stopped from .+ to .+, waiting for a supplement\.", page)
    dossiers.decide(uow=desk.uow, principal=officer, dossier_id=dossier_id, at=clock.now(),
                    data=Decision(approve=False, reasons="The court decision is not certified."))
    refused = main_of(citizen.get(f"/dossiers/{dossier_id}", params={"lang": "en"}).text)
    assert "The dossier was refused" in refused and "The court decision is not certified." in refused


# ----------------------------------------------------------------------------- tracking

def test_tracking_with_the_right_pair_shows_where_the_dossier_is_and_nothing_of_it(
        citizen: TestClient, desk: Desk) -> None:
    dossier_id = filed(citizen)
    handled = dossiers.receive(uow=desk.uow, principal=desk.saigon, dossier_id=dossier_id, at=clock.now())
    assert handled.receipt_code
    anonymous = TestClient(citizen.app)
    response = anonymous.post("/track", data={"receipt": handled.receipt_code.lower(), "citizen_id": CITIZEN_ID})
    assert response.status_code == 200
    page = main_of(response.text)
    assert 'data-status="received"' in page
    assert re.search(r'data-testid="due-date">\d{2}/\d{2}/\d{4}<', page)
    assert "Hà Nội" in page, "the office handling it: the one responsible for the person"
    assert "Phạm Thị Thu Hương" not in page and "tk1-ts.pdf" not in page


def test_tracking_with_a_wrong_pair_answers_as_an_unknown_receipt(citizen: TestClient, desk: Desk) -> None:
    dossier_id = filed(citizen)
    handled = dossiers.receive(uow=desk.uow, principal=desk.saigon, dossier_id=dossier_id, at=clock.now())
    assert handled.receipt_code
    anonymous = TestClient(citizen.app)
    wrong = anonymous.post("/track", data={"receipt": handled.receipt_code, "citizen_id": OTHER_ID})
    unknown = anonymous.post("/track", data={"receipt": "HS9901010000001", "citizen_id": CITIZEN_ID})
    assert wrong.status_code == unknown.status_code == 404
    message = re.search(r'<div class="notice notice--error" role="alert" id="not-found">.*?</div>', wrong.text, re.S)
    assert message and message.group(0) in unknown.text
    assert "data-status" not in main_of(wrong.text)
