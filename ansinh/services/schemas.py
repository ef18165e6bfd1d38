"""The public-service catalogue as data: what a procedure file may say, and the API's answers.

A procedure file (``data/procedures/<code>.yaml``) is read into :class:`ProcedureFile`;
unknown keys are refused, and so is a file that contradicts itself: a deadline without the
article it comes from, a procedure marked available without the verb that does the work,
or a document asked for that the agency already holds. docs/procedures.md explains each
field and where the facts come from.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

VSS_CODE = r"^[0-9]{3}[a-z]?$"
"""A code from the agency's own list: three digits and an optional letter (``600``, ``602a``)."""
ANSINH_CODE = r"^AS-[A-Z0-9]+(-[A-Z0-9]+)*$"
"""A code ansinh gives where the agency's is not known (``AS-PENSION``); never reused."""
CODE_PATTERN = f"({VSS_CODE})|({ANSINH_CODE})"
NATIONAL_CODE = r"^[0-9]\.[0-9]{6}$"
DOTTED_NAME = r"^ansinh(\.[a-z_][a-z0-9_]*)+$"
JSON_TYPES = frozenset({"string", "integer", "number", "boolean", "array", "object", "null"})
SCHEMA_KEYWORDS = frozenset({
    "type", "description", "enum", "const", "format", "pattern", "minLength", "maxLength", "minimum",
    "maximum", "items", "minItems", "maxItems", "properties", "required", "additionalProperties", "default",
})
"""The JSON Schema keywords a field may use; anything else is a typo (or a comma in flow YAML)."""


class Domain(StrEnum):
    """The agency's fields of work (lĩnh vực) a procedure belongs to."""

    COLLECTION = "collection"
    CARDS = "cards"
    SHORT_TERM = "short_term"
    WORK_INJURY = "work_injury"
    LONG_TERM = "long_term"
    PAYMENT = "payment"
    HEALTH = "health"
    CROSS_CUTTING = "cross_cutting"


class Applicant(StrEnum):
    """Who may file: a citizen (also through a collection agent), an employer, a facility, an officer."""

    CITIZEN = "citizen"
    EMPLOYER = "employer"
    FACILITY = "facility"
    OFFICER = "officer"


class OnlineLevel(StrEnum):
    FULL = "full"
    PARTIAL = "partial"


class ResultKind(StrEnum):
    DECISION = "decision"
    CARD = "card"
    BOOK = "book"
    CERTIFICATE = "certificate"
    STATEMENT = "statement"
    RECORD = "record"
    REFUND = "refund"
    ANSWER = "answer"


class Status(StrEnum):
    AVAILABLE = "available"
    NOT_YET_AVAILABLE = "not_yet_available"


class Area(StrEnum):
    """The ansinh areas (docs/DESIGN) that will build a procedure not available yet."""

    REGISTRY = "registry"
    COLLECTION = "collection"
    BENEFITS = "benefits"
    HEALTH = "health"
    LEDGER = "ledger"
    SERVICES = "services"
    DOCUMENTS = "documents"
    ACCOUNTS = "accounts"
    OUTSIDE = "outside"
    """Decided by another authority; ansinh would only record or pay."""


class HeldBy(StrEnum):
    ANSINH = "ansinh"
    POPULATION_REGISTER = "population_register"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Document(_Strict):
    """A document the applicant hands in."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_vi: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    required: bool


class HeldDocument(_Strict):
    """A document never asked for, because ansinh or the population register holds what it says."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_vi: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    held_by: HeldBy
    why: str = Field(min_length=1)
    basis: str = Field(min_length=1, description="The rule that forbids asking, with its evidence tag.")


class NotAsked(_Strict):
    """A held document this procedure's paper form used to ask for, with any note."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    note: str | None = None


class Result(_Strict):
    kind: ResultKind
    name_vi: str = Field(min_length=1)
    name_en: str = Field(min_length=1)


class Availability(_Strict):
    status: Status
    area: Area | None = Field(default=None, description="The area that will build it; needed unless available.")
    note: str | None = None

    @model_validator(mode="after")
    def _area_when_missing(self) -> Availability:
        if self.status == Status.NOT_YET_AVAILABLE and self.area is None:
            raise ValueError("a procedure not yet available names the area that will build it")
        return self


class Evidence(_Strict):
    """How sure the entry is: E = seen in a source, K = knowledge to verify (PROCEDURES-SEED)."""

    tag: Literal["E", "K"]
    sources: list[str] = Field(min_length=1)
    unverified: list[str] = Field(default_factory=list)


def _known_keywords(name: str, spec: dict[str, Any]) -> None:
    """Refuse a keyword outside :data:`SCHEMA_KEYWORDS`, here and in nested items and properties."""
    unknown = sorted(set(spec) - SCHEMA_KEYWORDS)
    if unknown:
        raise ValueError(f"property {name!r} has unknown JSON Schema keywords {unknown}")
    if isinstance(spec.get("items"), dict):
        _known_keywords(f"{name}.items", spec["items"])
    for inner, inner_spec in (spec.get("properties") or {}).items():
        _known_keywords(f"{name}.{inner}", inner_spec)


class DataSchema(BaseModel):
    """A JSON Schema (object form) of the data the applicant fills in.

    Checked for the shape ansinh relies on: an object with properties, each typed or
    enumerated, and required fields that are properties; extra JSON Schema keywords pass.
    """

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)

    type: Literal["object"]
    properties: dict[str, dict[str, Any]] = Field(min_length=1)
    required: list[str] = Field(default_factory=list)
    additional_properties: bool = Field(default=False, alias="additionalProperties")

    @field_validator("properties")
    @classmethod
    def _typed(cls, properties: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        for name, spec in properties.items():
            _known_keywords(name, spec)
            kinds = spec.get("type")
            kinds = [kinds] if isinstance(kinds, str) else kinds
            if kinds is None and "enum" not in spec:
                raise ValueError(f"property {name!r} needs a type or an enum")
            if kinds is not None and (not isinstance(kinds, list) or not set(kinds) <= JSON_TYPES):
                raise ValueError(f"property {name!r} has type {spec.get('type')!r}, not a JSON Schema type")
        return properties

    @model_validator(mode="after")
    def _required_are_properties(self) -> DataSchema:
        missing = [name for name in self.required if name not in self.properties]
        if missing:
            raise ValueError(f"required fields {missing} are not among the properties")
        return self


class ProcedureFile(_Strict):
    """One procedure as written in its YAML file."""

    code: str = Field(pattern=CODE_PATTERN)
    national_code: str | None = Field(default=None, pattern=NATIONAL_CODE)
    name_vi: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    domain: Domain
    applicants: list[Applicant] = Field(min_length=1)
    online_level: OnlineLevel
    deadline_working_days: int | None = Field(ge=1)
    deadline_basis: str | None = None
    deadline_note: str | None = None
    any_office: bool
    data_schema: DataSchema
    documents: list[Document]
    documents_not_asked: list[NotAsked]
    result: Result
    service_verb: str | None = Field(default=None, pattern=DOTTED_NAME)
    availability: Availability
    legal_basis: list[str] = Field(min_length=1)
    evidence: Evidence

    @model_validator(mode="after")
    def _consistent(self) -> ProcedureFile:
        if self.deadline_working_days is not None and not self.deadline_basis:
            raise ValueError("deadline_working_days needs deadline_basis: the article it comes from")
        if self.availability.status == Status.AVAILABLE and self.service_verb is None:
            raise ValueError("an available procedure names the service_verb that carries it out")
        codes = [d.code for d in self.documents]
        if len(codes) != len(set(codes)):
            raise ValueError("documents: a code is given twice")
        asked_and_held = sorted(set(codes) & {n.code for n in self.documents_not_asked})
        if asked_and_held:
            raise ValueError(f"documents asks for {asked_and_held}, which documents_not_asked says is held")
        return self


class ProcedureSummary(BaseModel):
    """A line of the catalogue."""

    model_config = ConfigDict(frozen=True)

    code: str
    national_code: str | None
    name_vi: str
    name_en: str
    domain: Domain
    applicants: list[Applicant]
    online_level: OnlineLevel
    deadline_working_days: int | None
    any_office: bool
    availability: Status


class NotAskedPublic(BaseModel):
    """A document the agency must not ask for, and why."""

    code: str
    name_vi: str
    name_en: str
    held_by: HeldBy
    why: str
    basis: str
    note: str | None


class ProcedurePublic(BaseModel):
    """A procedure in full, with the held documents spelled out."""

    code: str
    national_code: str | None
    name_vi: str
    name_en: str
    domain: Domain
    applicants: list[Applicant]
    online_level: OnlineLevel
    deadline_working_days: int | None
    deadline_basis: str | None
    deadline_note: str | None
    any_office: bool
    data_schema: dict[str, Any] = Field(description="JSON Schema of the data the applicant fills in.")
    documents: list[Document]
    documents_not_asked: list[NotAskedPublic]
    result: Result
    service_verb: str | None
    availability: Availability
    legal_basis: list[str]
    evidence: Evidence


class ProcedureList(BaseModel):
    count: int
    items: list[ProcedureSummary]
