"""Writing off debts by decision: no longer owed, no more interest, the ledger balanced, the months not credited."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine

from ansinh.collection.arrears_models import WriteOff
from ansinh.collection.balances import balances
from ansinh.collection.interest import charge_interest
from ansinh.collection.si_book import si_book
from ansinh.collection.write_offs import write_off
from ansinh.core.actor import SYSTEM
from ansinh.core.errors import InvalidInput, NotFound
from ansinh.db.uow import UnitOfWork
from ansinh.law import default_parameters
from ansinh.ledger.service import trial_balance
from tests.collection.arrears_helpers import AT, assess, employer_with_workers, pay_all, table_count

OCTOBER, NOVEMBER = dt.date(2025, 10, 1), dt.date(2025, 11, 1)
DECIDED = dt.date(2026, 1, 20)
PARAMS = default_parameters()


def _owed(uow: UnitOfWork, employer_id: int, as_of: dt.date) -> tuple[int, int]:
    with uow:
        frame = balances(uow.session, as_of=as_of, params=PARAMS, employer_ids=[employer_id])
    return int(frame.get_column("unpaid").sum()), int(frame.get_column("interest_unpaid").sum())


def test_a_decision_writes_off_what_is_owed_up_to_its_month(db: Engine) -> None:
    uow = UnitOfWork(db)
    unit, employer_id = employer_with_workers(uow)
    assess(uow, OCTOBER, NOVEMBER)
    charge_interest(uow=uow, through=dt.date(2026, 1, 10), actor=SYSTEM, at=AT)
    unpaid, interest = _owed(uow, employer_id, DECIDED)
    assert unpaid > 0 and interest > 0  # October is 41 days late on the 10th of January

    done = write_off(uow=uow, employer_unit_code=unit, decision_ref="12/QĐ-BHXH", decided_on=DECIDED,
                     through=NOVEMBER, reason="Doanh nghiệp phá sản, không còn tài sản", actor=SYSTEM, at=AT)

    assert (done.contributions, done.interest) == (unpaid, interest)
    assert done.months == [OCTOBER, NOVEMBER]
    assert _owed(uow, employer_id, DECIDED) == (0, 0)
    assert trial_balance(uow=uow, start=OCTOBER, end=DECIDED).balanced
    # From the decision on, nothing bears interest: a run to the end of March charges only the nine
    # days from 11 to 19 January, on both months' unpaid dues (each row rounded to the đồng).
    later = charge_interest(uow=uow, through=dt.date(2026, 3, 31), actor=SYSTEM, at=AT)
    assert abs(later.total - unpaid * 3 * 9 / 10_000) <= later.rows
    # Recording the same decision again writes nothing more.
    rows = table_count(uow, WriteOff)
    again = write_off(uow=uow, employer_unit_code=unit, decision_ref="12/QĐ-BHXH", decided_on=DECIDED,
                      through=NOVEMBER, reason="Doanh nghiệp phá sản, không còn tài sản", actor=SYSTEM, at=AT)
    assert again.already_recorded and table_count(uow, WriteOff) == rows


def test_written_off_months_are_not_credited_to_the_workers(db: Engine) -> None:
    uow = UnitOfWork(db)
    unit, employer_id = employer_with_workers(uow)
    assess(uow, OCTOBER, NOVEMBER)
    pay_all(uow, employer_id=employer_id, month=OCTOBER, value_date=dt.date(2025, 11, 20))
    write_off(uow=uow, employer_unit_code=unit, decision_ref="13/QĐ-BHXH", decided_on=DECIDED, through=NOVEMBER,
              reason="Giải thể", actor=SYSTEM, at=AT)
    book = si_book(uow=uow, person_key="001185000001", actor=SYSTEM, at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    status = {m.month: m.status for m in book.months}
    assert status == {OCTOBER: "credited", NOVEMBER: "unpaid"}


@pytest.mark.parametrize(("decision", "through", "reason", "code"), [
    ("", NOVEMBER, "Giải thể", "write_off.decision"),
    ("14/QĐ\nBHXH", NOVEMBER, "Giải thể", "write_off.decision"),
    ("14/QĐ-BHXH", NOVEMBER, "  ", "write_off.reason"),
    ("14/QĐ-BHXH", dt.date(2025, 11, 15), "Giải thể", "write_off.through"),
    ("14/QĐ-BHXH", dt.date(2026, 2, 1), "Giải thể", "write_off.through"),
])
def test_bad_decisions_are_refused_and_nothing_is_written(db: Engine, decision: str, through: dt.date, reason: str,
                                                          code: str) -> None:
    uow = UnitOfWork(db)
    unit, _ = employer_with_workers(uow)
    assess(uow, OCTOBER)
    with pytest.raises(InvalidInput) as refused:
        write_off(uow=uow, employer_unit_code=unit, decision_ref=decision, decided_on=DECIDED, through=through,
                  reason=reason, actor=SYSTEM, at=AT)
    assert refused.value.code == code
    assert table_count(uow, WriteOff) == 0


def test_nothing_owed_is_nothing_to_write_off(db: Engine) -> None:
    uow = UnitOfWork(db)
    unit, employer_id = employer_with_workers(uow)
    assess(uow, OCTOBER)
    pay_all(uow, employer_id=employer_id, month=OCTOBER, value_date=dt.date(2025, 11, 20))
    with pytest.raises(NotFound) as refused:
        write_off(uow=uow, employer_unit_code=unit, decision_ref="15/QĐ-BHXH", decided_on=DECIDED, through=OCTOBER,
                  reason="Giải thể", actor=SYSTEM, at=AT)
    assert refused.value.code == "write_off.nothing_owed"
