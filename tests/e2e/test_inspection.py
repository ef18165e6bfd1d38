"""An inspection in a real browser: the inspector opens a case from the risk list, records a worker the
employer never declared, closes the case and sees the extra dues the declaration brought."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from ansinh.accounts.roles import Role
from ansinh.db.uow import UnitOfWork
from tests.collection.arrears_helpers import assess, employer_with_workers
from tests.e2e.conftest import sign_in
from tests.e2e.server import LiveServer
from tests.factories import register_person
from tests.signin import staff

pytestmark = pytest.mark.e2e

HIDDEN = "001185007777"
HIDDEN_NAME = "Đỗ Thị Ẩn"


@pytest.fixture(scope="module")
def unit(e2e_engine: Engine) -> str:
    """An employer that has paid nothing since August 2025, a worker it never declared, an inspector."""
    uow = UnitOfWork(e2e_engine)
    unit, _ = employer_with_workers(uow, name="Công ty Nợ Đọng", salaries=(10_000_000, 9_000_000),
                                    start_month="2025-08")
    assess(uow, dt.date(2025, 8, 1), dt.date(2025, 9, 1), dt.date(2025, 10, 1))
    register_person(uow, citizen_id=HIDDEN, si_number="0123477777", full_name=HIDDEN_NAME)
    staff(e2e_engine, role=Role.INSPECTOR, office_code="P34-01", username="inspector.hanoi")
    return unit


def test_the_inspector_opens_a_case_records_an_undeclared_worker_closes_it_and_sees_the_extra_dues(
        page: Page, live_server: LiveServer, unit: str, artifacts: Path) -> None:
    sign_in(page, live_server, "inspector.hanoi", path="/inspector/risk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Danh sách đơn vị có rủi ro vi phạm")
    row = page.locator(f'#risk tr[data-unit="{unit}"]')
    expect(row).to_contain_text("Công ty Nợ Đọng")
    expect(row).to_contain_text("ngày sau hạn đóng")
    page.screenshot(path=artifacts / "inspector-risk-vi.png", full_page=True)
    row.get_by_role("button", name="Mở hồ sơ").click()

    expect(page).to_have_url(re.compile(r"/inspector/cases/\d+$"))
    expect(page.locator("#case-status")).to_have_text("Đang thanh tra")
    page.locator("#kind").select_option("undeclared_worker")
    page.locator("#person_key").fill(HIDDEN)
    page.locator("#from_month").fill("2025-08")
    page.locator("#salary").fill("9.000.000")
    page.locator("#note").fill("Có tên trên bảng lương từ tháng 8/2025")
    page.locator("#finding-form button[type=submit]").click()
    expect(page.locator("#findings")).to_contain_text(HIDDEN_NAME)

    page.locator("#conclusion").fill("Đơn vị không kê khai 1 lao động từ tháng 8/2025.")
    page.locator("#close-form button[type=submit]").click()
    expect(page.locator("#case-status")).to_have_text("Đã kết thúc")
    expect(page.locator("#extra-dues tbody tr")).to_have_count(3)
    expect(page.locator("#extra-total")).to_have_text(re.compile(r"^[1-9][0-9.]*\s₫$"))
    page.screenshot(path=artifacts / "inspector-case-closed-vi.png", full_page=True)

    page.goto(live_server.url + "/inspector/risk")
    expect(page.locator(f'#risk tr[data-unit="{unit}"]')).to_contain_text("Mở hồ sơ")
