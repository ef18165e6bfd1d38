"""The citizen's pension estimate page: a history typed into a form, the quote explained.

The page only reads the form, builds a ``pension`` quote case, calls the quote service once
and renders what it answers; every amount and every rule comes from the service. Bad input
re-shows the form with what was typed and a message naming the field (HTTP 422). The page
runs without login, so the body it reads is small and bounded: a larger body, a body that is
not a plain form, or more history rows than the page can show are refused before parsing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from ansinh.core import clock
from ansinh.core.errors import AnsinhError, ParameterNotInForce
from ansinh.quote.schemas import QuoteCase, QuoteResult
from ansinh.quote.service import quote
from ansinh.web.render import render, render_status

router = APIRouter()

TEMPLATE = "quote/pension.html"
DEFAULT_ROWS = 8
"""History rows a blank form shows: enough for most working lives typed as a few periods."""
MORE_ROWS = 4
"""Rows the "more rows" button adds."""
MAX_ROWS = 40
"""The most history rows the page accepts; a longer history is for the API or an office."""
MAX_BODY_BYTES = 32 * 1024
"""A full form of MAX_ROWS rows is a few kilobytes; anything much larger is not this form."""
MAX_FIELDS = 8 + 4 * MAX_ROWS
ROW_FIELDS = ("from", "to", "salary", "region")
FORM_TYPE = "application/x-www-form-urlencoded"

_ROW_NAME = re.compile(r"^history-(\d{1,4})-(from|to|salary|region)$")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DMY_DAY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_MY_MONTH = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
_WHOLE = re.compile(r"^(\d+|\d{1,3}([.,\u00a0 ]\d{3})+)$")
"""Digits, optionally grouped by threes with a dot, comma or space (10.000.000, 10,000,000)."""
MAX_DIGITS = 15
"""More digits than any salary has: read as "too large" rather than converted, however long."""
_AGE = re.compile(r"^(\d+)y(\d+)m$")


class Refused(Exception):
    """A request this page does not read at all: too large, not a form, too many rows."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


@dataclass
class FormError:
    """One message for the form: the form field it belongs to and what is wrong.

    ``code`` picks the translated sentence in the template; ``detail`` is the service's own
    wording of the rule, shown when there is no better sentence for it.
    """

    field: str
    code: str
    detail: str = ""

    @property
    def anchor(self) -> str:
        """The id of the form control the message is about."""
        return self.field.replace(".", "-")

    @property
    def row(self) -> int | None:
        """The history row (1-based, as shown) the message is about, if any."""
        parts = self.field.split(".")
        return int(parts[1]) + 1 if len(parts) == 3 and parts[0] == "history" else None

    @property
    def column(self) -> str:
        return self.field.rsplit(".", 1)[-1]


@dataclass
class PensionForm:
    """What the citizen typed, kept as text so that the form can show it back unchanged."""

    sex: str = ""
    birth_date: str = ""
    retirement_date: str = ""
    rows: list[dict[str, str]] = field(default_factory=list)

    def errors_by_field(self, errors: list[FormError]) -> dict[str, FormError]:
        return {error.field: error for error in errors}


def first_of_next_month(today: dt.date) -> dt.date:
    """The usual retirement day: pensions start on the first day of a month."""
    return dt.date(today.year + today.month // 12, today.month % 12 + 1, 1)


def blank_rows(count: int) -> list[dict[str, str]]:
    return [dict.fromkeys(ROW_FIELDS, "") for _ in range(count)]


async def read_form(request: Request) -> list[tuple[str, str]]:
    """The posted form's fields, refusing what is not a small URL-encoded form."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != FORM_TYPE:
        raise Refused(415)
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
        raise Refused(413)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise Refused(413)
    try:
        return parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True,
                         max_num_fields=MAX_FIELDS)
    except ValueError as error:  # more fields than a full form has
        raise Refused(413) from error


def parse_form(fields: list[tuple[str, str]]) -> PensionForm:
    """The form's text, with its history rows in order; more rows than allowed are refused."""
    form = PensionForm()
    cells: dict[int, dict[str, str]] = {}
    for name, raw in fields:
        value = raw.strip()
        if name in ("sex", "birth_date", "retirement_date"):
            setattr(form, name, value)
        elif match := _ROW_NAME.match(name):
            index = int(match.group(1))
            if index >= MAX_ROWS:
                raise Refused(413)
            cells.setdefault(index, {})[match.group(2)] = value
    count = max([DEFAULT_ROWS, *(index + 1 for index in cells)])
    form.rows = blank_rows(count)
    for index, row in cells.items():
        form.rows[index].update(row)
    return form


def _day(text: str) -> str:
    """An ISO date from ``YYYY-MM-DD`` or ``DD/MM/YYYY``; other text is left for validation."""
    if _ISO_DAY.match(text):
        return text
    if match := _DMY_DAY.match(text):
        day, month, year = match.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return text


def _month(text: str) -> str:
    """``YYYY-MM`` from ``YYYY-MM`` or ``MM/YYYY``; other text is left for validation."""
    if match := _MY_MONTH.match(text):
        month, year = match.groups()
        return f"{year}-{int(month):02d}"
    return text


def _number(text: str) -> int | str:
    """Whole đồng, with or without digit grouping; other text is left for validation to refuse.

    A number longer than any salary becomes one too large, for validation to refuse as such.
    """
    if not _WHOLE.match(text):
        return text
    digits = re.sub(r"\D", "", text)
    return int(digits) if len(digits) <= MAX_DIGITS else 10**MAX_DIGITS


def case_data(form: PensionForm) -> tuple[dict[str, Any], list[int]]:
    """The quote case as the contract's JSON, and the form row of each history period.

    Blank cells are left out, so that validation names them as missing; a row with no month
    and no salary is an unused row and is skipped.
    """
    person: dict[str, Any] = {}
    if form.sex:
        person["sex"] = form.sex
    if form.birth_date:
        person["birth_date"] = _day(form.birth_date)
    history: list[dict[str, Any]] = []
    rows: list[int] = []
    for index, row in enumerate(form.rows):
        if not (row["from"] or row["to"] or row["salary"]):
            continue
        period: dict[str, Any] = {}
        if row["from"]:
            period["from"] = _month(row["from"])
        if row["to"]:
            period["to"] = _month(row["to"])
        if row["salary"]:
            period["salary"] = _number(row["salary"])
        if row["region"]:
            period["region"] = _number(row["region"])
        history.append(period)
        rows.append(index)
    data: dict[str, Any] = {"regime": "pension", "person": person, "history": history}
    if form.retirement_date:
        data["as_of"] = _day(form.retirement_date)
    return data, rows


_TOP_FIELDS = {"as_of": "retirement_date", "birth_date": "birth_date", "sex": "sex", "person": "birth_date"}


def form_field(location: str, rows: list[int]) -> str:
    """The form field of a case field (``history.2.to`` → the form row that period came from)."""
    parts = location.split(".")
    if parts[0] == "history" and len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) < len(rows):
        column = parts[2] if len(parts) > 2 and parts[2] in ROW_FIELDS else "to"
        return f"history.{rows[int(parts[1])]}.{column}"
    if parts[0] == "person" and len(parts) > 1:
        return _TOP_FIELDS.get(parts[1], "birth_date")
    return _TOP_FIELDS.get(parts[0], parts[0])


_COLUMN_CODES = {
    "birth_date": "date", "retirement_date": "date", "from": "month", "to": "month",
    "region": "region", "sex": "sex",
}
"""The message for a value of the wrong form, by the form field it was typed in."""


def _validation_code(error_type: str, field_name: str) -> str:
    column = field_name.rsplit(".", 1)[-1]
    if error_type == "missing":
        return "missing"
    if column == "salary":
        return "whole" if error_type.startswith("int_") else "salary_range"
    return _COLUMN_CODES.get(column, "invalid")


def validation_errors(error: ValidationError, rows: list[int]) -> list[FormError]:
    """Pydantic's errors on the case as messages on the form's fields."""
    found: list[FormError] = []
    for item in error.errors(include_url=False):
        location = [str(part) for part in item["loc"]]
        message = str(item["msg"]).removeprefix("Value error, ")
        if location == ["history"]:  # out of order or overlapping: the message names the period
            match = re.search(r"history\[(\d+)\]", message)
            name = form_field(f"history.{match.group(1)}.from", rows) if match else "history"
            found.append(FormError(name, "order", message))
        elif len(location) == 2 and location[0] == "history":  # a period ending before it starts
            found.append(FormError(form_field(".".join(location), rows), "reversed", message))
        else:
            name = form_field(".".join(location), rows)
            found.append(FormError(name, _validation_code(item["type"], name), message))
    return found


def service_error(error: AnsinhError, rows: list[int]) -> FormError:
    """A rule the quote service refused the case by, on the field it names."""
    name = form_field(error.field or "history", rows)
    detail = f"{error.message} ({error.rule})" if error.rule else error.message
    if isinstance(error, ParameterNotInForce):
        code = "not_in_force"
    else:
        code = "no_history" if error.code == "history.empty" else "rule"
    return FormError(name, code, detail)


def age_parts(text: object) -> tuple[int, int] | None:
    """Years and months of the contract's ``61y3m``, for the page to word in its language."""
    match = _AGE.match(str(text))
    return (int(match.group(1)), int(match.group(2))) if match else None


def _page(
    request: Request, form: PensionForm, *, result: QuoteResult | None = None,
    errors: list[FormError] | None = None, status_code: int = 200,
) -> HTMLResponse:
    errors = errors or []
    return render(
        request, TEMPLATE,
        {
            "form": form, "result": result, "errors": errors,
            "by_field": form.errors_by_field(errors), "age_parts": age_parts,
            "more_rows": len(form.rows) < MAX_ROWS,
        },
        status_code=status_code,
    )


@router.get("/estimate/pension", name="pension_estimate", include_in_schema=False)
def pension_form(request: Request) -> HTMLResponse:
    """The blank form, retiring on the first day of next month."""
    form = PensionForm(retirement_date=first_of_next_month(clock.today()).isoformat(),
                       rows=blank_rows(DEFAULT_ROWS))
    return _page(request, form)


@router.post("/estimate/pension", name="pension_estimate_post", include_in_schema=False)
async def pension_estimate(request: Request) -> HTMLResponse:
    """The estimate of the posted history, shown under the form; or the form with its errors."""
    try:
        fields = await read_form(request)
        form = parse_form(fields)
    except Refused as refused:
        return render_status(request, refused.status)
    if any(name == "action" and value == "more_rows" for name, value in fields):
        form.rows += blank_rows(min(MORE_ROWS, MAX_ROWS - len(form.rows)))
        return _page(request, form)
    data, rows = case_data(form)
    try:
        case = QuoteCase.model_validate(data)
    except ValidationError as error:
        return _page(request, form, errors=validation_errors(error, rows), status_code=422)
    try:
        result = await run_in_threadpool(quote, case)
    except AnsinhError as error:
        return _page(request, form, errors=[service_error(error, rows)], status_code=error.status)
    return _page(request, form, result=result)
