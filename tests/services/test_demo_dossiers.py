"""The demo's dossiers: one at each stage, filed and moved by the verbs themselves."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import Engine, select

from ansinh.accounts.demo_accounts import DEMO_PASSWORD, create_demo_accounts
from ansinh.core.actor import SYSTEM
from ansinh.core.clock import VIETNAM
from ansinh.db.uow import UnitOfWork
from ansinh.services import calendar
from ansinh.services.demo_dossiers import DemoDesk, seed_demo_dossiers, working_days_before
from ansinh.services.models import Dossier, OutboxMessage
from tests.factories import register_person

TODAY = dt.date(2026, 11, 24)
NOW = dt.datetime(2026, 11, 24, 10, tzinfo=VIETNAM)


def test_working_days_before_skips_weekends_and_holidays() -> None:
    assert working_days_before(dt.date(2026, 2, 23), 1) == dt.date(2026, 2, 13)  # back over Tết 2026
    assert working_days_before(dt.date(2026, 11, 23), 1) == dt.date(2026, 11, 20)  # Monday → Friday
    monday = dt.date(2026, 11, 23)
    assert calendar.working_days_between(working_days_before(monday, 12), monday) == 12
    assert working_days_before(dt.date(2026, 11, 25), 1) == monday  # 24 November is Culture Day


def test_the_demo_files_a_dossier_at_each_stage(db: Engine) -> None:
    names = ("An", "Bình", "Chi", "Dung", "Hoa")
    people = [register_person(UnitOfWork(db), citizen_id=f"0011850043{index:02d}", si_number=f"01234567{index:02d}",
                              full_name=f"Phạm Thị {name}") for index, name in enumerate(names)]
    accounts = create_demo_accounts(uow=UnitOfWork(db), province_code="01", citizen_id=people[0].citizen_id, at=NOW,
                                    actor=SYSTEM)
    officers = [a.username for a in accounts if a.role.value == "officer"]
    citizen = next(a.username for a in accounts if a.role.value == "citizen")
    desk = DemoDesk(citizen=citizen, officer=officers[0], away_officer="officer.p34-79", password=DEMO_PASSWORD)
    filed = seed_demo_dossiers(uow=UnitOfWork(db), desk=desk, citizen=people[0], others=people[1:], today=TODAY,
                               now=NOW)
    assert filed == 5
    with UnitOfWork(db) as uow:
        rows = list(uow.session.scalars(select(Dossier).order_by(Dossier.id)))
        statuses = Counter(row.status for row in rows)
        assert statuses == {"submitted": 1, "delivered": 1, "refused": 1, "in_review": 1, "awaiting_supplement": 1}
        online = rows[0]
        assert online.channel == "online" and online.receipt_code is None  # waits for the away office to receive it
        delivered = next(r for r in rows if r.status == "delivered")
        refused = next(r for r in rows if r.status == "refused")
        overdue = next(r for r in rows if r.status == "in_review")
        assert delivered.due_on is not None and delivered.decided_on is not None
        assert delivered.decided_on <= delivered.due_on
        assert refused.decided_on is not None and refused.due_on is not None and refused.decided_on > refused.due_on
        assert overdue.due_on is not None and overdue.due_on < TODAY
        assert uow.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dossier_id == online.id)) is not None
