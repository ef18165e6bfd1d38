"""The ledger balances after any sequence of postings, replays, reversals and refused entries."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from ansinh.core.actor import Actor
from ansinh.core.errors import Conflict, InvalidInput
from ansinh.db.uow import UnitOfWork
from ansinh.ledger import service
from ansinh.ledger.chart import Fund, default_chart
from ansinh.ledger.schemas import LineIn

ACTOR = Actor(username="property.test", role="accountant")
AT = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
FIRST_DAY = dt.date(2026, 1, 1)

_ACCOUNTS = {fund: sorted(code for code, a in default_chart().items() if a.allows(fund)) for fund in Fund}

amounts = st.integers(min_value=1, max_value=10**12)
pairs = st.tuples(st.sampled_from(list(Fund)), st.integers(0, 100), st.integers(0, 100), amounts)
"""One debit and one credit of the same amount in one fund (accounts picked by index)."""
operations = st.one_of(
    st.tuples(st.just("post"), st.lists(pairs, min_size=1, max_size=3), st.integers(0, 180)),
    st.tuples(st.just("replay"), st.integers(0, 1000)),
    st.tuples(st.just("reverse"), st.integers(0, 1000), st.integers(0, 180)),
    st.tuples(st.just("unbalanced"), pairs, st.integers(-1000, 1000).filter(bool)),
    st.tuples(st.just("cross_fund"), pairs),
)


def lines_of(pair_list: list[tuple[Fund, int, int, int]]) -> list[LineIn]:
    lines = []
    for fund, first, second, amount in pair_list:
        accounts = _ACCOUNTS[fund]
        lines.append(LineIn(account_code=accounts[first % len(accounts)], fund=fund, debit=amount))
        lines.append(LineIn(account_code=accounts[second % len(accounts)], fund=fund, credit=amount))
    return lines


def empty_ledger(db: Engine) -> None:
    with db.begin() as connection:
        for table in ("ledger_line", "ledger_entry", "audit_event", "audit_head"):
            connection.execute(text(f"DELETE FROM {table}"))


def totals(db: Engine) -> tuple[int, int]:
    balance = service.trial_balance(uow=UnitOfWork(db), start=FIRST_DAY, end=dt.date(2026, 12, 31))
    return balance.total_debits, balance.total_credits


class Run:
    """Applies operations to the ledger and keeps what a correct ledger must hold."""

    def __init__(self, db: Engine) -> None:
        self.db = db
        self.posted: list[tuple[str, list[LineIn], dt.date]] = []
        self.reversed: set[str] = set()
        self.expected_debits = 0

    def post(self, key: str, lines: list[LineIn], on: dt.date) -> None:
        service.post_entry(uow=UnitOfWork(self.db), key=key, entry_date=on, description="property", lines=lines,
                           source_type="test", source_id=key, actor=ACTOR, at=AT)

    def apply(self, operation: tuple[object, ...]) -> None:
        kind = operation[0]
        if kind == "post":
            _, pair_list, day = operation
            key, lines = f"e{len(self.posted)}", lines_of(pair_list)  # type: ignore[arg-type]
            on = FIRST_DAY + dt.timedelta(days=day)  # type: ignore[arg-type]
            self.post(key, lines, on)
            self.posted.append((key, lines, on))
            self.expected_debits += sum(x.debit for x in lines)
        elif kind == "replay" and self.posted:
            key, lines, on = self.posted[operation[1] % len(self.posted)]  # type: ignore[operator]
            before = totals(self.db)
            self.post(key, lines, on)
            assert totals(self.db) == before, "a replay changed the totals"
        elif kind == "reverse" and self.posted:
            self.reverse(self.posted[operation[1] % len(self.posted)], operation[2])  # type: ignore[operator,arg-type]
        elif kind in {"unbalanced", "cross_fund"}:
            self.refused(operation)

    def reverse(self, target: tuple[str, list[LineIn], dt.date], day: int) -> None:
        key, lines, _ = target
        call = {"uow": UnitOfWork(self.db), "key": key, "reversal_key": f"rev:{key}",
                "entry_date": FIRST_DAY + dt.timedelta(days=day), "reason": "property", "actor": ACTOR, "at": AT}
        if key in self.reversed:
            service.reverse_entry(**call)  # type: ignore[arg-type]  # same reversal key: returns the one written
            with pytest.raises(Conflict):
                service.reverse_entry(**call | {"uow": UnitOfWork(self.db), "reversal_key": f"rev2:{key}"})  # type: ignore[arg-type]
            return
        service.reverse_entry(**call)  # type: ignore[arg-type]
        self.reversed.add(key)
        self.expected_debits += sum(x.debit for x in lines)

    def refused(self, operation: tuple[object, ...]) -> None:
        fund, first, second, amount = operation[1]  # type: ignore[misc]
        lines = lines_of([(fund, first, second, amount)])
        if operation[0] == "unbalanced":
            lines[1] = lines[1].model_copy(update={"credit": max(1, amount + operation[2])})  # type: ignore[operator]
            if lines[1].credit == amount:
                return
        else:
            other = next((f for f in Fund if f != fund and lines[1].account_code in _ACCOUNTS[f]), None)
            if other is None:
                return
            lines[1] = lines[1].model_copy(update={"fund": other})
        before = totals(self.db)
        with pytest.raises(InvalidInput) as caught:
            self.post(f"bad{len(self.posted)}", lines, FIRST_DAY)
        assert caught.value.code in {"ledger.unbalanced", "ledger.unbalanced_fund"}
        assert totals(self.db) == before


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(operations, min_size=1, max_size=12))
def test_the_ledger_balances_after_any_sequence(db: Engine, steps: list[tuple[object, ...]]) -> None:
    empty_ledger(db)
    run = Run(db)
    for step in steps:
        run.apply(step)
    balance = service.trial_balance(uow=UnitOfWork(db), start=dt.date(2026, 3, 1), end=dt.date(2026, 12, 31))
    assert balance.balanced
    assert balance.unbalanced_funds == []
    assert balance.total_opening == 0 and balance.total_closing == 0
    whole_year = totals(db)
    assert whole_year == (run.expected_debits, run.expected_debits)
    for fund in Fund:
        own = service.trial_balance(uow=UnitOfWork(db), start=dt.date(2026, 3, 1), end=dt.date(2026, 12, 31),
                                    fund=fund)
        assert own.balanced, fund
        assert own.total_debits == own.total_credits
