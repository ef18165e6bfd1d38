"""The 2025 reform applied to offices holding open work and staff: nothing lost, nothing twice.

The database (``pre_reform_engine``, see conftest.py) holds the offices as they stood on
2025-06-30: the 63 provincial and 696 district offices. Hải Dương (30) and Hải Phòng (31)
became the one city of Hải Phòng (31) on 2025-07-01, so their provincial offices P63-30 and
P63-31 and their district offices hand everything to P34-31. The test puts work and staff
on them, applies the shipped plan with the code an administrator uses, and checks every
item and every officer on the eve (where they were) and on the day (at exactly one office).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import Engine, select

from ansinh.accounts.postings import postings_in_force
from ansinh.db.uow import UnitOfWork
from ansinh.org import service
from ansinh.org.models import Office, WorkItem
from ansinh.org.offices import seed_plans
from tests.factories import add_staff

EVE = dt.date(2025, 6, 30)
DAY = dt.date(2025, 7, 1)
STARTED = dt.date(2025, 5, 5)


def _ids(uow: UnitOfWork) -> dict[str, int]:
    with uow:
        return {row[0]: row[1] for row in uow.session.execute(select(Office.code, Office.id))}


def _postings(uow: UnitOfWork, office_ids: set[int], on: dt.date) -> list[tuple[int, int]]:
    """(account, office) of the postings in force on ``on`` at these offices."""
    with uow:
        return [(p.account_id, p.office_id) for p in postings_in_force(uow=uow, office_ids=office_ids, on=on)]


def _reform() -> service.Plan:
    (plan,) = [p for p in seed_plans() if p.effective_on == DAY]
    return plan


def _district_offices(uow: UnitOfWork, province: str) -> list[str]:
    return [o.code for o in service.get_office(uow=uow, code=f"P63-{province}", on=EVE).children]


def test_reform_moves_every_item_and_officer_once(pre_reform_engine: Engine) -> None:
    uow = UnitOfWork(pre_reform_engine)
    assert "P34-31" not in {o.code for o in service.offices_on(uow=uow, on=DAY)}  # the reform is not applied yet
    ids = _ids(uow)
    hai_duong, hai_phong = _district_offices(uow, "30")[:2], _district_offices(uow, "31")[:1]
    holders = ["P63-30", "P63-30", "P63-31", *hai_duong, *hai_phong]
    items = {service.open_work(uow=uow, kind="dossier", reference=f"HS-{n}", office_id=ids[code],
                               opened_on=STARTED, received_by_office_id=ids["P63-01"] if n == 0 else None).id: code
             for n, code in enumerate(holders)}
    done = service.open_work(uow=uow, kind="dossier", reference="HS-done", office_id=ids["P63-30"], opened_on=STARTED)
    service.close_work(uow=uow, kind="dossier", reference="HS-done", closed_on=dt.date(2025, 6, 20))
    elsewhere = service.open_work(uow=uow, kind="dossier", reference="HS-hn", office_id=ids["P63-01"],
                                  opened_on=STARTED)
    staff = {f"officer.{n}": code for n, code in enumerate(["P63-30", "P63-31", hai_duong[0], hai_phong[0]])}
    for username, code in staff.items():
        add_staff(uow, username=username, office_code=code, valid_from=STARTED)

    result = service.restructure(uow=uow, plan=_reform(), actor="admin", applied_on=DAY)

    assert len(result.offices_closed) == 63 + 696 and len(result.offices_opened) == 34
    p34_31 = ids.get("P34-31") or _ids(uow)["P34-31"]
    # Work: on the eve each item at its own office, on the day every one at P34-31, once.
    for item, code in items.items():
        eve = service.office_work(uow=uow, office_id=ids[code], on=EVE)
        assert item in [w.id for w in eve]
    on_day = Counter(w.id for o in service.offices_on(uow=uow, on=DAY)
                     for w in service.office_work(uow=uow, office_id=o.id, on=DAY))
    assert on_day == Counter({**dict.fromkeys(items, 1), elsewhere.id: 1})
    assert {w.id for w in service.office_work(uow=uow, office_id=p34_31, on=DAY)} == set(items)
    with uow:
        rows = {i: uow.session.get(WorkItem, i) for i in [*items, done.id, elsewhere.id]}
        assert rows[done.id].office_id == ids["P63-30"]  # type: ignore[union-attr]  # closed before: not moved
        assert rows[elsewhere.id].office_id == _ids(uow)["P34-01"]  # type: ignore[union-attr]
        received = [rows[i].received_by_office_id for i in items]  # type: ignore[union-attr]
    assert received == [ids["P63-01"]] + [None] * (len(items) - 1)
    # Staff: on the eve where they were, on the day each at P34-31 and nowhere else.
    eve_postings = _postings(uow, {ids[code] for code in staff.values()}, EVE)
    assert sorted(office for _, office in eve_postings) == sorted(ids[code] for code in staff.values())
    day_postings = _postings(uow, {o.id for o in service.offices_on(uow=uow, on=DAY)}, DAY)
    assert Counter(account for account, _ in day_postings) == Counter(account for account, _ in eve_postings)
    assert len(day_postings) == len(staff) and {office for _, office in day_postings} == {p34_31}
    assert sorted(m.from_office for m in result.staff) == sorted(staff.values())


def test_report_by_the_structure_of_the_date_asked(pre_reform_engine: Engine) -> None:
    """Open work counted on the eve by the old offices, on the day by the new, and the eve read by the new."""
    uow = UnitOfWork(pre_reform_engine)
    ids = _ids(uow)
    district = _district_offices(uow, "30")[0]
    for n, code in enumerate(["P63-30", "P63-30", "P63-31", district, "P63-04"]):
        service.open_work(uow=uow, kind="dossier", reference=f"R-{n}", office_id=ids[code], opened_on=STARTED)
    service.restructure(uow=uow, plan=_reform(), actor="admin")
    service.open_work(uow=uow, kind="dossier", reference="R-new", office_id=_ids(uow)["P34-31"], opened_on=DAY)

    def report(on: dt.date, structure_on: dt.date | None = None) -> dict[str | None, int]:
        counts = service.open_work_by_office(uow=uow, on=on, structure_on=structure_on)
        return {(c.office.code if c.office else None): c.count for c in counts}

    assert report(EVE) == {"P63-30": 2, "P63-31": 1, district: 1, "P63-04": 1}
    assert report(DAY) == {"P34-31": 5, "P34-04": 1}
    assert report(EVE, structure_on=DAY) == {"P34-31": 4, "P34-04": 1}
    # Read back on the eve, the new city's office had two predecessors: no single office then.
    assert report(DAY, structure_on=EVE) == {None: 5, "P63-04": 1}


def test_seeding_after_the_plan_was_applied_by_hand_changes_nothing(pre_reform_engine: Engine) -> None:
    uow = UnitOfWork(pre_reform_engine)
    service.restructure(uow=uow, plan=_reform(), actor="admin")
    summary = service.load_offices(uow=uow)
    assert summary.applied == () and len(summary.already_applied) == 3
    assert service.responsible_office(uow=uow, commune_code="00070", on=DAY).office.code == "P34-01"  # type: ignore[union-attr]
