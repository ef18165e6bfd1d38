"""Signing in and out in a real browser, and what an officer sees of their jurisdiction."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from ansinh.accounts import service
from ansinh.accounts.models import AccountKind
from ansinh.db.uow import UnitOfWork
from ansinh.registry.lookups import person_by_key
from tests.e2e.conftest import sign_in
from tests.e2e.server import LiveServer
from tests.factories import PersonWithHistory, person_with_history
from tests.signin import BY_ADMIN, PASSWORD, staff

pytestmark = pytest.mark.e2e

CITIZEN_ID = "001185004321"


@pytest.fixture(scope="module")
def scenario(e2e_engine: Engine) -> PersonWithHistory:
    scenario = person_with_history(UnitOfWork(e2e_engine))
    with UnitOfWork(e2e_engine) as uow:
        person_id = person_by_key(uow.session, CITIZEN_ID).id
    service.create_account(uow=UnitOfWork(e2e_engine), username=CITIZEN_ID, kind=AccountKind.CITIZEN,
                           display_name="Phạm Thị Thu Hương", password=PASSWORD, person_id=person_id, **BY_ADMIN)
    staff(e2e_engine, office_code="P34-01", username="officer.hanoi")
    staff(e2e_engine, office_code="P34-79", username="officer.hcmc")
    return scenario


def test_officer_signs_in_is_named_in_the_header_and_signs_out(
        page: Page, live_server: LiveServer, scenario: PersonWithHistory, artifacts: Path) -> None:
    page.goto(live_server.url + f"/officer/people/{CITIZEN_ID}")
    expect(page).to_have_url(re.compile(r"/signin\?next=/officer/people/001185004321$"))
    page.locator("#username").fill("officer.hanoi")
    page.locator("#password").fill("not the password")
    page.locator("form.form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    page.screenshot(path=artifacts / "signin-refused-vi.png", full_page=True)

    page.locator("#password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/officer/people/001185004321$"))
    expect(page.get_by_test_id("signed-in-as")).to_have_text(re.compile(r"officer · P34-01$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Phạm Thị Thu Hương")
    page.screenshot(path=artifacts / "signed-in-officer-vi.png", full_page=True)

    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/signin$"))
    page.goto(live_server.url + f"/officer/people/{CITIZEN_ID}")
    expect(page).to_have_url(re.compile(r"/signin\?next="))


def test_an_officer_of_another_province_finds_no_one_there(
        page: Page, live_server: LiveServer, scenario: PersonWithHistory) -> None:
    sign_in(page, live_server, "officer.hcmc", path="/officer/people")
    page.get_by_label("Số định danh cá nhân, mã số BHXH hoặc họ tên").fill("Phạm Thị Thu Hương")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.locator("main")).not_to_contain_text("14/07/1985")
    response = page.goto(live_server.url + f"/officer/people/{CITIZEN_ID}")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy")


def test_a_citizen_signs_in_and_lands_on_their_own_record(
        page: Page, live_server: LiveServer, scenario: PersonWithHistory) -> None:
    page.goto(live_server.url + "/signin/citizen")
    page.locator("#citizen_id").fill(CITIZEN_ID)
    page.locator("#password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/officer/people/{CITIZEN_ID}$"))
    expect(page.get_by_test_id("signed-in-as")).to_contain_text("citizen")
    response = page.goto(live_server.url + "/officer/people")
    assert response is not None and response.status == 403
