"""The /api/v1/areas routes: provinces and communes on a date, errors as problem+json."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from ansinh.api.app import create_app
from ansinh.org.models import AdminLevel, AdminUnit

PREFIX = "/api/v1/areas"


@pytest.fixture
def client(db: Engine) -> TestClient:
    return TestClient(create_app(db))


def test_provinces_on_each_side_of_the_reform(client: TestClient) -> None:
    before = client.get(f"{PREFIX}/provinces", params={"on": "2025-06-30"})
    after = client.get(f"{PREFIX}/provinces", params={"on": "2025-07-01"})
    assert before.status_code == after.status_code == 200
    assert before.json()["count"] == 63
    body = after.json()
    assert body["count"] == 34 == len(body["items"])
    assert body["items"][0] == {
        "code": "01", "name": "Thành phố Hà Nội", "division_type": "thành phố trung ương",
        "valid_from": "2025-07-01", "valid_to": None,
    }


def test_province_with_the_provinces_it_came_from(client: TestClient) -> None:
    response = client.get(f"{PREFIX}/provinces/79", params={"on": "2025-07-01"})
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Thành phố Hồ Chí Minh"
    assert body["commune_count"] == 168
    assert [p["code"] for p in body["came_from"]] == ["74", "77", "79"]
    assert body["went_into"] == []


def test_old_province_with_the_province_it_went_into(client: TestClient) -> None:
    body = client.get(f"{PREFIX}/provinces/74", params={"on": "2024-01-01"}).json()
    assert (body["name"], body["valid_to"]) == ("Bình Dương", "2025-06-30")
    assert [(p["code"], p["valid_from"]) for p in body["went_into"]] == [("79", "2025-07-01")]


def test_unknown_province_is_404_problem(client: TestClient) -> None:
    response = client.get(f"{PREFIX}/provinces/74", params={"on": "2025-07-01"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert (body["code"], body["field"], body["status"]) == ("province.not_found", "code", 404)
    assert body["rule"]


def test_search_communes(client: TestClient) -> None:
    response = client.get(
        f"{PREFIX}/communes", params={"province": "79", "q": "thu duc", "on": "2025-07-01"}
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert [(c["code"], c["name"], c["province_code"]) for c in items] == [
        ("26824", "Phường Thủ Đức", "79")
    ]
    phu_my = client.get(f"{PREFIX}/communes", params={"q": "phu my", "on": "2025-07-01"}).json()
    assert "Phường Phú Mỹ" in {c["name"] for c in phu_my["items"]}


def test_communes_limit(client: TestClient) -> None:
    body = client.get(f"{PREFIX}/communes", params={"on": "2025-07-01", "limit": 5}).json()
    assert body["count"] == 5
    response = client.get(f"{PREFIX}/communes", params={"limit": 0})
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == ("request.invalid", "limit")


def test_communes_in_unknown_province_is_422(client: TestClient) -> None:
    response = client.get(f"{PREFIX}/communes", params={"province": "74", "on": "2025-07-01"})
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["field"]) == ("province.unknown", "province")


def test_bad_date_is_422(client: TestClient) -> None:
    response = client.get(f"{PREFIX}/provinces", params={"on": "2025-13-01"})
    assert response.status_code == 422
    assert response.json()["field"] == "on"


def test_commune_by_code(client: TestClient) -> None:
    response = client.get(f"{PREFIX}/communes/00070", params={"on": "2025-07-01"})
    assert response.status_code == 200
    assert response.json() == {
        "code": "00070", "name": "Phường Hoàn Kiếm", "division_type": "phường",
        "province_code": "01", "province_name": "Thành phố Hà Nội",
        "district_code": None, "district_name": None,
        "valid_from": "2025-07-01", "valid_to": None,
    }


def test_commune_not_in_force_is_404(client: TestClient, db: Engine) -> None:
    with db.connect() as connection:
        code = connection.execute(
            select(AdminUnit.code)
            .where(AdminUnit.level == AdminLevel.COMMUNE)
            .group_by(AdminUnit.code)
            .having(func.min(AdminUnit.valid_from) == dt.date(2025, 7, 1))
            .limit(1)
        ).scalar_one()
    response = client.get(f"{PREFIX}/communes/{code}", params={"on": "2024-01-01"})
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "commune.not_found"
    assert "not in force on 2024-01-01" in body["detail"]
    assert client.get(f"{PREFIX}/communes/99999").status_code == 404


def test_old_commune_with_its_district(client: TestClient) -> None:
    body = client.get(f"{PREFIX}/communes/00001", params={"on": "2024-01-01"}).json()
    assert (body["name"], body["district_code"], body["district_name"]) == (
        "Phường Phúc Xá", "001", "Quận Ba Đình"
    )
    assert (body["province_code"], body["valid_to"]) == ("01", "2025-06-30")


def test_nul_in_a_parameter_is_422(client: TestClient) -> None:
    for path, params, field in [
        (f"{PREFIX}/communes", {"q": "phu\x00my"}, "q"),
        (f"{PREFIX}/communes/%00", {}, "code"),
    ]:
        response = client.get(path, params=params)
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/problem+json")
        assert (response.json()["code"], response.json()["field"]) == ("request.invalid", field)
