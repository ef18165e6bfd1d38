"""Pages and the signed-in user: the session cookie, its CSRF token, and sign-in redirects.

A page that needs a user declares ``Annotated[Principal, Depends(page_user(Permission.X))]``.
Anonymous visitors are sent to the sign-in page and brought back afterwards; a signed-in
user without the permission gets the 403 page. The CSRF token of the session sits in its
own cookie, which the pages copy into their forms; only its digest is stored server-side.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote, urlsplit

from fastapi import Request
from fastapi.responses import Response

from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import Permission
from ansinh.accounts.service import Issued
from ansinh.api.auth import SESSION_COOKIE, OptionalPrincipal
from ansinh.core.errors import Forbidden
from ansinh.core.settings import get_settings

CSRF_COOKIE = "ansinh_csrf"


class SignInRequired(Exception):
    """The page needs a signed-in user; the handler redirects to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def safe_next(value: str | None) -> str:
    """A path on this site to return to after sign-in; anything else (another host) goes home."""
    if not value:
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def signin_url(next_path: str) -> str:
    return f"/signin?next={quote(next_path, safe='/')}"


def page_user(permission: Permission | None = None) -> Callable[[Request, Principal | None], Principal]:
    """A page dependency: the signed-in user holding ``permission`` (or any user when None)."""

    def check(request: Request, principal: OptionalPrincipal) -> Principal:
        if principal is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise SignInRequired(target)
        if permission is not None and not principal.may(permission):
            raise Forbidden(f"a {principal.role.value} may not open this page", code="auth.forbidden",
                            rule=f"needs the permission {permission.value}")
        request.state.principal = principal
        return principal

    return check


def start_session(response: Response, issued: Issued) -> None:
    """Set the session and CSRF cookies of a web sign-in."""
    secure = get_settings().cookie_secure
    max_age = get_settings().session_hours * 3600
    response.set_cookie(SESSION_COOKIE, issued.secret, max_age=max_age, httponly=True, secure=secure,
                        samesite="lax", path="/")
    response.set_cookie(CSRF_COOKIE, issued.csrf_token or "", max_age=max_age, httponly=True, secure=secure,
                        samesite="strict", path="/")


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")


def csrf_token(request: Request) -> str:
    """The session's CSRF token, for a form's hidden field."""
    return request.cookies.get(CSRF_COOKIE, "")


def user_of(request: Request) -> Principal | None:
    """The signed-in user a page was rendered for, if any."""
    principal = getattr(request.state, "principal", None)
    return principal if isinstance(principal, Principal) else None
