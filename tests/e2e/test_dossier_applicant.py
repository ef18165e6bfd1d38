"""A citizen applies online in a real browser, follows the dossier, and tracks it by its receipt code."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from ansinh.accounts import service as accounts
from ansinh.core import clock
from ansinh.db.uow import UnitOfWork
from ansinh.services import dossiers
from ansinh.services.dossier_schemas import Assignment, Decision, Delivery, SupplementItem, SupplementRequest
from tests.e2e.server import LiveServer
from tests.factories import register_person
from tests.services.conftest import MINIMAL_PDF
from tests.signin import PASSWORD, citizen_account, staff

pytestmark = pytest.mark.e2e

CITIZEN_ID = "001185004321"
NAME = "Phạm Thị Thu Hương"


@pytest.fixture(scope="module")
def citizen(e2e_engine: Engine) -> str:
    """A Hà Nội resident with a citizen account, and an officer of Hồ Chí Minh City's office."""
    register_person(UnitOfWork(e2e_engine), citizen_id=CITIZEN_ID, full_name=NAME)
    citizen_account(e2e_engine, CITIZEN_ID)
    staff(e2e_engine, office_code="P34-79", username="officer.hcmc")
    staff(e2e_engine, office_code="P34-01", username="officer.hanoi")
    return CITIZEN_ID


def test_a_citizen_applies_at_another_province_and_follows_the_dossier(
        page: Page, live_server: LiveServer, citizen: str, e2e_engine: Engine, tmp_path: Path,
        artifacts: Path) -> None:
    form_file = tmp_path / "to-khai-tk1-ts.pdf"
    form_file.write_bytes(MINIMAL_PDF)

    page.goto(live_server.url + "/signin/citizen?next=/procedures")
    page.locator("#citizen_id").fill(citizen)
    page.locator("#password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/procedures$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dịch vụ công")
    page.locator('tr[data-procedure="608"] a').click()

    expect(page).to_have_url(re.compile(r"/procedures/608$"))
    expect(page.locator('[data-document="household_book"]')).to_be_visible()
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()

    expect(page).to_have_url(re.compile(r"/dossiers/new\?procedure=608$"))
    expect(page.get_by_label("Số định danh cá nhân")).to_have_value(citizen)
    page.get_by_label("Thông tin cần điều chỉnh").select_option("full_name")
    page.get_by_label("Thông tin mới").fill("Phạm Thị Thu Hường")
    page.locator("#doc-form_tk1_ts").set_input_files(form_file)
    expect(page.get_by_label("Cơ quan", exact=True)).to_have_value("P34-01")
    page.get_by_label("Cơ quan", exact=True).select_option("P34-79")
    page.get_by_label("Thư điện tử").fill("huong@example.vn")
    page.screenshot(path=artifacts / "dossier-apply-vi.png", full_page=True)
    page.get_by_role("button", name="Nộp hồ sơ").click()

    expect(page).to_have_url(re.compile(r"/dossiers/\d+$"))
    expect(page.locator(".dossier-status [data-status]")).to_have_attribute("data-status", "submitted")
    expect(page.locator(".dossier-status")).to_contain_text("Đã nộp, chờ tiếp nhận")
    expect(page.locator('[data-document="form_tk1_ts"] a')).to_have_text("to-khai-tk1-ts.pdf")
    dossier_id = int(page.url.rsplit("/", 1)[1])

    officer = accounts.sign_in(uow=UnitOfWork(e2e_engine), username="officer.hcmc", password=PASSWORD,
                               now=clock.now()).principal
    handled = dossiers.receive(uow=UnitOfWork(e2e_engine), principal=officer, dossier_id=dossier_id, at=clock.now())
    assert handled.receipt_code
    page.reload()
    expect(page.get_by_test_id("receipt-code")).to_have_text(handled.receipt_code)
    expect(page.get_by_test_id("due-date")).to_have_text(re.compile(r"^\d{2}/\d{2}/\d{4}$"))
    expect(page.locator(".dossier-status [data-status]")).to_have_attribute("data-status", "received")
    expect(page.locator("#timeline li")).to_have_count(2)
    page.screenshot(path=artifacts / "dossier-received-vi.png", full_page=True)
    due = page.get_by_test_id("due-date").inner_text()
    day, month, year = (int(part) for part in due.split("/"))
    assert dt.date(year, month, day) > clock.today()

    page.goto(live_server.url + "/track")
    page.get_by_label("Mã hồ sơ").fill(handled.receipt_code)
    page.get_by_label("Số định danh cá nhân").fill(citizen)
    page.get_by_role("button", name="Tra cứu").click()
    found = page.locator("#found")
    expect(found.locator(".dossier-status [data-status]")).to_have_attribute("data-status", "received")
    expect(found).to_contain_text("Đã tiếp nhận")
    expect(found.get_by_test_id("due-date")).to_have_text(due)
    expect(found).not_to_contain_text(NAME)
    page.screenshot(path=artifacts / "dossier-track-vi.png", full_page=True)
    _answers_a_supplement_and_sees_the_result(page, live_server, e2e_engine, dossier_id, tmp_path, artifacts)


def _answers_a_supplement_and_sees_the_result(page: Page, live_server: LiveServer, e2e_engine: Engine,
                                              dossier_id: int, tmp_path: Path, artifacts: Path) -> None:
    # Hà Nội, responsible for her records, asks for the evidence of the new name.
    hanoi = accounts.sign_in(uow=UnitOfWork(e2e_engine), username="officer.hanoi", password=PASSWORD,
                             now=clock.now()).principal
    uow = UnitOfWork(e2e_engine)
    dossiers.assign(uow=uow, principal=hanoi, dossier_id=dossier_id, data=Assignment(assignee="officer.hanoi"),
                    at=clock.now())
    dossiers.start_review(uow=uow, principal=hanoi, dossier_id=dossier_id, at=clock.now())
    asked = SupplementItem(document_code="change_evidence", note="Quyết định thay đổi họ tên")
    dossiers.request_supplement(uow=uow, principal=hanoi, dossier_id=dossier_id,
                                data=SupplementRequest(items=[asked]), at=clock.now())
    page.goto(f"{live_server.url}/dossiers/{dossier_id}")
    expect(page.locator("#supplement")).to_contain_text("Quyết định thay đổi họ tên")
    evidence = tmp_path / "quyet-dinh.pdf"
    evidence.write_bytes(MINIMAL_PDF)
    page.locator("#supplement-form #doc-change_evidence").set_input_files(evidence)
    page.locator("#supplement-form button[type=submit]").click()
    expect(page.locator(".dossier-status [data-status]")).to_have_attribute("data-status", "in_review")
    expect(page.locator('[data-document="change_evidence"] a')).to_have_text("quyet-dinh.pdf")

    # Approved and delivered: she sees the result and every step against the deadline.
    dossiers.decide(uow=uow, principal=hanoi, dossier_id=dossier_id, data=Decision(approve=True), at=clock.now())
    dossiers.deliver(uow=uow, principal=hanoi, dossier_id=dossier_id, data=Delivery(note="VssID"), at=clock.now())
    page.reload()
    expect(page.locator(".dossier-status [data-status]")).to_have_attribute("data-status", "delivered")
    expect(page.locator("#result-title")).to_be_visible()
    expect(page.locator("#timeline li")).to_have_count(8)
    expect(page.locator("#timeline")).not_to_contain_text("officer.hanoi")  # staff accounts are not named
    page.screenshot(path=artifacts / "dossier-delivered-vi.png", full_page=True)
