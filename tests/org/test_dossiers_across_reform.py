"""Dossiers across the 2025 reform: open work moves to the successor office with nothing lost,
and a dossier received after it goes to the new office with no change of code.

A resident of Phường Cẩm Thượng (Hải Dương city, old province 30) hands in a correction at
their district office on 2025-06-20; the reform merges Hải Dương into Hải Phòng (P34-31) on
2025-07-01, with its district offices. The dossier is then held by P34-31, where the same
officer (moved with their posting) decides it; one handed in online at the district office
on the eve and not yet received waits in P34-31's queue; a dossier handed in at Hồ Chí Minh
City's office after the reform is routed to P34-31 too.
"""

from __future__ import annotations

import base64
import datetime as dt

from sqlalchemy import Engine

from ansinh.accounts import service as accounts
from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import Role
from ansinh.core.clock import VIETNAM
from ansinh.db.uow import UnitOfWork
from ansinh.org import service
from ansinh.org.offices import seed_plans
from ansinh.registry.lookups import person_by_key
from ansinh.services import dossiers, routing, views
from ansinh.services.dossier_schemas import Assignment, Decision, DossierSubmit, UploadIn
from tests.factories import register_person
from tests.signin import PASSWORD, citizen_account, staff

CAM_THUONG = "10507"
"""Phường Cẩm Thượng, Thành phố Hải Dương, tỉnh Hải Dương (before 2025-07-01)."""
CITIZEN_ID = "030185004321"
DAY = dt.date(2025, 7, 1)
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=VIETNAM)


def _signed_in(engine: Engine, username: str, day: dt.date) -> Principal:
    return accounts.sign_in(uow=UnitOfWork(engine), username=username, password=PASSWORD, now=_at(day)).principal


def _correction(name: str) -> DossierSubmit:
    form = UploadIn(document_code="form_tk1_ts", filename="tk1.pdf", media_type="application/pdf",
                    content_base64=base64.b64encode(PDF).decode())
    return DossierSubmit(procedure_code="608", citizen_id=CITIZEN_ID, applicant_name=name, documents=[form],
                         data={"citizen_id": CITIZEN_ID, "field": "full_name", "new_value": name})


def test_an_open_dossier_moves_with_the_reform_and_a_new_one_goes_to_the_new_office(
        pre_reform_engine: Engine) -> None:
    engine = pre_reform_engine
    uow = UnitOfWork(engine)
    person = register_person(uow, citizen_id=CITIZEN_ID, si_number="3012345678", full_name="Vũ Thị Lan",
                             commune=CAM_THUONG, as_of=dt.date(2025, 5, 2))
    with uow:
        commune_id = person_by_key(uow.session, CITIZEN_ID).residence_commune_id
    district = routing.responsible_for_commune(uow=uow, commune_id=commune_id, on=dt.date(2025, 6, 20))
    assert district is not None and district.code.startswith("D63-")
    staff(engine, role=Role.OFFICER, office_code=district.code, username="officer.camthuong",
          valid_from=dt.date(2025, 5, 5))
    before = _signed_in(engine, "officer.camthuong", dt.date(2025, 6, 20))
    first = dossiers.submit(uow=uow, principal=before, data=_correction(person.full_name), at=_at(dt.date(2025, 6, 20)))
    held = views.get_dossier(uow=uow, principal=before, dossier_id=first.id, on=dt.date(2025, 6, 20))
    assert held.office is not None and held.office.code == district.code
    assert held.due_on == dt.date(2025, 6, 27)

    citizen_account(engine, CITIZEN_ID, "lan")
    citizen = _signed_in(engine, "lan", dt.date(2025, 6, 27))
    online = dossiers.submit(uow=uow, principal=citizen, at=_at(dt.date(2025, 6, 27), 16),
                             data=_correction(person.full_name).model_copy(
                                 update={"office_code": district.code, "applicant_name": None,
                                         "contact_phone": "0912345678"}))
    assert online.receipt_code is None  # handed in online after hours on the eve: not received yet

    (reform,) = [p for p in seed_plans() if p.effective_on == DAY]
    service.restructure(uow=uow, plan=reform, actor="admin", applied_on=DAY)

    after = _signed_in(engine, "officer.camthuong", dt.date(2025, 7, 2))
    assert after.office_code == "P34-31"  # the posting moved with the office
    moved = views.get_dossier(uow=uow, principal=after, dossier_id=first.id, on=dt.date(2025, 7, 2))
    assert moved.office is not None and moved.office.code == "P34-31"
    assert moved.due_on == dt.date(2025, 6, 27) and moved.receipt_code == first.receipt_code
    dossiers.assign(uow=uow, principal=after, dossier_id=first.id, data=Assignment(assignee="officer.camthuong"),
                    at=_at(dt.date(2025, 7, 2)))
    dossiers.start_review(uow=uow, principal=after, dossier_id=first.id, at=_at(dt.date(2025, 7, 2), 10))
    decided = dossiers.decide(uow=uow, principal=after, dossier_id=first.id, data=Decision(approve=True),
                              at=_at(dt.date(2025, 7, 2), 11))
    assert decided.status == "approved"
    assert views.get_dossier(uow=uow, principal=after, dossier_id=first.id, on=dt.date(2025, 7, 2)).on_time is False

    waiting = [row.id for row in views.office_queue(uow=uow, principal=after, on=dt.date(2025, 7, 2))
               if row.status == "submitted"]
    assert waiting == [online.id]  # handed in at an office that closed: the successor receives it
    received = dossiers.receive(uow=uow, principal=after, dossier_id=online.id, at=_at(dt.date(2025, 7, 2)))
    assert received.receipt_code is not None and received.receipt_code.startswith("HS250702")

    staff(engine, role=Role.OFFICER, office_code="P34-79", username="officer.saigon", valid_from=DAY)
    saigon = _signed_in(engine, "officer.saigon", dt.date(2025, 7, 3))
    second = dossiers.submit(uow=uow, principal=saigon, data=_correction(person.full_name),
                             at=_at(dt.date(2025, 7, 3)))
    routed = views.get_dossier(uow=uow, principal=saigon, dossier_id=second.id, on=dt.date(2025, 7, 3))
    assert routed.receiving_office.code == "P34-79"
    assert routed.office is not None and routed.office.code == "P34-31"
    assert "chuyển P34-31 giải quyết" in (routed.history[-1].note or "")
