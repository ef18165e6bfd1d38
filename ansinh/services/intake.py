"""What a dossier must be before it is written: a procedure that takes dossiers, an applicant
it is open to, and data that fits the procedure's schema.

Each check raises an error naming the field and the rule, so an applicant on the portal, an
officer at a counter and the national portal all read the same reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import jsonschema_rs

from ansinh.accounts.roles import Role
from ansinh.core.errors import Forbidden, InvalidInput, NotFound
from ansinh.services.catalogue import default_catalogue, get_procedure
from ansinh.services.schemas import Applicant, ProcedureFile, Status

APPLICANT_OF_ROLE = {Role.CITIZEN: Applicant.CITIZEN, Role.EMPLOYER: Applicant.EMPLOYER,
                     Role.FACILITY: Applicant.FACILITY}
"""Which catalogue applicant a role files as; staff file at a counter on an applicant's behalf."""


def dossier_procedure(code: str) -> ProcedureFile:
    """The procedure ``code`` if it takes dossiers now; otherwise an error saying why not."""
    try:
        get_procedure(code)
    except NotFound as error:
        error.field = "procedure_code"
        raise
    procedure = default_catalogue().procedures[code]
    if procedure.availability.status != Status.AVAILABLE:
        raise InvalidInput(
            f"procedure {code} ({procedure.name_en}) is listed but not available yet: "
            f"{procedure.availability.note or 'its area is not built'}",
            code="procedure.not_available", field="procedure_code",
            rule="a dossier is accepted only for a procedure whose result ansinh can produce")
    if procedure.deadline_working_days is None:
        raise InvalidInput(
            f"procedure {code} is answered at once ({procedure.deadline_note or 'no processing period'}); "
            "it takes no dossier", code="procedure.not_a_dossier", field="procedure_code",
            rule="a dossier is for a procedure with a processing period in working days")
    return procedure


def check_applicant(procedure: ProcedureFile, role: Role) -> None:
    """Refuse a role the procedure is not open to; staff may file any procedure at a counter."""
    applicant = APPLICANT_OF_ROLE.get(role)
    if applicant is None:
        return
    if applicant not in procedure.applicants:
        allowed = ", ".join(a.value for a in procedure.applicants)
        raise Forbidden(f"procedure {procedure.code} is filed by {allowed}, not by a {role.value}",
                        code="dossier.applicant", field="procedure_code",
                        rule="who may apply is part of the procedure (its applicants)")


@cache
def _validator(code: str) -> Any:
    procedure = default_catalogue().procedures[code]
    return jsonschema_rs.validator_for(procedure.data_schema.model_dump(by_alias=True))


def _field(error: Any) -> str:
    path = [str(part) for part in error.instance_path]
    missing = getattr(error.kind, "property", None)
    if isinstance(error.kind, jsonschema_rs.ValidationErrorKind.Required) and missing is not None:
        path.append(str(missing))
    return ".".join(["data", *path])


def check_data(procedure: ProcedureFile, data: Mapping[str, Any]) -> None:
    """Refuse data that does not fit the procedure's schema, naming the first field that fails."""
    errors = sorted(_validator(procedure.code).iter_errors(dict(data)),
                    key=lambda e: [str(p) for p in e.instance_path])
    if errors:
        first = errors[0]
        keyword = ".".join(str(p) for p in first.schema_path)
        raise InvalidInput(f"{_field(first)}: {first.message}", code="dossier.data", field=_field(first),
                           rule=f"procedure {procedure.code}'s data schema ({keyword}); "
                                f"GET /api/v1/procedures/{procedure.code} shows it",
                           extra={"errors": [f"{_field(e)}: {e.message}" for e in errors[:20]]})


def check_subject(data: Mapping[str, Any], citizen_id: str) -> None:
    """A procedure whose data names a citizen ID must name the person the dossier is about."""
    named = data.get("citizen_id")
    if named is not None and named != citizen_id:
        raise InvalidInput(f"data.citizen_id {named!r} is not the dossier's citizen_id {citizen_id!r}",
                           code="dossier.subject", field="data.citizen_id",
                           rule="a dossier is about one person: its citizen_id")
