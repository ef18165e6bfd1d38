"""``/api/v1/procedures``: the public-service catalogue, open to anyone without signing in.

The routes only read the catalogue shipped with ansinh (:mod:`ansinh.services.catalogue`);
an unknown code answers 404 problem+json with the code ``procedure.unknown`` naming ``code``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from ansinh.services.catalogue import get_procedure, list_procedures
from ansinh.services.schemas import Applicant, Domain, ProcedureList, ProcedurePublic

router = APIRouter(prefix="/procedures", tags=["procedures"])


@router.get("")
def list_catalogue(
    domain: Annotated[Domain | None, Query(description="Only the procedures of this field of work.")] = None,
    applicant: Annotated[Applicant | None, Query(description="Only the procedures this applicant may file.")] = None,
) -> ProcedureList:
    """The procedures, with who may apply, the deadline in working days and whether ansinh does it yet."""
    items = list_procedures(domain=domain, applicant=applicant)
    return ProcedureList(count=len(items), items=items)


@router.get("/{code}")
def show_procedure(
    code: Annotated[str, Path(max_length=40, description="Procedure code, e.g. 630 or AS-PENSION.")],
) -> ProcedurePublic:
    """One procedure in full: the data it asks for, the documents, those it must not ask for, the result."""
    return get_procedure(code)
