"""The officers' side of an online dossier, in a real browser: received in Hồ Chí Minh City,
routed to Hà Nội, assigned, reviewed and approved there, then counted on the manager's report."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine

from ansinh.accounts import service as accounts
from ansinh.accounts.roles import Role
from ansinh.core import clock
from ansinh.db.uow import UnitOfWork
from ansinh.services import dossiers
from tests.e2e.conftest import sign_in
from tests.e2e.server import LiveServer
from tests.factories import register_person
from tests.services.conftest import correction
from tests.signin import PASSWORD, citizen_account, staff

pytestmark = pytest.mark.e2e

CITIZEN_ID = "001185004321"
NAME = "Phạm Thị Thu Hương"


@pytest.fixture(scope="module")
def dossier_id(e2e_engine: Engine) -> int:
    """A Hà Nội resident's dossier filed online at Hồ Chí Minh City's office, and the staff who handle it."""
    register_person(UnitOfWork(e2e_engine), citizen_id=CITIZEN_ID, full_name=NAME)
    citizen_account(e2e_engine, CITIZEN_ID)
    staff(e2e_engine, office_code="P34-79", username="officer.saigon")
    staff(e2e_engine, office_code="P34-01", username="officer.hanoi")
    staff(e2e_engine, role=Role.MANAGER, office_code="P34-01", username="manager.hanoi")
    citizen = accounts.sign_in(uow=UnitOfWork(e2e_engine), username=CITIZEN_ID, password=PASSWORD,
                               now=clock.now()).principal
    return dossiers.submit(uow=UnitOfWork(e2e_engine), principal=citizen, data=correction(office_code="P34-79"),
                           at=clock.now()).id


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[[], Page]]:
    """Pages of browser contexts of their own (one per signed-in user), closed after the test."""
    contexts = []

    def open_page() -> Page:
        contexts.append(browser.new_context(viewport={"width": 1280, "height": 1000}, locale="vi-VN"))
        return contexts[-1].new_page()

    yield open_page
    for context in contexts:
        context.close()


def test_a_dossier_is_received_elsewhere_decided_at_home_and_reported_on_time(
        new_page: Callable[[], Page], live_server: LiveServer, dossier_id: int, artifacts: Path) -> None:
    saigon = new_page()
    sign_in(saigon, live_server, "officer.saigon", path="/officer/dossiers")
    expect(saigon.get_by_role("heading", level=1)).to_contain_text("Hồ sơ của cơ quan")
    waiting = saigon.locator(f'#awaiting tr[data-dossier="{dossier_id}"]')
    expect(waiting).to_contain_text(NAME)
    saigon.screenshot(path=artifacts / "office-queue-awaiting-vi.png", full_page=True)
    waiting.get_by_role("button", name="Tiếp nhận").click()

    expect(saigon).to_have_url(re.compile(rf"/officer/dossiers/{dossier_id}$"))
    expect(saigon.get_by_test_id("receipt-code")).to_have_text(re.compile(r"^HS\d{13}$"))
    receipt = saigon.get_by_test_id("receipt-code").inner_text()
    expect(saigon.get_by_test_id("holding-office")).to_have_text("P34-01")
    expect(saigon.get_by_test_id("dossier-status")).to_have_attribute("data-status", "received")
    expect(saigon.locator("#history")).to_contain_text("P34-79")
    saigon.screenshot(path=artifacts / "office-dossier-received-vi.png", full_page=True)

    hanoi = new_page()
    sign_in(hanoi, live_server, "officer.hanoi", path="/officer/dossiers")
    row = hanoi.locator(f'#held tr[data-dossier="{dossier_id}"]')
    expect(row).to_contain_text(receipt)
    expect(row).to_contain_text("tiếp nhận tại P34-79")
    row.get_by_role("link", name=receipt).click()

    expect(hanoi.locator("#assignee")).to_have_value("officer.hanoi")
    hanoi.get_by_role("button", name="Phân công", exact=True).click()
    expect(hanoi.get_by_test_id("dossier-status")).to_have_attribute("data-status", "assigned")
    hanoi.get_by_role("button", name="Bắt đầu xử lý").click()
    expect(hanoi.get_by_test_id("dossier-status")).to_have_attribute("data-status", "in_review")
    expect(hanoi.locator("#supplement-form")).to_be_visible()
    hanoi.get_by_role("button", name="Phê duyệt").click()
    expect(hanoi.get_by_test_id("dossier-status")).to_have_attribute("data-status", "approved")
    expect(hanoi.locator("#deliver-form")).to_be_visible()
    expect(hanoi.locator("#approve-form")).to_have_count(0)
    hanoi.screenshot(path=artifacts / "office-dossier-approved-vi.png", full_page=True)

    hanoi.get_by_role("link", name="Tin nhắn đã gửi người nộp").click()
    expect(hanoi.locator("#messages")).to_contain_text("huong@example.vn")
    expect(hanoi.locator("#messages")).to_contain_text("đã giải quyết")

    manager = new_page()
    sign_in(manager, live_server, "manager.hanoi", path="/manager/on-time")
    total = manager.get_by_test_id("grand-total").locator("td")
    expect(total.nth(0)).to_have_text("1")
    expect(total.nth(1)).to_have_text("1")
    expect(total.nth(3)).to_have_text("100%")
    chart = manager.locator("svg.rate-chart")
    expect(chart).to_be_visible()
    expect(chart.locator("g.rate-chart__bar")).to_have_count(1)
    expect(chart.locator('g.rate-chart__bar[data-office="P34-01"] text.rate-chart__value')).to_have_text("100%")
    manager.screenshot(path=artifacts / "office-on-time-report-vi.png", full_page=True)
