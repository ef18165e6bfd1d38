"""Demo accounts: one sign-in for every role, so a visitor can see what each role sees.

Staff are posted at the provincial office serving the demo's first province (and one
officer at the central office, who sees the whole country); the citizen is a synthetic
person with a long record, the employer one of that person's employers, the facility a
hospital client with an API key. Every account has the same password, printed by
``ansinh demo``: the demo database is throw-away, never a production one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ansinh.accounts import service
from ansinh.accounts.models import AccountKind
from ansinh.accounts.roles import STAFF_ROLES, Role
from ansinh.core.actor import Actor
from ansinh.db.uow import UnitOfWork
from ansinh.org.directory import offices_on
from ansinh.org.models import OfficeKind
from ansinh.registry import service as registry
from ansinh.registry.lookups import employer_by_key, person_by_key

DEMO_PASSWORD = "ansinh-demo-2026"  # noqa: S105 - printed for visitors of a throw-away demo database
CENTRAL_OFFICER = "officer.central"
FACILITY_CODE = "01001"
AWAY_PROVINCE_SUFFIX = "-79"
"""An officer is also posted at Hồ Chí Minh City's office (another when that is the demo's):
any-office dossiers of the demo's people are handed in there and routed home."""
POSTED_FOR = dt.timedelta(days=120)
"""Staff are posted from four months back (or their office's opening), so that the demo's
dossiers can show a history that began before today."""
PORTAL_ACCOUNT = "portal.demo"
"""The national portal's machine client; in production it calls with an API key."""
BANK_ACCOUNT = "bank.demo"
"""The collection account's bank's machine client; in production it calls with an API key."""


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    where: str


def _office_for_province(uow: UnitOfWork, province_code: str, on: dt.date) -> tuple[str, str]:
    """(provincial office code, central office code) in force on ``on``."""
    offices = offices_on(uow=uow, on=on)
    central = next(o.code for o in offices if o.kind == OfficeKind.CENTRAL)
    provincial = next((o.code for o in offices if o.kind == OfficeKind.PROVINCIAL
                       and o.code.endswith(f"-{province_code}")), central)
    return provincial, central


def create_demo_accounts(*, uow: UnitOfWork, province_code: str, citizen_id: str | None, at: dt.datetime,
                         actor: Actor) -> list[DemoAccount]:
    """Open the demo's accounts; returns them to print. Idempotence is not needed: the demo
    database is created afresh each time."""
    provincial, central = _office_for_province(uow, province_code, at.date())
    offices = {o.code: o.valid_from for o in offices_on(uow=uow, on=at.date())}
    created: list[DemoAccount] = []

    def staff(username: str, role: Role, office: str) -> None:
        service.create_account(uow=uow, username=username, kind=AccountKind.STAFF,
                               display_name=f"{role.value.title()} ({office})", password=DEMO_PASSWORD,
                               actor=actor, at=at)
        since = max(at.date() - POSTED_FOR, offices[office])
        service.add_posting(uow=uow, username=username, office_code=office, role=role, valid_from=since,
                            actor=actor, at=at)
        created.append(DemoAccount(username, role, office))

    for role in sorted(STAFF_ROLES, key=lambda r: r.value):
        office = central if role == Role.ADMINISTRATOR else provincial
        staff(f"{role.value}.{office.lower()}", role, office)
    staff(CENTRAL_OFFICER, Role.OFFICER, central)
    others = [o.code for o in offices_on(uow=uow, on=at.date(), kind=OfficeKind.PROVINCIAL) if o.code != provincial]
    away = next((code for code in others if code.endswith(AWAY_PROVINCE_SUFFIX)), others[0])
    staff(f"officer.{away.lower()}", Role.OFFICER, away)
    if citizen_id is not None:
        with uow:
            person = person_by_key(uow.session, citizen_id)
            person_id, name = person.id, person.full_name
        service.create_account(uow=uow, username=citizen_id, kind=AccountKind.CITIZEN, display_name=name,
                               password=DEMO_PASSWORD, person_id=person_id, actor=actor, at=at)
        created.append(DemoAccount(citizen_id, Role.CITIZEN, "/signin/citizen"))
        periods = registry.list_participations(uow=uow, key=citizen_id, as_of=at.date(), actor=actor, at=at)
        unit_code = next((p.employer_unit_code for p in reversed(periods) if p.employer_unit_code), None)
        if unit_code is not None:
            with uow:
                employer_id = employer_by_key(uow.session, unit_code).id
            service.create_account(uow=uow, username=unit_code.lower(), kind=AccountKind.EMPLOYER,
                                   display_name=unit_code, password=DEMO_PASSWORD, employer_id=employer_id,
                                   actor=actor, at=at)
            created.append(DemoAccount(unit_code.lower(), Role.EMPLOYER, unit_code))
    service.create_account(uow=uow, username="hospital.demo", kind=AccountKind.FACILITY,
                           display_name="Demo hospital", password=DEMO_PASSWORD, facility_code=FACILITY_CODE,
                           actor=actor, at=at)
    created.append(DemoAccount("hospital.demo", Role.FACILITY, FACILITY_CODE))
    service.create_account(uow=uow, username=PORTAL_ACCOUNT, kind=AccountKind.PORTAL,
                           display_name="National Public Service Portal (demo)", password=DEMO_PASSWORD,
                           actor=actor, at=at)
    created.append(DemoAccount(PORTAL_ACCOUNT, Role.PORTAL, "POST /api/v1/portal/dossiers"))
    service.create_account(uow=uow, username=BANK_ACCOUNT, kind=AccountKind.BANK,
                           display_name="Collection account's bank (demo)", password=DEMO_PASSWORD,
                           actor=actor, at=at)
    created.append(DemoAccount(BANK_ACCOUNT, Role.BANK, "POST /api/v1/bank/statements"))
    return created
