"""The server-rendered pages: static files, each area's page router, HTML error pages.

Pages are plain HTML and CSS served by the same app as the API, with no JavaScript
framework and nothing fetched from a CDN: offices may run without internet access.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ansinh.accounts.pages import router as accounts_pages
from ansinh.accounts.roles import Permission, Role
from ansinh.api.auth import OptionalPrincipal
from ansinh.api.deps import UowDep
from ansinh.api.errors import domain_problem, http_problem
from ansinh.collection.compliance_pages import router as compliance_pages
from ansinh.collection.declaration_pages import router as declaration_pages
from ansinh.collection.payment_pages import router as payment_pages
from ansinh.core.errors import AnsinhError
from ansinh.quote.pages import router as quote_pages
from ansinh.registry.lookups import person_by_id
from ansinh.registry.pages import router as registry_pages
from ansinh.services.office_pages import router as office_pages
from ansinh.services.pages import router as services_pages
from ansinh.web import i18n
from ansinh.web.render import redirect, render_error, render_status
from ansinh.web.session import SignInRequired, signin_url

STATIC = Path(__file__).parent / "static"
API_PATH = "/api/"
"""Paths under here answer problem+json; every other path is a page and answers HTML."""


async def _http_error(request: Request, error: Exception) -> Response:
    """An unknown address or wrong method: an HTML page for people, problem+json for the API."""
    if not isinstance(error, StarletteHTTPException):
        raise TypeError(f"registered for HTTP errors, got {type(error).__name__}")
    if error.status_code < 400:
        return await http_exception_handler(request, error)
    if request.url.path.startswith(API_PATH):
        return await http_problem(request, error)
    response = render_status(request, error.status_code)
    if error.headers:
        response.headers.update(error.headers)
    return response


async def _domain_error(request: Request, error: Exception) -> Response:
    """A domain error: problem+json for the API, the error page (or sign-in) for people."""
    if not isinstance(error, AnsinhError):
        raise TypeError(f"registered for domain errors, got {type(error).__name__}")
    if request.url.path.startswith(API_PATH):
        return await domain_problem(request, error)
    if error.status == 401:
        return redirect(request, signin_url(request.url.path))
    return render_error(request, error)


async def _sign_in_first(request: Request, error: Exception) -> Response:
    """A page that needs a user, visited anonymously: sign in, then come back."""
    if not isinstance(error, SignInRequired):
        raise TypeError(f"registered for SignInRequired, got {type(error).__name__}")
    return redirect(request, signin_url(error.next_path))


def mount_web(app: FastAPI) -> None:
    """Add the pages, their static files and HTML error pages to ``app``."""
    i18n.load_all()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(accounts_pages)
    app.include_router(registry_pages)
    app.include_router(quote_pages)
    app.include_router(office_pages)
    app.include_router(services_pages)
    app.include_router(payment_pages)
    app.include_router(declaration_pages)
    app.include_router(compliance_pages)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(AnsinhError, _domain_error)
    app.add_exception_handler(SignInRequired, _sign_in_first)

    @app.get("/", include_in_schema=False)
    def home(request: Request, uow: UowDep, principal: OptionalPrincipal) -> RedirectResponse:
        """Where each visitor starts: staff at the person search (finding a person is their
        first task), managers at the on-time report, a citizen at their own record, others at
        their account page."""
        if principal is None:
            return redirect(request, signin_url("/"))
        if principal.may(Permission.PERSON_SEARCH):
            return redirect(request, str(app.url_path_for("person_search")))
        if principal.may(Permission.REPORT_READ):
            return redirect(request, str(app.url_path_for("on_time_page")))
        if principal.role == Role.CITIZEN and principal.person_id is not None:
            with uow:
                citizen_id = person_by_id(uow.session, principal.person_id).citizen_id
            return redirect(request, str(app.url_path_for("person_page", key=citizen_id)))
        return redirect(request, str(app.url_path_for("account_page")))
