"""Rendering pages: the language of a request, the template environments, error pages.

Each language has its own Jinja environment with its translations and formatting filters
installed, so a template never asks which language it is in and two requests in different
languages never share state. The language comes from ``?lang=`` (then remembered in a
cookie), else from the cookie, else Vietnamese.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache, partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ansinh.core.errors import AnsinhError
from ansinh.web import i18n
from ansinh.web.session import csrf_token, user_of

TEMPLATES = Path(__file__).parent / "templates"
LANG_PARAM = "lang"
LANG_COOKIE = "ansinh_lang"
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600
"""A year: an officer who chose English should not have to choose it again each week."""


@lru_cache(maxsize=len(i18n.LOCALES))
def environment(locale: str) -> Environment:
    """The template environment of ``locale``: autoescaped, strict about undefined names."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(i18n.translations(locale), newstyle=True)  # type: ignore[attr-defined]
    env.globals["locale"] = locale
    env.globals["locale_names"] = i18n.LOCALE_NAMES
    env.globals["user_of"] = user_of
    env.globals["csrf_token"] = csrf_token
    env.filters["day"] = partial(i18n.format_day, locale=locale)
    env.filters["month"] = partial(i18n.format_month, locale=locale)
    env.filters["month_name"] = partial(i18n.format_month_name, locale=locale)
    env.filters["money"] = partial(i18n.format_money, locale=locale)
    env.filters["number"] = partial(i18n.format_number, locale=locale)
    return env


def locale_of(request: Request) -> str:
    """The language to answer in: asked for now, remembered, or Vietnamese."""
    return (
        i18n.supported(request.query_params.get(LANG_PARAM))
        or i18n.supported(request.cookies.get(LANG_COOKIE))
        or i18n.DEFAULT_LOCALE
    )


def _remember_locale(request: Request, response: HTMLResponse | RedirectResponse) -> None:
    asked = i18n.supported(request.query_params.get(LANG_PARAM))
    if asked and asked != request.cookies.get(LANG_COOKIE):
        response.set_cookie(
            LANG_COOKIE, asked, max_age=LANG_COOKIE_MAX_AGE, httponly=True, samesite="lax"
        )


def switch_url(request: Request, locale: str) -> str:
    """This page's path and query with the language set to ``locale``."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != LANG_PARAM]
    params.append((LANG_PARAM, locale))
    return f"{request.url.path}?{urlencode(params)}"


def render(
    request: Request, template: str, context: Mapping[str, Any] | None = None,
    *, status_code: int = 200,
) -> HTMLResponse:
    """Render ``template`` in the request's language."""
    locale = locale_of(request)

    def path_for(name: str, /, **params: Any) -> str:
        return str(request.app.url_path_for(name, **params))

    page = environment(locale).get_template(template).render(
        request=request,
        path_for=path_for,
        switch_urls={code: switch_url(request, code) for code in i18n.LOCALES},
        **(context or {}),
    )
    response = HTMLResponse(page, status_code=status_code)
    _remember_locale(request, response)
    return response


def redirect(request: Request, url: str) -> RedirectResponse:
    """See Other to ``url``, remembering a language asked for on the way."""
    response = RedirectResponse(url, status_code=303)
    _remember_locale(request, response)
    return response


def render_error(
    request: Request, error: AnsinhError, *, value: str | None = None
) -> HTMLResponse:
    """An error page in the user's language for a domain error, with its HTTP status.

    ``value`` is what the user typed, shown back so they can see what was refused.
    """
    return render(
        request, "error.html", {"error": error, "status": error.status, "value": value},
        status_code=error.status,
    )


def render_status(request: Request, status: int) -> HTMLResponse:
    """An error page for a plain HTTP status (an unknown address, a wrong method)."""
    return render(
        request, "error.html", {"error": None, "status": status, "value": None},
        status_code=status,
    )
