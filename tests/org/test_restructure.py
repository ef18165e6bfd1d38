"""Restructuring plans applied to the seeded organisation, each checked the day before and the day of.

Every test here gets a database of its own (``org_engine``, see conftest.py): a copy of the
fully seeded organisation, on which plans take effect in 2026 and 2027, after the 2025
reform, on the 34 provincial offices. Cao Bằng (04) and Lạng Sơn (20) are two provinces the
2025 reform left alone; Hà Nội (01) has 126 communes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from ansinh.core.errors import Conflict, InvalidInput
from ansinh.db.uow import UnitOfWork
from ansinh.org import service
from ansinh.org.models import Office, OfficeArea, OfficeSuccession, RestructurePlan, WorkItem
from tests.factories import add_staff

D = dt.date(2026, 1, 1)
EVE = dt.date(2025, 12, 31)
SOURCE = "Decision 1/QĐ-TEST (test plan)"


def plan(key: str, *operations: dict[str, Any], on: dt.date = D) -> dict[str, Any]:
    return {"key": key, "effective_on": on, "source": SOURCE, "operations": list(operations)}


def office(code: str, *areas: str, parent: str = "VSS", kind: str = "provincial") -> dict[str, Any]:
    return {"code": code, "name": f"Bảo hiểm xã hội {code}", "name_en": f"Social Security Office {code}",
            "kind": kind, "parent": parent, "areas": list(areas)}


def communes_of(uow: UnitOfWork, province: str, on: dt.date = D) -> list[str]:
    frame = service.communes_frame(uow=uow, on=on)
    return sorted(frame.filter(frame["province_code"] == province)["code"].to_list())


def responsible(uow: UnitOfWork, commune: str, on: dt.date) -> str | None:
    found = service.responsible_office(uow=uow, commune_code=commune, on=on).office
    return found.code if found else None


def office_id(uow: UnitOfWork, code: str) -> int:
    with uow:
        return uow.session.scalar(select(Office.id).where(Office.code == code)) or 0


def open_items(uow: UnitOfWork, code: str, count: int, *, prefix: str, opened_on: dt.date = EVE) -> list[int]:
    target = office_id(uow, code)
    return [service.open_work(uow=uow, kind="dossier", reference=f"{prefix}-{n}", office_id=target,
                              opened_on=opened_on).id for n in range(count)]


def row_counts(uow: UnitOfWork) -> tuple[int, ...]:
    with uow:
        return tuple(uow.session.scalar(select(func.count()).select_from(table)) or 0
                     for table in (Office, OfficeArea, OfficeSuccession, RestructurePlan))


def test_merge(org_engine: Engine) -> None:
    """P34-04 and P34-20 merge into CB-LS: areas, staff and open work follow; the eve reads as before."""
    uow = UnitOfWork(org_engine)
    a, b = communes_of(uow, "04")[0], communes_of(uow, "20")[0]
    items = open_items(uow, "P34-04", 2, prefix="cb") + open_items(uow, "P34-20", 1, prefix="ls")
    add_staff(uow, username="cb.officer", office_code="P34-04", valid_from=dt.date(2025, 7, 1))
    merged = office("CB-LS")
    del merged["areas"]  # taken from the merged offices
    result = service.restructure(uow=uow, plan=plan("merge-cb-ls", {"op": "merge", "offices": ["P34-04", "P34-20"],
                                                                    "into": merged}), actor="admin")
    assert result.offices_closed == ["P34-04", "P34-20"] and result.offices_opened == ["CB-LS"]
    assert [(m.from_office, m.to_office, m.count) for m in result.areas] == [
        ("P34-04", "CB-LS", 1), ("P34-20", "CB-LS", 1)]
    assert [(s.from_office, s.to_office) for s in result.staff] == [("P34-04", "CB-LS")]
    assert sorted(i for w in result.work for i in w.items) == items
    assert (responsible(uow, a, EVE), responsible(uow, b, EVE)) == ("P34-04", "P34-20")
    assert (responsible(uow, a, D), responsible(uow, b, D)) == ("CB-LS", "CB-LS")
    assert [u.code for u in service.office_areas(uow=uow, code="CB-LS", on=D)] == ["04", "20"]
    assert [u.code for u in service.office_areas(uow=uow, code="P34-04", on=EVE)] == ["04"]
    assert [w.id for w in service.office_work(uow=uow, office_id=office_id(uow, "CB-LS"), on=D)] == items
    assert [w.id for w in service.office_work(uow=uow, office_id=office_id(uow, "P34-04"), on=EVE)] == items[:2]
    assert len(service.offices_on(uow=uow, on=D)) == len(service.offices_on(uow=uow, on=EVE)) - 1


def test_split(org_engine: Engine) -> None:
    """P34-01 splits into HN-1 (first 60 communes) and HN-2 (the other 66); work and staff as stated."""
    uow = UnitOfWork(org_engine)
    communes = communes_of(uow, "01")
    assert len(communes) == 126
    items = open_items(uow, "P34-01", 3, prefix="hn")
    add_staff(uow, username="hn.officer", office_code="P34-01", valid_from=dt.date(2025, 7, 1))
    first = office("HN-1", *[f"commune:{c}" for c in communes[:60]])
    second = office("HN-2", *[f"commune:{c}" for c in communes[60:]])
    result = service.restructure(uow=uow, actor="admin", plan=plan("split-hn", {
        "op": "split", "office": "P34-01", "into": [first, second], "staff_to": "HN-1", "work_to": "HN-2"}))
    assert (responsible(uow, communes[0], D), responsible(uow, communes[-1], D)) == ("HN-1", "HN-2")
    assert responsible(uow, communes[0], EVE) == "P34-01"
    assert {(m.from_office, m.to_office, m.count) for m in result.areas} == {
        ("P34-01", None, 1), (None, "HN-1", 60), (None, "HN-2", 66)}
    assert [(s.to_office, s.role) for s in result.staff] == [("HN-1", "officer")]
    assert [(w.to_office, w.items) for w in result.work] == [("HN-2", items)]
    detail = service.get_office(uow=uow, code="P34-01", on=EVE)
    assert sorted((s.office.code, s.change) for s in detail.successors) == [("HN-1", "split-share"), ("HN-2", "split")]
    # Reported on the later structure, the old office's records go where its work went.
    found = service.office_of_record_on(uow=uow, office_id=detail.office.id, on=D)
    assert found is not None and found.code == "HN-2"


def test_rename(org_engine: Engine) -> None:
    uow = UnitOfWork(org_engine)
    items = open_items(uow, "P34-04", 1, prefix="cb")
    service.restructure(uow=uow, actor="admin", plan=plan("rename-cb", {
        "op": "rename", "office": "P34-04",
        "to": {"code": "P34-04-B", "name": "Bảo hiểm xã hội tỉnh Cao Bằng (mới)", "name_en": "Cao Bang (new)"}}))
    renamed = service.get_office(uow=uow, code="P34-04-B", on=D)
    assert renamed.office.kind == "provincial" and renamed.parent and renamed.parent.code == "VSS"
    assert [u.code for u in renamed.areas] == ["04"]
    assert [p.office.code for p in renamed.predecessors] == ["P34-04"]
    old = service.get_office(uow=uow, code="P34-04", on=EVE)
    assert old.office.name == "Bảo hiểm xã hội tỉnh Cao Bằng" and old.office.valid_to == EVE
    assert [u.code for u in old.areas] == ["04"]
    with uow:
        assert uow.session.get(WorkItem, items[0]).office_id == renamed.office.id  # type: ignore[union-attr]


def test_dissolve(org_engine: Engine) -> None:
    """P34-04 is dissolved into P34-20, which from then serves both provinces."""
    uow = UnitOfWork(org_engine)
    a = communes_of(uow, "04")[0]
    items = open_items(uow, "P34-04", 2, prefix="cb")
    add_staff(uow, username="cb.approver", office_code="P34-04", valid_from=dt.date(2025, 7, 1), role="approver")
    result = service.restructure(uow=uow, actor="admin", plan=plan(
        "dissolve-cb", {"op": "dissolve", "offices": ["P34-04"], "into": "P34-20"}))
    assert result.offices_opened == [] and result.offices_closed == ["P34-04"]
    assert [u.code for u in service.office_areas(uow=uow, code="P34-20", on=D)] == ["04", "20"]
    assert [u.code for u in service.office_areas(uow=uow, code="P34-20", on=EVE)] == ["20"]
    assert (responsible(uow, a, EVE), responsible(uow, a, D)) == ("P34-04", "P34-20")
    assert [(w.from_office, w.to_office, w.items) for w in result.work] == [("P34-04", "P34-20", items)]
    assert [(s.role, s.to_office) for s in result.staff] == [("approver", "P34-20")]


def test_create_then_reassign(org_engine: Engine) -> None:
    """Two grassroots offices under Hà Nội's (2026-01-01), then one commune moves between them (2027-01-01)."""
    uow = UnitOfWork(org_engine)
    a, b, c = communes_of(uow, "01")[:3]
    service.restructure(uow=uow, actor="admin", plan=plan(
        "hn-grassroots",
        {"op": "create", "office": office("HN-G1", f"commune:{a}", f"commune:{b}", parent="P34-01", kind="grassroots")},
        {"op": "create", "office": office("HN-G2", f"commune:{c}", parent="P34-01", kind="grassroots")}))
    later = dt.date(2027, 1, 1)
    result = service.restructure(uow=uow, actor="admin", plan=plan(
        "hn-reassign", {"op": "reassign", "areas": [f"commune:{b}"], "from": "HN-G1", "to": "HN-G2"}, on=later))
    assert [(m.from_office, m.to_office, m.count) for m in result.areas] == [("HN-G1", "HN-G2", 1)]
    assert result.offices_closed == result.offices_opened == []
    assert [responsible(uow, x, EVE) for x in (a, b, c)] == ["P34-01"] * 3
    assert [responsible(uow, x, D) for x in (a, b, c)] == ["HN-G1", "HN-G1", "HN-G2"]
    assert [responsible(uow, x, later) for x in (a, b, c)] == ["HN-G1", "HN-G2", "HN-G2"]
    (root,) = service.office_tree(uow=uow, on=D)
    (hanoi,) = [n for n in root.children if n.office.code == "P34-01"]
    assert [n.office.code for n in hanoi.children] == ["HN-G1", "HN-G2"]


def test_dry_run_writes_nothing_and_says_what_would_move(org_engine: Engine) -> None:
    uow = UnitOfWork(org_engine)
    items = open_items(uow, "P34-04", 2, prefix="cb")
    add_staff(uow, username="cb.officer", office_code="P34-04", valid_from=dt.date(2025, 7, 1))
    body = plan("merge-cb-ls", {"op": "merge", "offices": ["P34-04", "P34-20"], "into": office("CB-LS")})
    counts = row_counts(uow)
    dry = service.restructure(uow=uow, plan=body, actor="admin", dry_run=True)
    assert row_counts(uow) == counts
    with uow:
        assert {uow.session.get(WorkItem, i).office_id for i in items} == {office_id(uow, "P34-04")}  # type: ignore[union-attr]
    assert dry.dry_run and [w.items for w in dry.work] == [items] and len(dry.staff) == 1
    real = service.restructure(uow=uow, plan=body, actor="admin")
    assert (dry.offices_closed, dry.offices_opened, dry.areas, dry.work, dry.staff) == (
        real.offices_closed, real.offices_opened, real.areas, real.work, real.staff)


def test_same_plan_twice_is_a_no_op_and_a_changed_one_is_refused(org_engine: Engine) -> None:
    uow = UnitOfWork(org_engine)
    body = plan("dissolve-cb", {"op": "dissolve", "offices": ["P34-04"], "into": "P34-20"})
    first = service.restructure(uow=uow, plan=body, actor="admin", applied_on=dt.date(2025, 12, 1))
    counts = row_counts(uow)
    again = service.restructure(uow=uow, plan=body, actor="someone else")
    assert again.already_applied and not first.already_applied
    assert (again.offices_closed, again.areas, again.applied_by) == (first.offices_closed, first.areas, "admin")
    assert row_counts(uow) == counts
    changed = plan("dissolve-cb", {"op": "dissolve", "offices": ["P34-20"], "into": "P34-04"})
    with pytest.raises(Conflict) as caught:
        service.restructure(uow=uow, plan=changed, actor="admin")
    assert (caught.value.code, caught.value.field) == ("plan.key_conflict", "key")
    assert row_counts(uow) == counts


def test_back_dated_plan(org_engine: Engine) -> None:
    """A plan dated before a recorded change to the same office is refused; one that touches nothing later applies."""
    uow = UnitOfWork(org_engine)
    service.restructure(uow=uow, actor="admin", plan=plan(
        "dissolve-cb-2027", {"op": "dissolve", "offices": ["P34-04"], "into": "P34-20"}, on=dt.date(2027, 1, 1)))
    counts = row_counts(uow)
    with pytest.raises(InvalidInput) as caught:
        service.restructure(uow=uow, actor="admin", plan=plan("rename-cb-2026", {
            "op": "rename", "office": "P34-04", "to": {"code": "CB-2026", "name": "Cao Bằng", "name_en": "Cao Bang"}}))
    assert (caught.value.code, caught.value.field) == ("plan.later_change", "operations.0.office")
    with pytest.raises(InvalidInput) as receiving:
        service.restructure(uow=uow, actor="admin", plan=plan(
            "dissolve-ls-2026", {"op": "dissolve", "offices": ["P34-20"], "into": "P34-11"}))
    assert receiving.value.code == "plan.later_change"
    assert row_counts(uow) == counts
    service.restructure(uow=uow, actor="admin", plan=plan("rename-tq-2026", {
        "op": "rename", "office": "P34-08",
        "to": {"code": "TQ-2026", "name": "Tuyên Quang", "name_en": "Tuyen Quang"}}))
    assert responsible(uow, communes_of(uow, "08")[0], D) == "TQ-2026"


def test_work_opened_after_a_back_dated_closing_is_a_conflict(org_engine: Engine) -> None:
    uow = UnitOfWork(org_engine)
    open_items(uow, "P34-04", 1, prefix="late", opened_on=dt.date(2026, 3, 1))
    with pytest.raises(InvalidInput) as caught:
        service.restructure(uow=uow, actor="admin", plan=plan(
            "dissolve-cb", {"op": "dissolve", "offices": ["P34-04"], "into": "P34-20"}))
    assert caught.value.code == "plan.later_change" and "2026-03-01" in caught.value.message


def test_the_documented_example_plan(org_engine: Engine) -> None:
    """The plan in docs/offices.md reads and applies as the page says."""
    page = (Path(__file__).parents[2] / "docs" / "offices.md").read_text(encoding="utf-8")
    text = page.split("```yaml\n", 1)[1].split("```", 1)[0]
    uow = UnitOfWork(org_engine)
    result = service.restructure(uow=uow, plan=service.read_plan_text(text), actor="admin", dry_run=True)
    assert (result.offices_closed, result.offices_opened) == (["P34-04", "P34-20"], ["P34-0420", "G34-0420-01"])
    assert [(m.from_office, m.to_office, m.count) for m in result.areas] == [
        (None, "G34-0420-01", 1), ("P34-04", "P34-0420", 1), ("P34-20", "P34-0420", 1)]


def test_a_second_plan_on_the_same_day_builds_on_the_first(org_engine: Engine) -> None:
    """An office opened by one plan may receive offices from another plan of the same day, not close."""
    uow = UnitOfWork(org_engine)
    a = communes_of(uow, "04")[0]
    service.restructure(uow=uow, actor="admin", plan=plan("rename-cb", {
        "op": "rename", "office": "P34-04", "to": {"code": "CB-NEW", "name": "Cao Bằng", "name_en": "Cao Bang"}}))
    service.restructure(uow=uow, actor="admin", plan=plan("cb-grassroots", {
        "op": "create", "office": office("CB-G1", f"commune:{a}", parent="CB-NEW", kind="grassroots")}))
    assert responsible(uow, a, D) == "CB-G1"
    with pytest.raises(InvalidInput) as caught:
        service.restructure(uow=uow, actor="admin", plan=plan("cb-again", {
            "op": "dissolve", "offices": ["CB-G1"], "into": "CB-NEW"}))
    assert (caught.value.code, caught.value.field) == ("plan.office_not_in_force", "operations.0.offices.0")
