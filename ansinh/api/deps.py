"""FastAPI dependencies shared by the routers, as ``Annotated`` aliases."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.exceptions import RequestValidationError

from ansinh.core import clock
from ansinh.db.uow import UnitOfWork


def get_uow(request: Request) -> UnitOfWork:
    """A unit of work for this request, not yet open: each service opens it and commits.

    It must not be opened here. A dependency's exit runs after FastAPI has sent the response,
    so a transaction held open by the dependency would commit only then: the client would be
    told of a change not yet written (and never written, if that commit failed), and its next
    request (a browser following the redirect after sign-in) could miss it.
    """
    return UnitOfWork(request.app.state.engine)


def get_as_of(
    as_of: Annotated[dt.date | None, Query(description="Date the answer is read on (default today).")] = None,
) -> dt.date:
    """The date a request is answered for: given by the caller, or today at the edge."""
    return as_of or clock.today()


def refuse_nul_characters(request: Request) -> None:
    """Answer 422 naming the parameter when a path or query parameter holds a NUL character.

    PostgreSQL cannot store or compare text with NUL in it; request bodies are checked by
    their Pydantic models.
    """
    where: list[tuple[str, str, str]] = [("path", k, v) for k, v in request.path_params.items() if isinstance(v, str)]
    where += [("query", k, v) for k, v in request.query_params.multi_items()]
    errors = [
        {"type": "string_nul", "loc": (place, name), "msg": "text must not contain NUL characters", "input": value}
        for place, name, value in where
        if "\x00" in value
    ]
    if errors:
        raise RequestValidationError(errors)


UowDep = Annotated[UnitOfWork, Depends(get_uow)]
AsOf = Annotated[dt.date, Depends(get_as_of)]
