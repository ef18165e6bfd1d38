"""The employer's declaration pages through the app: the list and its forms, a line, a file, a declaration's page."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ansinh.accounts import service
from ansinh.accounts.models import AccountKind
from ansinh.accounts.roles import Role
from ansinh.api.app import create_app
from ansinh.core import clock
from ansinh.core.periods import format_month
from ansinh.db.uow import UnitOfWork
from ansinh.registry.lookups import employer_by_key
from ansinh.web.session import CSRF_COOKIE
from tests.factories import register_employer, register_person
from tests.signin import BY_ADMIN, PASSWORD, sign_in_pages, staff

CITIZEN_ID = "001185004321"


@pytest.fixture
def unit(db: Engine) -> str:
    uow = UnitOfWork(db)
    register_person(uow, citizen_id=CITIZEN_ID)
    unit = register_employer(uow).unit_code
    with UnitOfWork(db) as read:
        employer_id = employer_by_key(read.session, unit).id
    service.create_account(uow=UnitOfWork(db), username="employer.page", kind=AccountKind.EMPLOYER,
                           display_name="Công ty TNHH Ánh Dương", password=PASSWORD, employer_id=employer_id,
                           **BY_ADMIN)
    return unit


@pytest.fixture
def employer(db: Engine, unit: str) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as client:
        sign_in_pages(client, "employer.page")
        yield client


def _token(client: TestClient) -> dict[str, str]:
    return {"csrf_token": client.cookies.get(CSRF_COOKIE) or ""}


def test_the_list_page_offers_the_forms_and_the_menu_item(employer: TestClient, unit: str) -> None:
    page = employer.get("/employer/declarations", params={"lang": "en"})
    assert page.status_code == 200
    html = page.text
    assert ">Declarations</a>" in html and 'aria-current="page"' in html
    assert unit in html and 'name="all_or_nothing"' in html and 'name="csrf_token"' in html
    assert "/employer/declarations/template.csv" in html
    template = employer.get("/employer/declarations/template.csv")
    assert template.content.startswith("\ufeffSTT,Loại".encode())


def test_one_line_declared_from_the_form_then_its_page(employer: TestClient, unit: str) -> None:
    month = format_month(clock.today())
    form = {"kind": "join", "person_key": CITIZEN_ID, "from_month": month, "salary": "10.000.000",
            "form_key": "abc", "employer": ""} | _token(employer)
    response = employer.post("/employer/declarations/line", data=form,
                             follow_redirects=False)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert re.fullmatch(r"/employer/declarations/\d+", location)
    again = employer.post("/employer/declarations/line", data=form,
                          follow_redirects=False)
    assert again.headers["location"] == location  # the same form sent twice is one declaration
    page = employer.get(location, params={"lang": "vi"}).text
    assert 'data-testid="lines-accepted">1<' in page and "Tăng mới" in page


def test_a_file_with_a_bad_line_and_the_report(employer: TestClient, unit: str) -> None:
    month = format_month(clock.today())
    data = (f"Loại,Số định danh,Từ tháng,Mức lương\ntăng,{CITIZEN_ID},{month},10000000\n"
            f"tăng,001185009999,{month},10000000\n").encode()
    response = employer.post("/employer/declarations/file", data=_token(employer),
                             files={"file": ("thang.csv", data, "text/csv")}, follow_redirects=False)
    assert response.status_code == 303, response.text
    page = employer.get(response.headers["location"], params={"lang": "en"}).text
    assert 'data-testid="lines-accepted">1<' in page and 'data-testid="lines-rejected">1<' in page
    assert "person.not_found" in page and "thang.csv" in page
    report = employer.get(response.headers["location"] + "/rejections.csv")
    assert report.status_code == 200 and "001185009999" in report.content.decode("utf-8-sig")


def test_a_hostile_file_shows_the_reason_on_the_list_page(employer: TestClient, unit: str) -> None:
    response = employer.post("/employer/declarations/file", data=_token(employer),
                             files={"file": ("x.csv", b"kind,full_name\njoin,An\n", "text/csv")})
    assert response.status_code == 422
    assert "declaration.file" in response.text and "person_key" in response.text


def test_without_the_csrf_token_nothing_is_declared(employer: TestClient, unit: str) -> None:
    response = employer.post("/employer/declarations/file", files={"file": ("x.csv", b"a", "text/csv")})
    assert response.status_code == 403


def test_staff_name_the_employer_and_others_are_refused(db: Engine, unit: str) -> None:
    staff(db, username="officer.declare")
    with TestClient(create_app(db)) as client:
        sign_in_pages(client, "officer.declare")
        page = client.get("/employer/declarations", params={"employer": unit})
        assert page.status_code == 200 and 'name="employer" value="' + unit in page.text
        other = client.get("/employer/declarations/99999", params={"employer": unit})
        assert other.status_code == 404
    staff(db, username="approver.declare", role=Role.APPROVER)
    with TestClient(create_app(db)) as client:
        sign_in_pages(client, "approver.declare")
        assert client.get("/employer/declarations").status_code == 403
