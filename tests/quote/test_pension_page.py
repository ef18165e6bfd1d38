"""The citizen's pension estimate page: the form, the quoted result, and refused input."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
import sqlalchemy
from fastapi.testclient import TestClient

from ansinh.api.app import create_app
from ansinh.core import clock
from ansinh.quote.pages import MAX_BODY_BYTES, MAX_ROWS, first_of_next_month
from ansinh.quote.schemas import QuoteCase
from ansinh.quote.service import quote
from ansinh.web import i18n

PAGE = "/estimate/pension"
NBSP = "\u00a0"
VALID = {
    "sex": "male", "birth_date": "1964-03-10", "retirement_date": "2025-07-01",
    "history-0-from": "1995-07", "history-0-to": "2025-06", "history-0-salary": "10000000",
    "history-0-region": "1",
}
"""A man born 1964-03-10 retiring 2025-07-01 after 30 years at 10,000,000 đồng: rate 65 %."""


@pytest.fixture
def client() -> Iterator[TestClient]:
    """The page needs no database: any engine will do."""
    engine = sqlalchemy.create_engine("sqlite://")
    with TestClient(create_app(engine)) as client:
        yield client
    engine.dispose()


def form(**changes: str) -> dict[str, str]:
    """The valid form with some fields changed, and the other rows left empty as a browser sends them."""
    data = {f"history-{i}-{name}": "" for i in range(8) for name in ("from", "to", "salary", "region")}
    data.update(VALID)
    data.update({name.replace("_", "-") if name.startswith("history") else name: value
                 for name, value in changes.items()})
    return data


def main_of(html: str) -> str:
    match = re.search(r"<main\b.*?</main>", html, re.S)
    assert match, "the page has no <main>"
    return match.group(0)


def expected_monthly() -> int:
    case = QuoteCase.model_validate({
        "regime": "pension", "as_of": "2025-07-01",
        "person": {"sex": "male", "birth_date": "1964-03-10"},
        "history": [{"from": "1995-07", "to": "2025-06", "salary": 10_000_000, "region": 1}],
    })
    return int(quote(case).amounts["monthly"])


def test_the_form_renders_in_vietnamese(client: TestClient) -> None:
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.text
    assert '<html lang="vi">' in html
    assert "<h1>Ước tính lương hưu</h1>" in html
    assert 'aria-current="page">Ước tính lương hưu</a>' in html  # the header link
    assert "Ngày nghỉ hưu" in html and "Quá trình đóng BHXH" in html
    assert len(re.findall(r'name="history-\d+-salary"', html)) == 8
    default = first_of_next_month(clock.today()).isoformat()
    assert f'id="retirement_date" name="retirement_date" type="date" value="{default}"' in html
    assert 'id="result"' not in html


def test_the_form_renders_in_english(client: TestClient) -> None:
    html = client.get(PAGE, params={"lang": "en"}).text
    assert '<html lang="en">' in html
    assert "<h1>Pension estimate</h1>" in html
    assert "Retirement date" in html and "Monthly salary (đồng)" in html
    assert 'action="/estimate/pension?lang=en"' in html


def test_the_next_month_starts_the_default_retirement() -> None:
    assert first_of_next_month(dt.date(2025, 6, 15)) == dt.date(2025, 7, 1)
    assert first_of_next_month(dt.date(2025, 12, 31)) == dt.date(2026, 1, 1)


def test_the_header_links_to_the_estimate_from_other_pages(client: TestClient) -> None:
    html = client.get("/officer/people", params={"lang": "en"}).text
    assert '<a href="/estimate/pension">Pension estimate</a>' in html


def test_a_valid_history_shows_the_pension_and_its_explanation_in_vietnamese(client: TestClient) -> None:
    response = client.post(PAGE, data=form())
    assert response.status_code == 200
    main = main_of(response.text)
    monthly = i18n.format_money(expected_monthly(), "vi")
    assert monthly.startswith("15.355.167")
    assert f'<dd id="monthly">{monthly}</dd>' in main
    assert '<dd id="rate">65&nbsp;%</dd>' in main
    assert f"23.623.333{NBSP}₫" in main
    assert "61 năm 3 tháng" in main and "30 năm 0 tháng" in main
    assert "Bạn đủ điều kiện hưởng lương hưu hằng tháng." in main
    assert "<th scope=\"row\">Tỷ lệ hưởng lương hưu</th>" in main
    assert "Law on Social Insurance 41/2024/QH15, art. 66(1)" in main
    # the form is shown again with what was typed
    assert 'name="history-0-salary" type="text" inputmode="numeric" class="num" value="10000000"' in main
    assert '<option value="1" selected>1</option>' in main


def test_a_valid_history_in_english_uses_the_english_labels(client: TestClient) -> None:
    response = client.post(PAGE, params={"lang": "en"}, data=form(history_0_salary="10,000,000"))
    assert response.status_code == 200
    main = main_of(response.text)
    assert f'<dd id="monthly">15,355,167{NBSP}₫</dd>' in main
    assert "<th scope=\"row\">Pension rate</th>" in main
    assert "<th scope=\"row\">Monthly pension</th>" in main
    assert "61 years 3 months" in main
    assert "Tỷ lệ hưởng" not in main


def test_too_few_years_shows_the_reason_not_an_amount(client: TestClient) -> None:
    response = client.post(PAGE, params={"lang": "en"}, data=form(history_0_from="2020-07"))
    assert response.status_code == 200
    main = main_of(response.text)
    assert "On this date you would not yet be entitled to a pension." in main
    assert "at least 15 whole years are needed" in main
    assert 'id="monthly"' not in main


def test_empty_rows_are_ignored_and_several_periods_are_read(client: TestClient) -> None:
    data = form(history_0_to="2009-12", history_5_from="2010-01", history_5_to="2025-06",
                history_5_salary="10.000.000")
    response = client.post(PAGE, data=data)
    assert response.status_code == 200
    assert f'<dd id="monthly">15.355.167{NBSP}₫</dd>' in response.text


def test_more_rows_adds_rows_and_keeps_the_values(client: TestClient) -> None:
    response = client.post(PAGE, data=form(action="more_rows"))
    assert response.status_code == 200
    html = response.text
    assert len(re.findall(r'name="history-\d+-salary"', html)) == 12
    assert 'value="1995-07"' in html
    assert 'id="result"' not in html


def errors_of(html: str) -> str:
    match = re.search(r'<div class="notice notice--error".*?</div>', html, re.S)
    assert match, "the page shows no error summary"
    return match.group(0)


@pytest.mark.parametrize(
    ("changes", "field", "message", "kept"),
    [
        ({"history_0_from": "2025-06", "history_0_to": "1995-07"}, "Row 1, to month",
         "This period ends before it starts.", 'value="2025-06"'),
        ({"history_0_salary": "10000000.5"}, "Row 1, monthly salary",
         "Enter the salary as a whole number of đồng", 'value="10000000.5"'),
        ({"history_0_salary": "ten million"}, "Row 1, monthly salary",
         "Enter the salary as a whole number of đồng", 'value="ten million"'),
        ({"birth_date": ""}, "Date of birth", "This field is required.", 'value="1995-07"'),
        ({"retirement_date": ""}, "Retirement date", "This field is required.", 'value="1964-03-10"'),
        ({"retirement_date": "2025-02-30"}, "Retirement date", "Enter a real date", 'value="2025-02-30"'),
        ({"sex": ""}, "Sex", "This field is required.", 'value="1964-03-10"'),
        ({"history_0_from": "1995-13"}, "Row 1, from month", "Enter a month as year and month",
         'value="1995-13"'),
        ({"history_0_salary": ""}, "Row 1, monthly salary", "This field is required.", 'value="2025-06"'),
        ({"retirement_date": "1990-01-01", "history_0_from": "1985-07", "history_0_to": "1989-06"},
         "Retirement date", "The law's parameters for this estimate do not cover this date.",
         'value="1990-01-01"'),
        ({"history_0_to": "2030-06"}, "Row 1, to month", "The estimate cannot be made for this input.",
         'value="2030-06"'),
        ({"history_0_to": "2005-06", "history_1_from": "2000-07", "history_1_to": "2025-06",
          "history_1_salary": "10000000"},
         "Row 2, from month", "Periods must be listed oldest first and must not overlap.", 'value="2000-07"'),
        ({"history_0_from": "", "history_0_to": "", "history_0_salary": ""},
         "Contribution history", "Enter at least one period of contributions.", 'value="1964-03-10"'),
        ({"history_0_salary": "9" * 5000}, "Row 1, monthly salary",
         "The salary is outside the amounts the law can take.", 'value="9999'),
        ({"history_0_salary": "-10000000"}, "Row 1, monthly salary",
         "Enter the salary as a whole number of đồng", 'value="-10000000"'),
        ({"history_0_region": "9" * 5000}, "Row 1, region", "Choose a region from 1 to 4.", 'value="1995-07"'),
        ({"sex": "other"}, "Sex", "Choose male or female.", 'value="1964-03-10"'),
    ],
)
def test_bad_input_shows_the_form_again_with_a_message_naming_the_field(
    client: TestClient, changes: dict[str, str], field: str, message: str, kept: str
) -> None:
    response = client.post(PAGE, params={"lang": "en"}, data=form(**changes))
    assert response.status_code == 422
    summary = errors_of(response.text)
    assert f">{field}</a>: " in summary
    assert message in summary
    assert kept in response.text
    assert 'aria-invalid="true"' in response.text or field in ("Sex", "Contribution history")
    assert 'id="result"' not in response.text


def test_bad_input_is_explained_in_vietnamese(client: TestClient) -> None:
    response = client.post(PAGE, data=form(history_0_from="2025-06", history_0_to="1995-07"))
    assert response.status_code == 422
    summary = errors_of(response.text)
    assert "Dòng 1, đến tháng</a>: Giai đoạn này kết thúc trước khi bắt đầu." in summary
    assert 'id="history-0-to-error"' in response.text


def test_a_body_larger_than_the_form_is_refused(client: TestClient) -> None:
    response = client.post(PAGE, data=form(history_0_salary="1" * (MAX_BODY_BYTES + 1)))
    assert response.status_code == 413
    assert "<html" in response.text


def test_too_many_rows_are_refused(client: TestClient) -> None:
    response = client.post(PAGE, data=form(**{f"history_{MAX_ROWS}_from": "2020-01"}))
    assert response.status_code == 413
    response = client.post(PAGE, content="&".join(f"x{i}=1" for i in range(1000)),
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413


def test_up_to_the_largest_form_is_accepted(client: TestClient) -> None:
    response = client.post(PAGE, data=form(**{f"history_{MAX_ROWS - 1}_from": ""}))
    assert response.status_code == 200
    assert len(re.findall(r'name="history-\d+-salary"', response.text)) == MAX_ROWS
    assert "More rows" not in response.text


def test_a_body_that_is_not_a_form_is_refused(client: TestClient) -> None:
    response = client.post(PAGE, json=VALID)
    assert response.status_code == 415
