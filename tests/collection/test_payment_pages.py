"""The payment pages through the test client: upload, unmatched, funds, the employer's dues, the SI book."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ansinh.accounts import service
from ansinh.accounts.models import AccountKind
from ansinh.accounts.roles import Role
from ansinh.api.app import create_app
from ansinh.collection.payment_orders import issue_orders, orders_of
from ansinh.db.uow import UnitOfWork
from ansinh.web.session import CSRF_COOKIE
from tests.collection.payment_world import ACCOUNTANT, APRIL, AT, ON, World, build_world, statement
from tests.signin import BY_ADMIN, PASSWORD, citizen_account, sign_in_pages, staff


@pytest.fixture
def world(db: Engine) -> World:
    world = build_world(db)
    issue_orders(uow=UnitOfWork(db), month=APRIL, on=ON, actor=ACCOUNTANT, at=AT)
    return world


@pytest.fixture
def client(db: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as client:
        yield client


def _csrf(client: TestClient) -> str:
    return client.cookies.get(CSRF_COOKIE) or ""


def test_an_accountant_uploads_a_statement_and_matches_the_rest_by_hand(db: Engine, client: TestClient,
                                                                       world: World) -> None:
    sign_in_pages(client, staff(db, role=Role.ACCOUNTANT))
    order = orders_of(uow=UnitOfWork(db), employer_id=world.ids["anh"])[0]
    content = statement(("T1", "2026-05-01", order.total, "ANH DUONG", "1", f"NOP BHXH {order.reference}"),
                        ("T2", "2026-05-01", 3_840_000, "BINH MINH", "2", "tien bao hiem thang 3"))
    page = client.post("/accountant/statements", data={"csrf_token": _csrf(client)},
                       files={"statement": ("vcb.csv", content, "text/csv")})
    assert page.status_code == 200, page.text
    assert "Statement imported" in page.text or "Đã nhập sao kê" in page.text
    unmatched = client.get("/accountant/unmatched?lang=en")
    assert "tien bao hiem thang 3" in unmatched.text
    txn_id = unmatched.text.split('/accountant/unmatched/')[1].split('/')[0]
    done = client.post(f"/accountant/unmatched/{txn_id}/match", follow_redirects=False,
                       data={"csrf_token": _csrf(client), "unit_code": world.units["binh"], "note": "phoned"})
    assert done.status_code == 303
    assert "Every transaction is matched." in client.get("/accountant/unmatched?lang=en").text
    refused = client.post("/accountant/statements", data={"csrf_token": _csrf(client)},
                          files={"statement": ("bad.csv", b"nonsense", "text/csv")})
    assert refused.status_code == 422
    funds = client.get("/accountant/funds?lang=en&start=2026-01-01&end=2026-12-31")
    assert "The books are balanced" in funds.text


def test_the_employer_sees_its_months_and_orders_and_the_citizen_their_book(db: Engine, client: TestClient,
                                                                           world: World) -> None:
    service.create_account(uow=UnitOfWork(db), username="employer.anh", kind=AccountKind.EMPLOYER,
                           display_name="Ánh Dương", password=PASSWORD, employer_id=world.ids["anh"], **BY_ADMIN)
    sign_in_pages(client, "employer.anh")
    order = orders_of(uow=UnitOfWork(db), employer_id=world.ids["anh"])[0]
    dues = client.get("/employer/dues?lang=en")
    assert dues.status_code == 200
    assert order.reference in dues.text and "Unpaid" in dues.text
    pdf = client.get(f"/employer/dues/orders/{order.id}/pdf")
    assert pdf.content.startswith(b"%PDF")
    other = orders_of(uow=UnitOfWork(db), employer_id=world.ids["binh"])[0]
    assert client.get(f"/employer/dues/orders/{other.id}/pdf").status_code == 404
    citizen = TestClient(client.app)
    sign_in_pages(citizen, citizen_account(db, "001185004300"))
    mine = citizen.get("/contributions/mine", follow_redirects=True)
    assert mine.url.path == "/people/001185004300/contributions"
    assert "Đơn vị chưa đóng" in mine.text
    assert citizen.get("/people/001185004301/contributions").status_code == 404
