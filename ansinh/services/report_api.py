"""``/api/v1/reports/on-time``: dossiers decided on time and late, by office and procedure.

For those whose role reads reports (managers, administrators). The route only reads the
dates and calls :func:`ansinh.services.report.on_time_report`; a period that ends before
it starts answers 422 problem+json with the code ``report.period`` naming ``end``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import Permission
from ansinh.api.auth import require
from ansinh.api.deps import UowDep
from ansinh.core import clock
from ansinh.services.report import OnTimeReport, offices_seen, on_time_report

router = APIRouter(prefix="/reports", tags=["reports"])
Reader = Annotated[Principal, Depends(require(Permission.REPORT_READ))]
Start = Annotated[dt.date | None, Query(description="First decision day counted (default: the 1st of this month).")]
End = Annotated[dt.date | None, Query(description="Last decision day counted (default: today).")]
On = Annotated[dt.date | None, Query(description="Day open overdue dossiers are counted on, and whose office "
                                                 "structure the report uses (default: today).")]


@router.get("/on-time")
def on_time(uow: UowDep, reader: Reader, start: Start = None, end: End = None, on: On = None) -> OnTimeReport:
    """Dossiers decided from ``start`` to ``end`` (on time, late, rate, average working days), and
    those open and overdue on ``on``, by office and procedure: the caller's office and those
    under it, or every office for central staff."""
    today = clock.today()
    day = on or today
    return on_time_report(uow=uow, start=start or today.replace(day=1), end=end or today, on=day,
                          within=offices_seen(uow=uow, principal=reader, on=day))
