"""The public /api/v1/offices routes: offices, an office and the responsible office, on a date."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ansinh.api.app import create_app

PREFIX = "/api/v1/offices"


@pytest.fixture
def client(db: Engine) -> TestClient:
    return TestClient(create_app(db))


def test_offices_on_each_side_of_the_reform(client: TestClient) -> None:
    before = client.get(PREFIX, params={"on": "2025-06-30"}).json()
    after = client.get(PREFIX, params={"on": "2025-07-01", "kind": "provincial"}).json()
    assert (before["count"], after["count"]) == (760, 34)
    assert after["items"][0] == {
        "code": "P34-01", "name": "Bảo hiểm xã hội thành phố Hà Nội",
        "name_en": "Social Security Office of Ha Noi City", "kind": "provincial", "parent_code": "VSS",
        "valid_from": "2025-07-01", "valid_to": None,
    }


def test_office_detail(client: TestClient) -> None:
    response = client.get(f"{PREFIX}/P63-31", params={"on": "2025-06-30"})
    assert response.status_code == 200
    body = response.json()
    assert body["in_force"] is True and body["valid_to"] == "2025-06-30"
    assert [a["code"] for a in body["areas"]] == ["31"]
    assert body["children"][0]["parent_code"] == "P63-31"
    assert [(s["office"]["code"], s["change"]) for s in body["successors"]] == [("P34-31", "merge")]
    later = client.get(f"{PREFIX}/P63-31", params={"on": "2025-07-01"}).json()
    assert later["in_force"] is False and later["areas"] == []


def test_responsible_office(client: TestClient) -> None:
    new = client.get(f"{PREFIX}/responsible", params={"commune": "00070", "on": "2025-07-01"}).json()
    assert new["office"]["code"] == "P34-01" and new["commune"]["name"] == "Phường Hoàn Kiếm"
    old = client.get(f"{PREFIX}/responsible", params={"commune": "00070", "on": "2025-06-30"}).json()
    assert old["office"]["code"] == "D63-002" and old["office"]["parent_code"] == "P63-01"
    back = client.get(f"{PREFIX}/responsible",
                      params={"commune": "00070", "on": "2025-06-30", "read_on": "2025-07-01"}).json()
    assert back["office"] is None and [o["code"] for o in back["offices"]] == ["D63-001", "D63-002"]


def test_errors_are_problems(client: TestClient) -> None:
    missing = client.get(f"{PREFIX}/NOPE", params={"on": "2025-07-01"})
    assert missing.status_code == 404 and missing.json()["code"] == "office.not_found"
    unknown = client.get(f"{PREFIX}/responsible", params={"commune": "99999", "on": "2025-07-01"})
    assert unknown.status_code == 422 and unknown.json()["code"] == "commune.unknown"
    assert client.get(f"{PREFIX}/responsible", params={"on": "2025-07-01"}).status_code == 422
    assert client.get(PREFIX, params={"on": "2025-02-30"}).status_code == 422
