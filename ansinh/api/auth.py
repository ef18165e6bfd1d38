"""Who is calling: credentials at the edge, and the permission each route needs.

Three ways in, each documented as an OpenAPI security scheme:

- ``Authorization: Bearer tok_…`` for API clients (``POST /api/v1/auth/token``);
- ``X-API-Key: key_…`` for health facilities' machine clients;
- the ``ansinh_session`` cookie of the web pages. A cookie is sent by the browser on its
  own, so a state-changing request that relies on it must also carry the session's CSRF
  token (``X-CSRF-Token`` header or ``csrf_token`` form field).

A route declares its permission as a dependency, ``Annotated[Principal,
Depends(require(Permission.PERSON_READ))]``; no route checks a role by name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from ansinh.accounts.models import CredentialKind
from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import Permission
from ansinh.accounts.service import authenticate, csrf_matches
from ansinh.api.deps import UowDep
from ansinh.core import clock
from ansinh.core.errors import Forbidden, NotAuthenticated

SESSION_COOKIE = "ansinh_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

bearer_scheme = HTTPBearer(auto_error=False, description="A token from POST /api/v1/auth/token.")
api_key_scheme = APIKeyHeader(name="X-API-Key", auto_error=False, description="A health facility's API key.")
cookie_scheme = APIKeyCookie(name=SESSION_COOKIE, auto_error=False, description="The web pages' session.")


async def _csrf_token(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    if request.headers.get("content-type", "").startswith(("application/x-www-form-urlencoded",
                                                            "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


async def optional_principal(
    request: Request,
    uow: UowDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    api_key: Annotated[str | None, Depends(api_key_scheme)],
    cookie: Annotated[str | None, Depends(cookie_scheme)],
) -> Principal | None:
    """The caller, if they presented a credential; a bad credential is a 401, never anonymous."""
    now = clock.now()
    if bearer is not None:
        return authenticate(uow=uow, secret=bearer.credentials, now=now,
                            kinds=frozenset({CredentialKind.BEARER_TOKEN}))
    if api_key is not None:
        return authenticate(uow=uow, secret=api_key, now=now, kinds=frozenset({CredentialKind.API_KEY}))
    if cookie is None:
        return None
    principal = authenticate(uow=uow, secret=cookie, now=now, kinds=frozenset({CredentialKind.WEB_SESSION}))
    if request.method not in SAFE_METHODS:
        token = await _csrf_token(request)
        if principal.credential_id is None or not token or not csrf_matches(
                uow=uow, credential_id=principal.credential_id, token=token):
            raise Forbidden("the form or request lacks this session's CSRF token", code="auth.csrf",
                            field=CSRF_FIELD, rule="a state change through the session cookie carries its token")
    return principal


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]


def signed_in(principal: OptionalPrincipal) -> Principal:
    """The caller, or 401."""
    if principal is None:
        raise NotAuthenticated("sign in to use this", code="auth.required",
                               rule="personal data is served to signed-in callers only")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(signed_in)]


def require(permission: Permission) -> Callable[[Principal], Principal]:
    """A dependency admitting callers whose role holds ``permission`` (401 anonymous, 403 otherwise)."""

    def check(principal: CurrentPrincipal) -> Principal:
        if not principal.may(permission):
            raise Forbidden(f"a {principal.role.value} may not do this ({permission.value})", code="auth.forbidden",
                            rule=f"needs the permission {permission.value}", extra={"permission": permission.value})
        return principal

    check.__name__ = f"require_{permission.name.lower()}"
    return check


def needs(permission: Permission) -> list[Any]:
    """Route dependencies admitting only callers whose role holds ``permission``."""
    return [Depends(require(permission))]
