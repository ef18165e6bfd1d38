"""The on-time report over dossiers moved through the real verbs, across Tết 2026.

Tết 2026 closes offices from Monday 16 to Friday 20 February; a dossier received on Friday
13 February with five working days is due on Friday 27 February.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ansinh.accounts import service as accounts
from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import Role
from ansinh.api.errors import install_error_handlers
from ansinh.core.errors import InvalidInput
from ansinh.db.uow import UnitOfWork
from ansinh.org import service as org
from ansinh.org.offices import seed_plans
from ansinh.registry.lookups import person_by_key
from ansinh.services import dossiers, report, report_api, routing, views
from ansinh.services.dossier_schemas import (
    Assignment,
    Decision,
    Delivery,
    DossierSubmit,
    SupplementItem,
    SupplementRequest,
)
from tests.factories import register_person
from tests.org import conftest as org_databases
from tests.services.conftest import Desk, correction, pdf_upload, vn
from tests.signin import PASSWORD, bearer, staff

org_templates = org_databases.org_templates
pre_reform_engine = org_databases.pre_reform_engine
"""A database of the test's own with the offices of 2025-06-30, to apply the 2025 reform to."""
SAIGON_CITIZEN = "079090012345"
BEN_THANH = "26743"
"""Phường Bến Thành, Hồ Chí Minh City: its residents' dossiers are P34-79's work."""
REASONS = "Thông tin đề nghị điều chỉnh không khớp với Cơ sở dữ liệu quốc gia về dân cư."


def desk_of(engine: Engine, officer: Principal) -> Desk:
    """A desk over another database, for the helpers (only its engine and officer are used)."""
    return Desk(engine, officer, officer, officer, officer)


def counter(desk: Desk, at: dt.datetime, principal: Principal | None = None,
            data: DossierSubmit | None = None) -> int:
    """A dossier handed in at a counter (received at once); its id."""
    return dossiers.submit(uow=desk.uow, principal=principal or desk.hanoi,
                           data=data or correction(applicant_name="Phạm Thị Hương"), at=at).id


def review(desk: Desk, dossier_id: int, at: dt.datetime, principal: Principal | None = None) -> None:
    """Assign the dossier to ``principal`` and open its review, at ``at``."""
    officer = principal or desk.hanoi
    dossiers.assign(uow=desk.uow, principal=officer, dossier_id=dossier_id,
                    data=Assignment(assignee=officer.username), at=at)
    dossiers.start_review(uow=desk.uow, principal=officer, dossier_id=dossier_id, at=at)


def decide(desk: Desk, dossier_id: int, at: dt.datetime, *, approve: bool = True,
           principal: Principal | None = None) -> None:
    dossiers.decide(uow=desk.uow, principal=principal or desk.hanoi, dossier_id=dossier_id,
                    data=Decision(approve=approve, reasons=None if approve else REASONS), at=at)


def saigon_dossier() -> DossierSubmit:
    """A correction for a resident of Hồ Chí Minh City, handed in at P34-79."""
    return DossierSubmit.model_validate({
        "procedure_code": "608", "citizen_id": SAIGON_CITIZEN, "applicant_name": "Trần Văn Nam",
        "data": {"citizen_id": SAIGON_CITIZEN, "field": "full_name", "new_value": "Trần Văn Nam"},
        "documents": [pdf_upload().model_dump()]})


@pytest.fixture
def tet(desk: Desk) -> dict[str, int]:
    """Dossiers decided on time and late across Tết 2026, one open and overdue, one with its applicant."""
    register_person(desk.uow, citizen_id=SAIGON_CITIZEN, full_name="Trần Văn Nam", birth_date=dt.date(1990, 3, 1),
                    sex="male", si_number="7912345678", commune=BEN_THANH)
    made = {}
    made["before"] = counter(desk, vn(2026, 2, 12, 8, 30))
    review(desk, made["before"], vn(2026, 2, 12, 9))
    decide(desk, made["before"], vn(2026, 2, 12, 11), approve=False)  # decided before the period
    made["waiting"] = counter(desk, vn(2026, 2, 11))
    review(desk, made["waiting"], vn(2026, 2, 12, 10))
    dossiers.request_supplement(uow=desk.uow, principal=desk.hanoi, dossier_id=made["waiting"], at=vn(2026, 2, 24),
                                data=SupplementRequest(items=[SupplementItem(document_code="change_evidence",
                                                                             note="Bản sao giấy khai sinh")]))
    made["open"] = counter(desk, vn(2026, 2, 12, 14))  # due Thursday 26 February, still in review
    review(desk, made["open"], vn(2026, 2, 13, 8))
    made["due_day"] = counter(desk, vn(2026, 2, 13, 9))
    made["late"] = counter(desk, vn(2026, 2, 13, 10))
    made["after_cutoff"] = counter(desk, vn(2026, 2, 13, 15, 30))
    made["saigon"] = counter(desk, vn(2026, 2, 13, 9), principal=desk.saigon, data=saigon_dossier())
    for key in ("due_day", "late", "after_cutoff"):
        review(desk, made[key], vn(2026, 2, 23, 9))
    review(desk, made["saigon"], vn(2026, 2, 23, 9), principal=desk.saigon)
    decide(desk, made["saigon"], vn(2026, 2, 24, 16), approve=False, principal=desk.saigon)
    decide(desk, made["due_day"], vn(2026, 2, 27, 16, 45))
    decide(desk, made["late"], vn(2026, 3, 2, 8), approve=False)
    decide(desk, made["after_cutoff"], vn(2026, 3, 2, 10), approve=False)
    return made


def test_due_dates_skip_tet_and_a_late_receipt_counts_from_the_next_working_day(desk: Desk,
                                                                               tet: dict[str, int]) -> None:
    def read(key: str) -> tuple[dt.date | None, dt.date | None, bool | None]:
        public = views.get_dossier(uow=desk.uow, principal=desk.hanoi, dossier_id=tet[key], on=dt.date(2026, 3, 2))
        return public.received_on, public.due_on, public.on_time

    assert read("due_day") == (dt.date(2026, 2, 13), dt.date(2026, 2, 27), True)
    assert read("late") == (dt.date(2026, 2, 13), dt.date(2026, 2, 27), False)
    assert read("after_cutoff") == (dt.date(2026, 2, 23), dt.date(2026, 3, 2), True)


def test_report_counts_on_time_and_late_decisions_by_office_and_procedure(desk: Desk, tet: dict[str, int]) -> None:
    answer = report.on_time_report(uow=desk.uow, start=dt.date(2026, 2, 13), end=dt.date(2026, 3, 31),
                                   on=dt.date(2026, 3, 2))

    assert (answer.start, answer.end, answer.on) == (dt.date(2026, 2, 13), dt.date(2026, 3, 31), dt.date(2026, 3, 2))
    hanoi, saigon = answer.rows
    assert hanoi.office is not None
    assert (hanoi.office.code, hanoi.procedure_code) == ("P34-01", "608")
    assert hanoi.procedure_name_en == "Re-issue an SI book after correcting personal details"
    # on time: due_day (5 working days), after_cutoff (5, counted from 23 Feb); late: late (6)
    assert (hanoi.decided, hanoi.on_time, hanoi.late) == (3, 2, 1)
    assert hanoi.rate == Decimal("0.6667")
    assert hanoi.average_working_days == Decimal("5.3")
    assert hanoi.open_overdue == 1  # "open"; "waiting" is overdue too but its clock is stopped
    assert saigon.office is not None
    assert saigon.office.code == "P34-79"
    assert (saigon.decided, saigon.on_time, saigon.late, saigon.rate) == (1, 1, 0, Decimal(1))
    assert saigon.average_working_days == Decimal(2)
    assert saigon.open_overdue == 0

    assert [(t.office.code if t.office else None, t.decided, t.on_time) for t in answer.offices] == [
        ("P34-01", 3, 2), ("P34-79", 1, 1)]
    total = answer.total
    assert (total.decided, total.on_time, total.late, total.open_overdue) == (4, 3, 1, 1)
    assert total.rate == Decimal("0.75")
    assert total.average_working_days == Decimal("4.5")


def test_period_and_report_day_choose_what_is_counted(desk: Desk, tet: dict[str, int]) -> None:
    def totals(start: dt.date, end: dt.date, on: dt.date) -> tuple[int, int, int]:
        total = report.on_time_report(uow=desk.uow, start=start, end=end, on=on).total
        return total.decided, total.on_time, total.open_overdue

    assert totals(dt.date(2026, 2, 12), dt.date(2026, 2, 12), dt.date(2026, 2, 12)) == (1, 1, 0)
    assert totals(dt.date(2026, 2, 27), dt.date(2026, 2, 27), dt.date(2026, 2, 26)) == (1, 1, 0)
    # On 27 February "open" is one day late, and "due_day" and "late" were still open (not yet
    # overdue); "waiting" has been with its applicant since the 24th.
    assert totals(dt.date(2026, 3, 1), dt.date(2026, 3, 31), dt.date(2026, 2, 27)) == (2, 1, 1)
    # On 3 March the late one, decided on the 2nd, is no longer open.
    assert totals(dt.date(2026, 3, 2), dt.date(2026, 3, 2), dt.date(2026, 3, 3)) == (2, 1, 1)


def test_an_empty_period_has_no_rows_and_no_rate(uow: UnitOfWork) -> None:
    answer = report.on_time_report(uow=uow, start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31),
                                   on=dt.date(2026, 1, 31))
    assert answer.rows == [] and answer.offices == []
    assert (answer.total.decided, answer.total.rate, answer.total.average_working_days) == (0, None, None)


def test_a_period_ending_before_it_starts_is_refused(uow: UnitOfWork) -> None:
    with pytest.raises(InvalidInput) as caught:
        report.on_time_report(uow=uow, start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 1), on=dt.date(2026, 3, 2))
    assert (caught.value.field, caught.value.code) == ("end", "report.period")


def test_report_over_http_needs_report_read_and_answers_problems(desk: Desk, tet: dict[str, int]) -> None:
    """The router on an app of its own (the main app includes it under /api/v1 like the others)."""
    app = FastAPI()
    app.state.engine = desk.engine
    install_error_handlers(app)
    app.include_router(report_api.router, prefix="/api/v1")
    manager = bearer(desk.engine, staff(desk.engine, role=Role.MANAGER))  # at the central office
    hanoi_manager = bearer(desk.engine, staff(desk.engine, role=Role.MANAGER, office_code="P34-01"))
    officer = bearer(desk.engine, "officer.hanoi")
    period = {"start": "2026-02-13", "end": "2026-03-31", "on": "2026-03-02"}
    with TestClient(app) as client:
        answer = client.get("/api/v1/reports/on-time", params=period, headers=manager)
        assert answer.status_code == 200
        body = answer.json()
        assert (body["total"]["decided"], body["total"]["on_time"], body["total"]["rate"]) == (4, 3, "0.7500")
        assert [row["office"]["code"] for row in body["offices"]] == ["P34-01", "P34-79"]
        own = client.get("/api/v1/reports/on-time", params=period, headers=hanoi_manager).json()
        assert [row["office"]["code"] for row in own["offices"]] == ["P34-01"]  # a province sees its own
        hanoi = next(row for row in body["offices"] if row["office"]["code"] == "P34-01")
        assert own["total"] == {key: hanoi[key] for key in own["total"]}
        assert client.get("/api/v1/reports/on-time", params=period, headers=officer).status_code == 403
        assert client.get("/api/v1/reports/on-time", params=period).status_code == 401
        backwards = client.get("/api/v1/reports/on-time", params={**period, "start": "2026-04-01"}, headers=manager)
        assert backwards.status_code == 422
        assert (backwards.json()["code"], backwards.json()["field"]) == ("report.period", "end")


CAM_THUONG = "10507"
"""Phường Cẩm Thượng, Hải Dương (before 2025-07-01): served by a district office until the reform
merged Hải Dương into Hải Phòng (P34-31)."""


def test_a_restructuring_reports_the_period_under_the_offices_of_the_report_day(pre_reform_engine: Engine) -> None:
    engine, uow = pre_reform_engine, UnitOfWork(pre_reform_engine)
    register_person(uow, citizen_id="030185004321", si_number="3012345678", full_name="Vũ Thị Lan",
                    commune=CAM_THUONG, as_of=dt.date(2025, 5, 2))
    with uow:
        commune_id = person_by_key(uow.session, "030185004321").residence_commune_id
    district = routing.responsible_for_commune(uow=uow, commune_id=commune_id, on=dt.date(2025, 6, 20))
    assert district is not None and district.code.startswith("D63-")
    username = staff(engine, office_code=district.code, username="officer.camthuong", valid_from=dt.date(2025, 5, 5))
    officer = accounts.sign_in(uow=uow, username=username, password=PASSWORD, now=vn(2025, 6, 20)).principal
    filing = DossierSubmit.model_validate({
        "procedure_code": "608", "citizen_id": "030185004321", "applicant_name": "Vũ Thị Lan",
        "data": {"citizen_id": "030185004321", "field": "full_name", "new_value": "Vũ Thị Lan"},
        "documents": [pdf_upload().model_dump()]})
    delivered = counter(desk_of(engine, officer), vn(2025, 6, 20, 9), principal=officer, data=filing)
    late = counter(desk_of(engine, officer), vn(2025, 6, 20, 10), principal=officer, data=filing)
    for dossier_id in (delivered, late):
        review(desk_of(engine, officer), dossier_id, vn(2025, 6, 23), principal=officer)
    decide(desk_of(engine, officer), delivered, vn(2025, 6, 25), approve=False, principal=officer)
    dossiers.deliver(uow=uow, principal=officer, dossier_id=delivered, data=Delivery(), at=vn(2025, 6, 26))
    decide(desk_of(engine, officer), late, vn(2025, 6, 30), approve=False, principal=officer)
    (reform,) = [plan for plan in seed_plans() if plan.effective_on == dt.date(2025, 7, 1)]
    org.restructure(uow=uow, plan=reform, actor="admin", applied_on=dt.date(2025, 7, 1))

    def offices(on: dt.date) -> list[tuple[str | None, int, int]]:
        answer = report.on_time_report(uow=uow, start=dt.date(2025, 6, 1), end=dt.date(2025, 6, 30), on=on)
        return [(t.office.code if t.office else None, t.decided, t.on_time) for t in answer.offices]

    # The delivered dossier stayed with the district office, closed since; the other moved with its work.
    assert offices(dt.date(2025, 6, 30)) == [(district.code, 2, 1)]
    assert offices(dt.date(2025, 7, 2)) == [("P34-31", 2, 1)]
