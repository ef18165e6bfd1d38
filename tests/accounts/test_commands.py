"""``ansinh accounts`` at the command line, and the demo's accounts (both databases)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select
from typer.testing import CliRunner

from ansinh.accounts import service
from ansinh.accounts.demo_accounts import DEMO_PASSWORD, create_demo_accounts
from ansinh.accounts.models import Account, CredentialKind
from ansinh.accounts.roles import Role
from ansinh.audit.models import AuditEvent
from ansinh.cli import app
from ansinh.core import clock
from ansinh.core.actor import SYSTEM
from ansinh.db.uow import UnitOfWork
from tests.factories import add_participation, register_employer, register_person
from tests.signin import PASSWORD, national_office

runner = CliRunner()


def test_create_post_and_list(cli_env: Engine) -> None:
    office = national_office(cli_env)
    created = runner.invoke(app, ["accounts", "create", "lan.nguyen", "--kind", "staff", "--name", "Nguyễn Lan",
                                  "--password-stdin"], input=f"{PASSWORD}\n")
    assert created.exit_code == 0, created.output
    posted = runner.invoke(app, ["accounts", "post", "lan.nguyen", "--office", office, "--role", "approver",
                                 "--from", "2026-01-01"])
    assert posted.exit_code == 0, posted.output
    listed = runner.invoke(app, ["accounts", "list"])
    assert "lan.nguyen" in listed.output and f"approver@{office}" in listed.output
    issued = service.sign_in(uow=UnitOfWork(cli_env), username="lan.nguyen", password=PASSWORD, now=clock.now(),
                             kind=CredentialKind.BEARER_TOKEN)
    assert issued.principal.role == Role.APPROVER
    with UnitOfWork(cli_env) as uow:
        actors = set(uow.session.scalars(select(AuditEvent.actor).where(AuditEvent.action == "account.create")))
    assert all(actor.startswith("cli:") for actor in actors)


def test_bad_input_exits_1_naming_the_field_and_writes_nothing(cli_env: Engine) -> None:
    short = runner.invoke(app, ["accounts", "create", "x.y", "--kind", "staff", "--name", "X", "--password-stdin"],
                          input="short\n")
    assert short.exit_code == 1 and "password" in short.output
    unknown_office = runner.invoke(app, ["accounts", "post", "nobody", "--office", "NOPE", "--role", "officer"])
    assert unknown_office.exit_code == 1 and "username" in unknown_office.output
    citizen = runner.invoke(app, ["accounts", "create", "001185004321", "--kind", "citizen", "--name", "X",
                                  "--citizen-id", "001185004321", "--password-stdin"], input=f"{PASSWORD}\n")
    assert citizen.exit_code == 1 and "citizen_id" in citizen.output
    with UnitOfWork(cli_env) as uow:
        assert uow.session.scalar(select(Account.id)) is None


def test_facility_api_key_is_shown_once(cli_env: Engine) -> None:
    runner.invoke(app, ["accounts", "create", "bv.bachmai", "--kind", "facility", "--name", "Bạch Mai",
                        "--facility", "01001", "--password-stdin"], input=f"{PASSWORD}\n")
    issued = runner.invoke(app, ["accounts", "api-key", "bv.bachmai", "--label", "HIS"])
    assert issued.exit_code == 0, issued.output
    assert "key_" in issued.output


def test_demo_accounts_sign_in_as_each_role(db: Engine) -> None:
    """Every role of the demo signs in with the printed password, staff at the demo
    province's office (Hà Nội, P34-01) and an officer at the central office."""
    person = register_person(UnitOfWork(db))
    employer = register_employer(UnitOfWork(db))
    add_participation(UnitOfWork(db), person.citizen_id, start_month="2025-01", end_month=None,
                      monthly_salary=7_000_000, employer_unit_code=employer.unit_code)
    at = dt.datetime(2026, 11, 24, 8, 0, tzinfo=dt.UTC)
    accounts = create_demo_accounts(uow=UnitOfWork(db), province_code="01", citizen_id=person.citizen_id, at=at,
                                    actor=SYSTEM)
    assert {a.role for a in accounts} == set(Role)
    for account in accounts:
        issued = service.sign_in(uow=UnitOfWork(db), username=account.username, password=DEMO_PASSWORD, now=at,
                                 kind=CredentialKind.BEARER_TOKEN)
        assert issued.principal.role == account.role
        if account.role not in {Role.CITIZEN, Role.EMPLOYER, Role.FACILITY, Role.PORTAL, Role.BANK}:
            assert issued.principal.office_code == account.where
    officer = next(a for a in accounts if a.role == Role.OFFICER and a.where != "VSS")
    assert officer.where == "P34-01"
