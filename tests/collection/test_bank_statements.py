"""Bank statements: the layout checked whole, each transaction written once, the receipts in the ledger."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, func, select

from ansinh.collection.bank_statements import MAX_BYTES, import_statement, statements, submit_statement
from ansinh.collection.payment_models import BankStatement, BankTransaction
from ansinh.collection.payment_schemas import StatementIn
from ansinh.core.errors import Conflict, InvalidInput
from ansinh.db.uow import UnitOfWork
from ansinh.ledger.chart import Fund
from ansinh.ledger.models import LedgerEntry
from ansinh.ledger.service import trial_balance
from tests.collection.payment_world import ACCOUNTANT, AT, HEADER, statement

LINES = (("T1", "2026-05-01", 5_000_000, "CONG TY A", "111", "BHXH thang 4"),
         ("T2", "2026-05-02", 1_500_000, "Nguyễn Văn Ánh", "222", "nộp tiền BHXH"))


def _counts(db: Engine) -> tuple[int, int, int]:
    with UnitOfWork(db) as uow:
        return (uow.session.scalar(select(func.count()).select_from(BankStatement)) or 0,
                uow.session.scalar(select(func.count()).select_from(BankTransaction)) or 0,
                uow.session.scalar(select(func.count()).select_from(LedgerEntry)) or 0)


def test_a_statement_is_imported_once_and_its_receipts_posted_per_value_date(db: Engine) -> None:
    content = statement(*LINES)
    result = import_statement(uow=UnitOfWork(db), content=content, filename="vcb.csv", actor=ACCOUNTANT, at=AT)
    assert (result.created, result.lines, result.new_lines, result.total_new) == (True, 2, 2, 6_500_000)
    assert result.key.startswith("file:") and len(result.key) == 5 + 64
    again = import_statement(uow=UnitOfWork(db), content=content, filename="vcb.csv", actor=ACCOUNTANT, at=AT)
    assert (again.created, again.statement_id, again.new_lines) == (False, result.statement_id, 0)
    assert _counts(db) == (1, 2, 2)  # one ledger entry per value date
    books = trial_balance(uow=UnitOfWork(db), start=dt.date(2026, 5, 1), end=dt.date(2026, 5, 31),
                          fund=Fund.COLLECTION)
    assert books.balanced
    assert {row.account_code: row.closing for row in books.rows} == {"112": 6_500_000, "3371": -6_500_000}
    with UnitOfWork(db) as uow:
        names = set(uow.session.scalars(select(BankTransaction.payer_name)))
    assert "Nguyễn Văn Ánh" in names


def test_an_overlapping_statement_writes_only_its_new_lines(db: Engine) -> None:
    import_statement(uow=UnitOfWork(db), content=statement(*LINES), filename="a.csv", actor=ACCOUNTANT, at=AT)
    later = statement(LINES[1], ("T3", "2026-05-03", 700_000, "B", "333", "BHXH"), date="2026-05-03")
    result = import_statement(uow=UnitOfWork(db), content=later, filename="b.csv", actor=ACCOUNTANT, at=AT)
    assert (result.created, result.lines, result.new_lines, result.known_lines, result.total_new) == (
        True, 2, 1, 1, 700_000)
    assert _counts(db)[1] == 3
    listed = statements(uow=UnitOfWork(db))
    assert [(s.lines, s.new_lines, s.unmatched) for s in listed] == [(2, 1, 1), (2, 2, 2)]


def test_a_known_transaction_with_other_content_is_a_conflict_and_nothing_is_written(db: Engine) -> None:
    import_statement(uow=UnitOfWork(db), content=statement(*LINES), filename="a.csv", actor=ACCOUNTANT, at=AT)
    changed = statement(("T9", "2026-05-03", 1, "B", "3", "x"), (*LINES[0][:2], 5_000_001, *LINES[0][3:]),
                        date="2026-05-03")
    with pytest.raises(Conflict) as refused:
        import_statement(uow=UnitOfWork(db), content=changed, filename="c.csv", actor=ACCOUNTANT, at=AT)
    assert refused.value.code == "payment.transaction_changed"
    assert "T1" in refused.value.message and refused.value.extra["column"] == "amount"
    assert _counts(db) == (1, 2, 2)


GOOD = "VCB,0011001234567,2026-05-02,T1,2026-05-01,5000000,A,1,x\n"


@pytest.mark.parametrize(("body", "line", "column"), [
    (GOOD + "VCB,0011001234567,2026-05-02,T2,2026-05-01,-5000,A,1,x\n", 3, "amount"),
    (GOOD + "VCB,0011001234567,2026-05-02,T2,2026-05-01,0,A,1,x\n", 3, "amount"),
    (GOOD + "VCB,0011001234567,2026-05-02,T2,2026-05-01,5000.50,A,1,x\n", 3, "amount"),
    (GOOD + "VCB,0011001234567,2026-05-02,T2,2026-05-01,5.000,A,1,x\n", 3, "amount"),
    (GOOD + "VCB,0011001234567,2026-05-02,T2,2026-02-30,5000,A,1,x\n", 3, "value_date"),
    (GOOD + "VCB,0011001234567,02/05/2026,T2,2026-05-01,5000,A,1,x\n", 3, "statement_date"),
    (GOOD + "VCB,0011001234567,2026-05-02,T1,2026-05-01,5000,A,1,x\n", 3, "txn_id"),
    (GOOD + "VCB,0011001234567,2026-05-02,,2026-05-01,5000,A,1,x\n", 3, "txn_id"),
    (GOOD + "BIDV,0011001234567,2026-05-02,T2,2026-05-01,5000,A,1,x\n", 3, "bank_code"),
    (GOOD + "VCB,0011001234567,2026-05-02,T2,2026-05-03,5000,A,1,x\n", 3, "value_date"),
])
def test_a_bad_line_refuses_the_whole_statement_naming_line_and_column(db: Engine, body: str, line: int,
                                                                        column: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        import_statement(uow=UnitOfWork(db), content=(HEADER + body).encode(), filename="x.csv", actor=ACCOUNTANT,
                         at=AT)
    assert (refused.value.code, refused.value.field, refused.value.extra["line"]) == ("payment.statement", column,
                                                                                      line)
    assert f"line {line}" in refused.value.message
    assert _counts(db) == (0, 0, 0)


@pytest.mark.parametrize(("content", "field"), [
    (b"bank_code,account_no,statement_date,txn_id,value_date,payer_name\nVCB,1,2026-05-02,T1,2026-05-01,A\n",
     "amount"),
    ((HEADER + GOOD.replace("A,1", "Nguy\xe1n,1")).encode("latin-1", errors="replace"), "file"),
    (HEADER.encode(), "file"),
    (b"", "file"),
    (HEADER.encode() + b"x" * (MAX_BYTES + 1), "file"),
])
def test_a_file_that_is_not_a_statement_is_refused(db: Engine, content: bytes, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        import_statement(uow=UnitOfWork(db), content=content, filename="x.csv", actor=ACCOUNTANT, at=AT)
    assert (refused.value.code, refused.value.field) == ("payment.statement", field)


def test_too_many_lines_are_refused() -> None:
    from ansinh.collection.bank_statements import MAX_LINES, parse_csv

    body = "".join(f"VCB,1,2026-05-02,T{i},2026-05-01,1,A,1,x\n" for i in range(MAX_LINES + 1))
    with pytest.raises(InvalidInput) as refused:
        parse_csv((HEADER + body).encode())
    assert "at most 100,000 lines" in (refused.value.rule or "")


def test_the_bank_api_is_idempotent_on_its_statement_id(db: Engine) -> None:
    data = StatementIn.model_validate({
        "statement_id": "VCB-2026-05-02", "bank_code": "VCB", "account_no": "0011001234567",
        "statement_date": "2026-05-02",
        "lines": [{"txn_id": "T1", "value_date": "2026-05-01", "amount": 5_000_000, "description": "BHXH"}]})
    first = submit_statement(uow=UnitOfWork(db), data=data, actor=ACCOUNTANT, at=AT)
    again = submit_statement(uow=UnitOfWork(db), data=data, actor=ACCOUNTANT, at=AT)
    assert (first.created, again.created, again.statement_id) == (True, False, first.statement_id)
    assert first.key == "api:VCB:VCB-2026-05-02"
    other = data.model_copy(update={"lines": [*data.lines, data.lines[0].model_copy(update={"txn_id": "T2"})]})
    with pytest.raises(Conflict) as refused:
        submit_statement(uow=UnitOfWork(db), data=other, actor=ACCOUNTANT, at=AT)
    assert refused.value.code == "payment.statement_reused"
    assert _counts(db) == (1, 1, 1)
