"""Allocation: oldest month first, the law's order within a month, interest first, overpayment kept as credit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, func, select

from ansinh.collection.allocation import allocate, allocation_order
from ansinh.collection.arrears_models import InterestCharge, InterestRun
from ansinh.collection.assessment import assess_month
from ansinh.collection.balances import balances, credits
from ansinh.collection.bank_statements import import_statement
from ansinh.collection.matching import match_transactions
from ansinh.collection.payment_models import Allocation
from ansinh.db.uow import UnitOfWork
from ansinh.law import default_parameters
from ansinh.ledger.chart import Fund
from ansinh.ledger.models import LedgerEntry, LedgerLine
from ansinh.ledger.service import trial_balance
from tests.collection.payment_world import ACCOUNTANT, APRIL, AT, MARCH, ON, World, build_world, statement

PARAMS = default_parameters()
MONTH = {"health": 810_000, "unemployment": 360_000, "work_injury": 90_000, "sickness_maternity": 540_000,
         "retirement_survivor": 3_960_000}
"""Ánh Dương's dues for a month (18 million of salaries), per fund, in the law's order."""
MONTH_TOTAL = sum(MONTH.values())


def _pay(db: Engine, world: World, *payments: tuple[str, str, int]) -> None:
    lines = [(txn, day, amount, "ANH DUONG", "111", f"BHXH {world.units['anh']}") for txn, day, amount in payments]
    import_statement(uow=UnitOfWork(db), content=statement(*lines), filename=f"{payments[0][0]}.csv",
                     actor=ACCOUNTANT, at=AT)
    match_transactions(uow=UnitOfWork(db), on=ON, actor=ACCOUNTANT, at=AT)


def _allocated(db: Engine) -> dict[tuple[dt.date, str, str], int]:
    with UnitOfWork(db) as uow:
        rows = uow.session.execute(select(Allocation.month, Allocation.fund, Allocation.kind,
                                          func.sum(Allocation.amount))
                                   .group_by(Allocation.month, Allocation.fund, Allocation.kind)).all()
    return {(month, fund, kind): int(amount) for month, fund, kind, amount in rows}


def test_the_order_within_a_month_is_the_law_parameter() -> None:
    assert allocation_order(PARAMS, ON) == ["interest", *MONTH]


def test_a_partial_payment_settles_the_oldest_month_in_the_laws_order_to_the_dong(db: Engine) -> None:
    world = build_world(db)
    _pay(db, world, ("T1", "2026-04-25", 1_500_000))
    summary = allocate(uow=UnitOfWork(db), on=ON, actor=ACCOUNTANT, at=AT)
    assert (summary.key, summary.rows, summary.contributions, summary.interest) == ("allocate:2026-05-02:1", 4,
                                                                                  1_500_000, 0)
    assert _allocated(db) == {(MARCH, "health", "contribution"): 810_000,
                              (MARCH, "unemployment", "contribution"): 360_000,
                              (MARCH, "work_injury", "contribution"): 90_000,
                              (MARCH, "sickness_maternity", "contribution"): 240_000}
    with UnitOfWork(db) as uow:
        owed = balances(uow.session, as_of=ON, params=PARAMS, employer_ids=[world.ids["anh"]])
        value_dates = set(uow.session.scalars(select(Allocation.value_date)))
    march = {r["fund"]: r["unpaid"] for r in owed.filter(owed["month"] == MARCH).iter_rows(named=True)}
    assert march == {"health": 0, "unemployment": 0, "work_injury": 0, "sickness_maternity": 300_000,
                     "retirement_survivor": 3_960_000}
    assert value_dates == {dt.date(2026, 4, 25)}
    nothing = allocate(uow=UnitOfWork(db), on=ON, actor=ACCOUNTANT, at=AT)
    assert (nothing.key, nothing.rows) == (None, 0)


def test_transactions_are_spent_in_the_order_they_arrived_and_overpayment_stays_as_credit(db: Engine) -> None:
    world = build_world(db)
    _pay(db, world, ("LATE", "2026-04-28", MONTH_TOTAL + 1_000_000), ("EARLY", "2026-04-20", MONTH_TOTAL))
    summary = allocate(uow=UnitOfWork(db), on=ON, actor=ACCOUNTANT, at=AT)
    assert summary.contributions == 2 * MONTH_TOTAL
    assert summary.funds == {fund: 2 * amount for fund, amount in sorted(MONTH.items())}
    with UnitOfWork(db) as uow:
        by_month = dict(uow.session.execute(select(Allocation.month, func.max(Allocation.value_date))
                                            .group_by(Allocation.month)).all())
        credit = credits(uow.session, employer_ids=[world.ids["anh"]]).row(0, named=True)
    assert by_month == {MARCH: dt.date(2026, 4, 20), APRIL: dt.date(2026, 4, 28)}  # the earlier money, the older month
    assert (credit["received"], credit["allocated"], credit["credit"]) == (2 * MONTH_TOTAL + 1_000_000,
                                                                          2 * MONTH_TOTAL, 1_000_000)
    assess_month(uow=UnitOfWork(db), month=dt.date(2026, 5, 1), actor=ACCOUNTANT, at=AT)
    later = allocate(uow=UnitOfWork(db), on=dt.date(2026, 6, 1), actor=ACCOUNTANT, at=AT)
    assert (later.key, later.contributions) == ("allocate:2026-06-01:1", 1_000_000)
    may = {fund: amount for (month, fund, _), amount in _allocated(db).items() if month == dt.date(2026, 5, 1)}
    assert may == {"health": 810_000, "unemployment": 190_000}  # the credit pays May's dues, health first


def test_interest_is_settled_first_within_its_month(db: Engine) -> None:
    world = build_world(db, months=(MARCH,))
    with UnitOfWork(db) as uow:
        run = InterestRun(key="interest:test", through=dt.date(2026, 5, 10), rows=1, total=10_000, ran_at=AT,
                          actor="test")
        uow.session.add(run)
        uow.session.flush()
        uow.session.add(InterestCharge(run_id=run.id, employer_id=world.ids["anh"], month=MARCH, fund="health",
                                       from_date=dt.date(2026, 5, 1), to_date=dt.date(2026, 5, 10),
                                       balance_days=0, daily_rate="0.0003", amount=10_000))
        uow.commit()
    _pay(db, world, ("T1", "2026-05-01", 20_000))
    summary = allocate(uow=UnitOfWork(db), on=ON, actor=ACCOUNTANT, at=AT)
    assert (summary.interest, summary.contributions) == (10_000, 10_000)
    assert _allocated(db) == {(MARCH, "health", "interest"): 10_000, (MARCH, "health", "contribution"): 10_000}
    with UnitOfWork(db) as uow:
        interest_line = uow.session.execute(select(LedgerLine.account_code, LedgerLine.credit).join(LedgerEntry)
                                            .where(LedgerEntry.source_type == "allocation",
                                                   LedgerLine.account_code == "1358")).one()
    assert tuple(interest_line) == ("1358", 10_000)


def test_the_collection_account_pays_out_exactly_what_the_funds_receive(db: Engine) -> None:
    world = build_world(db)
    _pay(db, world, ("T1", "2026-04-25", 7_000_000))
    allocate(uow=UnitOfWork(db), on=ON, actor=ACCOUNTANT, at=AT)
    books = trial_balance(uow=UnitOfWork(db), start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert books.balanced
    closing = {(r.account_code, r.fund): r.closing for r in books.rows}
    into_funds = sum(v for (code, fund), v in closing.items() if code == "112" and fund != Fund.COLLECTION)
    assert into_funds == 7_000_000
    assert closing[("112", Fund.COLLECTION)] == 0 and closing[("3371", Fund.COLLECTION)] == 0
    with UnitOfWork(db) as uow:
        keys = list(uow.session.scalars(select(LedgerEntry.key).where(LedgerEntry.source_type == "allocation")))
    assert keys == [f"allocate:2026-05-02:1:{world.units['anh']}"]


def test_money_valued_after_the_run_day_is_never_allocated_twice(db: Engine) -> None:
    """Balances count payments from their value date; allocation must still see every allocation made."""
    world = build_world(db, months=(MARCH,))
    _pay(db, world, ("T1", "2026-04-20", MONTH_TOTAL))
    early = dt.date(2026, 4, 1)  # before the money's value date
    assert allocate(uow=UnitOfWork(db), on=early, actor=ACCOUNTANT, at=AT).contributions == MONTH_TOTAL
    _pay(db, world, ("T2", "2026-04-21", 1_000))
    again = allocate(uow=UnitOfWork(db), on=early, actor=ACCOUNTANT, at=AT)
    assert (again.key, again.rows) == (None, 0)  # March is paid: the 1,000 stays as credit
    assert sum(_allocated(db).values()) == MONTH_TOTAL
