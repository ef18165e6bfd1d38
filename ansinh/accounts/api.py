"""Sign-in and accounts over HTTP: tokens for API clients, and accounts for administrators."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status

from ansinh.accounts import service
from ansinh.accounts.models import AccountKind, CredentialKind
from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import ROLE_PERMISSIONS, Permission
from ansinh.accounts.schemas import (
    AccountCreate,
    ApiKeyCreate,
    ApiKeyPublic,
    CreatedPublic,
    PostingCreate,
    PrincipalPublic,
    TokenPublic,
    TokenRequest,
)
from ansinh.api.auth import CurrentPrincipal, bearer_scheme, require
from ansinh.api.deps import UowDep
from ansinh.core import clock
from ansinh.registry.lookups import employer_by_key, person_by_key

router = APIRouter(tags=["accounts"])
Administrator = Annotated[Principal, Depends(require(Permission.ACCOUNT_MANAGE))]


@router.post("/auth/token", response_model=TokenPublic)
def issue_token(body: TokenRequest, uow: UowDep) -> TokenPublic:
    """Sign in with a password for a bearer token; staff may choose the posting to act as."""
    issued = service.sign_in(uow=uow, username=body.username, password=body.password, now=clock.now(),
                             kind=CredentialKind.BEARER_TOKEN, role=body.role, office_code=body.office_code)
    return TokenPublic(access_token=issued.secret, expires_at=issued.expires_at, role=issued.principal.role,
                       office_code=issued.principal.office_code)


@router.post("/auth/signout", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_token(request: Request, _signed_in: CurrentPrincipal, uow: UowDep) -> None:
    """Revoke the bearer token this request presents."""
    credentials = await bearer_scheme(request)
    if credentials is not None:
        service.sign_out(uow=uow, secret=credentials.credentials, now=clock.now())


@router.get("/auth/me", response_model=PrincipalPublic)
def who_am_i(principal: CurrentPrincipal) -> PrincipalPublic:
    """The caller: account, the role acted as, the office, and what that role may do."""
    return PrincipalPublic(username=principal.username, display_name=principal.display_name, kind=principal.kind,
                           role=principal.role, office_code=principal.office_code,
                           permissions=sorted(p.value for p in ROLE_PERMISSIONS[principal.role]))


@router.post("/accounts", response_model=CreatedPublic, status_code=status.HTTP_201_CREATED)
def create_account(body: AccountCreate, uow: UowDep, admin: Administrator) -> CreatedPublic:
    """Open an account (administrators). Citizens link by citizen ID, employers by unit code."""
    with uow:
        person_id = person_by_key(uow.session, body.citizen_id, field="citizen_id").id if body.citizen_id else None
        employer_id = (employer_by_key(uow.session, body.employer_unit_code, field="employer_unit_code").id
                       if body.employer_unit_code else None)
        account_id = service.create_account(
            uow=uow, username=body.username, kind=AccountKind(body.kind), display_name=body.display_name,
            password=body.password, person_id=person_id, employer_id=employer_id,
            facility_code=body.facility_code, actor=admin.actor, at=clock.now())
    return CreatedPublic(id=account_id)


@router.post("/accounts/{username}/postings", response_model=CreatedPublic, status_code=status.HTTP_201_CREATED)
def add_posting(username: str, body: PostingCreate, uow: UowDep, admin: Administrator) -> CreatedPublic:
    """Post a staff account to a role at an office from a date (administrators)."""
    posting_id = service.add_posting(uow=uow, username=username, office_code=body.office_code, role=body.role,
                                     valid_from=body.valid_from, actor=admin.actor, at=clock.now())
    return CreatedPublic(id=posting_id)


@router.post("/accounts/{username}/api-keys", response_model=ApiKeyPublic, status_code=status.HTTP_201_CREATED)
def issue_api_key(username: str, body: ApiKeyCreate, uow: UowDep, admin: Administrator) -> ApiKeyPublic:
    """Issue an API key to a health facility's client (administrators); shown once."""
    secret = service.issue_api_key(uow=uow, username=username, label=body.label, now=clock.now(),
                                   actor=admin.actor)
    return ApiKeyPublic(api_key=secret, label=body.label)
