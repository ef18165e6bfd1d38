"""The catalogue of public-service procedures, read once from ``data/``.

One YAML file per procedure under ``data/procedures/`` (its name is the code:
``630.yaml``, ``AS-PENSION.yaml``) and the documents the agency already holds in
``data/held_documents.yaml``. The reader is as strict as the law loader: a key given twice,
an unknown key, a missing field, a file named for another code, a document asked for that
is held, or a service verb that does not import stops the load with an error naming the
file and the key. docs/procedures.md describes the format and the sources.

>>> get_procedure("630").national_code
'1.001667'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ansinh.core import strict_yaml
from ansinh.core.errors import NotFound
from ansinh.services.schemas import (
    Applicant,
    Domain,
    HeldDocument,
    NotAskedPublic,
    ProcedureFile,
    ProcedurePublic,
    ProcedureSummary,
)

DATA_DIR = Path(__file__).parent / "data"


class CatalogueLoadError(Exception):
    """A catalogue file is malformed; raised at load so a wrong procedure never ships."""


def _read(path: Path) -> Any:
    try:
        return strict_yaml.load(path.read_text(encoding="utf-8"), dates_as_text=True)
    except strict_yaml.DuplicateKeyError as exc:
        raise CatalogueLoadError(f"{path}: {exc}") from None
    except yaml.YAMLError as exc:
        raise CatalogueLoadError(f"{path}: not valid YAML: {exc}") from None


def _invalid(path: Path, exc: ValidationError) -> CatalogueLoadError:
    first = exc.errors()[0]
    key = ".".join(str(part) for part in first["loc"]) or "(file)"
    kind = "unknown key" if first["type"] == "extra_forbidden" else first["msg"]
    return CatalogueLoadError(f"{path}: {key}: {kind}")


def resolve_verb(dotted: str) -> Callable[..., Any]:
    """The function a dotted name (``ansinh.quote.service.quote``) names, imported."""
    module_name, _, attribute = dotted.rpartition(".")
    try:
        target = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise LookupError(f"{dotted} does not exist ({exc})") from None
    if not callable(target):
        raise LookupError(f"{dotted} is not callable")
    return target  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Catalogue:
    """The procedures by code, in file order, and the documents held."""

    procedures: dict[str, ProcedureFile]
    held: dict[str, HeldDocument]

    def public(self, procedure: ProcedureFile) -> ProcedurePublic:
        """A procedure with its held documents spelled out."""
        not_asked = [
            NotAskedPublic(**self.held[item.code].model_dump(), note=item.note)
            for item in procedure.documents_not_asked
        ]
        data = procedure.model_dump(exclude={"documents_not_asked", "data_schema"})
        return ProcedurePublic(**data, documents_not_asked=not_asked,
                               data_schema=procedure.data_schema.model_dump(by_alias=True))


def _load_held(path: Path) -> dict[str, HeldDocument]:
    raw = _read(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("documents"), list) or set(raw) != {"documents"}:
        raise CatalogueLoadError(f"{path}: documents: the file holds one key, documents, a list")
    held: dict[str, HeldDocument] = {}
    for index, item in enumerate(raw["documents"]):
        try:
            document = HeldDocument.model_validate(item)
        except ValidationError as exc:
            error = _invalid(path, exc)
            raise CatalogueLoadError(str(error).replace(f"{path}: ", f"{path}: documents.{index}.", 1)) from None
        if document.code in held:
            raise CatalogueLoadError(f"{path}: documents.{index}.code: {document.code!r} is given twice")
        held[document.code] = document
    return held


def _check_procedure(path: Path, procedure: ProcedureFile, held: dict[str, HeldDocument]) -> None:
    if path.stem != procedure.code:
        raise CatalogueLoadError(f"{path}: code: {procedure.code!r} is not the file's name {path.stem!r}")
    for index, item in enumerate(procedure.documents_not_asked):
        if item.code not in held:
            raise CatalogueLoadError(
                f"{path}: documents_not_asked.{index}.code: {item.code!r} is not in held_documents.yaml")
    for index, document in enumerate(procedure.documents):
        if document.code in held:
            raise CatalogueLoadError(
                f"{path}: documents.{index}.code: {document.code!r} is held by "
                f"{held[document.code].held_by.value} and must not be asked for")
    if procedure.service_verb is not None:
        try:
            resolve_verb(procedure.service_verb)
        except LookupError as exc:
            raise CatalogueLoadError(f"{path}: service_verb: {exc}") from None


def load_catalogue(directory: Path = DATA_DIR) -> Catalogue:
    """Read and check every procedure file under ``directory``."""
    held = _load_held(directory / "held_documents.yaml")
    procedures: dict[str, ProcedureFile] = {}
    for path in sorted((directory / "procedures").glob("*.yaml")):
        raw = _read(path)
        if not isinstance(raw, dict):
            raise CatalogueLoadError(f"{path}: (file): a procedure file is a mapping")
        try:
            procedure = ProcedureFile.model_validate(raw)
        except ValidationError as exc:
            raise _invalid(path, exc) from None
        _check_procedure(path, procedure, held)
        procedures[procedure.code] = procedure
    if not procedures:
        raise CatalogueLoadError(f"{directory / 'procedures'}: no procedure files")
    return Catalogue(procedures=procedures, held=held)


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    """The catalogue shipped with ansinh, read once."""
    return load_catalogue()


def _summary(procedure: ProcedureFile) -> ProcedureSummary:
    return ProcedureSummary(
        code=procedure.code, national_code=procedure.national_code, name_vi=procedure.name_vi,
        name_en=procedure.name_en, domain=procedure.domain, applicants=procedure.applicants,
        online_level=procedure.online_level, deadline_working_days=procedure.deadline_working_days,
        any_office=procedure.any_office, availability=procedure.availability.status,
    )


def _matching(procedures: Iterable[ProcedureFile], domain: Domain | None,
              applicant: Applicant | None) -> list[ProcedureFile]:
    return [p for p in procedures
            if (domain is None or p.domain == domain) and (applicant is None or applicant in p.applicants)]


def list_procedures(*, domain: Domain | None = None, applicant: Applicant | None = None,
                    catalogue: Catalogue | None = None) -> list[ProcedureSummary]:
    """The procedures of a domain, or open to an applicant (all when neither is given)."""
    procedures = (catalogue or default_catalogue()).procedures.values()
    return [_summary(p) for p in _matching(procedures, domain, applicant)]


def get_procedure(code: str, *, catalogue: Catalogue | None = None) -> ProcedurePublic:
    """One procedure in full; an unknown code is :class:`NotFound` naming ``code``."""
    catalogue = catalogue or default_catalogue()
    procedure = catalogue.procedures.get(code)
    if procedure is None:
        raise NotFound(f"no procedure has the code {code!r}", code="procedure.unknown", field="code",
                       rule="codes are listed by GET /api/v1/procedures and `ansinh procedures list`")
    return catalogue.public(procedure)
