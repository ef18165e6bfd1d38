"""Payments in a real browser: an accountant uploads a statement, one credit is matched by its
reference and allocated, one is matched by hand; the employer sees the month paid, the worker
sees it credited."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine

from ansinh.accounts import service
from ansinh.accounts.models import AccountKind
from ansinh.accounts.roles import Role
from ansinh.collection.payment_orders import issue_orders, orders_of
from ansinh.db.uow import UnitOfWork
from tests.collection.payment_world import ACCOUNTANT, AT, MARCH, ON, World, build_world, statement
from tests.e2e.conftest import sign_in
from tests.e2e.server import LiveServer
from tests.signin import BY_ADMIN, PASSWORD, citizen_account, staff

pytestmark = pytest.mark.e2e

WORKER = "001185004300"
"""Nguyễn Văn An, who works at Ánh Dương."""


@pytest.fixture(scope="module")
def world(e2e_engine: Engine) -> World:
    """March 2026 assessed for two employers and its orders issued; an accountant, an employer, a citizen."""
    world = build_world(e2e_engine, months=(MARCH,))
    issue_orders(uow=UnitOfWork(e2e_engine), month=MARCH, on=ON, actor=ACCOUNTANT, at=AT)
    staff(e2e_engine, role=Role.ACCOUNTANT, office_code="P34-01", username="accountant.hanoi")
    service.create_account(uow=UnitOfWork(e2e_engine), username="employer.anh", kind=AccountKind.EMPLOYER,
                           display_name="Công ty TNHH Ánh Dương", password=PASSWORD, employer_id=world.ids["anh"],
                           **BY_ADMIN)
    citizen_account(e2e_engine, WORKER)
    return world


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[[], Page]]:
    contexts = []

    def open_page() -> Page:
        contexts.append(browser.new_context(viewport={"width": 1280, "height": 1000}, locale="vi-VN"))
        return contexts[-1].new_page()

    yield open_page
    for context in contexts:
        context.close()


def test_a_statement_is_reconciled_and_the_month_is_credited(new_page: Callable[[], Page], live_server: LiveServer,
                                                            world: World, e2e_engine: Engine, tmp_path: Path,
                                                            artifacts: Path) -> None:
    anh = orders_of(uow=UnitOfWork(e2e_engine), employer_id=world.ids["anh"])[0]
    binh = orders_of(uow=UnitOfWork(e2e_engine), employer_id=world.ids["binh"])[0]
    file = tmp_path / "vcb-2026-04-30.csv"
    file.write_bytes(statement(
        ("FT26120001", "2026-04-28", anh.total, "CONG TY TNHH ANH DUONG", "0451000111",
         f"CONG TY ANH DUONG NOP BHXH {anh.reference[:9]} {anh.reference[9:]}"),
        ("FT26120002", "2026-04-29", binh.total, "CONG TY BINH MINH", "0451000222", "NOP TIEN BAO HIEM T3"),
        date="2026-04-30"))

    accountant = new_page()
    sign_in(accountant, live_server, "accountant.hanoi", path="/accountant/statements")
    expect(accountant.get_by_role("heading", level=1)).to_have_text("Sao kê ngân hàng")
    accountant.get_by_label("Tệp sao kê (CSV)").set_input_files(file)
    accountant.get_by_role("button", name="Tải lên và đối chiếu").click()
    outcome = accountant.locator("#outcome")
    expect(outcome).to_contain_text("Số dòng: 2, mới: 2")
    expect(outcome).to_contain_text("Xác định theo mã tham chiếu: 1")
    expect(outcome).to_contain_text("chờ kế toán xử lý: 1")
    expect(outcome).to_contain_text("5.760.000")
    accountant.screenshot(path=artifacts / "payments-statement-vi.png", full_page=True)

    outcome.get_by_role("link", name="Xác định các giao dịch còn lại").click()
    row = accountant.locator("tr[data-txn=FT26120002]")
    expect(row).to_contain_text("NOP TIEN BAO HIEM T3")
    row.get_by_label("Mã đơn vị").fill(world.units["binh"])
    row.get_by_label("Ghi chú").fill("Kế toán đơn vị xác nhận qua điện thoại")
    row.get_by_role("button", name="Gán", exact=True).click()
    expect(accountant.get_by_text("Mọi giao dịch đã được xác định.")).to_be_visible()
    accountant.goto(live_server.url + "/accountant/funds?start=2026-01-01&end=2026-12-31")
    expect(accountant.locator("#balanced")).to_contain_text("Sổ cân đối")

    employer = new_page()
    sign_in(employer, live_server, "employer.anh", path="/employer/dues")
    march = employer.locator("tr[data-month='2026-03']")
    expect(march.locator(".status")).to_have_text("Đã đóng đủ")
    expect(employer.get_by_test_id("reference")).to_have_text(anh.reference)
    employer.screenshot(path=artifacts / "payments-employer-dues-vi.png", full_page=True)

    citizen = new_page()
    sign_in(citizen, live_server, WORKER)
    citizen.get_by_role("link", name="Quá trình đóng của tôi").click()
    month = citizen.locator("tr[data-month='2026-03']")
    expect(month).to_have_attribute("data-status", "credited")
    expect(month.locator(".status")).to_contain_text("Đã ghi nhận")
    expect(month.locator(".status")).to_contain_text("28/04/2026")
    expect(citizen.locator("#totals")).to_contain_text("Số tháng đã ghi nhận: 1")
    citizen.screenshot(path=artifacts / "payments-si-book-vi.png", full_page=True)
