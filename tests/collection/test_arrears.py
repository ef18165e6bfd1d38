"""Arrears ageing: buckets by days past the deadline, and evasion only after a written reminder."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from ansinh.collection.arrears import ageing
from ansinh.collection.arrears_models import Reminder
from ansinh.db.uow import UnitOfWork
from tests.collection.arrears_helpers import assess, employer_with_workers, pay_all

JULY, AUGUST, SEPTEMBER, OCTOBER = (dt.date(2025, m, 1) for m in (7, 8, 9, 10))
AS_OF = dt.date(2025, 11, 15)


def _setup(db: Engine) -> tuple[UnitOfWork, str, int]:
    uow = UnitOfWork(db)
    unit, employer_id = employer_with_workers(uow, salaries=(10_000_000, 6_000_000))
    assess(uow, JULY, AUGUST, SEPTEMBER, OCTOBER)
    return uow, unit, employer_id


def _remind(uow: UnitOfWork, employer_id: int, on: dt.date) -> None:
    with uow:
        uow.session.add(Reminder(employer_id=employer_id, sent_on=on, oldest_month=JULY, unpaid=1, interest=0,
                                 outbox_key=f"test:{on}"))
        uow.commit()


def test_unpaid_dues_fall_in_buckets_by_days_past_their_deadline(db: Engine) -> None:
    uow, unit, _ = _setup(db)
    report = ageing(uow=uow, as_of=AS_OF)
    row = report.rows[0]
    month_dues = row.not_yet_due  # October: due by 30 November
    assert report.employers == 1 and row.unit_code == unit
    assert month_dues > 0
    assert row.days_61_90 == month_dues  # July: deadline 31 August, 76 days
    assert row.days_31_60 == month_dues  # August: deadline 30 September, 46 days
    assert row.days_1_30 == month_dues  # September: deadline 31 October, 15 days
    assert row.days_91_180 == row.over_180 == 0
    assert row.overdue == 3 * month_dues and row.unpaid == 4 * month_dues
    assert row.oldest_unpaid_month == JULY and row.max_days_overdue == 76
    assert row.status == "late" and "art. 38" in row.legal_basis
    assert report.totals["overdue"] == row.overdue


def test_evasion_needs_a_written_reminder_after_the_deadline_and_before_the_day(db: Engine) -> None:
    uow, _, employer_id = _setup(db)
    _remind(uow, employer_id, dt.date(2025, 8, 20))  # before July's deadline: does not count
    assert ageing(uow=uow, as_of=AS_OF).rows[0].status == "late"

    _remind(uow, employer_id, AS_OF)  # on the day itself: not yet before it
    assert ageing(uow=uow, as_of=AS_OF).rows[0].status == "late"

    _remind(uow, employer_id, dt.date(2025, 10, 1))
    row = ageing(uow=uow, as_of=AS_OF).rows[0]
    assert row.status == "evasion" and "art. 39(1)" in row.legal_basis
    assert row.last_reminder == dt.date(2025, 10, 1)
    assert ageing(uow=uow, as_of=dt.date(2025, 10, 30)).rows[0].status == "late"  # July only 60 days late then


def test_an_employer_that_paid_is_current_or_absent(db: Engine) -> None:
    uow, _, employer_id = _setup(db)
    for month, paid_on in ((JULY, dt.date(2025, 8, 31)), (AUGUST, dt.date(2025, 9, 30)),
                           (SEPTEMBER, dt.date(2025, 10, 20))):
        pay_all(uow, employer_id=employer_id, month=month, value_date=paid_on)
    row = ageing(uow=uow, as_of=AS_OF).rows[0]
    assert row.status == "current" and row.overdue == 0 and row.not_yet_due > 0
    pay_all(uow, employer_id=employer_id, month=OCTOBER, value_date=dt.date(2025, 11, 10))
    assert ageing(uow=uow, as_of=AS_OF).employers == 0
