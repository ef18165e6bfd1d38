"""A citizen types a contribution history in a real browser and reads the estimated pension."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.server import LiveServer

pytestmark = pytest.mark.e2e


def fill_the_thirty_years(page: Page) -> None:
    """A man born 1964-03-10 retiring 2025-07-01 after 1995-07..2025-06 at 10,000,000 in region 1."""
    page.locator("#birth_date").fill("1964-03-10")
    page.locator("#retirement_date").fill("2025-07-01")
    page.locator("#history-0-from").fill("1995-07")
    page.locator("#history-0-to").fill("2025-06")
    page.locator("#history-0-salary").fill("10000000")
    page.locator("#history-0-region").select_option("1")


def test_citizen_estimates_a_pension_in_vietnamese(
    page: Page, live_server: LiveServer, artifacts: Path
) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Ước tính lương hưu").click()
    expect(page).to_have_url(re.compile(r"/estimate/pension$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ước tính lương hưu")
    expect(page.locator("#retirement_date")).to_have_value(re.compile(r"^\d{4}-\d{2}-01$"))

    page.get_by_label("Nam", exact=True).check()
    fill_the_thirty_years(page)
    page.get_by_role("button", name="Ước tính lương hưu").click()

    result = page.locator("#result")
    expect(result).to_be_visible()
    expect(result).to_contain_text("Bạn đủ điều kiện hưởng lương hưu hằng tháng.")
    expect(page.locator("#rate")).to_have_text(re.compile(r"^65\s%$"))
    expect(page.locator("#monthly")).to_have_text(re.compile(r"^\d{1,3}(\.\d{3})+\s₫$"))
    expect(result.get_by_role("table")).to_contain_text("Tỷ lệ hưởng lương hưu")
    expect(page.locator("#history-0-salary")).to_have_value("10000000")
    page.screenshot(path=artifacts / "pension-estimate-vi.png", full_page=True)


def test_citizen_is_told_which_field_is_wrong_in_english(
    page: Page, live_server: LiveServer, artifacts: Path
) -> None:
    page.goto(live_server.url + "/estimate/pension?lang=en")
    page.get_by_label("Male", exact=True).check()
    fill_the_thirty_years(page)
    page.locator("#history-0-from").fill("2025-06")
    page.locator("#history-0-to").fill("1995-07")
    page.get_by_role("button", name="Estimate my pension").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Row 1, to month: This period ends before it starts.")
    expect(page.locator("#history-0-to")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#history-0-from")).to_have_value("2025-06")
    expect(page.locator("#result")).to_have_count(0)
    page.screenshot(path=artifacts / "pension-estimate-error-en.png", full_page=True)

    page.locator("#history-0-from").fill("1995-07")
    page.locator("#history-0-to").fill("2025-06")
    page.get_by_role("button", name="Estimate my pension").click()
    expect(page.locator("#rate")).to_have_text(re.compile(r"^65\s%$"))
    expect(page.locator("#monthly")).to_have_text(re.compile(r"^\d{1,3}(,\d{3})+\s₫$"))
    expect(page.locator("#result").get_by_role("table")).to_contain_text("Monthly pension")
    page.screenshot(path=artifacts / "pension-estimate-en.png", full_page=True)
