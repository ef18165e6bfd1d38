"""The audit log over HTTP, for those whose role reads it: events by record or actor, and a check of the chain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import Permission
from ansinh.api.auth import require
from ansinh.api.deps import UowDep
from ansinh.audit import service
from ansinh.audit.schemas import AuditEventPublic, ChainHead, Verification

router = APIRouter(prefix="/audit", tags=["audit"])
Auditor = Annotated[Principal, Depends(require(Permission.AUDIT_READ))]
Text = Annotated[str | None, Query(min_length=1, max_length=80)]


@router.get("/events", response_model=list[AuditEventPublic])
def list_events(uow: UowDep, _auditor: Auditor, record_type: Text = None, record_id: Text = None,
                actor: Text = None, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[AuditEventPublic]:
    """The latest events, newest first, of one record (type and id) or one actor."""
    return service.events(uow=uow, record_type=record_type, record_id=record_id, actor=actor, limit=limit)


@router.get("/head", response_model=ChainHead)
def chain_head(uow: UowDep, _auditor: Auditor) -> ChainHead:
    """The chain's last sequence number and digest, to keep somewhere the database cannot reach."""
    return service.head(uow=uow)


@router.get("/verification", response_model=Verification)
def verify_chain(uow: UowDep, _auditor: Auditor) -> Verification:
    """Walk the whole chain and name the first missing, altered or unlinked event."""
    return service.verify(uow=uow)
