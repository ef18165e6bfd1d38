"""Who may see which employers' arrears, risk and inspection cases: the office's jurisdiction.

An inspector or accountant of a provincial office sees the employers located in the areas
their office (or an office under it) serves; the central office sees the country. The risk
list and the ageing keep the national ranking but show only those employers, and a case
outside the jurisdiction answers as a case that does not exist, as records do elsewhere
(:mod:`ansinh.accounts.jurisdiction`).
"""

from __future__ import annotations

import datetime as dt

from ansinh.accounts.jurisdiction import check_employer, visible_employer_ids
from ansinh.accounts.principal import Principal
from ansinh.collection import inspections
from ansinh.collection.compliance_schemas import CasePublic
from ansinh.core.errors import NotFound
from ansinh.db.uow import UnitOfWork

__all__ = ["case_in_reach", "check_employer", "visible_employer_ids"]


def case_in_reach(*, uow: UnitOfWork, principal: Principal, case_id: int, on: dt.date) -> CasePublic:
    """The case, if its employer is within the principal's jurisdiction on ``on``; else ``inspection.not_found``."""
    case = inspections.get_case(uow=uow, case_id=case_id)
    try:
        check_employer(uow=uow, principal=principal, key=case.unit_code, on=on)
    except NotFound:
        raise NotFound(f"no inspection case {case_id}", code="inspection.not_found", field="case_id") from None
    return case
