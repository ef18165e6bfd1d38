"""Maker-checker: a change one person prepares takes effect only when another approves it.

Any area can put a change behind four eyes: it stores what is to be done (``kind`` and a
JSON ``payload``) with :func:`prepare`, and carries it out with what :func:`approve` hands
back. Approving one's own work is refused (``auth.maker_checker``) whatever one's role, and a
change is decided once: approving or rejecting it again is a conflict.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ansinh.accounts.models import Approval, ApprovalStatus
from ansinh.accounts.principal import Principal
from ansinh.audit.service import record_event
from ansinh.core.errors import Conflict, Forbidden, NotFound
from ansinh.db.uow import UnitOfWork


@dataclass(frozen=True)
class ApprovalInfo:
    id: int
    kind: str
    reference: str
    status: ApprovalStatus
    payload: dict[str, Any]
    prepared_by: int


def _info(row: Approval) -> ApprovalInfo:
    return ApprovalInfo(row.id, row.kind, row.reference, ApprovalStatus(row.status), json.loads(row.payload),
                        row.prepared_by)


def prepare(*, uow: UnitOfWork, kind: str, reference: str, payload: dict[str, Any], maker: Principal,
            at: dt.datetime) -> ApprovalInfo:
    """Store a change for a second person to approve (joins the caller's transaction)."""
    with uow:
        row = Approval(kind=kind, reference=reference[:80],
                       payload=json.dumps(payload, ensure_ascii=False, default=str),
                       status=ApprovalStatus.PENDING, prepared_by=maker.account_id, prepared_at=at)
        uow.session.add(row)
        uow.session.flush()
        record_event(uow=uow, actor=maker.actor, action="approval.prepare", record_type="approval", record_id=row.id,
                     at=at, detail={"kind": kind, "reference": reference})
        uow.commit()
        return _info(row)


def _pending(uow: UnitOfWork, approval_id: int, kind: str) -> Approval:
    row = uow.session.scalar(select(Approval).where(Approval.id == approval_id, Approval.kind == kind)
                             .with_for_update())
    if row is None:
        raise NotFound(f"no {kind} change {approval_id} awaits approval", code="approval.not_found",
                       field="approval_id")
    if row.status != ApprovalStatus.PENDING:
        raise Conflict(f"change {approval_id} was already {row.status}", code="approval.decided",
                       field="approval_id", rule="a change is approved or rejected once")
    return row


def _decide(uow: UnitOfWork, row: Approval, checker: Principal, *, at: dt.datetime, status: ApprovalStatus,
            note: str | None) -> None:
    if row.prepared_by == checker.account_id:
        raise Forbidden("the person who prepared a change cannot approve or reject it",
                        code="auth.maker_checker", field="approval_id",
                        rule="maker-checker: a second person decides what one prepared")
    row.status, row.decided_by, row.decided_at, row.note = status, checker.account_id, at, note
    record_event(uow=uow, actor=checker.actor, action=f"approval.{status.value}", record_type="approval",
                 record_id=row.id, at=at, reason=note, detail={"kind": row.kind, "reference": row.reference})


def approve(*, uow: UnitOfWork, approval_id: int, kind: str, checker: Principal, at: dt.datetime) -> ApprovalInfo:
    """Mark a prepared change approved and hand it back for the caller to carry out in the
    same transaction (so a failure leaves it pending)."""
    with uow:
        row = _pending(uow, approval_id, kind)
        _decide(uow, row, checker, at=at, status=ApprovalStatus.APPROVED, note=None)
        uow.session.flush()
        uow.commit()
        return _info(row)


def reject(*, uow: UnitOfWork, approval_id: int, kind: str, checker: Principal, at: dt.datetime,
           note: str) -> ApprovalInfo:
    """Refuse a prepared change, saying why."""
    with uow:
        row = _pending(uow, approval_id, kind)
        _decide(uow, row, checker, at=at, status=ApprovalStatus.REJECTED, note=note)
        uow.commit()
        return _info(row)
