"""FastAPI dependencies shared by the routers, as ``Annotated`` aliases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request

from ansinh.core import clock
from ansinh.db.uow import UnitOfWork


def get_uow(request: Request) -> Iterator[UnitOfWork]:
    """A unit of work for this request; it rolls back unless the service commits."""
    with UnitOfWork(request.app.state.engine) as uow:
        yield uow


def get_as_of(
    as_of: Annotated[dt.date | None, Query(description="Date the answer is read on (default today).")] = None,
) -> dt.date:
    """The date a request is answered for: given by the caller, or today at the edge."""
    return as_of or clock.today()


UowDep = Annotated[UnitOfWork, Depends(get_uow)]
AsOf = Annotated[dt.date, Depends(get_as_of)]
