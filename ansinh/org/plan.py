"""A restructuring plan as data: what it may say, and how it is read from YAML or JSON.

A plan has a ``key`` (applying the same plan twice is a no-op), the day it takes effect, the
decision it carries out (``source``) and a list of operations, each one of:

``merge``     several offices close; one new office takes their areas, staff and work.
``split``     one office closes; new offices share its areas; ``staff_to`` and ``work_to``
              name the new office that takes its staff and its open work (a work item only
              knows its office, not the area its record lies in, so it cannot follow an area).
``rename``    an office closes and reopens under a new code and name (and, if given, a new
              parent, kind or areas); everything follows it.
``dissolve``  offices close; one office (existing, or opened by the same plan) takes their
              areas, staff and work.
``reassign``  areas move from one office to another; both stay open.
``create``    a new office opens, with its parent and areas.

Areas are written ``LEVEL:CODE`` (``province:01``, ``district:001``, ``commune:00070``) and
are read on the plan's date. The checks that need the database live in
:mod:`ansinh.org.plan_check`; this module only checks the shape.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ansinh.core import strict_yaml
from ansinh.core.errors import InvalidInput
from ansinh.org.models import OfficeKind

CODE_PATTERN = r"^[A-Z][A-Z0-9-]{1,19}$"
AREA_PATTERN = r"^(province|district|commune):[0-9]{1,5}$"
OfficeCode = Annotated[str, Field(pattern=CODE_PATTERN, description="Office code, e.g. P34-01.")]
AreaRef = Annotated[str, Field(pattern=AREA_PATTERN, description="LEVEL:CODE, e.g. province:01.")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class NewOffice(_Strict):
    """An office a plan opens. ``parent`` and ``areas`` have per-operation defaults."""

    code: OfficeCode
    name: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=200)
    kind: OfficeKind
    parent: OfficeCode | None = None
    areas: list[AreaRef] = Field(default_factory=list)


class RenameTarget(_Strict):
    """The office a renamed office becomes; what is left out is kept from the old one."""

    code: OfficeCode
    name: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=200)
    kind: OfficeKind | None = None
    parent: OfficeCode | None = None
    areas: list[AreaRef] | None = None


class Merge(_Strict):
    op: Literal["merge"]
    offices: list[OfficeCode] = Field(min_length=2)
    into: NewOffice


class Split(_Strict):
    op: Literal["split"]
    office: OfficeCode
    into: list[NewOffice] = Field(min_length=2)
    staff_to: OfficeCode
    work_to: OfficeCode


class Rename(_Strict):
    op: Literal["rename"]
    office: OfficeCode
    to: RenameTarget


class Dissolve(_Strict):
    op: Literal["dissolve"]
    offices: list[OfficeCode] = Field(min_length=1)
    into: OfficeCode


class Reassign(_Strict):
    op: Literal["reassign"]
    areas: list[AreaRef] = Field(min_length=1)
    from_office: OfficeCode = Field(alias="from")
    to: OfficeCode


class Create(_Strict):
    op: Literal["create"]
    office: NewOffice


Operation = Annotated[Merge | Split | Rename | Dissolve | Reassign | Create, Field(discriminator="op")]
OPERATION_KINDS = ("merge", "split", "rename", "dissolve", "reassign", "create")


class Plan(_Strict):
    """A restructuring plan (see the module docstring and docs/offices.md)."""

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{2,79}$", description="Stable name of the plan.")
    effective_on: dt.date
    source: str = Field(min_length=1, max_length=300, description="The decision the plan carries out.")
    operations: list[Operation] = Field(min_length=1)

    def canonical(self) -> str:
        """The plan as sorted-key JSON: two plans with the same content give the same text."""
        return json.dumps(self.model_dump(mode="json", by_alias=True), sort_keys=True, ensure_ascii=False,
                          separators=(",", ":"))


def _field(loc: tuple[int | str, ...]) -> str:
    """A Pydantic error location as a dotted field, without the union's tag.

    ``("operations", 3, "merge", "into", "code")`` -> ``operations.3.into.code``.
    """
    parts = list(loc)
    if len(parts) > 2 and parts[0] == "operations" and parts[2] in OPERATION_KINDS:
        del parts[2]
    return ".".join(str(part) for part in parts) or "plan"


def parse_plan(data: object) -> Plan:
    """A plan from parsed YAML or JSON; the first problem names its field."""
    if isinstance(data, Plan):
        return data
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InvalidInput(
            first.get("msg", "invalid value"), code="plan.invalid", field=_field(tuple(first.get("loc", ()))),
            rule="a restructuring plan has a key, an effective_on date, a source and operations "
                 "(merge, split, rename, dissolve, reassign, create); see docs/offices.md",
        ) from None


def read_plan_text(text: str, *, name: str = "plan") -> Plan:
    """A plan from YAML (or JSON, which is YAML) text."""
    try:
        data: Any = strict_yaml.load(text, dates_as_text=True)
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{name} is not valid YAML: {exc}", code="plan.invalid", field="plan",
                           rule="a plan file is a YAML mapping") from None
    return parse_plan(data)


def read_plan_file(path: Path) -> Plan:
    """A plan from a YAML file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}", code="plan.unreadable", field="plan",
                           rule="the plan file must exist and be readable") from None
    return read_plan_text(text, name=str(path))
