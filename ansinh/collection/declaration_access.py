"""Who may declare for which employer: one rule for the API, the pages and nobody else.

An employer's account declares for its own unit only (:permission:`contribution.declare`);
staff who record participation (``participation.record``) declare on an employer's behalf,
for the employers their office serves (a central office's staff for any employer). Anyone
else is refused, and an employer outside the caller's reach answers as one that does not
exist (``employer.not_found``), as everywhere in the registry.
"""

from __future__ import annotations

import datetime as dt

from ansinh.accounts.jurisdiction import check_employer
from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import Permission
from ansinh.core.errors import Forbidden
from ansinh.db.uow import UnitOfWork

DECLARE_PERMISSIONS = (Permission.CONTRIBUTION_DECLARE, Permission.PARTICIPATION_RECORD)


def may_declare(principal: Principal) -> bool:
    """Whether the principal's role may hand in declarations at all."""
    return any(principal.may(permission) for permission in DECLARE_PERMISSIONS)


def require_declarer(principal: Principal) -> Principal:
    """The principal, if its role may declare; else ``auth.forbidden`` (403)."""
    if not may_declare(principal):
        raise Forbidden(f"a {principal.role.value} may not declare for an employer", code="auth.forbidden",
                        rule="needs the permission contribution.declare or participation.record",
                        extra={"permission": Permission.CONTRIBUTION_DECLARE.value})
    return principal


def check_declarer(*, uow: UnitOfWork, principal: Principal, unit_code: str, on: dt.date) -> int:
    """The employer's id if ``principal`` may declare for it on ``on``; else 403 or ``employer.not_found``."""
    require_declarer(principal)
    return check_employer(uow=uow, principal=principal, key=unit_code, on=on, field="unit_code")
