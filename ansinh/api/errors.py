"""Errors as RFC 9457 problem+json with a stable ``code`` and the offending ``field``.

Domain errors carry their own status, code, field and rule; request validation errors
from FastAPI and the framework's HTTP errors (an unreadable body, an unknown path) are
reshaped the same way so that a client handles one format. The OpenAPI document describes
them once, as the ``Problem`` schema of ``PROBLEM_RESPONSES``.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

from ansinh.core.errors import AnsinhError

PROBLEM_JSON = "application/problem+json"


class FieldProblem(BaseModel):
    """One invalid field of a request that does not match the API schema."""

    field: str = Field(description="Dotted path of the field, e.g. \"monthly_salary\" or \"q\".")
    message: str
    type: str | None = Field(default=None, description="Kind of validation failure, e.g. \"missing\".")


class Problem(BaseModel):
    """An error as RFC 9457 problem details; members beyond these carry the error's context."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="URI naming the kind of problem; ends with ``code``.")
    title: str
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong with this request, for a person.")
    code: str = Field(description="Stable machine-readable code, e.g. \"person.not_found\".")
    field: str | None = Field(default=None, description="The offending field or parameter, if one is.")
    rule: str | None = Field(default=None, description="The rule the request broke.")
    instance: str | None = Field(default=None, description="Path of the request.")
    errors: list[FieldProblem] | None = Field(
        default=None, description="Every invalid field, when the request does not match the API schema."
    )


def _problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _problem_response("The request cannot be read, e.g. a body that is not UTF-8 encoded JSON."),
    401: _problem_response("Sign-in required: no credential, or one that is wrong, expired or revoked."),
    403: _problem_response("The signed-in role may not do this."),
    404: _problem_response("The record asked for does not exist, or is outside the caller's jurisdiction."),
    409: _problem_response("The request contradicts what is already recorded."),
    422: _problem_response("The request is invalid: it does not match the API schema or breaks a rule."),
}
"""Error responses every API route may answer; pass to ``include_router(responses=...)``."""


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


async def domain_problem(request: Request, error: Exception) -> JSONResponse:
    """A domain error as problem+json (401 with its ``WWW-Authenticate`` challenge)."""
    if not isinstance(error, AnsinhError):  # registered for AnsinhError only
        raise error
    response = problem(
        error.status, error.title, error.message, error.code, field=error.field,
        rule=error.rule, instance=request.url.path, **error.extra,
    )
    if error.status == HTTPStatus.UNAUTHORIZED:
        response.headers["WWW-Authenticate"] = 'Bearer realm="ansinh"'
    return response


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


async def http_problem(request: Request, error: Exception) -> JSONResponse:
    """An HTTP error raised by the framework (unreadable body, unknown path, wrong method) as problem+json."""
    if not isinstance(error, HTTPException):  # registered for it only
        raise error
    status = error.status_code
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "HTTP error"
    detail = error.detail if isinstance(error.detail, str) else title
    response = problem(status, title, detail, f"http.{status}", instance=request.url.path)
    if error.headers:
        response.headers.update(error.headers)
    return response


def _document_problems(app: FastAPI) -> None:
    """Add the ``Problem`` schema that ``PROBLEM_RESPONSES`` refer to to the OpenAPI document."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        first = app.openapi_schema is None
        document = generate()
        if first:
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(problem_schema.pop("$defs", {}))
            schemas["Problem"] = problem_schema
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def install_error_handlers(app: FastAPI) -> None:
    """Make every error the app raises answer problem+json, and document it in the OpenAPI schema."""
    app.add_exception_handler(AnsinhError, domain_problem)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, http_problem)
    _document_problems(app)
