"""Bank statements of the collection account: checked whole, written once per transaction.

A statement arrives as a CSV file (the layout of docs/payments.md: ``bank_code, account_no,
statement_date, txn_id, value_date, amount, payer_name, payer_account, description``, UTF-8,
a header row) or from the bank's machine client over the API. It is checked as a whole
before anything is written: a debit, negative or zero amount, an amount with decimals, a bad
date, a missing column, text that is not UTF-8, more than :data:`MAX_LINES` lines or more than
:data:`MAX_BYTES` refuse the whole statement with ``payment.statement``, naming the line
(the header is line 1) and the column.

Each line becomes a ``bank_transaction`` under ``(bank_code, bank_txn_id)``, inserted with
``ON CONFLICT DO NOTHING``: importing the same statement again, or one that overlaps an
earlier one (a bank's daily statements often repeat the day before), writes only the lines
not seen. A known ``txn_id`` with other content (amount, value date, payer, description) is a
Conflict naming it (``payment.transaction_changed``): a bank does not change a booked credit.
A statement file is keyed ``file:<sha256>`` and an API statement ``api:<bank>:<statement id>``;
the same key again returns what the first import wrote.

The ledger: the new transactions of a statement are posted per value date, key
``pay:<statement id>:<value date>``, on the collection account (fund ``collection``):
debit 112 (deposits at the bank), credit 3371 (unallocated receipts). Matching does not
post; allocation moves the money out of 3371 into the funds, and a return sends it back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from typing import Any

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ansinh.audit.service import record_event
from ansinh.collection.payment_models import BankStatement, BankTransaction, TransactionStatus
from ansinh.collection.payment_schemas import ImportResult, StatementIn, StatementPublic
from ansinh.core.actor import Actor
from ansinh.core.errors import Conflict, InvalidInput
from ansinh.db.uow import UnitOfWork
from ansinh.ledger.chart import Fund
from ansinh.ledger.schemas import EntryIn, LineIn
from ansinh.ledger.service import post_entries

COLUMNS = ("bank_code", "account_no", "statement_date", "txn_id", "value_date", "amount", "payer_name",
           "payer_account", "description")
MAX_LINES = 100_000
MAX_BYTES = 20 * 1024 * 1024
LIMITS = {"bank_code": 12, "account_no": 34, "txn_id": 64, "payer_name": 200, "payer_account": 34,
          "description": 500}
REQUIRED = ("bank_code", "account_no", "statement_date", "txn_id", "value_date", "amount")
BANK_ACCOUNT = "112"
"""Tiền gửi ngân hàng: the collection account's money at the bank."""
SUSPENSE_ACCOUNT = "3371"
"""Tiền thu chưa phân bổ: received, not yet allocated to a fund."""
LOOKUP_CHUNK = 500
CONTENT = ("value_date", "amount", "payer_name", "payer_account", "description")
"""What must be the same when a known transaction is seen again."""


def _refuse(message: str, *, line: int | None, column: str | None, rule: str) -> InvalidInput:
    where = [f"line {line}"] if line is not None else []
    if column:
        where.append(column)
    return InvalidInput(f"{', '.join(where)}: {message}" if where else message, code="payment.statement",
                        field=column or "file", rule=rule, extra={"line": line, "column": column})


# ----------------------------------------------------------------------------- checking

def _raise_first(frame: pl.DataFrame, condition: pl.Expr, column: str, message: str, rule: str) -> None:
    """Refuse the statement at the first line where ``condition`` holds (``{value}`` in the message is its value)."""
    bad = frame.filter(condition).head(1)
    if bad.height:
        row = bad.row(0, named=True)
        raise _refuse(message.format(value=row.get(column)), line=row["line"], column=column, rule=rule)


def _check_text(frame: pl.DataFrame) -> pl.DataFrame:
    frame = frame.with_columns(pl.col(c).fill_null("").str.strip_chars() for c in COLUMNS)
    for column in REQUIRED:
        _raise_first(frame, pl.col(column) == "", column, "empty", f"every line has a {column}")
    for column, limit in LIMITS.items():
        _raise_first(frame, pl.col(column).str.len_chars() > limit, column, f"longer than {limit} characters",
                     f"{column} has at most {limit} characters")
    return frame


def _check_amount(frame: pl.DataFrame) -> pl.DataFrame:
    amount = pl.col("amount")
    _raise_first(frame, amount.str.starts_with("-"), "amount", "{value} is a debit",
                 "a statement of receipts has credits only: a positive amount")
    _raise_first(frame, ~amount.str.contains(r"^[0-9]{1,15}$"), "amount", "{value!r} is not a whole number of đồng",
                 "an amount is integer đồng, digits only (no decimals, signs or separators)")
    frame = frame.with_columns(amount.cast(pl.Int64))
    _raise_first(frame, amount <= 0, "amount", "the amount is zero", "a credit is more than 0 đồng")
    return frame


def _check_dates(frame: pl.DataFrame) -> pl.DataFrame:
    for column in ("statement_date", "value_date"):
        parsed = pl.col(column).str.strptime(pl.Date, "%Y-%m-%d", strict=False)
        _raise_first(frame, parsed.is_null() | ~pl.col(column).str.contains(r"^\d{4}-\d{2}-\d{2}$"), column,
                     "{value!r} is not a date", "a date is written YYYY-MM-DD")
        frame = frame.with_columns(parsed.alias(column))
    _raise_first(frame, pl.col("value_date") > pl.col("statement_date"), "value_date",
                 "the value date is after the statement date", "a statement lists money already received")
    return frame


def _check_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Every line checked column by column (set-based); the typed frame, or the first fault refused."""
    if frame.height == 0:
        raise _refuse("the statement has no lines", line=None, column=None, rule="a statement has at least one line")
    if frame.height > MAX_LINES:
        raise _refuse(f"{frame.height} lines", line=MAX_LINES + 2, column=None,
                      rule=f"a statement has at most {MAX_LINES:,} lines")
    frame = _check_dates(_check_amount(_check_text(frame)))
    for column in ("bank_code", "account_no", "statement_date"):
        _raise_first(frame, pl.col(column) != pl.col(column).first(), column,
                     f"differs from the first line's {column}", "a statement is of one account on one date")
    _raise_first(frame, ~pl.col("txn_id").is_first_distinct(), "txn_id", "{value} is given twice",
                 "a transaction id is unique within the bank")
    return frame


def parse_csv(content: bytes) -> pl.DataFrame:
    """The statement file's lines as a checked frame (``line`` is the file's line, the header being 1)."""
    if len(content) > MAX_BYTES:
        raise _refuse(f"{len(content):,} bytes", line=None, column=None,
                      rule=f"a statement file has at most {MAX_BYTES // (1024 * 1024)} MB")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[:error.start].count(b"\n") + 1
        raise _refuse("the text is not UTF-8", line=line, column=None,
                      rule="a statement file is UTF-8 text") from None
    if "\x00" in text:
        raise _refuse("the file holds NUL characters", line=text[:text.index("\x00")].count("\n") + 1, column=None,
                      rule="a statement file is CSV text")
    try:
        frame = pl.read_csv(io.StringIO(text), infer_schema=False, has_header=True, truncate_ragged_lines=False,
                            n_rows=MAX_LINES + 1)
    except (pl.exceptions.PolarsError, ValueError) as error:
        raise _refuse(f"not a CSV file: {str(error).splitlines()[0][:200]}", line=None, column=None,
                      rule="a statement is CSV with a header row (docs/payments.md)") from None
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise _refuse(f"missing column(s) {', '.join(missing)}", line=1, column=missing[0],
                      rule="the header names: " + ", ".join(COLUMNS))
    frame = frame.select(COLUMNS).with_row_index("line", offset=2)
    return _check_frame(frame)


def api_frame(data: StatementIn) -> pl.DataFrame:
    """An API statement as the same checked frame as a file (``line`` counts its lines from 1)."""
    rows = [{"bank_code": data.bank_code, "account_no": data.account_no,
             "statement_date": data.statement_date.isoformat(), "txn_id": line.txn_id,
             "value_date": line.value_date.isoformat(), "amount": str(line.amount), "payer_name": line.payer_name,
             "payer_account": line.payer_account, "description": line.description} for line in data.lines]
    frame = pl.DataFrame(rows, schema=dict.fromkeys(COLUMNS, pl.Utf8)).with_row_index("line", offset=1)
    return _check_frame(frame)


# ----------------------------------------------------------------------------- writing

def _known(session: Session, bank_code: str, txn_ids: Sequence[str]) -> pl.DataFrame:
    """Transactions already written under these ids of the bank, with their content."""
    schema = {"txn_id": pl.Utf8, "value_date": pl.Date, "amount": pl.Int64, "payer_name": pl.Utf8,
              "payer_account": pl.Utf8, "description": pl.Utf8}
    rows: list[Any] = []
    for start in range(0, len(txn_ids), LOOKUP_CHUNK):
        query = (select(BankTransaction.bank_txn_id, *(getattr(BankTransaction, c) for c in CONTENT))
                 .where(BankTransaction.bank_code == bank_code,
                        BankTransaction.bank_txn_id.in_(list(txn_ids[start:start + LOOKUP_CHUNK]))))
        rows += session.execute(query).all()
    return pl.DataFrame(rows, schema=schema, orient="row")


def _check_unchanged(frame: pl.DataFrame, known: pl.DataFrame) -> None:
    """A transaction seen before must come back identical."""
    joined = frame.join(known, on="txn_id", suffix="_was")
    changed = joined.filter(pl.any_horizontal(pl.col(c) != pl.col(f"{c}_was") for c in CONTENT)).head(1)
    if changed.height:
        row = changed.row(0, named=True)
        column = next(c for c in CONTENT if row[c] != row[f"{c}_was"])
        raise Conflict(f"line {row['line']}: transaction {row['txn_id']} was imported before with another {column}",
                       code="payment.transaction_changed", field="txn_id",
                       rule="a booked transaction is never changed: the same id comes back with the same content",
                       extra={"line": row["line"], "txn_id": row["txn_id"], "column": column})


def _insert_new(session: Session, frame: pl.DataFrame, statement_id: int) -> pl.DataFrame:
    """Insert the lines whose (bank, txn id) is new; the frame of those written, with their ids."""
    upsert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = upsert(BankTransaction).on_conflict_do_nothing(index_elements=["bank_code", "bank_txn_id"]) \
        .returning(BankTransaction.id, BankTransaction.bank_txn_id)
    rows = (frame.select(pl.lit(statement_id).alias("statement_id"), "bank_code",
                         pl.col("txn_id").alias("bank_txn_id"), *CONTENT,
                         pl.lit(TransactionStatus.UNMATCHED.value).alias("status")).to_dicts())
    written = session.execute(statement, rows).all()
    ids = pl.DataFrame(written, schema={"id": pl.Int64, "txn_id": pl.Utf8}, orient="row")
    return frame.join(ids, on="txn_id")


def _receipt_entries(new: pl.DataFrame, statement_id: int) -> list[EntryIn]:
    """Per value date: the new money on the bank account and in suspense (collection fund)."""
    per_day = new.group_by("value_date").agg(pl.col("amount").sum(), pl.len().alias("count")).sort("value_date")
    return [EntryIn(key=f"pay:{statement_id}:{day.isoformat()}", entry_date=day,
                    description=f"Receipts of statement {statement_id} valued {day.isoformat()} ({count} credits)",
                    source_type="bank_statement", source_id=str(statement_id),
                    lines=[LineIn(account_code=BANK_ACCOUNT, fund=Fund.COLLECTION, debit=amount),
                           LineIn(account_code=SUSPENSE_ACCOUNT, fund=Fund.COLLECTION, credit=amount)])
            for day, amount, count in per_day.iter_rows()]


def _import(uow: UnitOfWork, frame: pl.DataFrame, *, key: str, source: str, filename: str | None, actor: Actor,
            at: dt.datetime) -> ImportResult:
    first = frame.row(0, named=True)
    with uow:
        session = uow.session
        known = _known(session, first["bank_code"], frame.get_column("txn_id").to_list())
        _check_unchanged(frame, known)
        done = session.scalar(select(BankStatement).where(BankStatement.key == key))
        if done is not None:
            if known.height != frame.height:
                raise Conflict(f"the statement {key} was imported before with other lines",
                               code="payment.statement_reused", field="statement_id",
                               rule="a statement id names one statement")
            return ImportResult(statement_id=done.id, key=key, created=False, lines=done.lines, new_lines=0,
                                known_lines=done.lines, total_new=0)
        statement = BankStatement(key=key, bank_code=first["bank_code"], account_no=first["account_no"],
                                  statement_date=first["statement_date"], source=source, filename=filename,
                                  lines=frame.height, new_lines=0, imported_at=at, actor=actor.username)
        session.add(statement)
        session.flush()
        new = _insert_new(session, frame, statement.id)
        statement.new_lines = new.height
        entries = _receipt_entries(new, statement.id) if new.height else []
        if entries:
            post_entries(uow=uow, entries=entries, actor=actor, at=at)
        total = int(new.get_column("amount").sum()) if new.height else 0
        record_event(uow=uow, actor=actor, action="payment.statement_import", record_type="bank_statement",
                     record_id=statement.id, at=at,
                     detail={"key": key, "lines": frame.height, "new_lines": new.height, "total_new": total})
        uow.commit()
        return ImportResult(statement_id=statement.id, key=key, created=True, lines=frame.height,
                            new_lines=new.height, known_lines=frame.height - new.height, total_new=total)


def import_statement(*, uow: UnitOfWork, content: bytes, filename: str | None, actor: Actor,
                     at: dt.datetime) -> ImportResult:
    """Import a statement file (CSV, docs/payments.md): checked whole, its new transactions written and posted."""
    frame = parse_csv(content)
    key = f"file:{hashlib.sha256(content).hexdigest()}"
    return _import(uow, frame, key=key, source="file", filename=(filename or "")[:200] or None, actor=actor, at=at)


def submit_statement(*, uow: UnitOfWork, data: StatementIn, actor: Actor, at: dt.datetime) -> ImportResult:
    """A statement sent by the bank's client; the same ``statement_id`` again changes nothing."""
    frame = api_frame(data)
    return _import(uow, frame, key=f"api:{data.bank_code}:{data.statement_id}", source="api", filename=None,
                   actor=actor, at=at)


def statements(*, uow: UnitOfWork, limit: int = 100) -> list[StatementPublic]:
    """The latest statements with how many of their transactions are matched, unmatched, returned."""
    with uow:
        session = uow.session
        rows = session.scalars(select(BankStatement).order_by(BankStatement.id.desc()).limit(limit)).all()
        counts: dict[tuple[int, str], int] = {}
        if rows:
            counts = {(sid, status): int(n) for sid, status, n in session.execute(
                select(BankTransaction.statement_id, BankTransaction.status, func.count())
                .where(BankTransaction.statement_id.in_([r.id for r in rows]))
                .group_by(BankTransaction.statement_id, BankTransaction.status))}
        return [StatementPublic(id=r.id, key=r.key, bank_code=r.bank_code, account_no=r.account_no,
                                statement_date=r.statement_date, source=r.source, filename=r.filename, lines=r.lines,
                                new_lines=r.new_lines, imported_at=r.imported_at,
                                matched=counts.get((r.id, TransactionStatus.MATCHED.value), 0),
                                unmatched=counts.get((r.id, TransactionStatus.UNMATCHED.value), 0),
                                returned=counts.get((r.id, TransactionStatus.RETURNED.value), 0)) for r in rows]

