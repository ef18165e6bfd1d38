"""The audit log over HTTP: who read a person's record, and the chain checked (both databases)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from ansinh.accounts.roles import Role
from ansinh.api.app import create_app
from ansinh.db.uow import UnitOfWork
from tests.factories import register_person
from tests.signin import bearer, staff


def test_an_administrator_sees_who_read_a_record_and_whether_the_chain_holds(db: Engine) -> None:
    person = register_person(UnitOfWork(db))
    officer = bearer(db, staff(db, username="lan.officer"))
    admin = bearer(db, staff(db, role=Role.ADMINISTRATOR, username="minh.admin"))
    with TestClient(create_app(db)) as client:
        assert client.get(f"/api/v1/people/{person.citizen_id}", headers=officer).status_code == 200
        with UnitOfWork(db) as uow:
            person_id = uow.session.execute(text("SELECT id FROM person")).scalar_one()
        events = client.get("/api/v1/audit/events", headers=admin,
                            params={"record_type": "person", "record_id": str(person_id)}).json()
        assert [(e["action"], e["actor"], e["role"]) for e in events][:1] == [("person.read", "lan.officer",
                                                                                 "officer")]
        assert client.get("/api/v1/audit/verification", headers=admin).json()["ok"] is True
        head = client.get("/api/v1/audit/head", headers=admin).json()
        assert head["seq"] >= len(events)

        with db.begin() as connection:
            connection.execute(text("UPDATE audit_event SET actor = 'someone.else' WHERE action = 'person.read'"))
        broken = client.get("/api/v1/audit/verification", headers=admin).json()
        assert broken["ok"] is False and broken["first_bad_seq"] == events[0]["seq"]

        assert client.get("/api/v1/audit/events", headers=officer).status_code == 403
        assert client.get("/api/v1/audit/verification").status_code == 401
