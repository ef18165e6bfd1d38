"""The map before the reform: districts, communes, and where each commune went."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import aliased

from ansinh.db.uow import UnitOfWork
from ansinh.org import legacy, service
from ansinh.org.models import AdminLevel, AdminSuccession, AdminUnit
from ansinh.org.provinces import mergers

BEFORE = dt.date(2025, 6, 30)
AFTER = dt.date(2025, 7, 1)
IN_2024 = dt.date(2024, 1, 1)


def test_provenance_counts_match_the_data() -> None:
    counts = legacy.provenance()["counts"]
    assert isinstance(counts, dict)
    units = legacy.legacy_units()
    assert sum(1 for u in units if u.key.level == AdminLevel.DISTRICT) == counts["legacy_districts"] == 696
    assert sum(1 for u in units if u.key.level == AdminLevel.COMMUNE) == counts["legacy_communes"] == 10051
    assert len(legacy.commune_successions()) == counts["conversion_rows_kept"]


def test_communes_before_the_reform(uow: UnitOfWork) -> None:
    frame = service.communes_frame(uow=uow, on=BEFORE)
    assert frame.height == 10051
    assert frame["province_code"].n_unique() == 63
    assert frame["code"].str.len_chars().unique().to_list() == [5]
    assert not frame["name"].str.contains("  ").any()
    assert not service.communes_frame(uow=uow, on=AFTER)["name"].str.contains("  ").any()


def test_old_commune_reports_its_district_and_province(uow: UnitOfWork) -> None:
    commune = service.resolve_commune(uow=uow, code="00001", on=IN_2024)
    assert (commune.name, commune.district_code, commune.district_name) == (
        "Phường Phúc Xá", "001", "Quận Ba Đình"
    )
    assert (commune.province_code, commune.valid_to) == ("01", BEFORE)
    old_hanoi = service.get_province(uow=uow, code="01", on=IN_2024).province
    assert commune.province_id == old_hanoi.id
    in_binh_duong = service.list_communes(uow=uow, on=IN_2024, province_code="74", limit=1000)
    assert in_binh_duong
    assert {c.province_code for c in in_binh_duong} == {"74"}
    assert all(c.district_code for c in in_binh_duong)


def test_old_commune_went_into_new_ones(uow: UnitOfWork) -> None:
    new = service.successors(uow=uow, level="commune", code="00001", on_before=IN_2024, on_after=AFTER)
    assert [(c.code, c.valid_from) for c in new] == [("00097", AFTER)]
    back = service.successors(uow=uow, level="commune", code="00070", on_before=AFTER, on_after=IN_2024)
    assert back
    infos = service.commune_infos(uow=uow, ids=[c.id for c in back])
    assert {c.province_code for c in infos.values()} == {"01"}
    assert all(c.valid_to == BEFORE for c in back)


def test_districts_have_no_successor(uow: UnitOfWork) -> None:
    assert service.successors(uow=uow, level="district", code="001", on_before=IN_2024, on_after=AFTER) == []
    assert _count_districts(uow, IN_2024) == 696
    assert _count_districts(uow, AFTER) == 0


def _count_districts(uow: UnitOfWork, on: dt.date) -> int:
    with uow:
        return len(uow.session.execute(
            select(AdminUnit.id).where(
                AdminUnit.level == AdminLevel.DISTRICT, AdminUnit.valid_from <= on,
                (AdminUnit.valid_to.is_(None)) | (AdminUnit.valid_to >= on),
            )
        ).all())


def test_every_commune_succession_follows_its_provinces(uow: UnitOfWork) -> None:
    """Resolution 202: an old commune goes into a commune of its old province's successor."""
    successor_of = {m.old_code: m.new_code for m in mergers()}
    old, new = aliased(AdminUnit), aliased(AdminUnit)
    with uow:
        pairs = uow.session.execute(
            select(old.id, new.id)
            .join(AdminSuccession, AdminSuccession.predecessor_id == old.id)
            .join(new, AdminSuccession.successor_id == new.id)
            .where(old.level == AdminLevel.COMMUNE)
        ).all()
    infos = service.commune_infos(uow=uow, ids={i for pair in pairs for i in pair})
    assert len(pairs) > 10000
    for old_id, new_id in pairs:
        assert successor_of[infos[old_id].province_code] == infos[new_id].province_code


def test_tien_giang_communes_do_not_go_to_tay_ninh(uow: UnitOfWork) -> None:
    forwards = service.province_crosswalk(uow=uow, read_on=BEFORE, report_on=AFTER)
    assert forwards["82"] == ("82",)
    # Phường 4 of Tân An is in Long An (80) by its district, whatever its row's label says.
    tan_an = service.resolve_commune(uow=uow, code="27691", on=BEFORE)
    assert (tan_an.district_code, tan_an.province_code) == ("794", "80")
    went = service.successors(uow=uow, level="commune", code="27691", on_before=BEFORE, on_after=AFTER)
    assert {service.resolve_commune(uow=uow, code=c.code, on=AFTER).province_code for c in went} == {"80"}
