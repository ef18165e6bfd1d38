"""The registry's officer pages: find a person, open their file.

As thin as ``api.py``: each page parses the request, calls one service function and
renders; domain errors become an error page in the user's language with the HTTP status
the error carries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ansinh.accounts.jurisdiction import check_person, person_file_for, visible_people
from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import Permission
from ansinh.api.deps import AsOf, UowDep
from ansinh.core import clock
from ansinh.core.errors import InvalidInput, NotFound
from ansinh.registry import service
from ansinh.registry.schemas import HistoryMonth, PersonList
from ansinh.web.render import redirect, render, render_error
from ansinh.web.session import page_user

router = APIRouter()

SEARCH_LIMIT = 50
"""Rows a search shows; an officer who needs more should narrow the query."""


@dataclass
class YearOfHistory:
    """The history rows of one calendar year, as the person page groups them."""

    year: str
    rows: list[HistoryMonth] = field(default_factory=list)

    @property
    def months(self) -> int:
        """Distinct months covered: two employers in one month still count one month."""
        return len({row.month for row in self.rows})


def history_by_year(history: list[HistoryMonth]) -> list[YearOfHistory]:
    """Split the month-by-month history (oldest first) into calendar years, keeping order."""
    years: list[YearOfHistory] = []
    for row in history:
        year = row.month[:4]
        if not years or years[-1].year != year:
            years.append(YearOfHistory(year))
        years[-1].rows.append(row)
    return years


def _exact_match(result: PersonList, query: str) -> str | None:
    """The citizen ID of the one person whose citizen ID or SI number is the query."""
    if result.count != 1:
        return None
    person = result.items[0]
    return person.citizen_id if query in (person.citizen_id, person.si_number) else None


@router.get(
    "/officer/people", name="person_search", response_model=None, include_in_schema=False
)
def person_search(
    request: Request, uow: UowDep, user: Annotated[Principal, Depends(page_user(Permission.PERSON_SEARCH))],
    q: str = "",
) -> HTMLResponse | RedirectResponse:
    """Search by citizen ID, SI number or name; an exact ID goes straight to the person."""
    query = q.strip()
    if not query:
        return render(request, "registry/search.html", {"query": "", "result": None, "error": None})
    try:
        found = service.find_people(uow=uow, query=query, limit=SEARCH_LIMIT, actor=user.actor, at=clock.now())
        result = visible_people(uow=uow, principal=user, people=found, on=clock.today())
    except InvalidInput as error:
        return render(
            request, "registry/search.html", {"query": query, "result": None, "error": error},
            status_code=error.status,
        )
    citizen_id = _exact_match(result, query)
    if citizen_id is not None:
        return redirect(request, str(request.app.url_path_for("person_page", key=citizen_id)))
    return render(
        request, "registry/search.html",
        {"query": query, "result": result, "error": None, "limit": SEARCH_LIMIT},
    )


@router.get("/officer/people/{key}", name="person_page", include_in_schema=False)
def person_page(request: Request, key: str, uow: UowDep, as_of: AsOf,
                user: Annotated[Principal, Depends(page_user(Permission.PERSON_READ))]) -> HTMLResponse:
    """A person's file: identity, employers, participation periods and monthly history."""
    try:
        check_person(uow=uow, principal=user, key=key, on=clock.today())
        file = person_file_for(uow=uow, principal=user, file=service.person_file(
            uow=uow, key=key, as_of=as_of, actor=user.actor, at=clock.now()))
    except (NotFound, InvalidInput) as error:
        return render_error(request, error, value=key)
    return render(
        request, "registry/person.html",
        {"file": file, "years": history_by_year(file.history), "as_of": as_of},
    )
