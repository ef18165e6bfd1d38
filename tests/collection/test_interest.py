"""Late-payment interest: the law's example to the đồng, payments, idempotent runs, catch-up after re-assessment."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from sqlalchemy import Engine, func, select

from ansinh.collection.arrears_models import InterestCharge, InterestRun
from ansinh.collection.balances import dues
from ansinh.collection.interest import charge_interest, interest_due
from ansinh.collection.reassessment import reassess
from ansinh.core.actor import SYSTEM
from ansinh.core.errors import Conflict
from ansinh.db.uow import UnitOfWork
from ansinh.law import default_parameters
from ansinh.ledger.models import LedgerEntry
from ansinh.ledger.service import trial_balance
from tests.collection.arrears_helpers import AT, assess, employer_with_workers, pay, pay_all
from tests.factories import add_participation, register_person

JULY = dt.date(2025, 7, 1)
AUGUST = dt.date(2025, 8, 1)
JULY_DEADLINE = dt.date(2025, 8, 31)
KEYS = {"employer_id": pl.Int64, "month": pl.Date, "fund": pl.Utf8}


def _frames(due: int, payments: list[tuple[dt.date, int]] = (), charged: tuple[int, dt.date] | None = None,
            ) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    owed = pl.DataFrame([(1, JULY, "retirement_survivor", due)], schema=KEYS | {"due": pl.Int64}, orient="row")
    paid = pl.DataFrame([(1, JULY, "retirement_survivor", day, amount) for day, amount in payments],
                        schema=KEYS | {"point": pl.Date, "paid": pl.Int64}, orient="row")
    done = pl.DataFrame([(1, JULY, "retirement_survivor", *charged)] if charged else [],
                        schema=KEYS | {"charged": pl.Int64, "charged_through": pl.Date}, orient="row")
    return owed, paid, done


def test_the_laws_example_100_million_unpaid_for_45_days_is_1_350_000() -> None:
    through = JULY_DEADLINE + dt.timedelta(days=45)
    result = interest_due(*_frames(100_000_000), through=through, params=default_parameters())
    row = result.row(0, named=True)
    assert row["amount"] == 1_350_000
    assert row["from_date"] == dt.date(2025, 9, 1)  # the day after the deadline
    assert row["balance_days"] == 100_000_000 * 45
    assert row["daily_rate"] == "0.0003"


def test_a_payment_on_the_deadline_bears_no_interest() -> None:
    frames = _frames(100_000_000, payments=[(JULY_DEADLINE, 100_000_000)])
    assert interest_due(*frames, through=dt.date(2025, 12, 31), params=default_parameters()).height == 0


def test_a_partial_payment_mid_period_stops_interest_on_what_it_paid_from_its_value_date() -> None:
    # 20 days on 100 M, then 25 days on 40 M: (100 M x 20 + 40 M x 25) x 0.0003 = 900,000
    frames = _frames(100_000_000, payments=[(dt.date(2025, 9, 21), 60_000_000)])
    row = interest_due(*frames, through=dt.date(2025, 10, 15), params=default_parameters()).row(0, named=True)
    assert row["amount"] == 900_000
    assert row["balance_days"] == 100_000_000 * 20 + 40_000_000 * 25


def test_what_was_charged_is_subtracted_and_the_span_starts_the_day_after() -> None:
    frames = _frames(100_000_000, charged=(600_000, dt.date(2025, 9, 20)))
    row = interest_due(*frames, through=dt.date(2025, 10, 15), params=default_parameters()).row(0, named=True)
    assert row["amount"] == 750_000 and row["from_date"] == dt.date(2025, 9, 21)
    assert row["balance_days"] == 100_000_000 * 25


def test_days_before_the_daily_rate_is_in_force_bear_nothing() -> None:
    # May 2025 was due on 31 May (Law 58/2014); interest starts with the rate, on 1 July 2025
    owed = pl.DataFrame([(1, dt.date(2025, 5, 1), "health", 10_000_000)], schema=KEYS | {"due": pl.Int64},
                        orient="row")
    paid = pl.DataFrame([], schema=KEYS | {"point": pl.Date, "paid": pl.Int64})
    done = pl.DataFrame([], schema=KEYS | {"charged": pl.Int64, "charged_through": pl.Date})
    row = interest_due(owed, paid, done, through=dt.date(2025, 7, 10), params=default_parameters()).row(0, named=True)
    assert row["from_date"] == dt.date(2025, 7, 1)
    assert row["amount"] == 10_000_000 * 10 * 3 // 10_000


def test_rounding_is_half_up_on_the_total() -> None:
    # 5,000 x 0.0003 x 1 day = 1.5 đồng → 2
    frames = _frames(5_000)
    row = interest_due(*frames, through=JULY_DEADLINE + dt.timedelta(days=1), params=default_parameters())
    assert row.row(0, named=True)["amount"] == 2


# ----------------------------------------------------------------------------- runs on the database

def _setup(db: Engine) -> tuple[UnitOfWork, str, int]:
    uow = UnitOfWork(db)
    unit, employer_id = employer_with_workers(uow, salaries=(10_000_000,))
    assess(uow, JULY)
    return uow, unit, employer_id


def _owed_july(uow: UnitOfWork, employer_id: int) -> int:
    with uow:
        return int(dues(uow.session, employer_ids=[employer_id]).filter(month=JULY).get_column("due").sum())


def test_a_run_charges_each_fund_posts_the_ledger_and_a_second_run_writes_nothing(db: Engine) -> None:
    uow, unit, employer_id = _setup(db)
    through = JULY_DEADLINE + dt.timedelta(days=45)
    summary = charge_interest(uow=uow, through=through, actor=SYSTEM, at=AT)
    due = _owed_july(uow, employer_id)

    assert summary.key == "interest:2025-10-15" and summary.employers == 1 and not summary.already_run
    assert summary.rows == 5  # five funds
    assert summary.total == pytest.approx(due * 45 * 0.0003, abs=3)  # each fund rounded on its own
    with uow:
        entry = uow.session.scalar(select(LedgerEntry).where(LedgerEntry.key == f"interest:2025-10-15:{unit}"))
        assert entry is not None
    assert trial_balance(uow=uow, start=JULY, end=through).balanced

    again = charge_interest(uow=uow, through=through, actor=SYSTEM, at=AT)
    assert again.already_run and again.total == summary.total
    with uow:
        assert uow.session.scalar(select(func.count()).select_from(InterestRun)) == 1
        assert uow.session.scalar(select(func.count()).select_from(InterestCharge)) == 5


def test_the_next_run_charges_only_the_new_days_and_an_earlier_date_is_refused(db: Engine) -> None:
    uow, _, employer_id = _setup(db)
    first = charge_interest(uow=uow, through=dt.date(2025, 9, 30), actor=SYSTEM, at=AT)
    second = charge_interest(uow=uow, through=dt.date(2025, 10, 15), actor=SYSTEM, at=AT)
    due = _owed_july(uow, employer_id)
    assert first.total + second.total == pytest.approx(due * 45 * 0.0003, abs=5)
    with uow:
        spans = uow.session.execute(select(InterestCharge.from_date, InterestCharge.to_date)
                                    .where(InterestCharge.run_id == select(InterestRun.id).where(
                                        InterestRun.key == second.key).scalar_subquery())).all()
    assert set(spans) == {(dt.date(2025, 10, 1), dt.date(2025, 10, 15))}

    with pytest.raises(Conflict) as refused:
        charge_interest(uow=uow, through=dt.date(2025, 10, 1), actor=SYSTEM, at=AT)
    assert refused.value.code == "interest.through_before_last" and refused.value.field == "through"


def test_dues_paid_on_the_deadline_bear_nothing(db: Engine) -> None:
    uow, _, employer_id = _setup(db)
    pay_all(uow, employer_id=employer_id, month=JULY, value_date=JULY_DEADLINE)
    assert charge_interest(uow=uow, through=dt.date(2025, 10, 15), actor=SYSTEM, at=AT).rows == 0


def test_a_partial_payment_lowers_the_charge_from_its_value_date(db: Engine) -> None:
    uow, _, employer_id = _setup(db)
    with uow:
        health = int(dues(uow.session, employer_ids=[employer_id]).filter(month=JULY, fund="health")
                     .get_column("due")[0])
    pay(uow, employer_id=employer_id, month=JULY, fund="health", amount=health // 2, value_date=dt.date(2025, 9, 21))
    charge_interest(uow=uow, through=dt.date(2025, 10, 16), actor=SYSTEM, at=AT)
    with uow:
        charged = uow.session.scalar(select(InterestCharge.amount).where(InterestCharge.fund == "health"))
    unpaid_after = health - health // 2
    assert charged == round((health * 20 + unpaid_after * 26) * 0.0003)


def test_a_back_dated_re_assessment_bears_interest_from_the_original_deadline(db: Engine) -> None:
    uow, unit, employer_id = _setup(db)
    charge_interest(uow=uow, through=dt.date(2025, 9, 30), actor=SYSTEM, at=AT)
    before = _owed_july(uow, employer_id)
    # a second worker, declared late in October, was employed since July
    register_person(uow, citizen_id="001185009999", si_number="0123409999", full_name="Lê Văn Muộn")
    add_participation(uow, "001185009999", start_month="2025-07", end_month=None, monthly_salary=10_000_000,
                      employer_unit_code=unit, as_of=dt.date(2025, 10, 10))
    reassess(uow=uow, employer_id=employer_id, months=[JULY], cause="declaration:1", on=dt.date(2025, 10, 10),
             actor=SYSTEM, at=AT)
    after = _owed_july(uow, employer_id)
    assert after == 2 * before

    second = charge_interest(uow=uow, through=dt.date(2025, 10, 15), actor=SYSTEM, at=AT)
    # the whole of the new dues from 1 September, plus the old dues' last 15 days
    expected_new = (after - before) * 45 * 0.0003 + before * 15 * 0.0003
    assert second.total == pytest.approx(expected_new, abs=10)
    with uow:
        total = int(uow.session.scalar(select(func.sum(InterestCharge.amount))) or 0)
    assert total == pytest.approx(after * 45 * 0.0003, abs=10)
    assert trial_balance(uow=uow, start=JULY, end=dt.date(2025, 10, 15)).balanced
