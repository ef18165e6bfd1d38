"""Types at the edge of employers' declarations: the lines handed in and what became of them.

A line is taken as given (strings for months, as a file or a form holds them) so that a line
that cannot even be parsed is one rejected line with its reason, not a refusal of the whole
declaration: an employer with a 2,000-line file wants to hear which line is wrong, not that
the file is. Months are ``YYYY-MM`` text here; :mod:`ansinh.collection.declarations` parses
them and rejects the line (code ``declaration.month``) when they do not read.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from ansinh.collection.declaration_models import DeclarationSource, DeclarationStatus

MAX_LINES = 10_000
"""The most lines one declaration (or one file) may hold."""
MAX_KEY_LENGTH = 120
"""The declaration table's key column."""


class DeclarationLineIn(BaseModel):
    """One change for one worker, as the employer gave it."""

    model_config = ConfigDict(extra="forbid")

    kind: str
    """join | leave | salary | suspend | resume; anything else is a rejected line (``declaration.kind``)."""
    person_key: str
    """The worker's citizen ID (12 digits) or SI number (10 digits)."""
    full_name: str | None = None
    """When given, it must match the registry's name (a guard against a mistyped ID)."""
    from_month: str
    """``YYYY-MM``: the first month of the change (for a leave, the last covered month)."""
    to_month: str | None = None
    """``YYYY-MM``: the last month of a suspension (open when not given)."""
    salary: int | str | None = None
    """The monthly contribution salary in đồng (join and salary lines). Text is read as a file
    holds it (``10.000.000``, ``10,000,000``); a line whose salary does not read as whole đồng is
    rejected (``salary.format``), not the declaration."""
    hi_group_code: str | None = None
    """The health insurance group (join lines; "DN", enterprise workers, when not given)."""
    reason: str | None = None
    """suspend: maternity | unpaid_leave | sick_leave | suspended_contract."""


class DeclarationIn(BaseModel):
    """The API's body: a declaration of typed lines."""

    model_config = ConfigDict(extra="forbid")

    key: str | None = Field(default=None, min_length=1, max_length=MAX_KEY_LENGTH)
    """The client's idempotency key (or the ``Idempotency-Key`` header): handing the same key in
    again returns the first result."""
    all_or_nothing: bool = False
    lines: list[DeclarationLineIn]


class LineResult(BaseModel):
    """One line and whether it was accepted; a rejected line says which rule it broke."""

    line_no: int
    kind: str
    person_key: str
    accepted: bool
    error_code: str | None = None
    error_field: str | None = None
    error_message: str | None = None
    back_dated: bool = False
    """The change reaches a month already assessed for the employer (it was re-assessed)."""


class MonthReassessment(BaseModel):
    """What the declaration's back-dated lines changed in one month already assessed."""

    month: dt.date
    rows: int
    """Participations whose charge changed."""
    total: int
    """The signed change of the month's dues (all payers), in đồng."""
    funds: dict[str, int]


class DeclarationResult(BaseModel):
    """A declaration as recorded: its counts, each line's fate, and the months re-assessed."""

    id: int
    key: str
    employer_unit_code: str
    declared_on: dt.date
    source: DeclarationSource
    filename: str | None = None
    all_or_nothing: bool = False
    status: DeclarationStatus
    lines_total: int
    lines_accepted: int
    lines_rejected: int
    back_dated_lines: int
    reassessed: list[MonthReassessment] = []
    lines: list[LineResult] = []
    replayed: bool = False
    """The key had been handed in before: this is the first result, and nothing changed now."""
