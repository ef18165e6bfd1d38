"""The messages a dossier's steps send: to the applicant by e-mail and SMS, to the national
portal as a status callback.

They are written to the outbox with the step, in its transaction, keyed by dossier, step
and channel, so a step sends each message once, and only if the step was committed.
Texts are Vietnamese, the language the agency writes to the public in; each says exactly
what changed and, for a supplement request, exactly what is missing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from ansinh.db.uow import UnitOfWork
from ansinh.services import outbox
from ansinh.services.dossier_schemas import SupplementItem
from ansinh.services.models import Channel, Dossier, DossierStatus, OutboxChannel

STATUS_VI = {
    DossierStatus.SUBMITTED: "đã nộp, chờ tiếp nhận",
    DossierStatus.RECEIVED: "đã tiếp nhận",
    DossierStatus.ASSIGNED: "đã phân công xử lý",
    DossierStatus.IN_REVIEW: "đang xử lý",
    DossierStatus.AWAITING_SUPPLEMENT: "cần bổ sung",
    DossierStatus.APPROVED: "đã giải quyết",
    DossierStatus.REFUSED: "từ chối giải quyết",
    DossierStatus.DELIVERED: "đã trả kết quả",
}
"""How each status reads to the public."""

TELLS_APPLICANT = frozenset({DossierStatus.SUBMITTED, DossierStatus.RECEIVED, DossierStatus.AWAITING_SUPPLEMENT,
                             DossierStatus.APPROVED, DossierStatus.REFUSED, DossierStatus.DELIVERED})
"""The steps an applicant is told of; assignment and the start of review are internal."""


def _reference(dossier: Dossier) -> str:
    return dossier.receipt_code or f"#{dossier.id}"


def _text(dossier: Dossier, procedure_name: str, office_name: str | None,
          missing: Sequence[SupplementItem], reasons: str | None) -> str:
    lines = [f"Hồ sơ {_reference(dossier)} ({procedure_name}) {STATUS_VI[dossier.status]}."]
    if dossier.status == DossierStatus.RECEIVED and dossier.due_on is not None:
        lines.append(f"Cơ quan giải quyết: {office_name}. Hẹn trả kết quả: {dossier.due_on:%d/%m/%Y}.")
        lines.append(f"Tra cứu bằng mã hồ sơ {dossier.receipt_code} và số định danh cá nhân.")
    if dossier.status == DossierStatus.AWAITING_SUPPLEMENT:
        lines.append("Cần bổ sung:")
        lines.extend(f"- {item.document_code or item.field}: {item.note}" for item in missing)
        lines.append("Thời hạn giải quyết tạm dừng cho đến khi nhận đủ hồ sơ.")
    if dossier.status == DossierStatus.REFUSED and reasons:
        lines.append(f"Lý do: {reasons}")
    return "\n".join(lines)


def portal_payload(dossier: Dossier, at: dt.datetime, note: str | None) -> str:
    """The JSON body of a status callback to the national portal (docs/portal.md)."""
    return json.dumps({
        "portal_dossier_id": dossier.portal_dossier_id, "receipt_code": dossier.receipt_code,
        "status": dossier.status.value if isinstance(dossier.status, DossierStatus) else dossier.status,
        "status_at": at.isoformat(), "due_on": dossier.due_on.isoformat() if dossier.due_on else None,
        "note": note,
    }, ensure_ascii=False)


def tell(*, uow: UnitOfWork, dossier: Dossier, step: int, procedure_name: str, office_name: str | None,
         at: dt.datetime, portal_url: str | None, missing: Sequence[SupplementItem] = (),
         reasons: str | None = None, note: str | None = None) -> None:
    """Write the messages of step ``step`` of ``dossier`` to the outbox, in the caller's transaction."""
    status = DossierStatus(dossier.status)
    if dossier.channel == Channel.PORTAL and portal_url:
        outbox.enqueue(uow=uow, key=f"dossier:{dossier.id}:{step}:portal", channel=OutboxChannel.PORTAL,
                       recipient=portal_url, subject=f"status {status.value}",
                       body=portal_payload(dossier, at, note), dossier_id=dossier.id, at=at)
    if status not in TELLS_APPLICANT:
        return
    subject = f"Hồ sơ {_reference(dossier)}: {STATUS_VI[status]}"
    body = _text(dossier, procedure_name, office_name, missing, reasons)
    if dossier.contact_email:
        outbox.enqueue(uow=uow, key=f"dossier:{dossier.id}:{step}:email", channel=OutboxChannel.EMAIL,
                       recipient=dossier.contact_email, subject=subject, body=body, dossier_id=dossier.id, at=at)
    if dossier.contact_phone:
        outbox.enqueue(uow=uow, key=f"dossier:{dossier.id}:{step}:sms", channel=OutboxChannel.SMS,
                       recipient=dossier.contact_phone, subject=subject, body=body, dossier_id=dossier.id, at=at)
