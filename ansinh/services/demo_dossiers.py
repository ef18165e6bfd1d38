"""Dossiers for the demo: one at each stage, so that every page has something true to show.

They are filed and moved through the same verbs as any dossier, on past working days
counted back from the demo's day, so their history, deadlines and messages are what the
system itself wrote:

* the demo citizen's correction, filed online at another province's office and waiting
  there to be received and routed home (the any-office story, for the away officer);
* a correction delivered on time, another decided late, one overdue in review and one
  waiting for a supplement, all at the demo province's office, for the queue and the
  on-time report.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from ansinh.accounts import service as accounts
from ansinh.accounts.principal import Principal
from ansinh.core.clock import VIETNAM
from ansinh.db.uow import UnitOfWork
from ansinh.services import calendar, dossiers
from ansinh.services.dossier_schemas import (
    Assignment,
    Decision,
    Delivery,
    DossierSubmit,
    SupplementItem,
    SupplementRequest,
    UploadIn,
)

FORM = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] "
        b"/Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
"""A blank one-page PDF standing for the scanned TK1-TS form."""


class Someone(Protocol):
    """A person as the demo lists them: their citizen ID and name."""

    @property
    def citizen_id(self) -> str: ...

    @property
    def full_name(self) -> str: ...


@dataclass(frozen=True)
class DemoDesk:
    """Who moves the demo's dossiers: the citizen, the home office's officer, the away officer."""

    citizen: str
    officer: str
    away_officer: str
    password: str


def working_days_before(day: dt.date, n: int) -> dt.date:
    """The working day ``n`` working days before ``day``."""
    current, counted = day, 0
    while counted < n:
        current -= dt.timedelta(days=1)
        counted += calendar.is_working_day(current)
    return current


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=VIETNAM)


def _form() -> UploadIn:
    return UploadIn(document_code="form_tk1_ts", filename="tk1-ts.pdf", media_type="application/pdf",
                    content_base64=base64.b64encode(FORM).decode())


def _correction(person: Someone, office_code: str | None = None,
                applicant_name: str | None = None) -> DossierSubmit:
    return DossierSubmit(procedure_code="608", citizen_id=person.citizen_id,
                         data={"citizen_id": person.citizen_id, "field": "full_name", "new_value": person.full_name,
                               "reason": "Họ tên trên sổ BHXH khác Cơ sở dữ liệu quốc gia về dân cư"},
                         documents=[_form()], office_code=office_code, applicant_name=applicant_name,
                         contact_phone="0912345678")


def _principal(uow: UnitOfWork, username: str, password: str, at: dt.datetime) -> Principal:
    return accounts.sign_in(uow=uow, username=username, password=password, now=at).principal


def _review(uow: UnitOfWork, officer: Principal, dossier_id: int, day: dt.date) -> None:
    dossiers.assign(uow=uow, principal=officer, dossier_id=dossier_id,
                    data=Assignment(assignee=officer.username), at=_at(day, 10))
    dossiers.start_review(uow=uow, principal=officer, dossier_id=dossier_id, at=_at(day, 11))


def seed_demo_dossiers(*, uow: UnitOfWork, desk: DemoDesk, citizen: Someone,
                       others: Sequence[Someone], today: dt.date, now: dt.datetime) -> int:
    """File and move the demo's dossiers; how many were filed."""
    citizen_desk = _principal(uow, desk.citizen, desk.password, now)
    officer = _principal(uow, desk.officer, desk.password, now)
    away = _principal(uow, desk.away_officer, desk.password, now).office_code
    dossiers.submit(uow=uow, principal=citizen_desk, data=_correction(citizen, office_code=away),
                    at=_at(working_days_before(today, 1), 16))
    filed = 1
    for person, received_ago, outcome in zip(others, (12, 11, 8, 4), ("on_time", "late", "overdue", "supplement"),
                                             strict=False):
        received = working_days_before(today, received_ago)
        handled = dossiers.submit(uow=uow, principal=officer, data=_correction(person, applicant_name=person.full_name),
                                  at=_at(received))
        filed += 1
        _review(uow, officer, handled.id, received)
        if outcome == "on_time":
            decided = working_days_before(today, received_ago - 4)
            dossiers.decide(uow=uow, principal=officer, dossier_id=handled.id, data=Decision(approve=True),
                            at=_at(decided, 14))
            dossiers.deliver(uow=uow, principal=officer, dossier_id=handled.id,
                             data=Delivery(note="Kết quả trên VssID"), at=_at(decided, 15))
        elif outcome == "late":
            dossiers.decide(uow=uow, principal=officer, dossier_id=handled.id,
                            data=Decision(approve=False, reasons="Họ tên đề nghị không khớp Cơ sở dữ liệu quốc gia "
                                                                 "về dân cư; đề nghị cập nhật CCCD trước."),
                            at=_at(working_days_before(today, 2), 14))
        elif outcome == "supplement":
            item = SupplementItem(document_code="change_evidence", note="Bản chụp quyết định thay đổi họ tên")
            dossiers.request_supplement(uow=uow, principal=officer, dossier_id=handled.id,
                                        data=SupplementRequest(items=[item]), at=_at(working_days_before(today, 2)))
    return filed
