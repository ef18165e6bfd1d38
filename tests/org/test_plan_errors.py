"""Plans that break a rule are refused with the operation and field at fault, and write nothing.

The tests share one copy of the seeded organisation (``refusing_engine``, see conftest.py):
each plan is refused, and each test checks that the offices, areas, successions, plans and
work items are as they were. Plans take effect on 2026-01-01 on the 34 provincial offices.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from ansinh.core.errors import AnsinhError, Conflict, InvalidInput
from ansinh.db.uow import UnitOfWork
from ansinh.org import service
from ansinh.org.models import Office, OfficeArea, OfficeSuccession, RestructurePlan, WorkItem
from ansinh.org.plan import read_plan_text

D = dt.date(2026, 1, 1)


def plan(*operations: dict[str, Any], key: str = "refused-plan", on: dt.date = D) -> dict[str, Any]:
    return {"key": key, "effective_on": on, "source": "test", "operations": list(operations)}


def office(code: str, *areas: str, parent: str | None = "P34-01", kind: str = "grassroots") -> dict[str, Any]:
    return {"code": code, "name": code, "name_en": code, "kind": kind, "parent": parent, "areas": list(areas)}


def snapshot(uow: UnitOfWork) -> tuple[object, ...]:
    with uow:
        session = uow.session
        counts = tuple(session.scalar(select(func.count()).select_from(t)) for t in
                       (Office, OfficeArea, OfficeSuccession, RestructurePlan))
        closed = session.scalar(select(func.count()).select_from(Office).where(Office.valid_to.is_not(None)))
        work = tuple(session.execute(select(WorkItem.id, WorkItem.office_id).order_by(WorkItem.id)))
    return (*counts, closed, work)


@pytest.fixture
def uow(refusing_engine: Engine) -> Iterator[UnitOfWork]:
    """The module's database; the test's plan must leave it as it found it."""
    unit = UnitOfWork(refusing_engine)
    before = snapshot(unit)
    yield unit
    assert snapshot(unit) == before


def refused(uow: UnitOfWork, body: dict[str, Any], *, dry_run: bool = False) -> AnsinhError:
    with pytest.raises(AnsinhError) as caught:
        service.restructure(uow=uow, plan=body, actor="admin", dry_run=dry_run)
    return caught.value


def hanoi_communes(uow: UnitOfWork) -> list[str]:
    frame = service.communes_frame(uow=uow, on=D)
    return sorted(frame.filter(frame["province_code"] == "01")["code"].to_list())


def test_gap(uow: UnitOfWork) -> None:
    """Hà Nội's office split in two that share only 100 of its 126 communes: 26 would have no office."""
    communes = hanoi_communes(uow)
    split = {"op": "split", "office": "P34-01", "staff_to": "HN-1", "work_to": "HN-1", "into": [
        office("HN-1", *[f"commune:{c}" for c in communes[:50]], parent="VSS", kind="provincial"),
        office("HN-2", *[f"commune:{c}" for c in communes[50:100]], parent="VSS", kind="provincial")]}
    for dry_run in (True, False):
        error = refused(uow, plan(split), dry_run=dry_run)
        assert (error.code, error.field) == ("plan.area_uncovered", "operations.0.office")
        assert error.message.startswith("26 commune(s) would have no office on 2026-01-01")


def test_area_served_twice(uow: UnitOfWork) -> None:
    """A new office given Cao Bằng province, which P34-04 keeps."""
    error = refused(uow, plan({"op": "create", "office": office("G-1", "province:04")}))
    assert (error.code, error.field) == ("plan.area_served_twice", "operations.0.office.areas.0")
    assert "P34-04" in error.message


def test_orphan_left_without_areas(uow: UnitOfWork) -> None:
    """Cao Bằng reassigned to Lạng Sơn's office leaves P34-04 with nothing to serve."""
    error = refused(uow, plan({"op": "reassign", "areas": ["province:04"], "from": "P34-04", "to": "P34-20"}))
    assert (error.code, error.field) == ("plan.office_orphaned", "operations.0.areas.0")
    error = refused(uow, plan({"op": "create", "office": office("G-EMPTY")}))
    assert (error.code, error.field) == ("plan.office_orphaned", "operations.0.office")


def test_orphan_left_under_a_closed_parent(uow: UnitOfWork) -> None:
    """Dissolving a 2020 provincial office while its district offices stay open (checked before dates)."""
    body = plan({"op": "dissolve", "offices": ["P63-04"], "into": "P63-06"}, on=dt.date(2020, 1, 1))
    error = refused(uow, body)
    assert (error.code, error.field) == ("plan.office_orphaned", "operations.0.offices.0")
    assert "D63-" in error.message


def test_cycles(uow: UnitOfWork) -> None:
    error = refused(uow, plan({"op": "dissolve", "offices": ["P34-04"], "into": "P34-20"},
                              {"op": "dissolve", "offices": ["P34-20"], "into": "P34-04"}))
    assert (error.code, error.field) == ("plan.cycle", "operations.0.into")
    assert "P34-04 -> P34-20 -> P34-04" in error.message
    communes = hanoi_communes(uow)
    error = refused(uow, plan({"op": "create", "office": office("G-A", f"commune:{communes[0]}", parent="G-B")},
                              {"op": "create", "office": office("G-B", f"commune:{communes[1]}", parent="G-A")}))
    assert (error.code, error.field) == ("plan.cycle", "operations.0.office.parent")


@pytest.mark.parametrize(("operation", "code", "field"), [
    ({"op": "dissolve", "offices": ["P34-99"], "into": "P34-20"}, "plan.office_unknown", "operations.0.offices.0"),
    ({"op": "dissolve", "offices": ["P34-04"], "into": "P99-01"}, "plan.office_unknown", "operations.0.into"),
    ({"op": "dissolve", "offices": ["P63-04"], "into": "P34-20"}, "plan.office_not_in_force", "operations.0.offices.0"),
    ({"op": "reassign", "areas": ["province:04"], "from": "P34-20", "to": "P34-04"}, "plan.area_not_served",
     "operations.0.areas.0"),
    ({"op": "create", "office": office("P63-01", "province:01")}, "plan.code_taken", "operations.0.office.code"),
    ({"op": "create", "office": office("G-X", "province:77")}, "plan.area_unknown", "operations.0.office.areas.0"),
    ({"op": "create", "office": office("G-X", "commune:00070", parent=None)}, "plan.parent_required",
     "operations.0.office.parent"),
    ({"op": "merge", "offices": ["P34-04", "P34-20"]}, "plan.invalid", "operations.0.into"),
    ({"op": "split", "office": "P34-04", "into": [office("S-1"), office("S-2")], "staff_to": "S-1",
      "work_to": "P34-20"}, "plan.split_target", "operations.0.work_to"),
    ({"op": "annex", "office": "P34-04"}, "plan.invalid", "operations.0"),
])
def test_single_operation_refused(uow: UnitOfWork, operation: dict[str, Any], code: str, field: str) -> None:
    error = refused(uow, plan(operation))
    assert (error.code, error.field) == (code, field)
    assert error.rule


def test_office_in_two_operations(uow: UnitOfWork) -> None:
    error = refused(uow, plan({"op": "dissolve", "offices": ["P34-04"], "into": "P34-20"},
                              {"op": "rename", "office": "P34-04", "to": {"code": "CB", "name": "x", "name_en": "x"}}))
    assert (error.code, error.field) == ("plan.office_in_two_operations", "operations.1.office")
    error = refused(uow, plan({"op": "dissolve", "offices": ["P34-04"], "into": "P34-20"},
                              {"op": "dissolve", "offices": ["P34-20"], "into": "P34-11"}))
    assert (error.code, error.field) == ("plan.office_in_two_operations", "operations.0.into")


def test_same_key_different_content(uow: UnitOfWork) -> None:
    """The seeded reform's key with other content."""
    error = refused(uow, plan({"op": "dissolve", "offices": ["P34-04"], "into": "P34-20"},
                              key="vss-2025-07-01-provinces"))
    assert isinstance(error, Conflict)
    assert (error.code, error.field) == ("plan.key_conflict", "key")


def test_bad_yaml_and_bad_fields() -> None:
    with pytest.raises(InvalidInput) as caught:
        read_plan_text("key: [unclosed")
    assert (caught.value.code, caught.value.field) == ("plan.invalid", "plan")
    with pytest.raises(InvalidInput) as caught:
        read_plan_text("key: good-key\neffective_on: 2026-02-30\nsource: s\noperations: []\n")
    assert caught.value.field == "effective_on"
    with pytest.raises(InvalidInput) as caught:
        read_plan_text("key: good-key\neffective_on: 2026-01-01\nsource: s\noperations:\n"
                       "  - op: create\n    office: {code: lower, name: n, name_en: n, kind: grassroots}\n")
    assert caught.value.field == "operations.0.office.code"
    with pytest.raises(InvalidInput) as caught:
        read_plan_text("key: good-key\nkey: other-key\neffective_on: 2026-01-01\nsource: s\noperations: []\n")
    assert caught.value.code == "plan.invalid" and "given twice" in caught.value.message
