"""An employer declares in a real browser: a CSV with a good and a bad line, the result, the rejection report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from ansinh.accounts import service
from ansinh.accounts.models import AccountKind
from ansinh.core import clock
from ansinh.core.periods import format_month
from ansinh.db.uow import UnitOfWork
from ansinh.registry.lookups import employer_by_key
from tests.e2e.conftest import sign_in
from tests.e2e.server import LiveServer
from tests.factories import register_employer, register_person
from tests.signin import BY_ADMIN, PASSWORD

pytestmark = pytest.mark.e2e

CITIZEN_ID = "001185004321"
UNKNOWN_ID = "001185009999"


@pytest.fixture(scope="module")
def employer_account(e2e_engine: Engine) -> str:
    """An employer's account as the demo makes one: named after its unit code, in lower case."""
    uow = UnitOfWork(e2e_engine)
    register_person(uow, citizen_id=CITIZEN_ID)
    unit = register_employer(uow).unit_code
    with UnitOfWork(e2e_engine) as read:
        employer_id = employer_by_key(read.session, unit).id
    service.create_account(uow=UnitOfWork(e2e_engine), username=unit.lower(), kind=AccountKind.EMPLOYER,
                           display_name=unit, password=PASSWORD, employer_id=employer_id, **BY_ADMIN)
    return unit.lower()


def test_an_employer_uploads_a_csv_and_downloads_the_rejected_line(
        page: Page, live_server: LiveServer, employer_account: str, tmp_path: Path, artifacts: Path) -> None:
    month = format_month(clock.today())
    upload = tmp_path / "bien-dong.csv"
    upload.write_text(f"Loại,Số định danh / Mã số BHXH,Họ tên,Từ tháng,Mức lương\n"
                      f"tăng,{CITIZEN_ID},Phạm Thị Thu Hương,{month},10.000.000\n"
                      f"tăng,{UNKNOWN_ID},Nguyễn Văn Bảy,{month},10.000.000\n", encoding="utf-8")

    sign_in(page, live_server, employer_account, path="/employer/declarations")
    expect(page).to_have_url(re.compile(r"/employer/declarations$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kê khai biến động")
    expect(page.get_by_role("navigation", name="Danh mục chính").get_by_role("link", name="Kê khai biến động")) \
        .to_have_attribute("aria-current", "page")
    page.get_by_label("Tệp", exact=True).set_input_files(upload)
    page.get_by_role("button", name="Nộp tệp và kê khai").click()

    expect(page).to_have_url(re.compile(r"/employer/declarations/\d+$"))
    expect(page.get_by_test_id("lines-accepted")).to_have_text("1")
    expect(page.get_by_test_id("lines-rejected")).to_have_text("1")
    rejected = page.locator('tr[data-accepted="no"]')
    expect(rejected).to_have_count(1)
    expect(rejected).to_contain_text(UNKNOWN_ID)
    expect(rejected).to_contain_text("person.not_found")
    expect(page.locator('tr[data-accepted="yes"]')).to_contain_text(CITIZEN_ID)
    page.screenshot(path=artifacts / "declaration-result-vi.png", full_page=True)

    with page.expect_download() as download_info:
        page.get_by_test_id("rejection-report").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-rejections.csv")
    report = Path(download.path()).read_text(encoding="utf-8-sig")
    assert report.splitlines()[0] == "line_no,kind,person_key,error_code,error_field,error_message"
    assert f"2,join,{UNKNOWN_ID},person.not_found,person_key," in report

    page.get_by_role("link", name="Kê khai biến động").first.click()
    expect(page.locator("table.declarations tbody tr")).to_have_count(1)
