"""Signing in from tests: accounts with postings, bearer headers and signed-in page clients."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, or_, select

from ansinh.accounts import service
from ansinh.accounts.models import AccountKind, CredentialKind
from ansinh.accounts.roles import Role
from ansinh.core import clock
from ansinh.core.actor import Actor
from ansinh.db.uow import UnitOfWork
from ansinh.org.models import Office, OfficeKind

PASSWORD = "correct horse battery"
"""Every test account's password (long enough for the rule)."""

TEST_CENTRAL = "TEST-HQ"
BY_ADMIN: dict[str, Any] = {"actor": Actor(username="admin.test", role="administrator"),
                            "at": dt.datetime(2026, 1, 2, 8, 0, tzinfo=dt.UTC)}
"""Who opens test accounts, and when: ``service.create_account(..., **BY_ADMIN)``."""


def national_office(engine: Engine) -> str:
    """The code of a central office in force today (one is created if the map has none)."""
    today = clock.today()
    with UnitOfWork(engine) as uow:
        code = uow.session.scalar(select(Office.code).where(
            Office.kind == OfficeKind.CENTRAL, Office.valid_from <= today,
            or_(Office.valid_to.is_(None), Office.valid_to >= today)).order_by(Office.id))
        if code is None:
            uow.session.add(Office(code=TEST_CENTRAL, name="Bảo hiểm xã hội (thử)", name_en="Social security (test)",
                                   kind=OfficeKind.CENTRAL, valid_from=dt.date(2016, 1, 1),
                                   source="test fixture"))
            uow.commit()
            code = TEST_CENTRAL
        return code


def staff(engine: Engine, *, role: Role = Role.OFFICER, office_code: str | None = None,
          username: str | None = None, valid_from: dt.date | None = None) -> str:
    """A staff account posted as ``role`` at ``office_code`` (default a central office) from
    ``valid_from`` (default 2016-01-01, or 2025-07-01 for an office of the 34-province map); its username."""
    office = office_code or national_office(engine)
    name = username or f"{role.value}.{office.lower()}"
    service.create_account(uow=UnitOfWork(engine), username=name, kind=AccountKind.STAFF,
                           display_name=f"{role.value.title()} at {office}", password=PASSWORD,
                           **BY_ADMIN)
    service.add_posting(uow=UnitOfWork(engine), username=name, office_code=office, role=role,
                        valid_from=valid_from or (dt.date(2025, 7, 1) if office.startswith("P34-")
                                                  else dt.date(2016, 1, 1)), **BY_ADMIN)
    return name


def citizen_account(engine: Engine, citizen_id: str, username: str | None = None) -> str:
    """A citizen account (password :data:`PASSWORD`) for the registered person ``citizen_id``; its username."""
    from ansinh.registry.lookups import person_by_key

    with UnitOfWork(engine) as uow:
        person = person_by_key(uow.session, citizen_id)
        person_id, name = person.id, person.full_name
    name_of_account = username or citizen_id
    service.create_account(uow=UnitOfWork(engine), username=name_of_account, kind=AccountKind.CITIZEN,
                           display_name=name, password=PASSWORD, person_id=person_id, **BY_ADMIN)
    return name_of_account


def bearer(engine: Engine, username: str) -> dict[str, str]:
    """Authorization headers of a fresh bearer token for ``username``."""
    issued = service.sign_in(uow=UnitOfWork(engine), username=username, password=PASSWORD, now=clock.now(),
                             kind=CredentialKind.BEARER_TOKEN)
    return {"Authorization": f"Bearer {issued.secret}"}


def officer_headers(engine: Engine, role: Role = Role.OFFICER) -> dict[str, str]:
    """Bearer headers of a national-office staff member acting as ``role``."""
    return bearer(engine, staff(engine, role=role))


def sign_in_pages(client: TestClient, username: str, password: str = PASSWORD) -> None:
    """Sign ``client`` in through the sign-in form, keeping the session cookies."""
    response = client.post("/signin", data={"username": username, "password": password, "next": "/"},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
