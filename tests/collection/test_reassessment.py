"""Re-assessment: a back-dated change to a month already assessed is charged as a signed difference."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, func, select, update

from ansinh.collection.assessment import assess_month, employer_dues
from ansinh.collection.balances import dues
from ansinh.collection.models import AssessmentAdjustment
from ansinh.collection.reassessment import reassess
from ansinh.core.actor import SYSTEM
from ansinh.db.uow import UnitOfWork
from ansinh.ledger.models import LedgerEntry
from ansinh.ledger.service import trial_balance
from ansinh.registry.lookups import employer_by_key
from ansinh.registry.models import Participation
from tests.factories import add_participation, register_employer, register_person

MARCH = dt.date(2026, 3, 1)
APRIL = dt.date(2026, 4, 1)
AT = dt.datetime(2026, 4, 20, 8, 0, tzinfo=dt.UTC)
ON = dt.date(2026, 4, 20)


def _setup(db: Engine) -> tuple[UnitOfWork, str, int, int]:
    uow = UnitOfWork(db)
    unit = register_employer(uow, tax_code="0100233488", name="Công ty An Bình", wage_region=1,
                             ownership_sector="private").unit_code
    register_person(uow, citizen_id="001185004300", si_number="0123456700", full_name="Nguyễn Văn An")
    first = add_participation(uow, "001185004300", start_month="2025-10", end_month=None, monthly_salary=10_000_000,
                              employer_unit_code=unit)
    assess_month(uow=uow, month=MARCH, actor=SYSTEM, at=AT)
    with uow:
        employer_id = employer_by_key(uow.session, unit).id
    return uow, unit, employer_id, first.id


def test_a_worker_declared_late_is_charged_for_the_assessed_month_only(db: Engine) -> None:
    uow, unit, employer_id, _ = _setup(db)
    before = employer_dues(uow=uow, month=MARCH, employer_unit_code=unit).total
    register_person(uow, citizen_id="001185004301", si_number="0123456701", full_name="Trần Thị Bình")
    add_participation(uow, "001185004301", start_month="2026-02", end_month=None, monthly_salary=10_000_000,
                      employer_unit_code=unit, as_of=ON)

    done = reassess(uow=uow, employer_id=employer_id, months=[dt.date(2026, 2, 1), MARCH, APRIL],
                    cause="declaration:1", on=ON, actor=SYSTEM, at=AT)

    assert [m.month for m in done] == [MARCH]  # February and April were never assessed
    assert done[0].rows == 1 and done[0].total == before  # the same salary costs the same
    with uow:
        owed = dues(uow.session, employer_ids=[employer_id])
    march = employer_dues(uow=uow, month=MARCH, employer_unit_code=unit)
    employer_pays = march.payers["employer"] + march.payers["employee"]
    assert owed.filter(month=MARCH).get_column("due").sum() == employer_pays  # the State's share is not theirs
    assert march.total == 2 * before
    balance = trial_balance(uow=uow, start=MARCH, end=ON)
    assert balance.balanced


def test_a_leaver_declared_late_is_refunded_and_a_retry_changes_nothing(db: Engine) -> None:
    uow, unit, employer_id, first = _setup(db)
    before = employer_dues(uow=uow, month=MARCH, employer_unit_code=unit).total
    with uow:
        uow.session.execute(update(Participation).where(Participation.id == first)
                            .values(end_month=dt.date(2026, 2, 1)))
        uow.commit()

    done = reassess(uow=uow, employer_id=employer_id, months=[MARCH], cause="declaration:2", on=ON,
                    actor=SYSTEM, at=AT)
    again = reassess(uow=uow, employer_id=employer_id, months=[MARCH], cause="declaration:2", on=ON,
                     actor=SYSTEM, at=AT)

    assert done[0].total == -before and done[0].funds["retirement_survivor"] < 0
    assert again[0].already_done
    with uow:
        assert uow.session.scalar(select(func.count()).select_from(AssessmentAdjustment)) == 1
        assert uow.session.scalar(select(func.count()).select_from(LedgerEntry)
                                  .where(LedgerEntry.key.like("reassess:%"))) == 1
        owed = dues(uow.session, employer_ids=[employer_id])
    assert owed.filter(month=MARCH).get_column("due").sum() == 0
    assert trial_balance(uow=uow, start=MARCH, end=ON).balanced


def test_nothing_changed_writes_nothing(db: Engine) -> None:
    uow, _, employer_id, _ = _setup(db)
    done = reassess(uow=uow, employer_id=employer_id, months=[MARCH], cause="declaration:3", on=ON,
                    actor=SYSTEM, at=AT)
    assert done[0].rows == 0 and done[0].total == 0
    with uow:
        assert uow.session.scalar(select(func.count()).select_from(AssessmentAdjustment)) == 0
