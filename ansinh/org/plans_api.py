"""Restructuring plans over HTTP, behind four eyes.

An administrator submits a plan: it is checked in full and dry-run, and waits for approval
with what it would move. A second administrator approves it and it is applied, in one
transaction, with the approval; the one who submitted it cannot approve it
(``auth.maker_checker``). ``ansinh org restructure`` on the server applies a plan directly:
the command line is the operators' tool and acts with the system's authority.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, status
from pydantic import BaseModel, Field

from ansinh.accounts import approvals
from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import Permission
from ansinh.api.auth import require
from ansinh.api.deps import UowDep
from ansinh.core import clock
from ansinh.org.plan import Plan
from ansinh.org.restructure import RestructureResult, restructure

router = APIRouter(prefix="/org/restructure-plans", tags=["offices"])
Administrator = Annotated[Principal, Depends(require(Permission.ORG_RESTRUCTURE))]
KIND = "org.restructure"
ApprovalId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Id of the plan awaiting approval.")]


class RestructureOutcome(BaseModel):
    """What a plan moves: offices, areas, staff and open work (a preview until applied)."""

    approval_id: int
    status: str = Field(description="pending (awaiting a second administrator) or approved (applied).")
    key: str
    effective_on: dt.date
    dry_run: bool
    offices_closed: list[str]
    offices_opened: list[str]
    successions: list[list[str]]
    areas: list[dict[str, Any]]
    staff: list[dict[str, Any]]
    work: list[dict[str, Any]]


def _outcome(approval_id: int, state: str, result: RestructureResult) -> RestructureOutcome:
    body = asdict(result)
    return RestructureOutcome(
        approval_id=approval_id, status=state, key=result.key, effective_on=result.effective_on,
        dry_run=result.dry_run, offices_closed=result.offices_closed, offices_opened=result.offices_opened,
        successions=[list(s) for s in result.successions], areas=body["areas"], staff=body["staff"],
        work=body["work"])


@router.post("", response_model=RestructureOutcome, status_code=status.HTTP_201_CREATED)
def submit_plan(plan: Plan, uow: UowDep, admin: Administrator) -> RestructureOutcome:
    """Check a plan, show what it would move, and hold it for a second administrator."""
    preview = restructure(uow=uow, plan=plan, actor=admin.actor, dry_run=True)
    held = approvals.prepare(uow=uow, kind=KIND, reference=plan.key, payload=plan.model_dump(mode="json"),
                             maker=admin, at=clock.now())
    return _outcome(held.id, held.status.value, preview)


@router.post("/{approval_id}/approval", response_model=RestructureOutcome)
def approve_plan(approval_id: ApprovalId, uow: UowDep, admin: Administrator) -> RestructureOutcome:
    """Approve a plan another administrator submitted, and apply it."""
    with uow:
        held = approvals.approve(uow=uow, approval_id=approval_id, kind=KIND, checker=admin, at=clock.now())
        result = restructure(uow=uow, plan=held.payload, actor=admin.actor, applied_on=clock.today(),
                             at=clock.now())
        uow.commit()
    return _outcome(held.id, held.status.value, result)
