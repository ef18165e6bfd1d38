"""Accounts at the edge: sign-in requests, issued tokens, the caller as the API shows them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from ansinh.accounts.models import AccountKind
from ansinh.accounts.roles import Role

Username = Annotated[str, Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]
Secret = Annotated[str, Field(min_length=1, max_length=256)]
OfficeCode = Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9._-]+$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TokenRequest(_Strict):
    """Sign in for a bearer token; staff may name the posting (role, office) to act as."""

    username: Username
    password: Secret
    role: Role | None = None
    office_code: OfficeCode | None = None


class TokenPublic(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth 2 token type, not a secret
    expires_at: dt.datetime | None
    role: Role
    office_code: str | None


class PrincipalPublic(BaseModel):
    """The caller as the API shows them to themselves."""

    username: str
    display_name: str
    kind: AccountKind
    role: Role
    office_code: str | None
    permissions: list[str]


class AccountCreate(_Strict):
    username: Username
    kind: AccountKind
    display_name: Annotated[str, Field(min_length=1, max_length=120)]
    password: Annotated[str, Field(min_length=1, max_length=256)] | None = None
    citizen_id: Annotated[str, Field(pattern=r"^[0-9]{12}$")] | None = None
    employer_unit_code: Annotated[str, Field(min_length=1, max_length=10)] | None = None
    facility_code: Annotated[str, Field(min_length=1, max_length=10)] | None = None


class PostingCreate(_Strict):
    office_code: OfficeCode
    role: Role
    valid_from: dt.date


class ApiKeyCreate(_Strict):
    label: Annotated[str, Field(min_length=1, max_length=80)]


class ApiKeyPublic(BaseModel):
    api_key: str = Field(description="Shown once: ansinh keeps only its digest.")
    label: str


class CreatedPublic(BaseModel):
    id: int
