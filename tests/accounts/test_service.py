"""Accounts and sign-in: passwords, lockout, tokens, API keys, postings (both databases)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select

from ansinh.accounts import service
from ansinh.accounts.credentials import digest
from ansinh.accounts.models import Account, AccountKind, Credential, CredentialKind
from ansinh.accounts.roles import Role
from ansinh.core.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated
from ansinh.db.uow import UnitOfWork
from tests.signin import BY_ADMIN, PASSWORD, national_office, staff

NOW = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
TOKEN = frozenset({CredentialKind.BEARER_TOKEN})


def sign_in(db: Engine, username: str, password: str = PASSWORD, now: dt.datetime = NOW,
            **options: object) -> service.Issued:
    return service.sign_in(uow=UnitOfWork(db), username=username, password=password, now=now,
                           kind=CredentialKind.BEARER_TOKEN, **options)  # type: ignore[arg-type]


def test_a_password_is_stored_as_an_argon2_hash_and_signs_in(db: Engine) -> None:
    name = staff(db)
    with UnitOfWork(db) as uow:
        stored = uow.session.scalar(select(Account.password_hash).where(Account.username == name))
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored
    issued = sign_in(db, name)
    assert issued.principal.role == Role.OFFICER
    assert issued.principal.office_code == national_office(db)
    with UnitOfWork(db) as uow:
        digests = list(uow.session.scalars(select(Credential.digest)))
    assert digests == [digest(issued.secret)], "only the digest of a token is kept"


def test_unknown_user_and_wrong_password_answer_alike(db: Engine) -> None:
    name = staff(db)
    with pytest.raises(NotAuthenticated) as unknown:
        sign_in(db, "nobody.here")
    with pytest.raises(NotAuthenticated) as wrong:
        sign_in(db, name, password="not the password")
    assert unknown.value.code == wrong.value.code == "auth.invalid_credentials"
    assert unknown.value.message == wrong.value.message


def test_five_failures_lock_the_account_for_fifteen_minutes(db: Engine) -> None:
    name = staff(db)
    for attempt in range(5):
        with pytest.raises(NotAuthenticated) as failed:
            sign_in(db, name, password="guess", now=NOW + dt.timedelta(seconds=attempt))
        assert failed.value.code == "auth.invalid_credentials"
    with pytest.raises(NotAuthenticated) as locked:
        sign_in(db, name, now=NOW + dt.timedelta(minutes=1))
    assert locked.value.code == "auth.locked", "even the right password waits out the lock"
    assert sign_in(db, name, now=NOW + dt.timedelta(minutes=16)).principal.username == name


def test_a_success_resets_the_failure_count(db: Engine) -> None:
    name = staff(db)
    for _ in range(4):
        with pytest.raises(NotAuthenticated):
            sign_in(db, name, password="guess")
    sign_in(db, name)
    for _ in range(4):
        with pytest.raises(NotAuthenticated):
            sign_in(db, name, password="guess")
    assert sign_in(db, name).principal.username == name


def test_tokens_expire_and_can_be_revoked(db: Engine) -> None:
    issued = sign_in(db, staff(db))
    assert service.authenticate(uow=UnitOfWork(db), secret=issued.secret, now=NOW, kinds=TOKEN).username
    with pytest.raises(NotAuthenticated) as expired:
        service.authenticate(uow=UnitOfWork(db), secret=issued.secret, now=NOW + dt.timedelta(hours=9),
                             kinds=TOKEN)
    assert expired.value.code == "auth.expired"
    service.sign_out(uow=UnitOfWork(db), secret=issued.secret, now=NOW)
    with pytest.raises(NotAuthenticated) as revoked:
        service.authenticate(uow=UnitOfWork(db), secret=issued.secret, now=NOW, kinds=TOKEN)
    assert revoked.value.code == "auth.revoked"


@pytest.mark.parametrize("secret", ["tok_forged", "", "ses_" + "A" * 43])
def test_a_forged_token_is_refused(db: Engine, secret: str) -> None:
    with pytest.raises(NotAuthenticated) as refused:
        service.authenticate(uow=UnitOfWork(db), secret=secret, now=NOW, kinds=TOKEN)
    assert refused.value.code == "auth.invalid_token"


def test_a_session_cookie_is_not_a_bearer_token(db: Engine) -> None:
    issued = service.sign_in(uow=UnitOfWork(db), username=staff(db), password=PASSWORD, now=NOW)
    assert issued.csrf_token
    with pytest.raises(NotAuthenticated):
        service.authenticate(uow=UnitOfWork(db), secret=issued.secret, now=NOW, kinds=TOKEN)


def test_staff_choose_a_posting_they_hold(db: Engine) -> None:
    name = staff(db, role=Role.APPROVER)
    service.add_posting(uow=UnitOfWork(db), username=name, office_code=national_office(db), role=Role.INSPECTOR,
                        valid_from=dt.date(2020, 1, 1), **BY_ADMIN)
    assert sign_in(db, name, role=Role.INSPECTOR).principal.role == Role.INSPECTOR
    with pytest.raises(Forbidden) as refused:
        sign_in(db, name, role=Role.ADMINISTRATOR)
    assert refused.value.code == "auth.no_posting"


def test_a_session_ends_with_its_posting(db: Engine) -> None:
    name = staff(db)
    issued = sign_in(db, name)
    with UnitOfWork(db) as uow:
        from ansinh.accounts.models import Posting

        for posting in uow.session.scalars(select(Posting)):
            posting.valid_to = NOW.date() - dt.timedelta(days=1)
        uow.commit()
    with pytest.raises(NotAuthenticated) as ended:
        service.authenticate(uow=UnitOfWork(db), secret=issued.secret, now=NOW, kinds=TOKEN)
    assert ended.value.code == "auth.posting_ended"


def test_facility_api_keys(db: Engine) -> None:
    service.create_account(uow=UnitOfWork(db), username="bv-bachmai", kind=AccountKind.FACILITY,
                           display_name="Bệnh viện Bạch Mai", facility_code="01001", **BY_ADMIN)
    secret = service.issue_api_key(uow=UnitOfWork(db), username="bv-bachmai", label="HIS", now=NOW,
                                   actor=BY_ADMIN["actor"])
    principal = service.authenticate(uow=UnitOfWork(db), secret=secret, now=NOW + dt.timedelta(days=400),
                                     kinds=frozenset({CredentialKind.API_KEY}))
    assert principal.role == Role.FACILITY and principal.facility_code == "01001"
    with pytest.raises(InvalidInput) as not_facility:
        service.issue_api_key(uow=UnitOfWork(db), username=staff(db), label="x", now=NOW,
                              actor=BY_ADMIN["actor"])
    assert not_facility.value.code == "api_key.not_facility"


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"username": "a"}, "account.username_invalid", "username"),
        ({"username": "bad name"}, "account.username_invalid", "username"),
        ({"password": "short"}, "account.password_too_short", "password"),
        ({"kind": AccountKind.CITIZEN}, "account.link_missing", "person_id"),
        ({"kind": AccountKind.FACILITY}, "account.link_missing", "facility_code"),
    ],
)
def test_bad_accounts_are_refused_naming_the_field(db: Engine, fields: dict[str, object], code: str,
                                                   field: str) -> None:
    data: dict[str, object] = {"username": "new.user", "kind": AccountKind.STAFF, "display_name": "New",
                               "password": PASSWORD, **BY_ADMIN, **fields}
    with pytest.raises(InvalidInput) as refused:
        service.create_account(uow=UnitOfWork(db), **data)  # type: ignore[arg-type]
    assert (refused.value.code, refused.value.field) == (code, field)
    with UnitOfWork(db) as uow:
        assert uow.session.scalar(select(Account.id).where(Account.username == data["username"])) is None


def test_usernames_are_unique(db: Engine) -> None:
    name = staff(db)
    with pytest.raises(Conflict):
        service.create_account(uow=UnitOfWork(db), username=name, kind=AccountKind.STAFF, display_name="x",
                               password=PASSWORD, **BY_ADMIN)


def test_account_changes_and_sign_ins_are_audited(db: Engine) -> None:
    from ansinh.audit.models import AuditEvent
    from ansinh.audit.service import verify

    name = staff(db)
    with pytest.raises(NotAuthenticated):
        sign_in(db, name, password="guess")
    issued = sign_in(db, name)
    service.sign_out(uow=UnitOfWork(db), secret=issued.secret, now=NOW)
    with UnitOfWork(db) as uow:
        events = [(e.action, e.actor) for e in uow.session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
    assert events == [("account.create", "admin.test"), ("posting.create", "admin.test"),
                      ("auth.signin_failed", name), ("auth.signin", name), ("auth.signout", name)]
    assert verify(uow=UnitOfWork(db)).ok


def test_a_refused_account_writes_no_event(db: Engine) -> None:
    from ansinh.audit.models import AuditEvent

    with pytest.raises(InvalidInput):
        service.create_account(uow=UnitOfWork(db), username="x", kind=AccountKind.STAFF, display_name="x",
                               password=PASSWORD, **BY_ADMIN)
    with UnitOfWork(db) as uow:
        assert uow.session.scalar(select(AuditEvent.seq)) is None
