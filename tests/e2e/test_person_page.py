"""An officer finds a person in a real browser and reads their month-by-month history."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine

from ansinh.db.uow import UnitOfWork
from tests.e2e.conftest import sign_in
from tests.e2e.server import LiveServer
from tests.factories import PersonWithHistory, person_with_history
from tests.signin import staff

pytestmark = pytest.mark.e2e

NAME = "Phạm Thị Thu Hương"
EMPLOYER = "Công ty TNHH Ánh Dương"
SEARCH_LABEL = "Số định danh cá nhân, mã số BHXH hoặc họ tên"


@pytest.fixture(scope="module")
def scenario(e2e_engine: Engine) -> PersonWithHistory:
    return person_with_history(UnitOfWork(e2e_engine))


@pytest.fixture(scope="module")
def officer(e2e_engine: Engine) -> str:
    """An officer of Hà Nội's provincial office, where the scenario's person lives."""
    return staff(e2e_engine, office_code="P34-01")


@pytest.fixture
def page(browser: Browser, live_server: LiveServer, officer: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    sign_in(page, live_server, officer)
    yield page
    context.close()


def test_officer_finds_a_person_by_name_and_reads_the_history(
    page: Page, live_server: LiveServer, scenario: PersonWithHistory, artifacts: Path
) -> None:
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tra cứu người tham gia")

    page.get_by_label(SEARCH_LABEL).fill("pham thi thu huong")
    page.get_by_role("button", name="Tìm kiếm").click()
    results = page.get_by_role("table")
    expect(results).to_contain_text(NAME)
    expect(results).to_contain_text("14/07/1985")
    page.screenshot(path=artifacts / "search-results-vi.png", full_page=True)
    page.get_by_role("link", name=NAME).click()

    expect(page).to_have_url(re.compile(r"/officer/people/001185004321$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    history = page.locator("#history")
    months = history.locator("time").evaluate_all("nodes => nodes.map(n => n.dateTime)")
    assert months == list(scenario.months)
    expect(history.locator("tbody#year-2024 time")).to_have_text(["Tháng 11", "Tháng 12"])
    expect(history.locator("tbody#year-2025 th")).to_contain_text("4 tháng")
    expect(history.locator("tbody tr:not(.year__head) td:nth-child(2)")).to_have_text([EMPLOYER] * 6)
    expect(history).to_contain_text("12.500.000\u00a0₫")
    expect(history).to_contain_text("13.800.000\u00a0₫")
    header = page.locator(".site-header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(11, 83, 148)"
    page.screenshot(path=artifacts / "person-page-vi.png", full_page=True)


def test_officer_types_a_citizen_id_and_lands_on_the_person_in_english(
    page: Page, live_server: LiveServer, scenario: PersonWithHistory, artifacts: Path
) -> None:
    page.goto(live_server.url + "/officer/people")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a person")

    page.get_by_label("Citizen ID, SI number or name").fill(scenario.person.citizen_id)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/officer/people/001185004321$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Month-by-month history")).to_be_visible()
    history = page.locator("#history")
    expect(history.locator("tbody#year-2025 time")).to_have_text(
        ["January", "February", "March", "April"]
    )
    expect(history).to_contain_text(EMPLOYER)
    expect(history).to_contain_text("13,800,000\u00a0₫")
    page.screenshot(path=artifacts / "person-page-en.png", full_page=True)
