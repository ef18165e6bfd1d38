"""Reminders: one row and one Vietnamese message per employer in arrears, once per day and interval."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select

from ansinh.collection.arrears_models import Reminder
from ansinh.collection.reminders import send_reminders
from ansinh.core.actor import SYSTEM
from ansinh.core.errors import InvalidInput
from ansinh.db.uow import UnitOfWork
from ansinh.services.models import OutboxChannel, OutboxMessage
from tests.collection.arrears_helpers import AT, assess, employer_with_workers, pay_all, table_count

JULY, AUGUST = dt.date(2025, 7, 1), dt.date(2025, 8, 1)
ON = dt.date(2025, 9, 30)


def _setup(db: Engine) -> tuple[UnitOfWork, str, int, int]:
    uow = UnitOfWork(db)
    unit, late = employer_with_workers(uow, salaries=(10_000_000,))
    _, punctual = employer_with_workers(uow, tax_code="0101245486", name="Công ty Bình Minh",
                                        salaries=(8_000_000,), first_citizen=20)
    assess(uow, JULY, AUGUST)
    pay_all(uow, employer_id=punctual, month=JULY, value_date=dt.date(2025, 8, 25))
    return uow, unit, late, punctual


def test_an_employer_in_arrears_gets_a_reminder_and_a_message_in_vietnamese(db: Engine) -> None:
    uow, unit, late, _ = _setup(db)
    summary = send_reminders(uow=uow, on=ON, actor=SYSTEM, at=AT)

    assert [r.unit_code for r in summary.sent] == [unit]  # the punctual one owes August, not yet due
    with uow:
        reminder = uow.session.scalar(select(Reminder))
        message = uow.session.scalar(select(OutboxMessage))
        uow.session.expunge_all()
    assert reminder is not None and reminder.employer_id == late and reminder.oldest_month == JULY
    assert message is not None and message.key == f"reminder:{unit}:2025-09-30"
    assert message.channel == OutboxChannel.PORTAL and message.recipient == f"employer:{unit}"
    body = message.body
    assert "Tháng 07/2025 (hạn đóng 31/08/2025, quá hạn 30 ngày)" in body
    assert "hưu trí và tử tuất" in body and "bảo hiểm y tế" in body
    assert "0,03%/ngày" in body and "Điều 40 khoản 1" in body
    assert "trốn đóng" in body and "Điều 39 khoản 1" in body
    assert "Tháng 08/2025" not in body  # not yet due
    assert f"{reminder.unpaid:,}".replace(",", ".") + " đồng" in body


def test_once_per_day_and_not_again_within_the_interval(db: Engine) -> None:
    uow, late, _, _ = _setup(db)
    assert len(send_reminders(uow=uow, on=ON, actor=SYSTEM, at=AT).sent) == 1
    again = send_reminders(uow=uow, on=ON, actor=SYSTEM, at=AT)
    assert again.sent == [] and again.skipped_recent == 1
    # 29 days on, the other employer owes August too: only it is reminded
    later = send_reminders(uow=uow, on=ON + dt.timedelta(days=29), actor=SYSTEM, at=AT)
    assert [r.unit_code for r in later.sent] != [late] and len(later.sent) == 1 and later.skipped_recent == 1
    # 30 days after the first reminder, the late employer gets its second
    assert [r.unit_code for r in send_reminders(uow=uow, on=ON + dt.timedelta(days=30), actor=SYSTEM,
                                                at=AT).sent] == [late]
    assert table_count(uow, Reminder) == 3 and table_count(uow, OutboxMessage) == 3


def test_bad_settings_are_refused_naming_the_field(db: Engine) -> None:
    uow = UnitOfWork(db)
    for kwargs, field in (({"min_days_overdue": 0}, "min_days_overdue"), ({"every_days": 0}, "every_days")):
        try:
            send_reminders(uow=uow, on=ON, actor=SYSTEM, at=AT, **kwargs)  # type: ignore[arg-type]
        except InvalidInput as error:
            assert error.field == field
        else:
            raise AssertionError(f"{field} accepted")
