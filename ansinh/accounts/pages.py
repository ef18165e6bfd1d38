"""Sign-in and sign-out pages: staff, employers and facilities by password; citizens by e-identity.

Citizens sign in through the national electronic identity (an OpenID Connect provider,
``ANSINH_OIDC_ISSUER``); the provider vouches for the citizen ID and ansinh opens a session
for the account linked to that person. Where no provider is configured (the demo, the
tests), ``/signin/citizen`` stands in for it: it checks the citizen account's password and
then takes the same path with the same claims.
"""

from __future__ import annotations

from typing import Annotated, Any

from authlib.integrations.starlette_client import OAuth
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ansinh.accounts import service
from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import ROLE_PERMISSIONS, Role
from ansinh.api.auth import SESSION_COOKIE, CurrentPrincipal
from ansinh.api.deps import UowDep
from ansinh.core import clock
from ansinh.core.errors import AnsinhError, InvalidInput, NotAuthenticated
from ansinh.core.settings import get_settings
from ansinh.db.uow import UnitOfWork
from ansinh.registry.lookups import person_by_key
from ansinh.web.render import redirect, render
from ansinh.web.session import end_session, page_user, safe_next, start_session

router = APIRouter(include_in_schema=False)
CITIZEN_ID_CLAIM = "citizen_id"
"""The claim carrying the 12-digit personal ID (the provider's ``sub`` when it is absent)."""


def _page(request: Request, *, error: AnsinhError | None = None, username: str = "", status: int = 200,
          citizen: bool = False, next_path: str | None = None) -> HTMLResponse:
    """The sign-in form; after a refusal it keeps where the visitor was going."""
    going = safe_next(next_path if next_path is not None else request.query_params.get("next"))
    return render(request, "accounts/signin.html",
                  {"error": error, "username": username, "next": going,
                   "roles": [r.value for r in Role if r not in {Role.CITIZEN, Role.EMPLOYER, Role.FACILITY}],
                   "citizen": citizen, "national_eid": bool(get_settings().oidc_issuer)},
                  status_code=status)


@router.get("/signin", name="signin")
def signin_form(request: Request) -> HTMLResponse:
    """The sign-in form for staff, employers and facilities."""
    return _page(request)


@router.post("/signin", response_model=None)
def signin(request: Request, uow: UowDep, *, username: Annotated[str, Form(max_length=64)],
           password: Annotated[str, Form(max_length=256)], role: Annotated[str, Form(max_length=20)] = "",
           office_code: Annotated[str, Form(max_length=20)] = "",
           next_path: Annotated[str, Form(alias="next", max_length=500)] = "/") -> Response:
    """Check the password and open a session, acting as the chosen posting for staff."""
    try:
        chosen = Role(role) if role else None
    except ValueError:
        return _page(request, error=InvalidInput(f"unknown role {role!r}", code="auth.role_invalid", field="role"),
                     username=username, status=422, next_path=next_path)
    try:
        issued = service.sign_in(uow=uow, username=username.strip(), password=password, now=clock.now(),
                                 role=chosen, office_code=office_code.strip() or None)
    except AnsinhError as error:
        return _page(request, error=error, username=username, status=error.status, next_path=next_path)
    response = redirect(request, safe_next(next_path))
    start_session(response, issued)
    return response


def _citizen_session(request: Request, uow: UnitOfWork, claims: dict[str, Any], next_path: str) -> Response:
    """Open a session for the citizen the claims name: the one path for e-identity and the demo."""
    citizen_id = str(claims.get(CITIZEN_ID_CLAIM) or claims.get("sub") or "")
    with uow:
        person_id = person_by_key(uow.session, citizen_id, field=CITIZEN_ID_CLAIM).id
    issued = service.sign_in_citizen(uow=uow, person_id=person_id, now=clock.now())
    response = redirect(request, safe_next(next_path))
    start_session(response, issued)
    return response


@router.get("/signin/citizen", name="signin_citizen")
def citizen_form(request: Request) -> HTMLResponse:
    """Citizens' sign-in: the national e-identity, or its local stand-in."""
    return _page(request, citizen=True)


@router.post("/signin/citizen", response_model=None)
def citizen_signin(request: Request, uow: UowDep, *, citizen_id: Annotated[str, Form(max_length=12)],
                   password: Annotated[str, Form(max_length=256)],
                   next_path: Annotated[str, Form(alias="next", max_length=500)] = "/") -> Response:
    """The local stand-in for the e-identity provider (used only when none is configured)."""
    if get_settings().oidc_issuer:
        return _page(request, citizen=True, status=409, error=InvalidInput(
            "citizens sign in through the national e-identity here", code="auth.use_national_eid",
            field="citizen_id"))
    try:
        service.sign_in(uow=uow, username=citizen_id.strip(), password=password, now=clock.now())
        return _citizen_session(request, uow, {CITIZEN_ID_CLAIM: citizen_id.strip()}, next_path)
    except AnsinhError as error:
        if isinstance(error, NotAuthenticated) or error.status == 404:
            error = NotAuthenticated("the citizen ID or password is wrong", code="auth.invalid_credentials",
                                     field="password")
        return _page(request, citizen=True, error=error, username=citizen_id, status=error.status,
                     next_path=next_path)


def _oauth() -> OAuth:
    settings = get_settings()
    oauth = OAuth()
    oauth.register("national_eid", client_id=settings.oidc_client_id, client_secret=settings.oidc_client_secret,
                   server_metadata_url=f"{(settings.oidc_issuer or '').rstrip('/')}/.well-known/openid-configuration",
                   client_kwargs={"scope": "openid profile"})
    return oauth


@router.get("/signin/national-eid", name="signin_national_eid", response_model=None)
async def national_eid(request: Request) -> Response:
    """Send the citizen to the national e-identity provider."""
    if not get_settings().oidc_issuer:
        return redirect(request, "/signin/citizen")
    request.session["next"] = safe_next(request.query_params.get("next"))
    client = _oauth().create_client("national_eid")
    callback = str(request.url_for("signin_national_eid_callback"))
    return await client.authorize_redirect(request, callback)  # type: ignore[no-any-return]


@router.get("/signin/national-eid/callback", name="signin_national_eid_callback", response_model=None)
async def national_eid_callback(request: Request, uow: UowDep) -> Response:
    """The provider vouched for the citizen: open their session."""
    client = _oauth().create_client("national_eid")
    token = await client.authorize_access_token(request)
    claims = dict(token.get("userinfo") or await client.userinfo(token=token))
    return _citizen_session(request, uow, claims, request.session.pop("next", "/"))


@router.get("/account", name="account_page")
def account_page(request: Request, user: Annotated[Principal, Depends(page_user())]) -> HTMLResponse:
    """Who is signed in, acting as which role and office, and what that role may do."""
    return render(request, "accounts/account.html",
                  {"user": user, "permissions": sorted(p.value for p in ROLE_PERMISSIONS[user.role])})


@router.post("/signout", name="signout")
def signout(request: Request, uow: UowDep, _signed_in: CurrentPrincipal) -> RedirectResponse:
    """End the session (the CSRF token is checked before this runs)."""
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        service.sign_out(uow=uow, secret=secret, now=clock.now())
    response = redirect(request, "/signin")
    end_session(response)
    return response
