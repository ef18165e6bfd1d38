"""Matching: by reference (even mangled), by unit code, by amount and payer, by hand; returns."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select

from ansinh.collection.bank_statements import import_statement
from ansinh.collection.matching import match_manually, match_transactions, return_transaction, transactions
from ansinh.collection.payment_models import BankTransaction, MatchRule, TransactionStatus
from ansinh.collection.payment_orders import issue_orders, orders_of
from ansinh.core.errors import Conflict, InvalidInput, NotFound
from ansinh.db.uow import UnitOfWork
from ansinh.ledger.chart import Fund
from ansinh.ledger.service import trial_balance
from tests.collection.payment_world import ACCOUNTANT, APRIL, AT, ON, World, build_world, statement


def _import(db: Engine, *lines: tuple[str, str, int, str, str, str], date: str = "2026-05-02") -> None:
    import_statement(uow=UnitOfWork(db), content=statement(*lines, date=date), filename="s.csv", actor=ACCOUNTANT,
                     at=AT)


def _state(db: Engine) -> dict[str, tuple[str, int | None, str | None, int | None]]:
    with UnitOfWork(db) as uow:
        return {t.bank_txn_id: (t.status, t.employer_id, t.match_rule, t.payment_order_id)
                for t in uow.session.scalars(select(BankTransaction))}


@pytest.fixture
def world(db: Engine) -> World:
    world = build_world(db)
    issue_orders(uow=UnitOfWork(db), month=APRIL, on=ON, actor=ACCOUNTANT, at=AT)
    return world


def test_references_even_mangled_by_the_bank_match_their_order(db: Engine, world: World) -> None:
    anh = orders_of(uow=UnitOfWork(db), employer_id=world.ids["anh"])[0]
    binh = orders_of(uow=UnitOfWork(db), employer_id=world.ids["binh"])[0]
    spaced = " ".join(anh.reference[i:i + 4] for i in range(0, 17, 4)).lower()
    _import(db, ("T1", "2026-05-01", anh.total, "CTY ANH DUONG", "111", f"Cong ty nop tien {spaced} thang 4"),
            ("T2", "2026-05-01", 100, "X", "222", f"NOP BHXH-{binh.reference}-T4/2026"),
            ("T3", "2026-05-01", 300, "Y", "333", f"TT BHXH DON VI {world.units['binh'].lower()}"),
            ("T4", "2026-05-01", 400, "Z", "444", f"{anh.reference[:-1]}0 sai so kiem tra"),
            ("T5", "2026-05-01", 500, "W", "555", f"{world.units['anh']} va {world.units['binh']}"))
    summary = match_transactions(uow=UnitOfWork(db), on=ON, actor=ACCOUNTANT, at=AT)
    assert (summary.examined, summary.by_reference, summary.by_amount_payer, summary.unmatched) == (5, 3, 0, 2)
    state = _state(db)
    assert state["T1"] == ("matched", world.ids["anh"], "reference", anh.id)
    assert state["T2"] == ("matched", world.ids["binh"], "reference", binh.id)
    assert state["T3"] == ("matched", world.ids["binh"], "reference", None)  # the unit code as a word
    assert state["T4"][0] == "unmatched"  # a reference whose check digits fail is no reference
    assert state["T5"][0] == "unmatched"  # two employers named: no decision
    again = match_transactions(uow=UnitOfWork(db), on=ON, actor=ACCOUNTANT, at=AT)
    assert (again.examined, again.by_reference) == (2, 0)


def test_amount_and_a_payer_account_seen_before_match_an_open_order(db: Engine, world: World) -> None:
    anh = orders_of(uow=UnitOfWork(db), employer_id=world.ids["anh"])[0]
    _import(db, ("T1", "2026-04-20", 1_000, "ANH DUONG", "0451000111", f"BHXH {world.units['anh']}"))
    match_transactions(uow=UnitOfWork(db), on=ON, actor=ACCOUNTANT, at=AT)
    _import(db, ("T2", "2026-05-02", anh.total, "ANH DUONG", "0451000111", "chuyen tien"),
            ("T3", "2026-05-02", anh.total, "LA", "0999", "chuyen tien"),
            ("T4", "2026-05-02", anh.total + 1, "ANH DUONG", "0451000111", "chuyen tien"), date="2026-05-03")
    summary = match_transactions(uow=UnitOfWork(db), on=ON, actor=ACCOUNTANT, at=AT)
    assert (summary.by_amount_payer, summary.unmatched) == (1, 2)
    state = _state(db)
    assert state["T2"] == ("matched", world.ids["anh"], "amount_payer", anh.id)
    assert state["T3"][0] == state["T4"][0] == "unmatched"  # unknown payer; no order of that amount
    _import(db, ("T5", "2026-05-03", anh.total, "ANH DUONG", "0451000111", "lan 2"), date="2026-05-04")
    assert match_transactions(uow=UnitOfWork(db), on=ON, actor=ACCOUNTANT, at=AT).by_amount_payer == 0  # taken


def test_an_accountant_matches_by_hand_with_a_note_or_returns_the_money(db: Engine, world: World) -> None:
    _import(db, ("T1", "2026-05-01", 777_000, "ONG A", "1", "tien bao hiem"),
            ("T2", "2026-05-01", 50_000, "ONG B", "2", "nham tai khoan"))
    match_transactions(uow=UnitOfWork(db), on=ON, actor=ACCOUNTANT, at=AT)
    waiting = {t.bank_txn_id: t.id for t in transactions(uow=UnitOfWork(db))}
    assert set(waiting) == {"T1", "T2"}
    with pytest.raises(InvalidInput) as no_note:
        match_manually(uow=UnitOfWork(db), transaction_id=waiting["T1"], employer_unit_code=world.units["anh"],
                       note="  ", on=ON, actor=ACCOUNTANT, at=AT)
    assert no_note.value.code == "payment.note"
    with pytest.raises(NotFound):
        match_manually(uow=UnitOfWork(db), transaction_id=waiting["T1"], employer_unit_code="ZZ9999Z",
                       note="called them", on=ON, actor=ACCOUNTANT, at=AT)
    done = match_manually(uow=UnitOfWork(db), transaction_id=waiting["T1"], employer_unit_code=world.units["anh"],
                          note="Kế toán đơn vị xác nhận qua điện thoại", on=ON, actor=ACCOUNTANT, at=AT)
    assert (done.status, done.unit_code, done.match_rule) == ("matched", world.units["anh"], MatchRule.MANUAL)
    with pytest.raises(Conflict) as twice:
        match_manually(uow=UnitOfWork(db), transaction_id=waiting["T1"], employer_unit_code=world.units["binh"],
                       note="again", on=ON, actor=ACCOUNTANT, at=AT)
    assert twice.value.code == "payment.transaction_state"
    returned = return_transaction(uow=UnitOfWork(db), transaction_id=waiting["T2"], note="not ours",
                                  on=dt.date(2026, 5, 3), actor=ACCOUNTANT, at=AT)
    assert returned.status == TransactionStatus.RETURNED
    books = trial_balance(uow=UnitOfWork(db), start=dt.date(2026, 5, 1), end=dt.date(2026, 5, 31),
                          fund=Fund.COLLECTION)
    assert books.balanced
    assert {r.account_code: r.closing for r in books.rows} == {"112": 777_000, "3371": -777_000}
    assert transactions(uow=UnitOfWork(db)) == []
