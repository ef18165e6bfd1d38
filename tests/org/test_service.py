"""The administrative map: loading, reading on a date, and crossing the 2025 reform."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import polars as pl
import pytest
from sqlalchemy import Engine, event, func, select

from ansinh.core.errors import InvalidInput, NotFound
from ansinh.db.uow import UnitOfWork
from ansinh.org import reference, service
from ansinh.org.models import AdminLevel, AdminUnit

BEFORE = dt.date(2025, 6, 30)
AFTER = dt.date(2025, 7, 1)
IN_2024 = dt.date(2024, 1, 1)


def _codes(units: list[service.UnitInfo]) -> list[str]:
    return [u.code for u in units]


def _new_only_commune_code(uow: UnitOfWork) -> str:
    """A commune code that no commune had before the reform."""
    with uow:
        return uow.session.execute(
            select(AdminUnit.code)
            .where(AdminUnit.level == AdminLevel.COMMUNE)
            .group_by(AdminUnit.code)
            .having(func.min(AdminUnit.valid_from) == AFTER)
            .order_by(AdminUnit.code)
            .limit(1)
        ).scalar_one()


def test_map_periods_agree_with_the_province_table() -> None:
    assert reference.periods().reform_on == dt.date(2025, 7, 1)
    assert reference.periods().before_to == BEFORE


def test_provinces_on_each_side_of_the_reform(uow: UnitOfWork) -> None:
    before = service.list_provinces(uow=uow, on=BEFORE)
    after = service.list_provinces(uow=uow, on=AFTER)
    assert len(before) == 63
    assert len(after) == 34
    assert _codes(after) == sorted(_codes(after))
    assert all(len(code) == 2 for code in _codes(before) + _codes(after))
    assert len(service.list_provinces(uow=uow, on=dt.date(2008, 8, 1))) == 63
    assert service.list_provinces(uow=uow, on=dt.date(2008, 7, 31)) == []


def test_communes_from_the_reform(uow: UnitOfWork) -> None:
    frame = service.communes_frame(uow=uow, on=AFTER)
    assert frame.height == 3321
    assert frame.schema == pl.Schema({
        "id": pl.Int64, "code": pl.String, "name": pl.String,
        "province_code": pl.String, "province_name": pl.String,
    })
    assert frame["code"].str.len_chars().unique().to_list() == [5]
    assert frame["code"].is_unique().all()
    assert frame["province_code"].n_unique() == 34
    infos = service.commune_infos(uow=uow, ids=frame["id"].to_list())
    types = Counter(c.division_type for c in infos.values())
    assert types == {"xã": 2621, "phường": 687, "đặc khu": 13}


def test_commune_counts_per_province(uow: UnitOfWork) -> None:
    counts = service.communes_frame(uow=uow, on=AFTER)["province_code"].value_counts()
    per_province = dict(zip(counts["province_code"], counts["count"], strict=True))
    assert per_province["79"] == 168
    assert per_province["01"] == 126
    assert service.get_province(uow=uow, code="79", on=AFTER).commune_count == 168


def test_ha_noi_is_two_units(uow: UnitOfWork) -> None:
    old = service.get_province(uow=uow, code="01", on=BEFORE)
    new = service.get_province(uow=uow, code="01", on=AFTER)
    assert old.province.id != new.province.id
    assert (old.province.valid_from, old.province.valid_to) == (dt.date(2008, 8, 1), BEFORE)
    assert (new.province.valid_from, new.province.valid_to) == (AFTER, None)
    assert _codes(list(old.went_into)) == ["01"]
    assert _codes(list(new.came_from)) == ["01"]
    assert new.province.division_type == "thành phố trung ương"


def test_old_binh_duong_became_ho_chi_minh_city(uow: UnitOfWork) -> None:
    units = service.successors(uow=uow, level="province", code="74", on_before=IN_2024, on_after=AFTER)
    assert [(u.code, u.name, u.valid_from) for u in units] == [("79", "Thành phố Hồ Chí Minh", AFTER)]
    read_back = service.province_on(uow=uow, province_code="74", as_read_on=IN_2024, report_date=IN_2024)
    assert _codes(read_back) == ["74"]


def test_new_ho_chi_minh_city_read_on_the_old_map(uow: UnitOfWork) -> None:
    units = service.province_on(uow=uow, province_code="79", as_read_on=AFTER, report_date=IN_2024)
    assert _codes(units) == ["74", "77", "79"]
    assert all(u.valid_to == BEFORE for u in units)
    detail = service.get_province(uow=uow, code="79", on=AFTER)
    assert _codes(list(detail.came_from)) == ["74", "77", "79"]
    assert detail.went_into == ()


def test_tien_giang_went_into_dong_thap_only(uow: UnitOfWork) -> None:
    units = service.successors(uow=uow, level="province", code="82", on_before=BEFORE, on_after=AFTER)
    assert [(u.code, u.name) for u in units] == [("82", "Đồng Tháp")]


def test_crosswalk_both_ways(uow: UnitOfWork) -> None:
    forwards = service.province_crosswalk(uow=uow, read_on=IN_2024, report_on=AFTER)
    backwards = service.province_crosswalk(uow=uow, read_on=AFTER, report_on=IN_2024)
    assert len(forwards) == 63
    assert all(len(new) == 1 for new in forwards.values())
    assert forwards["74"] == ("79",)
    assert backwards["79"] == ("74", "77", "79")
    assert sorted(old for olds in backwards.values() for old in olds) == sorted(forwards)
    for old, (new,) in forwards.items():
        assert old in backwards[new]


def test_resolve_commune(uow: UnitOfWork) -> None:
    commune = service.resolve_commune(uow=uow, code="00070", on=AFTER)
    assert (commune.code, commune.name, commune.province_code) == ("00070", "Phường Hoàn Kiếm", "01")
    assert commune.province_name == "Thành phố Hà Nội"
    assert service.resolve_commune(uow=uow, code="70", on=AFTER) == commune


@pytest.mark.parametrize("code", ["99999", "abc", "000700", ""])
def test_unknown_commune_is_an_input_error(uow: UnitOfWork, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        service.resolve_commune(uow=uow, code=code, on=AFTER, field="residence.commune_code")
    assert caught.value.code == "commune.unknown"
    assert caught.value.field == "residence.commune_code"
    assert caught.value.rule


def test_commune_not_in_force_is_an_input_error(uow: UnitOfWork) -> None:
    code = _new_only_commune_code(uow)
    with pytest.raises(InvalidInput) as caught:
        service.resolve_commune(uow=uow, code=code, on=IN_2024)
    assert caught.value.code == "commune.unknown"
    assert caught.value.field == "commune_code"
    assert "not in force on 2024-01-01" in caught.value.message
    assert "from 2025-07-01" in caught.value.message
    with pytest.raises(NotFound) as missing:
        service.get_commune(uow=uow, code=code, on=IN_2024)
    assert missing.value.code == "commune.not_found"


def test_commune_infos_is_one_query(uow: UnitOfWork, db: Engine) -> None:
    ids = service.communes_frame(uow=uow, on=AFTER)["id"].head(500).to_list()
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(db, "before_cursor_execute", count)
    try:
        infos = service.commune_infos(uow=uow, ids=[*ids, ids[0], -1])
    finally:
        event.remove(db, "before_cursor_execute", count)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
    assert set(infos) == set(ids)
    assert service.commune_infos(uow=uow, ids=[]) == {}


def test_search_without_diacritics(uow: UnitOfWork) -> None:
    found = service.list_communes(uow=uow, on=AFTER, query="phu my", limit=100)
    names = {c.name for c in found}
    assert {"Phường Phú Mỹ", "Xã Phú Mỹ"} <= names
    assert all("phu my" in service.search_key(c.name) for c in found)
    assert service.search_key(found[0].name).endswith("phu my")
    typed = service.list_communes(uow=uow, on=AFTER, query="Phú Mỹ", limit=3)
    assert all("Phú Mỹ" in c.name for c in typed)
    dong = service.list_communes(uow=uow, on=AFTER, query="dong da", province_code="01")
    assert [c.name for c in dong] == ["Phường Đống Đa"]


def test_list_communes_by_province_and_code(uow: UnitOfWork) -> None:
    in_hcm = service.list_communes(uow=uow, on=AFTER, province_code="79", limit=1000)
    assert len(in_hcm) == 168
    assert {c.province_code for c in in_hcm} == {"79"}
    assert len(service.list_communes(uow=uow, on=AFTER, province_code="79", limit=10)) == 10
    by_code = service.list_communes(uow=uow, on=AFTER, query="00070")
    assert [c.code for c in by_code] == ["00070"]


def test_list_communes_rejects_bad_filters(uow: UnitOfWork) -> None:
    with pytest.raises(InvalidInput) as province:
        service.list_communes(uow=uow, on=AFTER, province_code="74")
    assert (province.value.code, province.value.field) == ("province.unknown", "province")
    with pytest.raises(InvalidInput) as limit:
        service.list_communes(uow=uow, on=AFTER, limit=0)
    assert (limit.value.code, limit.value.field) == ("limit.range", "limit")


def test_successor_errors(uow: UnitOfWork) -> None:
    with pytest.raises(InvalidInput) as level:
        service.successors(uow=uow, level="hamlet", code="01", on_before=AFTER, on_after=BEFORE)
    assert level.value.code == "admin_level.unknown"
    with pytest.raises(InvalidInput) as unknown:
        service.successors(uow=uow, level="province", code="99", on_before=AFTER, on_after=BEFORE)
    assert (unknown.value.code, unknown.value.field) == ("province.unknown", "code")
    with pytest.raises(InvalidInput):
        service.province_on(uow=uow, province_code="74", as_read_on=AFTER, report_date=BEFORE)


def test_unit_in_force_on_both_dates_is_itself(uow: UnitOfWork) -> None:
    later = dt.date(2026, 1, 1)
    commune = service.successors(uow=uow, level="commune", code="00070", on_before=AFTER, on_after=later)
    assert _codes(commune) == ["00070"]
    province = service.province_on(uow=uow, province_code="79", as_read_on=AFTER, report_date=later)
    assert _codes(province) == ["79"]


def test_get_province_errors(uow: UnitOfWork) -> None:
    with pytest.raises(NotFound) as caught:
        service.get_province(uow=uow, code="74", on=AFTER)
    assert caught.value.code == "province.not_found"
    assert "not in force on 2025-07-01" in caught.value.message
    with pytest.raises(InvalidInput) as bad:
        service.resolve_province(uow=uow, code="1x", on=AFTER, field="province")
    assert (bad.value.code, bad.value.field) == ("province.unknown", "province")


def test_loader_is_idempotent(uow: UnitOfWork) -> None:
    with uow:
        units_before = uow.session.scalar(select(func.count()).select_from(AdminUnit))
    summary = service.load_admin_map(uow=uow)
    assert summary.inserted == 0
    assert summary.units_total == units_before
    assert summary.successions_total >= 63
    with uow:
        assert uow.session.scalar(select(func.count()).select_from(AdminUnit)) == units_before


def test_sources_are_recorded(uow: UnitOfWork) -> None:
    with uow:
        rows = uow.session.execute(
            select(AdminUnit.valid_from, AdminUnit.source)
            .where(AdminUnit.level == AdminLevel.PROVINCE, AdminUnit.code == "01")
        )
        sources = {row[0]: row[1] for row in rows}
    assert "Resolution 15/2008/QH12" in sources[dt.date(2008, 8, 1)]
    assert "vietnam-provinces 2025.10.1" in sources[AFTER]
    assert "Resolution 202/2025/QH15" in sources[AFTER]
