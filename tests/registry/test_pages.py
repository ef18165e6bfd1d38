"""The officer's person search and person page, rendered by the real app on both databases."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ansinh.api.app import create_app
from ansinh.core.actor import SYSTEM
from ansinh.db.uow import UnitOfWork
from ansinh.registry.deaths import receive_death_notice
from ansinh.registry.schemas import DeathNoticeIn
from tests.factories import (
    AS_OF,
    LOADED_AT,
    PersonWithHistory,
    add_participation,
    person_with_history,
    register_employer,
    register_person,
)
from tests.signin import sign_in_pages, staff

NBSP = "\u00a0"
PAGE = "/officer/people/{}"


@pytest.fixture
def client(db: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as client:
        sign_in_pages(client, staff(db))
        yield client


@pytest.fixture
def scenario(uow: UnitOfWork) -> PersonWithHistory:
    return person_with_history(uow)


def main_of(html: str) -> str:
    """The page's main region, so that assertions do not match the header or footer."""
    match = re.search(r"<main\b.*?</main>", html, re.S)
    assert match, "the page has no <main>"
    return match.group(0)


def history_months(html: str) -> list[str]:
    """The months listed in the history table, in page order."""
    table = re.search(r'<table class="data history".*?</table>', html, re.S)
    assert table, "the page has no history table"
    return re.findall(r'<time datetime="(\d{4}-\d{2})">', table.group(0))


def test_home_goes_to_the_person_search(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/officer/people"


def test_search_form_is_in_vietnamese_by_default(client: TestClient) -> None:
    response = client.get("/officer/people")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="vi">' in response.text
    page = main_of(response.text)
    assert "Tra cứu người tham gia" in page
    assert '<label for="q">Số định danh cá nhân, mã số BHXH hoặc họ tên</label>' in page
    assert ">Tìm kiếm</button>" in page
    assert "Kết quả" not in page


def test_search_by_name_without_diacritics_lists_the_person(
    client: TestClient, scenario: PersonWithHistory
) -> None:
    response = client.get("/officer/people", params={"q": "pham thi thu huong"})
    assert response.status_code == 200
    page = main_of(response.text)
    assert "Tìm thấy 1 người" in page
    href = f'href="{PAGE.format("001185004321")}"'
    assert f"<a {href}>Phạm Thị Thu Hương</a>" in page
    assert f"<a {href}>001185004321</a>" in page
    assert "0123456789" in page
    assert "14/07/1985" in page
    assert "Thành phố Hà Nội" in page


def test_search_by_name_with_several_matches_lists_them_all(
    client: TestClient, scenario: PersonWithHistory, uow: UnitOfWork
) -> None:
    register_person(
        uow, citizen_id="079090001122", full_name="Phạm Văn Đức", birth_date=dt.date(1990, 1, 5),
        sex="male", si_number=None,
    )
    page = main_of(client.get("/officer/people", params={"q": "Phạm"}).text)
    assert "Tìm thấy 2 người" in page
    assert "Phạm Văn Đức" in page and "Phạm Thị Thu Hương" in page
    assert "—" in page  # the person without an SI number


@pytest.mark.parametrize("query", ["001185004321", "0123456789", " 001185004321 "])
def test_search_by_an_id_goes_straight_to_the_person(
    client: TestClient, scenario: PersonWithHistory, query: str
) -> None:
    response = client.get("/officer/people", params={"q": query}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == PAGE.format("001185004321")


def test_search_without_a_match_says_so(client: TestClient, scenario: PersonWithHistory) -> None:
    page = main_of(client.get("/officer/people", params={"q": "Trần Quốc Tuấn"}).text)
    assert "Không tìm thấy người nào khớp với “Trần Quốc Tuấn”." in page
    assert "<table" not in page


def test_search_escapes_what_was_typed(client: TestClient) -> None:
    page = client.get("/officer/people", params={"q": '<script>alert("x")</script>'}).text
    assert "<script>" not in page
    assert "&lt;script&gt;" in page


def test_person_page_shows_identity_employer_periods_and_history(
    client: TestClient, scenario: PersonWithHistory
) -> None:
    response = client.get(PAGE.format("001185004321"))
    assert response.status_code == 200
    page = main_of(response.text)
    assert "<title>Phạm Thị Thu Hương · ansinh</title>" in response.text
    assert "<h1>Phạm Thị Thu Hương</h1>" in page
    assert "<dt>Giới tính</dt><dd>Nữ</dd>" in page
    assert "<dt>Ngày sinh</dt><dd>14/07/1985</dd>" in page
    assert "<dt>Nơi cư trú</dt><dd>Phường Hoàn Kiếm, Thành phố Hà Nội</dd>" in page
    assert "<dt>Ngày đăng ký</dt><dd>15/12/2025</dd>" in page
    assert "Đơn vị sử dụng lao động" in page
    assert f'<td class="code">{scenario.employer.unit_code}</td>' in page
    assert "<th scope=\"row\">Công ty TNHH Ánh Dương</th>" in page
    assert "11/2024 – 02/2025" in page and "03/2025 – 04/2025" in page
    assert f"12.500.000{NBSP}₫" in page and f"13.800.000{NBSP}₫" in page
    assert "Quá trình tham gia theo tháng" in page
    assert "Tổng cộng 6 tháng tham gia" in page
    assert "Cần kiểm tra" not in page  # no warning without duplicates or death


def test_history_is_grouped_by_year_with_each_month(
    client: TestClient, scenario: PersonWithHistory
) -> None:
    page = main_of(client.get(PAGE.format("0123456789")).text)
    assert history_months(page) == list(scenario.months)
    year_2024 = re.search(r'<tbody class="year" id="year-2024">.*?</tbody>', page, re.S)
    year_2025 = re.search(r'<tbody class="year" id="year-2025">.*?</tbody>', page, re.S)
    assert year_2024 and year_2025
    assert "2024 <span class=\"year__count\">· 2 tháng</span>" in year_2024.group(0)
    assert "2025 <span class=\"year__count\">· 4 tháng</span>" in year_2025.group(0)
    assert '<time datetime="2024-11">Tháng 11</time>' in year_2024.group(0)
    assert '<time datetime="2025-04">Tháng 4</time>' in year_2025.group(0)
    assert year_2025.group(0).count(f"13.800.000{NBSP}₫") == 2
    assert year_2025.group(0).count("Công ty TNHH Ánh Dương") == 4


def test_person_page_in_english(client: TestClient, scenario: PersonWithHistory) -> None:
    response = client.get(PAGE.format("001185004321"), params={"lang": "en"})
    page = main_of(response.text)
    assert '<html lang="en">' in response.text
    assert "<h1>Phạm Thị Thu Hương</h1>" in page
    assert "<dt>Sex</dt><dd>Female</dd>" in page
    assert "<dt>Date of birth</dt><dd>Jul 14, 1985</dd>" in page
    assert f"12,500,000{NBSP}₫" in page
    assert '<time datetime="2024-11">November</time>' in page
    assert "Nov 2024 – Feb 2025" in page
    assert "6 months of participation in total" in page


def test_open_period_runs_to_the_month_the_page_is_read_on(
    client: TestClient, uow: UnitOfWork
) -> None:
    person = register_person(uow)
    employer = register_employer(uow)
    add_participation(
        uow, person.citizen_id, employer_unit_code=employer.unit_code, start_month="2025-10",
        end_month=None, monthly_salary=9_000_000,
    )
    page = main_of(client.get(PAGE.format(person.citizen_id), params={"as_of": "2025-12-15"}).text)
    assert history_months(page) == ["2025-10", "2025-11", "2025-12"]
    assert "10/2025 – nay" in page
    assert "tính đến ngày 15/12/2025" in page


def test_household_and_voluntary_scheme_are_named(client: TestClient, uow: UnitOfWork) -> None:
    person = register_person(uow, household_code="HN0012345", household_role="head")
    add_participation(
        uow, person.citizen_id, scheme="voluntary", hi_group_code="GD", start_month="2025-01",
        end_month="2025-03", monthly_salary=1_500_000,
    )
    page = main_of(client.get(PAGE.format(person.citizen_id)).text)
    assert "HN0012345</span> (Chủ hộ)" in page
    assert "<td>Tự nguyện</td>" in page
    assert "Chưa có đơn vị nào khai báo người này." in page


def test_possible_duplicate_is_flagged_on_the_page(client: TestClient, uow: UnitOfWork) -> None:
    first = register_person(uow, citizen_id="001085012345", full_name="Nguyễn Văn An",
                            birth_date=dt.date(1985, 3, 2), sex="male", si_number=None)
    register_person(uow, citizen_id="001085099999", full_name="Nguyễn Văn An",
                    birth_date=dt.date(1985, 3, 2), sex="male", si_number=None)
    page = main_of(client.get(PAGE.format(first.citizen_id)).text)
    assert "<dt>Mã số BHXH</dt><dd><em>chưa cấp</em></dd>" in page
    warning = re.search(r'<section class="notice notice--warning".*?</section>', page, re.S)
    assert warning, "no warning box"
    assert "Hồ sơ này có thể trùng với:" in warning.group(0)
    assert f'<a href="{PAGE.format("001085099999")}">Nguyễn Văn An</a>' in warning.group(0)
    assert "số định danh cá nhân 001085099999, sinh ngày 02/03/1985" in warning.group(0)


def test_death_is_shown_in_a_warning(
    client: TestClient, scenario: PersonWithHistory, uow: UnitOfWork
) -> None:
    notice = DeathNoticeIn(citizen_id="001185004321", death_date=dt.date(2025, 6, 30))
    receive_death_notice(uow=uow, data=notice, as_of=AS_OF, actor=SYSTEM, at=LOADED_AT)
    page = main_of(client.get(PAGE.format("001185004321")).text)
    assert "Đã được ghi nhận từ trần ngày 30/06/2025." in page
    assert "<dt>Ngày mất</dt><dd>30/06/2025</dd>" in page


def test_unknown_person_is_a_404_page_in_the_users_language(client: TestClient) -> None:
    response = client.get(PAGE.format("001099000001"))
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    page = main_of(response.text)
    assert "Không tìm thấy" in page
    assert "Không có người nào đăng ký với số định danh cá nhân hoặc mã số BHXH 001099000001." in page

    english = client.get(PAGE.format("001099000001"), params={"lang": "en"})
    assert english.status_code == 404
    assert "No person is registered under the citizen ID or SI number 001099000001." in english.text


@pytest.mark.parametrize("key", ["abc", "12345", "0011850043210"])
def test_malformed_key_is_a_422_page_naming_the_rule(client: TestClient, key: str) -> None:
    response = client.get(PAGE.format(key))
    assert response.status_code == 422
    page = main_of(response.text)
    assert "Dữ liệu không hợp lệ" in page
    assert f"“{key}” không được chấp nhận." in page
    assert "Tra cứu một người theo số định danh cá nhân 12 chữ số hoặc mã số BHXH 10 chữ số." in page
    assert "<code>person.key</code>" in page

    english = main_of(client.get(PAGE.format(key), params={"lang": "en"}).text)
    assert "A person is looked up by a 12-digit citizen ID or a 10-digit SI number." in english


def test_unknown_address_is_an_html_page_but_the_api_answers_a_problem(client: TestClient) -> None:
    page = client.get("/officer/nowhere")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Trang hoặc hồ sơ bạn yêu cầu không tồn tại." in page.text
    api = client.get("/api/v1/nowhere")
    assert api.status_code == 404
    assert api.headers["content-type"].startswith("application/problem+json")
    assert api.json()["code"] == "http.404"


def test_pages_are_not_in_the_api_schema(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert paths, "the API lists its paths"
    assert not [path for path in paths if not path.startswith("/api/")]


def test_stylesheet_is_served_locally(client: TestClient) -> None:
    page = client.get("/officer/people").text
    assert '<link rel="stylesheet" href="/static/ansinh.css">' in page
    assert "http://" not in page and "https://" not in page
    css = client.get("/static/ansinh.css")
    assert css.status_code == 200
    assert "text/css" in css.headers["content-type"]
