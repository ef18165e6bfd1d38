"""Properties of the payment cycle: whatever happens, the books balance and no due is overpaid.

Hypothesis draws a sequence of monthly assessments, statement imports (some repeated, some
overlapping), matching runs, allocations, matches by hand and returns. After it:

- the trial balance is balanced, overall and per fund;
- the collection account's unallocated receipts (3371) equal the money not yet allocated:
  unmatched transactions plus what remains of matched ones;
- no allocation exceeds a due: per employer, month and fund, contributions allocated never
  exceed what was assessed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select, text

from ansinh.collection.allocation import allocate, unallocated
from ansinh.collection.assessment import assess_month
from ansinh.collection.balances import allocated, dues
from ansinh.collection.bank_statements import import_statement
from ansinh.collection.matching import match_manually, match_transactions, return_transaction, transactions
from ansinh.collection.payment_models import BankTransaction, TransactionStatus
from ansinh.collection.payment_orders import issue_orders, make_reference
from ansinh.db.uow import UnitOfWork
from ansinh.ledger.chart import Fund
from ansinh.ledger.service import trial_balance
from tests.collection.payment_world import ACCOUNTANT, AT, World, build_world, statement
from tests.conftest import MUTABLE_TABLES

MONTHS = (dt.date(2026, 2, 1), dt.date(2026, 3, 1), dt.date(2026, 4, 1))
ON = dt.date(2026, 5, 20)

line = st.tuples(st.sampled_from(["anh", "binh", "nobody"]), st.sampled_from(["reference", "unit", "none"]),
                 st.integers(1, 8_000_000), st.integers(0, 30))
operation = st.one_of(
    st.tuples(st.just("assess"), st.integers(0, 2)),
    st.tuples(st.just("orders"), st.integers(0, 2)),
    st.tuples(st.just("import"), st.lists(line, min_size=1, max_size=4)),
    st.tuples(st.just("reimport"), st.integers(0, 5)),
    st.tuples(st.just("match")),
    st.tuples(st.just("allocate"), st.integers(-60, 3)),
    st.tuples(st.just("manual"), st.sampled_from(["anh", "binh"])),
    st.tuples(st.just("return")),
)


def _empty(db: Engine) -> None:
    with db.begin() as connection:
        for table in MUTABLE_TABLES:
            connection.execute(text(f"DELETE FROM {table}"))


def _statement(world: World, drawn: list[tuple[str, str, int, int]], number: int) -> bytes:
    lines = []
    for index, (who, how, amount, day) in enumerate(drawn):
        unit = world.units.get(who, "ZZ9999Z")
        description = {"reference": make_reference(unit, MONTHS[index % 3]), "unit": f"BHXH {unit}", "none": "x"}[how]
        lines.append((f"S{number}L{index}", f"2026-04-{1 + day % 28:02d}", amount, who, f"acct-{who}", description))
    return statement(*lines, date="2026-04-30")


def _apply(db: Engine, world: World, op: tuple[Any, ...], files: list[bytes]) -> None:
    uow = UnitOfWork(db)
    kind = op[0]
    if kind == "assess":
        assess_month(uow=uow, month=MONTHS[op[1]], actor=ACCOUNTANT, at=AT)
    elif kind == "orders":
        issue_orders(uow=uow, month=MONTHS[op[1]], on=ON, actor=ACCOUNTANT, at=AT)
    elif kind == "import":
        files.append(_statement(world, op[1], len(files)))
        import_statement(uow=uow, content=files[-1], filename=f"s{len(files)}.csv", actor=ACCOUNTANT, at=AT)
    elif kind == "reimport" and files:
        import_statement(uow=uow, content=files[op[1] % len(files)], filename="again.csv", actor=ACCOUNTANT, at=AT)
    elif kind == "match":
        match_transactions(uow=uow, on=ON, actor=ACCOUNTANT, at=AT)
    elif kind == "allocate":
        allocate(uow=uow, on=ON + dt.timedelta(days=op[1]), actor=ACCOUNTANT, at=AT)
    elif kind in {"manual", "return"}:
        waiting = transactions(uow=UnitOfWork(db), limit=1)
        if waiting and kind == "manual":
            match_manually(uow=uow, transaction_id=waiting[0].id, employer_unit_code=world.units[op[1]],
                           note="test", on=ON, actor=ACCOUNTANT, at=AT)
        elif waiting:
            return_transaction(uow=uow, transaction_id=waiting[0].id, note="test", on=ON, actor=ACCOUNTANT, at=AT)


def _check(db: Engine) -> None:
    books = trial_balance(uow=UnitOfWork(db), start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert books.balanced, books.unbalanced_funds
    suspense = -sum(r.closing for r in books.rows if r.account_code == "3371" and r.fund == Fund.COLLECTION)
    with UnitOfWork(db) as uow:
        session = uow.session
        waiting = session.scalar(select(func.coalesce(func.sum(BankTransaction.amount), 0))
                                 .where(BankTransaction.status == TransactionStatus.UNMATCHED.value))
        remaining = int(unallocated(session).get_column("remaining").sum())
        owed = dues(session)
        paid = allocated(session).filter(pl.col("kind") == "contribution")
    assert suspense == int(waiting or 0) + remaining
    over = paid.join(owed, on=["employer_id", "month", "fund"], how="left").filter(
        pl.col("allocated") > pl.col("due").fill_null(0))
    assert over.height == 0, over


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(operations=st.lists(operation, min_size=1, max_size=10))
def test_the_books_balance_and_no_due_is_overpaid(db: Engine, operations: list[tuple[Any, ...]]) -> None:
    _empty(db)
    world = build_world(db, months=())
    files: list[bytes] = []
    for op in operations:
        _apply(db, world, op, files)
    _check(db)
