"""Errors as RFC 9457 problem+json with a stable ``code`` and the offending ``field``.

Domain errors carry their own status, code, field and rule; request validation errors
from FastAPI are reshaped the same way so that a client handles one format.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from ansinh.core.errors import AnsinhError

PROBLEM_JSON = "application/problem+json"


def problem(
    status: int, title: str, detail: str, code: str, *, field: str | None = None,
    rule: str | None = None, instance: str | None = None, **extra: Any,
) -> JSONResponse:
    """A problem+json response."""
    body: dict[str, Any] = {
        "type": f"https://ansinh.vn/problems/{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if field is not None:
        body["field"] = field
    if rule is not None:
        body["rule"] = rule
    if instance is not None:
        body["instance"] = instance
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def _field_of(location: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in location if p not in ("body", "query", "path")]
    return ".".join(parts) or "body"


async def _domain_error(request: Request, error: Exception) -> JSONResponse:
    if not isinstance(error, AnsinhError):  # registered for AnsinhError only
        raise error
    return problem(
        error.status, error.title, error.message, error.code, field=error.field,
        rule=error.rule, instance=request.url.path, **error.extra,
    )


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    if not isinstance(error, RequestValidationError):  # registered for it only
        raise error
    errors = [
        {"field": _field_of(e.get("loc", ())), "message": e.get("msg", ""), "type": e.get("type")}
        for e in error.errors()
    ]
    first = errors[0] if errors else {"field": "body", "message": "invalid request"}
    return problem(
        422, "Invalid input", f"{first['field']}: {first['message']}", "request.invalid",
        field=first["field"], rule="the request must match the API schema",
        instance=request.url.path, errors=errors,
    )


def install_error_handlers(app: FastAPI) -> None:
    """Make every error the app raises answer problem+json."""
    app.add_exception_handler(AnsinhError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
