"""The dossier lifecycle through its service verbs: deadlines across Tết, any-office routing,
the supplement clock, the registry corrected on approval, messages, audit, and refusals
that write nothing."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, update

from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import Role
from ansinh.audit.models import AuditEvent
from ansinh.audit.service import events
from ansinh.core.errors import AnsinhError, Conflict, Forbidden, InvalidInput, NotFound
from ansinh.core.settings import get_settings
from ansinh.db.uow import UnitOfWork
from ansinh.org import work
from ansinh.org.directory import resolve_office
from ansinh.registry.models import Person as PersonRow
from ansinh.registry.models import PopulationRecord
from ansinh.services import dossiers, outbox, views
from ansinh.services.dossier_schemas import (
    Assignment,
    Decision,
    Delivery,
    DossierPublic,
    HistoryStep,
    SupplementAnswer,
    SupplementItem,
    SupplementRequest,
    UploadIn,
)
from ansinh.services.models import Dossier, DossierDocument, DossierEvent, OutboxMessage
from ansinh.services.outbox import OutboxMessagePublic
from tests.factories import register_person
from tests.services.conftest import (
    CITIZEN_ID,
    HANOI,
    MINIMAL_PDF,
    SAIGON,
    Desk,
    correction,
    pdf_upload,
    principal,
    vn,
)
from tests.signin import citizen_account, staff

REGISTER_NAME = "Phạm Thị Thu Hường"
"""The name the population register holds once it differs from the SI record's (a diacritic)."""
OTHER_ID = "079090001234"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
FILED_AT = vn(2026, 2, 12, 20)
ROWS = (Dossier, DossierDocument, DossierEvent, OutboxMessage, AuditEvent)


def rows(engine: Engine) -> dict[str, int]:
    """How many rows each table a dossier step writes holds."""
    with UnitOfWork(engine) as uow:
        return {m.__tablename__: uow.session.scalar(select(func.count()).select_from(m)) or 0 for m in ROWS}


def office_id(desk: Desk, code: str) -> int:
    return resolve_office(uow=desk.uow, code=code, on=dt.date(2026, 2, 13)).id


def read(desk: Desk, who: Principal, dossier_id: int, on: dt.date = dt.date(2026, 3, 2)) -> DossierPublic:
    return views.get_dossier(uow=desk.uow, principal=who, dossier_id=dossier_id, on=on)


def outbox_of(desk: Desk, dossier_id: int) -> list[OutboxMessagePublic]:
    """The messages written for a dossier, in the order they were written."""
    return sorted(outbox.messages(uow=desk.uow, dossier_id=dossier_id), key=lambda m: m.id)


def file_online(desk: Desk, **changes: Any) -> int:
    """Huong files her correction online on Thursday evening, choosing the office in Hồ Chí Minh City."""
    return dossiers.submit(uow=desk.uow, principal=desk.citizen, data=correction(office_code=SAIGON, **changes),
                           at=FILED_AT).id


def to_review(desk: Desk) -> int:
    """A dossier received in Hồ Chí Minh City on Friday 13 February, in review in Hà Nội by officer.hanoi2."""
    dossier_id = file_online(desk)
    dossiers.receive(uow=desk.uow, principal=desk.saigon, dossier_id=dossier_id, at=vn(2026, 2, 13))
    dossiers.assign(uow=desk.uow, principal=desk.hanoi, dossier_id=dossier_id,
                    data=Assignment(assignee="officer.hanoi2"), at=vn(2026, 2, 23))
    dossiers.start_review(uow=desk.uow, principal=desk.hanoi_second, dossier_id=dossier_id, at=vn(2026, 2, 23, 10))
    return dossier_id


def citizen(desk: Desk, citizen_id: str, username: str) -> Principal:
    """Another registered person with a citizen account."""
    register_person(desk.uow, citizen_id=citizen_id, full_name="Trần Văn Bình", birth_date=dt.date(1990, 5, 1),
                    sex="male", si_number="7912345678")
    return principal(desk.engine, citizen_account(desk.engine, citizen_id, username))


# ----------------------------------------------------------------------------- the whole path

def assert_working_days(history: Sequence[HistoryStep]) -> None:
    """Each step's working day of the period, for the path filed on 12, received on 13 February,
    paused from 24 to 26 February, answered on 26, decided on 27 February, delivered on 2 March.

    Up to the supplement request the count is plain (the Tết break is not counted). After it,
    the two paused working days (25, 26 February) are left out, as the due date leaves them out.
    """
    days = [s.working_day for s in history]
    assert days[:5] == [None, 0, 1, 1, 2]
    later = [d for d in days[5:] if d is not None]
    assert len(later) == 3
    assert later == [2, 3, 4]  # the paused days (25 and 26 February) are not counted



def _filed_and_received(desk: Desk) -> tuple[int, str]:
    """Filed online in Hồ Chí Minh City, received there, routed to Hà Nội; the id and receipt code."""
    saigon, hanoi = office_id(desk, SAIGON), office_id(desk, HANOI)
    dossier_id = file_online(desk)
    filed = read(desk, desk.citizen, dossier_id, on=dt.date(2026, 2, 12))
    assert (filed.status, filed.channel, filed.receipt_code, filed.office) == ("submitted", "online", None, None)
    assert filed.receiving_office.code == SAIGON
    assert filed.applicant_name == "Phạm Thị Thu Hương"
    assert [d.document_code for d in filed.documents] == ["form_tk1_ts"]
    assert [r.id for r in views.office_queue(uow=desk.uow, principal=desk.saigon, on=dt.date(2026, 2, 13))] \
        == [dossier_id]
    assert views.office_queue(uow=desk.uow, principal=desk.hanoi, on=dt.date(2026, 2, 13)) == []

    # Friday 13 February 2026, 09:00, the last working day before Tết: five working days run to 27 February.
    received = dossiers.receive(uow=desk.uow, principal=desk.saigon, dossier_id=dossier_id, at=vn(2026, 2, 13))
    assert received.receipt_code == f"HS260213{dossier_id:07d}"
    dossier = read(desk, desk.citizen, dossier_id, on=dt.date(2026, 2, 13))
    assert (dossier.status, dossier.received_on, dossier.deadline_working_days, dossier.due_on) \
        == ("received", dt.date(2026, 2, 13), 5, dt.date(2026, 2, 27))
    assert (dossier.receiving_office.code, dossier.office and dossier.office.code) == (SAIGON, HANOI)
    held = [i for i in work.office_work(uow=desk.uow, office_id=hanoi, on=dt.date(2026, 2, 13))
            if i.reference == received.receipt_code]
    assert len(held) == 1
    assert (held[0].kind, held[0].received_by_office_id) == ("dossier", saigon)
    assert all(i.reference != received.receipt_code
               for i in work.office_work(uow=desk.uow, office_id=saigon, on=dt.date(2026, 2, 13)))
    assert [r.id for r in views.office_queue(uow=desk.uow, principal=desk.hanoi, on=dt.date(2026, 2, 23))] \
        == [dossier_id]
    assert views.office_queue(uow=desk.uow, principal=desk.saigon, on=dt.date(2026, 2, 23)) == []
    return dossier_id, received.receipt_code


def _reviewed_with_a_supplement(desk: Desk, dossier_id: int) -> None:
    """Assigned in Hà Nội, reviewed, returned for a supplement (the clock stops), answered."""
    dossiers.assign(uow=desk.uow, principal=desk.hanoi, dossier_id=dossier_id,
                    data=Assignment(assignee="officer.hanoi2"), at=vn(2026, 2, 23))
    assert read(desk, desk.hanoi, dossier_id).assignee == "officer.hanoi2"
    dossiers.start_review(uow=desk.uow, principal=desk.hanoi_second, dossier_id=dossier_id, at=vn(2026, 2, 23, 10))

    missing = [SupplementItem(field="new_value", note="Họ tên phải ghi đúng như Cơ sở dữ liệu quốc gia về dân cư"),
               SupplementItem(document_code="change_evidence", note="Giấy tờ chứng minh họ tên mới")]
    dossiers.request_supplement(uow=desk.uow, principal=desk.hanoi_second, dossier_id=dossier_id,
                                data=SupplementRequest(items=missing), at=vn(2026, 2, 24, 10))
    waiting = read(desk, desk.citizen, dossier_id, on=dt.date(2026, 2, 25))
    assert waiting.status == "awaiting_supplement"
    assert waiting.paused == [(dt.date(2026, 2, 24), None)]
    assert waiting.deadline_status is None  # the clock is stopped
    assert waiting.supplement_request == missing

    # Meanwhile the population register holds the name with its right diacritic.
    with desk.uow as uow:
        uow.session.execute(update(PopulationRecord).where(PopulationRecord.citizen_id == CITIZEN_ID)
                            .values(full_name=REGISTER_NAME))
        uow.commit()
    dossiers.answer_supplement(uow=desk.uow, principal=desk.citizen, dossier_id=dossier_id, at=vn(2026, 2, 26, 10),
                               data=SupplementAnswer(data={"new_value": REGISTER_NAME},
                                                     documents=[pdf_upload("change_evidence", "giấy tờ.pdf")]))
    answered = read(desk, desk.hanoi_second, dossier_id, on=dt.date(2026, 2, 26))
    # 25 and 26 February were with the applicant: two working days later, 3 March.
    assert (answered.status, answered.due_on) == ("in_review", dt.date(2026, 3, 3))
    assert answered.paused == [(dt.date(2026, 2, 24), dt.date(2026, 2, 26))]
    assert answered.data["new_value"] == REGISTER_NAME
    assert [(d.document_code, d.for_supplement) for d in answered.documents] \
        == [("form_tk1_ts", False), ("change_evidence", True)]


def _approved_and_delivered(desk: Desk, dossier_id: int) -> DossierPublic:
    """Approved by the assignee (the registry is corrected), delivered by the office; the dossier."""
    dossiers.decide(uow=desk.uow, principal=desk.hanoi_second, dossier_id=dossier_id, data=Decision(approve=True),
                    at=vn(2026, 2, 27, 10))
    decided = read(desk, desk.citizen, dossier_id)
    assert (decided.status, decided.decided_on, decided.on_time) == ("approved", dt.date(2026, 2, 27), True)
    assert decided.result is not None
    assert (decided.result["corrected"], decided.result["full_name"]) == ("full_name", REGISTER_NAME)
    with desk.uow as uow:
        assert uow.session.scalar(select(PersonRow.full_name).where(PersonRow.citizen_id == CITIZEN_ID)) \
            == REGISTER_NAME

    dossiers.deliver(uow=desk.uow, principal=desk.hanoi, dossier_id=dossier_id, data=Delivery(note="VssID"),
                     at=vn(2026, 3, 2))
    delivered = read(desk, desk.citizen, dossier_id)
    assert (delivered.status, delivered.delivered_on) == ("delivered", dt.date(2026, 3, 2))
    with desk.uow as uow:
        item_id = uow.session.scalar(select(Dossier.work_item_id).where(Dossier.id == dossier_id))
    assert item_id is not None
    item = work.work_items(uow=desk.uow, ids=[item_id])[item_id]
    assert (item.status, item.closed_on) == ("closed", dt.date(2026, 3, 2))
    assert views.office_queue(uow=desk.uow, principal=desk.hanoi, on=dt.date(2026, 3, 2)) == []
    return delivered


def test_an_online_dossier_from_submission_to_delivery(desk: Desk) -> None:
    dossier_id, receipt_code = _filed_and_received(desk)
    _reviewed_with_a_supplement(desk, dossier_id)
    delivered = _approved_and_delivered(desk, dossier_id)

    history = read(desk, desk.hanoi, dossier_id).history  # as staff see it: every actor named
    steps = [(s.action, s.to_status, s.day, s.actor, s.office and s.office.code) for s in history]
    assert steps == [
        ("submit", "submitted", dt.date(2026, 2, 12), "huong", None),
        ("receive", "received", dt.date(2026, 2, 13), "officer.saigon", HANOI),
        ("assign", "assigned", dt.date(2026, 2, 23), "officer.hanoi", HANOI),
        ("start_review", "in_review", dt.date(2026, 2, 23), "officer.hanoi2", HANOI),
        ("request_supplement", "awaiting_supplement", dt.date(2026, 2, 24), "officer.hanoi2", HANOI),
        ("answer_supplement", "in_review", dt.date(2026, 2, 26), "huong", HANOI),
        ("approve", "approved", dt.date(2026, 2, 27), "officer.hanoi2", HANOI),
        ("deliver", "delivered", dt.date(2026, 3, 2), "officer.hanoi", HANOI),
    ]
    assert_working_days(history)
    assert "chuyển P34-01 giải quyết" in (delivered.history[1].note or "")

    messages = outbox_of(desk, dossier_id)
    seq_of = {s.seq: s.action for s in delivered.history}
    by_step = {(seq_of[int(m.key.split(":")[2])], m.channel.value): m for m in messages}
    assert len(by_step) == len(messages)
    assert sorted(by_step) == sorted((action, channel) for action in (
        "submit", "receive", "request_supplement", "approve", "deliver") for channel in ("email", "sms"))
    assert {m.recipient for m in messages} == {"huong@example.vn", "0912345678"}
    receipt_mail = by_step["receive", "email"]
    assert receipt_code in receipt_mail.subject
    assert "27/02/2026" in receipt_mail.body
    assert resolve_office(uow=desk.uow, code=HANOI, on=dt.date(2026, 2, 13)).name in receipt_mail.body
    supplement_sms = by_step["request_supplement", "sms"].body
    assert "- new_value: Họ tên phải ghi đúng" in supplement_sms
    assert "- change_evidence: Giấy tờ chứng minh họ tên mới" in supplement_sms
    assert "đã giải quyết" in by_step["approve", "email"].body
    assert "đã trả kết quả" in by_step["deliver", "email"].body

    audit = events(uow=desk.uow, record_type="dossier", record_id=str(dossier_id))
    assert sorted(e.action for e in audit) == sorted(f"dossier.{s.action}" for s in delivered.history)
    assert {e.actor for e in audit} == {"huong", "officer.saigon", "officer.hanoi", "officer.hanoi2"}


def test_a_receipt_after_15_00_counts_from_the_next_working_day(desk: Desk) -> None:
    before = file_online(desk)
    after = file_online(desk)
    dossiers.receive(uow=desk.uow, principal=desk.saigon, dossier_id=before, at=vn(2026, 2, 12, 14, 59))
    dossiers.receive(uow=desk.uow, principal=desk.saigon, dossier_id=after, at=vn(2026, 2, 12, 15, 0))
    early, late = read(desk, desk.citizen, before), read(desk, desk.citizen, after)
    assert (early.received_on, early.due_on) == (dt.date(2026, 2, 12), dt.date(2026, 2, 26))
    assert (late.received_on, late.due_on) == (dt.date(2026, 2, 13), dt.date(2026, 2, 27))
    assert late.receipt_code is not None
    assert late.receipt_code.startswith("HS260213")
    assert "thời hạn tính từ ngày 13/02/2026" in (late.history[-1].note or "")
    assert late.history[-1].day == dt.date(2026, 2, 12)


def test_a_receipt_on_a_tet_day_counts_from_the_first_working_day_after(desk: Desk) -> None:
    dossier_id = file_online(desk)
    dossiers.receive(uow=desk.uow, principal=desk.saigon, dossier_id=dossier_id, at=vn(2026, 2, 17, 9))
    dossier = read(desk, desk.citizen, dossier_id)
    assert (dossier.received_on, dossier.due_on) == (dt.date(2026, 2, 23), dt.date(2026, 3, 2))


@pytest.mark.parametrize(("officer", "routed"), [("hanoi", False), ("saigon", True)])
def test_a_counter_dossier_is_received_at_once_at_the_officers_office(desk: Desk, officer: str,
                                                                      routed: bool) -> None:
    who = desk.hanoi if officer == "hanoi" else desk.saigon
    handled = dossiers.submit(uow=desk.uow, principal=who, at=vn(2026, 3, 2, 10),
                              data=correction(applicant_name="Phạm Thị Thu Hương", contact_email=None))
    assert handled.status == "received"
    dossier = read(desk, who, handled.id)
    assert (dossier.channel, dossier.received_on, dossier.due_on) == ("counter", dt.date(2026, 3, 2),
                                                                     dt.date(2026, 3, 9))
    assert dossier.receiving_office.code == who.office_code
    assert dossier.office is not None
    assert dossier.office.code == HANOI
    assert [s.action for s in dossier.history] == ["submit", "receive"]
    assert ("chuyển P34-01 giải quyết" in (dossier.history[1].note or "")) is routed
    # Handed in at a desk, the applicant is told of the receipt (by SMS: no e-mail given), not of the filing.
    assert [(m.channel, m.key.split(":")[2]) for m in outbox_of(desk, handled.id)] == [("sms", "2")]


def test_a_counter_dossier_names_who_handed_it_in(desk: Desk) -> None:
    before = rows(desk.engine)
    with pytest.raises(InvalidInput) as raised:
        dossiers.submit(uow=desk.uow, principal=desk.hanoi, data=correction(), at=vn(2026, 3, 2, 10))
    assert (raised.value.code, raised.value.field) == ("dossier.applicant_name", "applicant_name")
    assert rows(desk.engine) == before


# ----------------------------------------------------------------------------- refused input writes nothing

def _form(content: bytes, media_type: str = "application/pdf", filename: str = "tk1-ts.pdf",
          code: str = "form_tk1_ts") -> dict[str, str]:
    return UploadIn(document_code=code, filename=filename, media_type=media_type,
                    content_base64=base64.b64encode(content).decode()).model_dump()


NAME = {"citizen_id": CITIZEN_ID, "field": "full_name", "new_value": "Phạm Thị Thu Hương"}
BAD_FILINGS: list[tuple[str, dict[str, Any], type[AnsinhError], str, str | None]] = [
    ("unknown procedure", {"procedure_code": "999"}, NotFound, "procedure.unknown", "procedure_code"),
    ("not available", {"procedure_code": "630"}, InvalidInput, "procedure.not_available", "procedure_code"),
    ("answered at once", {"procedure_code": "AS-ESTIMATE"}, InvalidInput, "procedure.not_a_dossier",
     "procedure_code"),
    ("missing field", {"data": {"citizen_id": CITIZEN_ID, "field": "full_name"}}, InvalidInput, "dossier.data",
     "data.new_value"),
    ("wrong enum", {"data": {**NAME, "field": "birth_date"}}, InvalidInput, "dossier.data", "data.field"),
    ("other subject in data", {"data": {**NAME, "citizen_id": OTHER_ID}}, InvalidInput, "dossier.subject",
     "data.citizen_id"),
    ("held document", {"documents": [_form(MINIMAL_PDF), _form(MINIMAL_PDF, code="citizen_id_copy")]},
     InvalidInput, "upload.held_document", "documents.1.document_code"),
    ("unknown document", {"documents": [_form(MINIMAL_PDF), _form(MINIMAL_PDF, code="marriage_certificate")]},
     InvalidInput, "upload.unknown_document", "documents.1.document_code"),
    ("PNG claimed as PDF", {"documents": [_form(PNG)]}, InvalidInput, "upload.type_mismatch",
     "documents.0.media_type"),
    ("PDF named .png", {"documents": [_form(MINIMAL_PDF, filename="tk1.png")]}, InvalidInput,
     "upload.type_mismatch", "documents.0.filename"),
    ("script in PDF", {"documents": [_form(MINIMAL_PDF.replace(b"/Catalog", b"/Catalog /OpenAction << /S "
                                                                            b"/JavaScript >>"))]},
     InvalidInput, "upload.hostile_pdf", "documents.0.content"),
    ("bad base64", {"documents": [{**_form(MINIMAL_PDF), "content_base64": "not base64!"}]}, InvalidInput,
     "upload.base64", "documents.0.content_base64"),
    ("required document missing", {"documents": []}, InvalidInput, "dossier.documents_missing", "documents"),
    ("no contact", {"contact_email": None, "contact_phone": None}, InvalidInput, "dossier.contact",
     "contact_phone"),
    ("unknown office", {"office_code": "P34-99"}, InvalidInput, "office.unknown", "office_code"),
    ("unregistered person", {"citizen_id": OTHER_ID, "data": {**NAME, "citizen_id": OTHER_ID}}, NotFound,
     "person.not_found", "citizen_id"),
]


@pytest.mark.parametrize(("case", "changes", "kind", "code", "field"), BAD_FILINGS, ids=[c[0] for c in BAD_FILINGS])
def test_a_bad_filing_is_refused_naming_the_field_and_writes_nothing(
        desk: Desk, case: str, changes: dict[str, Any], kind: type[AnsinhError], code: str | None,
        field: str | None) -> None:
    before = rows(desk.engine)
    data = correction(**{"office_code": SAIGON, **changes})
    with pytest.raises(kind) as raised:
        dossiers.submit(uow=desk.uow, principal=desk.citizen, data=data, at=vn(2026, 2, 12, 20))
    if code is not None:
        assert raised.value.code == code, (case, raised.value)
    if field is not None:
        assert raised.value.field == field, (case, raised.value)
    assert rows(desk.engine) == before


@pytest.fixture
def small_uploads(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """Documents limited to 64 bytes, so a small file is too large."""
    monkeypatch.setenv("ANSINH_UPLOAD_MAX_BYTES", "64")
    get_settings.cache_clear()
    yield 64
    get_settings.cache_clear()


def test_a_file_over_the_limit_is_refused(desk: Desk, small_uploads: int) -> None:
    before = rows(desk.engine)
    assert len(MINIMAL_PDF) > small_uploads
    with pytest.raises(InvalidInput) as raised:
        file_online(desk)
    assert (raised.value.code, raised.value.field) == ("upload.too_large", "documents.0.content")
    assert rows(desk.engine) == before


def test_a_citizen_files_about_themselves_only(desk: Desk) -> None:
    register_person(desk.uow, citizen_id=OTHER_ID, full_name="Trần Văn Bình", birth_date=dt.date(1990, 5, 1),
                    sex="male", si_number="7912345678")
    before = rows(desk.engine)
    with pytest.raises(Forbidden) as raised:
        file_online(desk, citizen_id=OTHER_ID, data={**NAME, "citizen_id": OTHER_ID})
    assert (raised.value.code, raised.value.field) == ("dossier.not_own", "citizen_id")
    assert rows(desk.engine) == before


# No procedure that takes dossiers today is limited to the responsible office (608 is any-office),
# so ``dossier.office_not_responsible`` has no case that the catalogue can reach yet.


def _refused(desk: Desk, act: Callable[[], object], kind: type[AnsinhError], code: str,
             field: str | None = None) -> AnsinhError:
    before = rows(desk.engine)
    with pytest.raises(kind) as raised:
        act()
    assert raised.value.code == code, raised.value
    if field is not None:
        assert raised.value.field == field
    assert rows(desk.engine) == before
    return raised.value


def test_steps_out_of_order_or_by_the_wrong_officer_are_refused(desk: Desk) -> None:
    dossier_id = file_online(desk)
    at = vn(2026, 2, 13)
    _refused(desk, lambda: dossiers.assign(uow=desk.uow, principal=desk.hanoi, dossier_id=dossier_id,
                                           data=Assignment(assignee="officer.hanoi2"), at=at),
             Conflict, "dossier.transition", "status")
    # Handed in at P34-79: Hà Nội cannot receive it, however responsible it will be.
    _refused(desk, lambda: dossiers.receive(uow=desk.uow, principal=desk.hanoi, dossier_id=dossier_id, at=at),
             Forbidden, "dossier.not_your_office", "dossier_id")
    _refused(desk, lambda: dossiers.receive(uow=desk.uow, principal=desk.citizen, dossier_id=dossier_id, at=at),
             Forbidden, "dossier.not_your_office")
    dossiers.receive(uow=desk.uow, principal=desk.saigon, dossier_id=dossier_id, at=at)
    _refused(desk, lambda: dossiers.receive(uow=desk.uow, principal=desk.saigon, dossier_id=dossier_id, at=at),
             Conflict, "dossier.transition")
    # Routed to Hà Nội: the receiving office no longer processes it.
    _refused(desk, lambda: dossiers.assign(uow=desk.uow, principal=desk.saigon, dossier_id=dossier_id,
                                           data=Assignment(assignee="officer.saigon"), at=vn(2026, 2, 23)),
             Forbidden, "dossier.not_your_office")
    _refused(desk, lambda: dossiers.assign(uow=desk.uow, principal=desk.hanoi, dossier_id=dossier_id,
                                           data=Assignment(assignee="officer.saigon"), at=vn(2026, 2, 23)),
             InvalidInput, "dossier.assignee", "assignee")
    _refused(desk, lambda: dossiers.assign(uow=desk.uow, principal=desk.hanoi, dossier_id=dossier_id,
                                           data=Assignment(assignee="huong"), at=vn(2026, 2, 23)),
             InvalidInput, "dossier.assignee", "assignee")
    dossiers.assign(uow=desk.uow, principal=desk.hanoi, dossier_id=dossier_id,
                    data=Assignment(assignee="officer.hanoi2"), at=vn(2026, 2, 23))
    _refused(desk, lambda: dossiers.decide(uow=desk.uow, principal=desk.hanoi_second, dossier_id=dossier_id,
                                           data=Decision(approve=True), at=vn(2026, 2, 23)),
             Conflict, "dossier.transition", "status")
    _refused(desk, lambda: dossiers.start_review(uow=desk.uow, principal=desk.hanoi, dossier_id=dossier_id,
                                                 at=vn(2026, 2, 23)),
             Forbidden, "dossier.not_assignee", "dossier_id")
    _refused(desk, lambda: dossiers.deliver(uow=desk.uow, principal=desk.hanoi, dossier_id=dossier_id,
                                            data=Delivery(), at=vn(2026, 2, 23)),
             Conflict, "dossier.transition")
    _refused(desk, lambda: dossiers.answer_supplement(uow=desk.uow, principal=desk.citizen, dossier_id=dossier_id,
                                                      data=SupplementAnswer(data={"reason": "x"}),
                                                      at=vn(2026, 2, 23)),
             Conflict, "dossier.transition")
    with pytest.raises(NotFound):
        dossiers.receive(uow=desk.uow, principal=desk.saigon, dossier_id=dossier_id + 1000, at=at)


def test_decisions_and_supplements_are_refused_when_they_break_a_rule(desk: Desk) -> None:
    dossier_id = to_review(desk)
    at = vn(2026, 2, 24)
    _refused(desk, lambda: dossiers.decide(uow=desk.uow, principal=desk.hanoi, dossier_id=dossier_id,
                                           data=Decision(approve=True), at=at),
             Forbidden, "dossier.not_assignee", "dossier_id")
    _refused(desk, lambda: dossiers.decide(uow=desk.uow, principal=desk.saigon, dossier_id=dossier_id,
                                           data=Decision(approve=True), at=at),
             Forbidden, "dossier.not_your_office", "dossier_id")
    for reasons in (None, "   ", "no"):
        _refused(desk, lambda r=reasons: dossiers.decide(  # type: ignore[misc]
            uow=desk.uow, principal=desk.hanoi_second, dossier_id=dossier_id,
            data=Decision(approve=False, reasons=r), at=at), InvalidInput, "dossier.reasons", "reasons")
    items = {
        "supplement.held_document": (SupplementItem(document_code="citizen_id_copy", note="bản sao CCCD"),
                                     "items.0.document_code"),
        "supplement.unknown_document": (SupplementItem(document_code="marriage_certificate", note="giấy đăng ký"),
                                        "items.0.document_code"),
        "supplement.unknown_field": (SupplementItem(field="birth_date", note="ngày sinh"), "items.0.field"),
        "supplement.item": (SupplementItem(note="thiếu gì đó"), "items.0"),
    }
    for code, (item, field) in items.items():
        _refused(desk, lambda i=item: dossiers.request_supplement(  # type: ignore[misc]
            uow=desk.uow, principal=desk.hanoi_second, dossier_id=dossier_id,
            data=SupplementRequest(items=[i]), at=at), InvalidInput, code, field)
    dossiers.request_supplement(uow=desk.uow, principal=desk.hanoi_second, dossier_id=dossier_id, at=at,
                                data=SupplementRequest(items=[SupplementItem(field="reason", note="ghi rõ lý do")]))
    stranger = citizen(desk, OTHER_ID, "binh")
    _refused(desk, lambda: dossiers.answer_supplement(uow=desk.uow, principal=stranger, dossier_id=dossier_id,
                                                      data=SupplementAnswer(data={"reason": "sai chính tả"}),
                                                      at=vn(2026, 2, 25)),
             Forbidden, "dossier.not_applicant", "dossier_id")
    _refused(desk, lambda: dossiers.answer_supplement(uow=desk.uow, principal=desk.citizen, dossier_id=dossier_id,
                                                      data=SupplementAnswer(data={"field": "sex"}),
                                                      at=vn(2026, 2, 25)),
             InvalidInput, "dossier.data", "data.field")
    # The receiving office's counter may hand the answer in for her.
    dossiers.answer_supplement(uow=desk.uow, principal=desk.saigon, dossier_id=dossier_id, at=vn(2026, 2, 25),
                               data=SupplementAnswer(data={"reason": "Sai dấu trong họ tên"}, note="tại quầy"))
    assert read(desk, desk.citizen, dossier_id).data["reason"] == "Sai dấu trong họ tên"


def test_an_approval_the_registry_refuses_is_not_recorded(desk: Desk) -> None:
    dossier_id = to_review(desk)  # asks for a name the population register does not hold
    dossiers.request_supplement(uow=desk.uow, principal=desk.hanoi_second, dossier_id=dossier_id,
                                at=vn(2026, 2, 24), data=SupplementRequest(items=[SupplementItem(
                                    field="new_value", note="ghi đúng họ tên")]))
    dossiers.answer_supplement(uow=desk.uow, principal=desk.citizen, dossier_id=dossier_id, at=vn(2026, 2, 24, 11),
                               data=SupplementAnswer(data={"new_value": "Phạm Thị Thu Hà"}))
    error = _refused(desk, lambda: dossiers.decide(uow=desk.uow, principal=desk.hanoi_second, dossier_id=dossier_id,
                                                   data=Decision(approve=True), at=vn(2026, 2, 25)),
                     InvalidInput, "identity.mismatch", "full_name")
    assert "population register" in (error.rule or "")
    assert read(desk, desk.citizen, dossier_id).status == "in_review"


def test_a_refusal_states_its_reasons_and_tells_them(desk: Desk) -> None:
    dossier_id = to_review(desk)
    reasons = "Họ tên đề nghị điều chỉnh trùng với họ tên đang ghi trên sổ BHXH"
    dossiers.decide(uow=desk.uow, principal=desk.hanoi_second, dossier_id=dossier_id,
                    data=Decision(approve=False, reasons=f"  {reasons} "), at=vn(2026, 2, 24))
    refused = read(desk, desk.citizen, dossier_id)
    assert (refused.status, refused.decision_reasons, refused.result) == ("refused", reasons, None)
    assert refused.history[-1].action == "refuse"
    assert reasons in (refused.history[-1].note or "")
    told = [m for m in outbox_of(desk, dossier_id) if m.key.endswith(f":{refused.history[-1].seq}:email")]
    assert len(told) == 1
    assert "từ chối giải quyết" in told[0].body
    assert f"Lý do: {reasons}" in told[0].body
    with desk.uow as uow:
        assert uow.session.scalar(select(PersonRow.full_name).where(PersonRow.citizen_id == CITIZEN_ID)) \
            == "Phạm Thị Thu Hương"
    dossiers.deliver(uow=desk.uow, principal=desk.hanoi_second, dossier_id=dossier_id, data=Delivery(),
                     at=vn(2026, 2, 25))
    assert read(desk, desk.citizen, dossier_id).status == "delivered"


# ----------------------------------------------------------------------------- who sees what

def test_only_the_applicant_and_the_offices_concerned_read_a_dossier(desk: Desk) -> None:
    dossier_id = to_review(desk)
    stranger = citizen(desk, OTHER_ID, "binh")
    staff(desk.engine, role=Role.OFFICER, office_code="P34-48", username="officer.danang")
    danang = principal(desk.engine, "officer.danang")
    with desk.uow as uow:
        document_id = uow.session.scalar(select(DossierDocument.id).where(DossierDocument.dossier_id == dossier_id))
    assert document_id is not None
    for who in (desk.citizen, desk.saigon, desk.hanoi, desk.hanoi_second):
        assert read(desk, who, dossier_id).id == dossier_id
        meta, content = views.document(uow=desk.uow, principal=who, dossier_id=dossier_id, document_id=document_id)
        assert (meta.filename, content) == ("tk1-ts.pdf", MINIMAL_PDF)
    for who in (stranger, danang):
        with pytest.raises(NotFound) as raised:
            read(desk, who, dossier_id)
        assert raised.value.code == "dossier.not_found"
        with pytest.raises(NotFound):
            views.document(uow=desk.uow, principal=who, dossier_id=dossier_id, document_id=document_id)
    with pytest.raises(NotFound) as missing:
        read(desk, stranger, dossier_id + 1000)
    assert missing.value.code == "dossier.not_found"
    with pytest.raises(NotFound) as other_document:
        views.document(uow=desk.uow, principal=desk.citizen, dossier_id=dossier_id, document_id=document_id + 1000)
    assert other_document.value.code == "dossier.document_not_found"
    mine = views.own_dossiers(uow=desk.uow, principal=desk.citizen, on=dt.date(2026, 2, 24))
    assert [(d.id, d.status) for d in mine] == [(dossier_id, "in_review")]
    assert views.own_dossiers(uow=desk.uow, principal=stranger, on=dt.date(2026, 2, 24)) == []
    assert views.office_queue(uow=desk.uow, principal=danang, on=dt.date(2026, 2, 24)) == []
    assert views.office_queue(uow=desk.uow, principal=desk.citizen, on=dt.date(2026, 2, 24)) == []


def test_tracking_needs_the_right_citizen_id_and_shows_no_content(desk: Desk) -> None:
    dossier_id = to_review(desk)
    receipt = read(desk, desk.citizen, dossier_id).receipt_code
    assert receipt is not None
    for code, citizen_id in ((receipt, OTHER_ID), ("HS2602139999999", CITIZEN_ID), (receipt, "")):
        with pytest.raises(NotFound) as raised:
            views.track(uow=desk.uow, receipt_code=code, citizen_id=citizen_id, on=dt.date(2026, 2, 24))
        assert (raised.value.code, raised.value.field) == ("dossier.not_found", "receipt")
    found = views.track(uow=desk.uow, receipt_code=f" {receipt.lower()} ", citizen_id=CITIZEN_ID,
                        on=dt.date(2026, 2, 24))
    assert (found.receipt_code, found.status, found.due_on) == (receipt, "in_review", dt.date(2026, 2, 27))
    assert found.deadline_status == "on_time"
    assert [s.status for s in found.steps] == ["submitted", "received", "assigned", "in_review"]
    shown = found.model_dump_json()
    for secret in ("Phạm", "Hương", CITIZEN_ID, "huong@example.vn", "0912345678", "officer", "full_name"):
        assert secret not in shown
