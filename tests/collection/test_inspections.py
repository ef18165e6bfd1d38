"""Inspection cases: open, record findings, close by declaring them; dues, ledger and interest follow."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, func, select

from ansinh.audit.models import AuditEvent
from ansinh.collection.arrears_models import InterestCharge
from ansinh.collection.compliance_models import CaseStatus, FindingKind
from ansinh.collection.declaration_models import Declaration, DeclarationSource
from ansinh.collection.inspections import add_finding, close_case, get_case, list_cases, open_case
from ansinh.collection.interest import charge_interest
from ansinh.core.actor import Actor
from ansinh.core.errors import Conflict, InvalidInput
from ansinh.db.uow import UnitOfWork
from ansinh.ledger.service import trial_balance
from tests.collection.arrears_helpers import AT, assess, employer_with_workers
from tests.factories import register_person

AUGUST, SEPTEMBER, OCTOBER = (dt.date(2025, m, 1) for m in (8, 9, 10))
ON = dt.date(2025, 11, 20)
INSPECTOR = Actor(username="inspector.test", role="inspector", office_code="P34-01")
HIDDEN = "001185007777"


def _setup(db: Engine) -> tuple[UnitOfWork, str]:
    uow = UnitOfWork(db)
    unit, _ = employer_with_workers(uow, salaries=(10_000_000,), start_month="2025-08")
    assess(uow, AUGUST, SEPTEMBER, OCTOBER)
    register_person(uow, citizen_id=HIDDEN, si_number="0123477777", full_name="Đỗ Thị Ẩn")
    return uow, unit


def test_closing_declares_the_undeclared_worker_and_brings_extra_dues_ledger_and_interest(db: Engine) -> None:
    uow, unit = _setup(db)
    case = open_case(uow=uow, employer_unit_code=unit, on=ON, actor=INSPECTOR, at=AT)
    assert case.status == CaseStatus.OPEN and case.risk_score > 0
    assert {r["factor"] for r in case.risk_reasons} >= {"arrears_age"}  # the reasons of that day are kept
    charge_interest(uow=uow, through=dt.date(2025, 11, 30), actor=INSPECTOR, at=AT)

    case = add_finding(uow=uow, case_id=case.id, kind=FindingKind.UNDECLARED_WORKER, person_key=HIDDEN,
                       from_month="2025-08", salary=9_000_000, note="Có tên trên bảng lương từ tháng 8", on=ON,
                       actor=INSPECTOR, at=AT, version=case.version)
    assert case.version == 2 and case.findings[0].full_name == "Đỗ Thị Ẩn"

    closed = close_case(uow=uow, case_id=case.id, conclusion="Đơn vị không khai 1 lao động từ tháng 8/2025", on=ON,
                        actor=INSPECTOR, at=AT, version=case.version)
    assert closed.status == CaseStatus.CLOSED and closed.declaration_id is not None
    assert [e.month for e in closed.extra_dues] == [AUGUST, SEPTEMBER, OCTOBER]
    assert all(e.total > 0 for e in closed.extra_dues) and closed.extra_total == sum(e.total for e in closed.extra_dues)
    with uow:
        declaration = uow.session.get_one(Declaration, closed.declaration_id)
        assert declaration.source == DeclarationSource.INSPECTION and declaration.key == f"inspection:{case.id}"
        assert declaration.back_dated_lines == 1
        actions = set(uow.session.scalars(select(AuditEvent.action).where(
            AuditEvent.record_type == "inspection_case")))
    assert actions == {"inspection.open", "inspection.finding", "inspection.close"}
    assert trial_balance(uow=uow, start=AUGUST, end=ON).balanced

    # the next interest run charges August's extra dues from 1 October (the day after its deadline)
    run = charge_interest(uow=uow, through=dt.date(2025, 12, 31), actor=INSPECTOR, at=AT)
    assert run.total > 0
    with uow:
        first_august = uow.session.scalar(select(func.min(InterestCharge.from_date))
                                          .where(InterestCharge.month == AUGUST, InterestCharge.run_id == select(
                                              func.max(InterestCharge.run_id)).scalar_subquery()))
    assert first_august == dt.date(2025, 12, 1)  # the span is new days; the catch-up is in its amount
    assert get_case(uow=uow, case_id=case.id).status == CaseStatus.CLOSED


def test_a_finding_the_declaration_rejects_blocks_closing_and_writes_nothing(db: Engine) -> None:
    uow, unit = _setup(db)
    case = open_case(uow=uow, employer_unit_code=unit, on=ON, actor=INSPECTOR, at=AT)
    # a salary finding for someone who never worked here
    add_finding(uow=uow, case_id=case.id, kind="under_declared_salary", person_key=HIDDEN, from_month="2025-09",
                salary=12_000_000, note="", on=ON, actor=INSPECTOR, at=AT)
    with pytest.raises(Conflict) as refused:
        close_case(uow=uow, case_id=case.id, conclusion="Kết luận", on=ON, actor=INSPECTOR, at=AT)
    assert refused.value.code == "inspection.finding_rejected"
    assert "[participation.not_in_force]" in refused.value.message and refused.value.field == "findings.0.from_month"
    with uow:
        assert uow.session.scalar(select(func.count()).select_from(Declaration)) == 0
    assert get_case(uow=uow, case_id=case.id).status == CaseStatus.OPEN


def test_one_open_case_per_employer_versions_and_bad_input(db: Engine) -> None:
    uow, unit = _setup(db)
    case = open_case(uow=uow, employer_unit_code=unit, on=ON, actor=INSPECTOR, at=AT)
    with pytest.raises(Conflict) as twice:
        open_case(uow=uow, employer_unit_code=unit, on=ON, actor=INSPECTOR, at=AT)
    assert twice.value.code == "inspection.already_open"
    with pytest.raises(Conflict) as stale:
        add_finding(uow=uow, case_id=case.id, kind="undeclared_worker", person_key=HIDDEN, from_month="2025-08",
                    salary=9_000_000, note="", on=ON, actor=INSPECTOR, at=AT, version=case.version + 1)
    assert stale.value.code == "inspection.version"
    for kwargs, field in (({"kind": "bribe"}, "kind"), ({"from_month": "2025-13"}, "from_month"),
                          ({"salary": 0}, "salary"), ({"from_month": "2026-01"}, "from_month")):
        arguments = {"kind": "undeclared_worker", "from_month": "2025-08", "salary": 9_000_000} | kwargs
        with pytest.raises(InvalidInput) as bad:
            add_finding(uow=uow, case_id=case.id, person_key=HIDDEN, note="", on=ON, actor=INSPECTOR, at=AT,
                        **arguments)  # type: ignore[arg-type]
        assert bad.value.field == field
    closed = close_case(uow=uow, case_id=case.id, conclusion="Không phát hiện vi phạm", on=ON, actor=INSPECTOR, at=AT)
    assert closed.declaration_id is None and closed.extra_dues == []
    with pytest.raises(Conflict):
        close_case(uow=uow, case_id=case.id, conclusion="again", on=ON, actor=INSPECTOR, at=AT)
    assert [c.status for c in list_cases(uow=uow)] == [CaseStatus.CLOSED]
    open_case(uow=uow, employer_unit_code=unit, on=ON, actor=INSPECTOR, at=AT)  # a new case may now be opened
    assert [c.status for c in list_cases(uow=uow)] == [CaseStatus.OPEN, CaseStatus.CLOSED]
