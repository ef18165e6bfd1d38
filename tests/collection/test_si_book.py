"""The SI book: a month is credited only when its employer-month is paid in full; suspensions shown."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select

from ansinh.collection.allocation import allocate
from ansinh.collection.assessment import assess_month
from ansinh.collection.bank_statements import import_statement
from ansinh.collection.matching import match_transactions
from ansinh.collection.si_book import only_employer, si_book
from ansinh.db.uow import UnitOfWork
from ansinh.registry.models import Participation, ParticipationSuspension, Person, SuspensionReason
from tests.collection.payment_world import ACCOUNTANT, APRIL, AT, MARCH, ON, build_world, statement

AN = "001185004300"
"""Nguyễn Văn An, 10 million a month at Ánh Dương."""
BINH = "001185004301"
"""Trần Thị Bình, 8 million a month at Ánh Dương."""
MONTH_TOTAL = 5_760_000


def test_a_month_is_credited_when_the_employer_month_is_paid_in_full(db: Engine) -> None:
    world = build_world(db)
    lines = [("T1", "2026-04-25", MONTH_TOTAL - 1, "A", "1", f"BHXH {world.units['anh']}"),
             ("T2", "2026-04-29", 1, "A", "1", f"BHXH {world.units['anh']}")]
    import_statement(uow=UnitOfWork(db), content=statement(*lines), filename="s.csv", actor=ACCOUNTANT, at=AT)
    match_transactions(uow=UnitOfWork(db), on=ON, actor=ACCOUNTANT, at=AT)
    allocate(uow=UnitOfWork(db), on=ON, actor=ACCOUNTANT, at=AT)
    book = si_book(uow=UnitOfWork(db), person_key=AN, actor=ACCOUNTANT, at=AT)
    assert book.full_name == "Nguyễn Văn An"
    assert [(m.month, m.status, m.credited_on, m.deadline) for m in book.months] == [
        (MARCH, "credited", dt.date(2026, 4, 29), None),  # the last đồng arrived on the 29th
        (APRIL, "unpaid", None, dt.date(2026, 5, 31))]
    march = book.months[0]
    assert (march.unit_code, march.employer_name, march.salary) == (world.units["anh"], "Công ty TNHH Ánh Dương",
                                                                    10_000_000)
    assert march.employee == {"retirement_survivor": 800_000, "unemployment": 100_000, "health": 150_000}
    assert march.employer == {"retirement_survivor": 1_400_000, "sickness_maternity": 300_000,
                              "work_injury": 50_000, "unemployment": 100_000, "health": 300_000}
    assert (book.months_credited, book.months_unpaid, book.months_counted) == (1, 1, 1)
    assert only_employer(book, "ZZ0000Z").months == []


def test_suspended_months_show_their_reason_and_maternity_counts(db: Engine) -> None:
    build_world(db, months=(MARCH,))
    with UnitOfWork(db) as uow:
        participation_id = uow.session.scalar(select(Participation.id).join(Person).where(Person.citizen_id == BINH))
        uow.session.add(ParticipationSuspension(participation_id=participation_id, start_month=APRIL,
                                                end_month=None, reason=SuspensionReason.MATERNITY))
        uow.commit()
    assess_month(uow=UnitOfWork(db), month=APRIL, actor=ACCOUNTANT, at=AT)
    book = si_book(uow=UnitOfWork(db), person_key=BINH, actor=ACCOUNTANT, at=AT)
    assert [(m.month, m.status, m.suspension_reason, m.counts) for m in book.months] == [
        (MARCH, "unpaid", None, False), (APRIL, "suspended", "maternity", True),
        (dt.date(2026, 5, 1), "suspended", "maternity", True)]
    assert (book.months_suspended, book.months_counted) == (2, 2)
