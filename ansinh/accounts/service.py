"""Accounts and sign-in: create accounts and postings, sign in, authenticate, sign out.

Sign-in answers the same ``auth.invalid_credentials`` for an unknown username and a wrong
password, and takes the same time for both, so it does not tell which accounts exist. After
``signin_max_failures`` failures in a row the account locks for ``signin_lock_minutes``;
the failures are committed even though the sign-in is refused. A staff account signs in as
one of its postings in force that day (a role at an office); the session or token carries
that choice, and stops working when the posting ends (after a restructuring, sign in again
at the successor office).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select

from ansinh.accounts.credentials import (
    MIN_PASSWORD_LENGTH,
    digest,
    hash_password,
    new_secret,
    password_matches,
    same,
)
from ansinh.accounts.models import Account, AccountKind, Credential, CredentialKind, Posting
from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import STAFF_ROLES, Role
from ansinh.audit.service import record_event
from ansinh.core.actor import Actor
from ansinh.core.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated, NotFound
from ansinh.core.settings import get_settings
from ansinh.db.uow import UnitOfWork
from ansinh.org.directory import OfficeInfo, offices_by_id, resolve_office
from ansinh.org.models import OfficeKind

MACHINE_KINDS = frozenset({AccountKind.FACILITY, AccountKind.PORTAL, AccountKind.BANK})
ROLE_OF_KIND = {AccountKind.CITIZEN: Role.CITIZEN, AccountKind.EMPLOYER: Role.EMPLOYER,
                AccountKind.FACILITY: Role.FACILITY, AccountKind.PORTAL: Role.PORTAL, AccountKind.BANK: Role.BANK}
PREFIX = {CredentialKind.WEB_SESSION: "ses", CredentialKind.BEARER_TOKEN: "tok", CredentialKind.API_KEY: "key"}
USERNAME_RULE = "a username is 3 to 64 letters, digits, dots, hyphens or underscores"


@dataclass(frozen=True)
class Issued:
    """A credential just issued: the secret (shown once) and the CSRF token of a web session."""

    secret: str
    csrf_token: str | None
    principal: Principal
    expires_at: dt.datetime | None


def _check_username(username: str) -> None:
    allowed = username.replace(".", "").replace("-", "").replace("_", "")
    if not (3 <= len(username) <= 64 and allowed.isascii() and allowed.isalnum()):
        raise InvalidInput(f"username {username!r} is not valid", code="account.username_invalid",
                           field="username", rule=USERNAME_RULE)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"the password has {len(password)} characters", code="account.password_too_short",
                           field="password", rule=f"a password has at least {MIN_PASSWORD_LENGTH} characters")


def create_account(*, uow: UnitOfWork, username: str, kind: AccountKind, display_name: str, actor: Actor,
                   at: dt.datetime, password: str | None = None, person_id: int | None = None,
                   employer_id: int | None = None, facility_code: str | None = None) -> int:
    """Open an account; what it is linked to must fit its kind. Returns its id."""
    _check_username(username)
    if password is not None:
        _check_password(password)
    links = {AccountKind.CITIZEN: ("person_id", person_id), AccountKind.EMPLOYER: ("employer_id", employer_id),
             AccountKind.FACILITY: ("facility_code", facility_code)}
    if kind in links and links[kind][1] is None:
        raise InvalidInput(f"a {kind.value} account needs {links[kind][0]}", code="account.link_missing",
                           field=links[kind][0], rule="citizens link to a person, employers to an employer, "
                           "facilities to a facility code")
    with uow:
        if uow.session.scalar(select(Account.id).where(Account.username == username)) is not None:
            raise Conflict(f"username {username!r} is taken", code="account.username_taken", field="username",
                           rule="usernames are unique")
        account = Account(username=username, kind=kind, display_name=display_name,
                          password_hash=hash_password(password) if password is not None else None,
                          person_id=person_id, employer_id=employer_id, facility_code=facility_code,
                          active=True, failed_signins=0, created_on=at.date())
        uow.session.add(account)
        uow.session.flush()
        record_event(uow=uow, actor=actor, action="account.create", record_type="account", record_id=account.id,
                     at=at, detail={"username": username, "kind": kind.value})
        uow.commit()
        return account.id


def add_posting(*, uow: UnitOfWork, username: str, office_code: str, role: Role, valid_from: dt.date,
                actor: Actor, at: dt.datetime) -> int:
    """Post a staff account to ``role`` at an office from ``valid_from``."""
    if role not in STAFF_ROLES:
        raise InvalidInput(f"{role.value} is not a staff role", code="posting.role_invalid", field="role",
                           rule="staff roles: " + ", ".join(sorted(r.value for r in STAFF_ROLES)))
    with uow:
        account = _account(uow, username)
        if account.kind != AccountKind.STAFF:
            raise InvalidInput(f"{username} is a {account.kind} account", code="posting.not_staff",
                               field="username", rule="only staff accounts hold postings")
        office = resolve_office(uow=uow, code=office_code, on=valid_from)
        posting = Posting(account_id=account.id, office_id=office.id, role=role.value, valid_from=valid_from)
        uow.session.add(posting)
        uow.session.flush()
        record_event(uow=uow, actor=actor, action="posting.create", record_type="posting", record_id=posting.id,
                     at=at, detail={"username": username, "office": office_code, "role": role.value,
                                    "valid_from": valid_from.isoformat()})
        uow.commit()
        return posting.id


def _account(uow: UnitOfWork, username: str) -> Account:
    account = uow.session.scalar(select(Account).where(Account.username == username))
    if account is None:
        raise NotFound(f"no account {username!r}", code="account.not_found", field="username",
                       rule="the account must exist")
    return account


def _postings_on(uow: UnitOfWork, account_id: int, on: dt.date) -> list[tuple[Posting, OfficeInfo]]:
    """The account's postings in force on ``on``, each with its office (read through org)."""
    postings = list(uow.session.scalars(
        select(Posting).where(Posting.account_id == account_id, Posting.valid_from <= on,
                              or_(Posting.valid_to.is_(None), Posting.valid_to >= on))
        .order_by(Posting.id)))
    offices = offices_by_id(uow.session, {p.office_id for p in postings})
    return [(posting, offices[posting.office_id]) for posting in postings if posting.office_id in offices]


def _principal(account: Account, credential_id: int | None, posting: tuple[Posting, OfficeInfo] | None) -> Principal:
    if posting is None:
        return Principal(account_id=account.id, username=account.username, kind=AccountKind(account.kind),
                         role=ROLE_OF_KIND[AccountKind(account.kind)], display_name=account.display_name,
                         person_id=account.person_id, employer_id=account.employer_id,
                         facility_code=account.facility_code, credential_id=credential_id)
    held, office = posting
    return Principal(account_id=account.id, username=account.username, kind=AccountKind(account.kind),
                     role=Role(held.role), display_name=account.display_name, office_id=office.id,
                     office_code=office.code,
                     national=office.kind == OfficeKind.CENTRAL, credential_id=credential_id)


def _choose_posting(uow: UnitOfWork, account: Account, on: dt.date, role: Role | None,
                    office_code: str | None) -> tuple[Posting, OfficeInfo] | None:
    if account.kind != AccountKind.STAFF:
        return None
    for posting, office in _postings_on(uow, account.id, on):
        if (role is None or posting.role == role.value) and (office_code is None or office.code == office_code):
            return posting, office
    raise Forbidden(f"{account.username} holds no posting{' as ' + role.value if role else ''}"
                    f"{' at ' + office_code if office_code else ''} on {on}", code="auth.no_posting",
                    field="role" if role else None, rule="staff act through a posting in force that day")


def _issue(uow: UnitOfWork, account: Account, posting: tuple[Posting, OfficeInfo] | None, kind: CredentialKind,
           *, now: dt.datetime, label: str = "") -> Issued:
    secret = new_secret(PREFIX[kind])
    csrf = new_secret("csrf") if kind == CredentialKind.WEB_SESSION else None
    expires = None if kind == CredentialKind.API_KEY else now + dt.timedelta(hours=get_settings().session_hours)
    credential = Credential(kind=kind, digest=digest(secret), account_id=account.id,
                            posting_id=posting[0].id if posting else None,
                            csrf_digest=digest(csrf) if csrf else None, label=label, issued_at=now,
                            expires_at=expires)
    uow.session.add(credential)
    uow.session.flush()
    return Issued(secret=secret, csrf_token=csrf, principal=_principal(account, credential.id, posting),
                  expires_at=expires)


def _refuse_credentials() -> NotAuthenticated:
    return NotAuthenticated("the username or password is wrong", code="auth.invalid_credentials",
                            field="password", rule="sign in with a valid username and password")


def sign_in(*, uow: UnitOfWork, username: str, password: str, now: dt.datetime,
            kind: CredentialKind = CredentialKind.WEB_SESSION, role: Role | None = None,
            office_code: str | None = None) -> Issued:
    """Check a password and issue a web session or a bearer token, as ``role`` at ``office_code``."""
    settings = get_settings()
    with uow:
        account = uow.session.scalar(select(Account).where(Account.username == username).with_for_update())
        if account is None or not account.active:
            password_matches(None, password)
            raise _refuse_credentials()
        if account.locked_until is not None and account.locked_until > now:
            raise NotAuthenticated(f"the account is locked until {account.locked_until.isoformat(timespec='minutes')}"
                                   " after repeated failed sign-ins", code="auth.locked", field="username",
                                   rule=f"{settings.signin_max_failures} failed sign-ins in a row lock an account "
                                   f"for {settings.signin_lock_minutes} minutes")
        if not password_matches(account.password_hash, password):
            account.failed_signins += 1
            if account.failed_signins >= settings.signin_max_failures:
                account.locked_until = now + dt.timedelta(minutes=settings.signin_lock_minutes)
                account.failed_signins = 0
            record_event(uow=uow, actor=Actor(username=account.username, account_id=account.id),
                         action="auth.signin_failed", record_type="account", record_id=account.id, at=now,
                         detail={"locked": account.locked_until is not None and account.locked_until > now})
            uow.commit()
            raise _refuse_credentials()
        account.failed_signins = 0
        account.locked_until = None
        issued = _issue(uow, account, _choose_posting(uow, account, now.date(), role, office_code), kind,
                        now=now)
        record_event(uow=uow, actor=issued.principal.actor, action="auth.signin", record_type="account",
                     record_id=account.id, at=now, detail={"credential": kind.value})
        uow.commit()
        return issued


def sign_in_citizen(*, uow: UnitOfWork, person_id: int, now: dt.datetime,
                    kind: CredentialKind = CredentialKind.WEB_SESSION) -> Issued:
    """Issue a session to the citizen the national e-identity (or the demo's local sign-in) vouched for."""
    with uow:
        account = uow.session.scalar(select(Account).where(Account.person_id == person_id))
        if account is None or not account.active:
            raise NotAuthenticated("no active citizen account for that identity", code="auth.no_account",
                                   field="citizen_id", rule="a citizen signs in to an account linked to them")
        issued = _issue(uow, account, None, kind, now=now)
        record_event(uow=uow, actor=issued.principal.actor, action="auth.signin", record_type="account",
                     record_id=account.id, at=now, detail={"credential": kind.value, "via": "e-identity"})
        uow.commit()
        return issued


def issue_api_key(*, uow: UnitOfWork, username: str, label: str, now: dt.datetime, actor: Actor) -> str:
    """A new API key for a machine client (a facility's, the national portal's); the secret is shown only now."""
    with uow:
        account = _account(uow, username)
        if account.kind not in MACHINE_KINDS:
            raise InvalidInput(f"{username} is a {account.kind} account", code="api_key.not_facility",
                               field="username",
                               rule="API keys are issued to machine clients: health facilities, the national portal")
        issued = _issue(uow, account, None, CredentialKind.API_KEY, now=now, label=label)
        record_event(uow=uow, actor=actor, action="api_key.issue", record_type="account", record_id=account.id,
                     at=now, detail={"label": label, "credential_id": issued.principal.credential_id})
        uow.commit()
        return issued.secret


def authenticate(*, uow: UnitOfWork, secret: str, now: dt.datetime,
                 kinds: frozenset[CredentialKind]) -> Principal:
    """The principal behind a session cookie, bearer token or API key, or ``auth.*`` 401."""
    with uow:
        row = uow.session.execute(
            select(Credential, Account).join(Account, Account.id == Credential.account_id)
            .where(Credential.digest == digest(secret))).first()
        if row is None or row[0].kind not in kinds:
            raise NotAuthenticated("the credential is not recognised", code="auth.invalid_token",
                                   rule="present a session, token or key that ansinh issued")
        credential, account = row
        if credential.revoked_at is not None or not account.active:
            raise NotAuthenticated("the credential has been revoked", code="auth.revoked",
                                   rule="sign in again")
        if credential.expires_at is not None and credential.expires_at <= now:
            raise NotAuthenticated("the credential has expired", code="auth.expired", rule="sign in again")
        posting = None
        if credential.posting_id is not None:
            posting = next((p for p in _postings_on(uow, account.id, now.date()) if p[0].id == credential.posting_id),
                           None)
            if posting is None:
                raise NotAuthenticated("the posting this session acts for has ended", code="auth.posting_ended",
                                       rule="sign in again to act at your current office")
        return _principal(account, credential.id, posting)


def csrf_matches(*, uow: UnitOfWork, credential_id: int, token: str) -> bool:
    """Whether ``token`` is the CSRF token of the web session ``credential_id``."""
    with uow:
        stored = uow.session.scalar(select(Credential.csrf_digest).where(Credential.id == credential_id))
        return stored is not None and same(stored, digest(token))


def sign_out(*, uow: UnitOfWork, secret: str, now: dt.datetime) -> None:
    """Revoke a session or token (signing out twice is harmless)."""
    with uow:
        credential = uow.session.scalar(select(Credential).where(Credential.digest == digest(secret)))
        if credential is not None and credential.revoked_at is None:
            credential.revoked_at = now
            record_event(uow=uow, actor=Actor(username=_username(uow, credential.account_id),
                                              account_id=credential.account_id),
                         action="auth.signout", record_type="account", record_id=credential.account_id, at=now)
            uow.commit()


def _username(uow: UnitOfWork, account_id: int) -> str:
    return uow.session.scalar(select(Account.username).where(Account.id == account_id)) or str(account_id)


@dataclass(frozen=True)
class AccountSummary:
    """An account as the administrators' list shows it."""

    username: str
    kind: str
    display_name: str
    postings: tuple[str, ...]
    locked: bool


def list_accounts(*, uow: UnitOfWork, on: dt.date, now: dt.datetime | None = None) -> list[AccountSummary]:
    """Every account with its postings in force on ``on`` (``role@office``)."""
    with uow:
        accounts = list(uow.session.scalars(select(Account).order_by(Account.username)))
        summaries = []
        for account in accounts:
            held = tuple(f"{posting.role}@{office.code}" for posting, office in _postings_on(uow, account.id, on))
            locked = account.locked_until is not None and (now is None or account.locked_until > now)
            summaries.append(AccountSummary(account.username, str(account.kind), account.display_name, held, locked))
        return summaries
