"""The seeded offices: the three-tier structure to 2025-06-30, one office per province from 2025-07-01.

These tests read the shared session database, seeded once by ``load_offices``; nothing here
writes offices.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import func, select

from ansinh.core.errors import InvalidInput, NotFound
from ansinh.db.uow import UnitOfWork
from ansinh.org import offices, reference, service
from ansinh.org.models import AdminLevel, AdminUnit, Office, OfficeKind
from ansinh.org.plan import Dissolve, Merge, Rename
from ansinh.org.provinces import mergers

BEFORE = dt.date(2025, 6, 30)
AFTER = dt.date(2025, 7, 1)


def test_counts_on_each_side_of_the_reform(uow: UnitOfWork) -> None:
    """2025-06-30: VSS + 63 provincial + 696 district offices = 760; 2025-07-01: VSS + 34 = 35."""
    before = Counter(o.kind for o in service.offices_on(uow=uow, on=BEFORE))
    after = Counter(o.kind for o in service.offices_on(uow=uow, on=AFTER))
    assert before == {OfficeKind.CENTRAL: 1, OfficeKind.PROVINCIAL: 63, OfficeKind.GRASSROOTS: 696}
    assert after == {OfficeKind.CENTRAL: 1, OfficeKind.PROVINCIAL: 34}
    assert len(service.offices_on(uow=uow, on=dt.date(2008, 8, 1))) == 760
    assert [o.code for o in service.offices_on(uow=uow, on=dt.date(2008, 7, 31))] == ["VSS"]
    assert service.offices_on(uow=uow, on=dt.date(1995, 2, 15)) == []


def test_ha_noi_office_on_each_date(uow: UnitOfWork) -> None:
    old = service.get_office(uow=uow, code="P63-01", on=BEFORE)
    new = service.get_office(uow=uow, code="P34-01", on=AFTER)
    assert old.office.name == new.office.name == "Bảo hiểm xã hội thành phố Hà Nội"
    assert new.office.name_en == "Social Security Office of Ha Noi City"
    assert (old.office.valid_to, new.office.valid_from) == (BEFORE, AFTER)
    assert [(u.code, u.valid_to) for u in old.areas] == [("01", BEFORE)]
    assert [(u.code, u.valid_from) for u in new.areas] == [("01", AFTER)]
    assert len(old.children) == 30  # Hà Nội's 30 districts, each with its office
    assert new.children == ()
    assert [(s.office.code, s.change) for s in old.successors] == [("P34-01", "rename")]
    assert old.parent is not None and old.parent.code == "VSS"
    # The old office read after it closed answers, with no areas and its successor.
    closed = service.get_office(uow=uow, code="P63-01", on=AFTER)
    assert not closed.in_force and closed.areas == () and closed.successors[0].office.code == "P34-01"


def test_merged_province_office(uow: UnitOfWork) -> None:
    """Hải Phòng (31) took over Hải Dương (30): P34-31 succeeds P63-30, P63-31 and their district offices."""
    detail = service.get_office(uow=uow, code="P34-31", on=AFTER)
    changes = Counter(s.change for s in detail.predecessors)
    merged = sorted(s.office.code for s in detail.predecessors if s.change == "merge")
    assert merged == ["P63-30", "P63-31"]
    districts = [m for m in mergers() if m.new_code == "31"]
    assert len(districts) == 2
    assert changes["dissolve"] == len(service.get_office(uow=uow, code="P63-30", on=BEFORE).children) + len(
        service.get_office(uow=uow, code="P63-31", on=BEFORE).children)


def test_tree(uow: UnitOfWork) -> None:
    (root,) = service.office_tree(uow=uow, on=BEFORE)
    assert root.office.code == "VSS" and len(root.children) == 63
    assert sum(len(p.children) for p in root.children) == 696
    (root,) = service.office_tree(uow=uow, on=AFTER)
    assert [c.office.code for c in root.children][:3] == ["P34-01", "P34-04", "P34-08"]


@pytest.mark.parametrize(("code", "on", "read_on", "office", "commune"), [
    # The new Phường Hoàn Kiếm (00070 from 2025-07-01) is Hà Nội's office's.
    ("00070", AFTER, None, "P34-01", "Phường Hoàn Kiếm"),
    # 00070 read on 2025-06-30 is another commune, Phường Hàng Trống in quận Hoàn Kiếm (district 002).
    ("00070", BEFORE, None, "D63-002", "Phường Hàng Trống"),
    # The new commune 00070 asked about on 2025-06-30: its predecessors lay in two districts.
    ("00070", BEFORE, AFTER, None, "Phường Hoàn Kiếm"),
    # Old Phường Trúc Bạch (00004, quận Ba Đình) asked about after the reform: the new Phường Ba Đình.
    ("00004", AFTER, BEFORE, "P34-01", "Phường Trúc Bạch"),
    ("00004", BEFORE, None, "D63-001", "Phường Trúc Bạch"),
])
def test_responsible_office(uow: UnitOfWork, code: str, on: dt.date, read_on: dt.date | None,
                            office: str | None, commune: str) -> None:
    answer = service.responsible_office(uow=uow, commune_code=code, on=on, read_on=read_on)
    assert answer.commune.name == commune
    assert (answer.office.code if answer.office else None) == office
    assert all(c.in_force(on) for c in answer.communes)


def test_responsible_office_of_new_commune_before_the_reform(uow: UnitOfWork) -> None:
    """New Hoàn Kiếm took over old wards of quận Hoàn Kiếm (D63-002) and one of quận Ba Đình (D63-001)."""
    answer = service.responsible_office(uow=uow, commune_code="00070", on=BEFORE, read_on=AFTER)
    assert [o.code for o in answer.offices] == ["D63-001", "D63-002"]
    assert len(answer.communes) == 14


def _code_of_one_map(uow: UnitOfWork, *, new: bool) -> str:
    """A commune code used by one side of the reform only."""
    edge = func.min(AdminUnit.valid_from) if new else func.max(AdminUnit.valid_from)
    with uow:
        return uow.session.execute(
            select(AdminUnit.code).where(AdminUnit.level == AdminLevel.COMMUNE).group_by(AdminUnit.code)
            .having(edge == (AFTER if new else dt.date(2008, 8, 1)), func.count() == 1)
            .order_by(AdminUnit.code).limit(1)).scalar_one()


def test_code_of_one_map_only_is_followed(uow: UnitOfWork) -> None:
    """A code of one map only, asked about on the other side, is read on its own side and followed."""
    new_code = _code_of_one_map(uow, new=True)
    answer = service.responsible_office(uow=uow, commune_code=new_code, on=dt.date(2024, 5, 1))
    assert answer.read_on == AFTER
    assert answer.offices and all(o.code.startswith("D63-") for o in answer.offices)
    old_code = _code_of_one_map(uow, new=False)
    answer = service.responsible_office(uow=uow, commune_code=old_code, on=dt.date(2026, 1, 1))
    assert answer.read_on == BEFORE
    assert answer.office is not None and answer.office.code.startswith("P34-")


def test_unknown_commune_and_office(uow: UnitOfWork) -> None:
    with pytest.raises(InvalidInput) as caught:
        service.responsible_office(uow=uow, commune_code="99999", on=AFTER)
    assert (caught.value.code, caught.value.field) == ("commune.unknown", "commune")
    with pytest.raises(NotFound) as missing:
        service.get_office(uow=uow, code="P99-99", on=AFTER)
    assert missing.value.code == "office.not_found"
    with pytest.raises(InvalidInput) as closed:
        service.resolve_office(uow=uow, code="P63-01", on=AFTER)
    assert closed.value.code == "office.unknown" and "2025-06-30" in closed.value.message


def test_office_of_record(uow: UnitOfWork) -> None:
    """Forwards through merge, rename and dissolve; backwards only through one predecessor."""
    ids = {o.code: o.id for o in service.offices_on(uow=uow, on=BEFORE) + service.offices_on(uow=uow, on=AFTER)}

    def record(code: str, on: dt.date) -> str | None:
        found = service.office_of_record_on(uow=uow, office_id=ids[code], on=on)
        return found.code if found else None

    assert record("P63-30", AFTER) == "P34-31"  # merged
    assert record("P63-04", AFTER) == "P34-04"  # renamed
    assert record("D63-001", dt.date(2030, 1, 1)) == "P34-01"  # dissolved, read later
    assert record("P34-01", BEFORE) == "P63-01"  # renamed, read back
    assert record("P34-31", BEFORE) is None  # two predecessors
    assert record("VSS", BEFORE) == "VSS"


def test_loading_again_changes_nothing(uow: UnitOfWork) -> None:
    with uow:
        before = uow.session.scalar(select(func.count()).select_from(Office))
    summary = service.load_offices(uow=uow)
    assert summary.applied == ()
    assert summary.already_applied == tuple(p.key for p in offices.seed_plans())
    with uow:
        assert uow.session.scalar(select(func.count()).select_from(Office)) == before


def test_shipped_plan_follows_resolution_202() -> None:
    """Each old provincial office goes into the office of the province its province went into."""
    (plan,) = [p for p in offices.seed_plans() if p.key == "vss-2025-07-01-provinces"]
    assert plan.effective_on == reference.periods().reform_on
    target: dict[str, str] = {}
    for op in plan.operations:
        if isinstance(op, Merge):
            target |= dict.fromkeys(op.offices, op.into.code)
            assert op.into.areas == [f"province:{op.into.code[-2:]}"]
        elif isinstance(op, Rename):
            target[op.office] = op.to.code
            assert op.to.areas == [f"province:{op.to.code[-2:]}"]
    assert target == {f"P63-{m.old_code}": f"P34-{m.new_code}" for m in mergers()}
    dissolved = [code for op in plan.operations if isinstance(op, Dissolve) for code in op.offices]
    assert len(dissolved) == len(set(dissolved)) == 696


def test_names() -> None:
    assert offices.office_name("Hà Giang") == "Bảo hiểm xã hội tỉnh Hà Giang"
    assert offices.office_name("Thị xã Sơn Tây") == "Bảo hiểm xã hội thị xã Sơn Tây"
    assert offices.office_name_en("Quận Đống Đa") == "Social Security Office of Dong Da District"
    assert offices.office_name_en("Thành phố Huế") == "Social Security Office of Hue City"
