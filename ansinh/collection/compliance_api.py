"""HTTP routes of arrears and compliance: ageing, interest runs, reminders, the risk list, inspection cases.

- ``GET /api/v1/arrears``: the ageing of arrears on ``as_of`` (accountants and inspectors);
- ``POST /api/v1/arrears/interest-runs`` and ``POST /api/v1/arrears/reminders``: accountants
  (``payment.reconcile``) charge interest through a date and send the written reminders;
  both are idempotent (the run's key; one reminder per employer and day);
- ``GET /api/v1/compliance/risk`` and ``/api/v1/inspections...``: inspectors
  (``inspection.manage``) read the ranked list and open, fill and close cases.

As thin as every ``api.py``: each route reads the request, calls one verb and answers; the
date a request acts on is today's at this edge unless the caller gives it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import Permission
from ansinh.api.auth import require
from ansinh.api.deps import AsOf, UowDep
from ansinh.collection import arrears, inspections, interest, reminders, risk, write_offs
from ansinh.collection.compliance_access import case_in_reach, check_employer, visible_employer_ids
from ansinh.collection.compliance_models import CaseStatus
from ansinh.collection.compliance_schemas import (
    AgeingReport,
    CaseClose,
    CaseOpen,
    CasePublic,
    CaseSummary,
    FindingIn,
    InterestRunSummary,
    ReminderSummary,
    RiskList,
)
from ansinh.collection.write_offs import WrittenOff
from ansinh.core import clock
from ansinh.services.dossiers_api import require_any

arrears_router = APIRouter(prefix="/arrears", tags=["arrears"])
compliance_router = APIRouter(prefix="/compliance", tags=["compliance"])
inspections_router = APIRouter(prefix="/inspections", tags=["compliance"])

ArrearsReader = Annotated[Principal, Depends(require_any(Permission.PAYMENT_RECONCILE, Permission.INSPECTION_MANAGE))]
Accountant = Annotated[Principal, Depends(require(Permission.PAYMENT_RECONCILE))]
Inspector = Annotated[Principal, Depends(require(Permission.INSPECTION_MANAGE))]
CaseId = Annotated[int, Path(ge=1, le=2**62, description="Id of an inspection case.")]
Limit = Annotated[int, Query(ge=1, le=1000, description="Rows in the page.")]
Offset = Annotated[int, Query(ge=0, description="Rows skipped.")]


class InterestRunIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    through: dt.date
    """The last day charged (included)."""


class RemindersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    on: dt.date | None = None
    """The day the reminders are sent (default today)."""
    min_days_overdue: int = Field(default=1, ge=1, le=3650)
    every_days: int = Field(default=30, ge=1, le=3650)


@arrears_router.get("")
def get_ageing(uow: UowDep, reader: ArrearsReader, as_of: AsOf, limit: Limit = 200,
               offset: Offset = 0) -> AgeingReport:
    """Every employer's unpaid dues by days past the deadline, unpaid interest and status (late, evasion)."""
    return arrears.ageing(uow=uow, as_of=as_of, limit=limit, offset=offset,
                          employer_ids=visible_employer_ids(uow=uow, principal=reader, on=clock.today()))


@arrears_router.post("/interest-runs", status_code=status.HTTP_201_CREATED,
                     responses={200: {"description": "Run before: nothing written.", "model": InterestRunSummary}})
def run_interest(data: InterestRunIn, uow: UowDep, principal: Accountant, response: Response) -> InterestRunSummary:
    """Charge late-payment interest on every unpaid balance through ``through``; the same date again writes nothing."""
    summary = interest.charge_interest(uow=uow, through=data.through, actor=principal.actor, at=clock.now())
    if summary.already_run:
        response.status_code = status.HTTP_200_OK
    return summary


@arrears_router.post("/reminders")
def send_reminders(data: RemindersIn, uow: UowDep, principal: Accountant) -> ReminderSummary:
    """Send a written reminder to every employer in arrears not reminded in the last ``every_days`` days."""
    return reminders.send_reminders(uow=uow, on=data.on or clock.today(), actor=principal.actor, at=clock.now(),
                                    min_days_overdue=data.min_days_overdue, every_days=data.every_days)


class WriteOffIn(BaseModel):
    """A decision writing off an employer's debt, as the accountant records it."""

    model_config = ConfigDict(extra="forbid")

    employer_unit_code: str = Field(min_length=1, max_length=10)
    decision_ref: str = Field(description="The decision's number, e.g. 12/QĐ-BHXH.")
    decided_on: dt.date
    through: dt.date = Field(description="The last month written off (its first day).")
    reason: str = Field(max_length=500)


@arrears_router.post("/write-offs", status_code=status.HTTP_201_CREATED,
                     responses={200: {"description": "Recorded before: nothing written.", "model": WrittenOff}})
def record_write_off(data: WriteOffIn, uow: UowDep, principal: Accountant, response: Response) -> WrittenOff:
    """Record a decision writing off an employer's unpaid dues and interest up to a month (not credited to workers)."""
    check_employer(uow=uow, principal=principal, key=data.employer_unit_code, on=clock.today(),
                   field="employer_unit_code")
    result = write_offs.write_off(uow=uow, employer_unit_code=data.employer_unit_code,
                                  decision_ref=data.decision_ref, decided_on=data.decided_on, through=data.through,
                                  reason=data.reason, actor=principal.actor, at=clock.now())
    if result.already_recorded:
        response.status_code = status.HTTP_200_OK
    return result


@compliance_router.get("/risk")
def get_risk(uow: UowDep, inspector: Inspector, as_of: AsOf, limit: Limit = 50, offset: Offset = 0) -> RiskList:
    """Employers ranked by compliance risk score, highest first, each with its reasons."""
    return risk.risk_list(uow=uow, as_of=as_of, limit=limit, offset=offset,
                          employer_ids=visible_employer_ids(uow=uow, principal=inspector, on=clock.today()))


@inspections_router.get("")
def list_cases(uow: UowDep, inspector: Inspector, case_status: Annotated[CaseStatus | None, Query(
        alias="status", description="Only open or closed cases.")] = None, limit: Limit = 100) -> list[CaseSummary]:
    """Inspection cases, open ones first, newest first."""
    return inspections.list_cases(uow=uow, status=case_status, limit=min(limit, inspections.LIST_LIMIT),
                                  employer_ids=visible_employer_ids(uow=uow, principal=inspector, on=clock.today()))


@inspections_router.post("", status_code=status.HTTP_201_CREATED)
def open_case(data: CaseOpen, uow: UowDep, principal: Inspector) -> CasePublic:
    """Open a case on an employer, keeping today's risk score and reasons (one open case per employer)."""
    check_employer(uow=uow, principal=principal, key=data.employer_unit_code, on=clock.today(),
                   field="employer_unit_code")
    return inspections.open_case(uow=uow, employer_unit_code=data.employer_unit_code, on=clock.today(),
                                 actor=principal.actor, at=clock.now())


@inspections_router.get("/{case_id}")
def get_case(case_id: CaseId, uow: UowDep, inspector: Inspector) -> CasePublic:
    """A case with its findings, its declaration and the extra dues it brought."""
    return case_in_reach(uow=uow, principal=inspector, case_id=case_id, on=clock.today())


@inspections_router.post("/{case_id}/findings", status_code=status.HTTP_201_CREATED)
def add_finding(case_id: CaseId, data: FindingIn, uow: UowDep, principal: Inspector) -> CasePublic:
    """Record a finding: a worker not declared, or a salary declared too low, from a month."""
    case_in_reach(uow=uow, principal=principal, case_id=case_id, on=clock.today())
    return inspections.add_finding(uow=uow, case_id=case_id, kind=data.kind, person_key=data.person_key,
                                   from_month=data.from_month, salary=data.salary, note=data.note, on=clock.today(),
                                   actor=principal.actor, at=clock.now(), version=data.version)


@inspections_router.post("/{case_id}/close")
def close_case(case_id: CaseId, data: CaseClose, uow: UowDep, principal: Inspector) -> CasePublic:
    """Close the case: its findings are declared for the employer and re-assessed; a rejected finding blocks it."""
    case_in_reach(uow=uow, principal=principal, case_id=case_id, on=clock.today())
    return inspections.close_case(uow=uow, case_id=case_id, conclusion=data.conclusion, on=clock.today(),
                                  actor=principal.actor, at=clock.now(), version=data.version)


ROUTERS = (arrears_router, compliance_router, inspections_router)
"""What the application includes under /api/v1."""
