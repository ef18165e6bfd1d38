"""Matching: whose money each credit to the collection account is.

:func:`match_transactions` takes every unmatched transaction at once (set-based, Polars) and
applies the rules in order; the first that names exactly one employer decides:

1. ``reference``: the description, once upper-cased and stripped of everything but letters
   and digits, carries a payment reference whose check digits are right
   (:mod:`ansinh.collection.payment_orders`): that order's employer (or, for a valid
   reference without an order, the employer of the unit code it carries); else the
   description carries an employer's unit code as a whole word: that employer. References
   or unit codes of two different employers in one description decide nothing.
2. ``amount_payer``: the amount equals the total of exactly one open payment order (total
   above zero, no transaction matched to it yet) and the payer's account has paid that
   employer before. Two credits of one run naming the same order: the earlier takes it.
3. Otherwise the transaction stays ``unmatched`` for an accountant, who matches it to an
   employer by hand with a note (:func:`match_manually`, rule ``manual``) or returns it to
   the payer (:func:`return_transaction`: status ``returned``, and the money leaves the
   collection account: debit 3371, credit 112 on fund ``collection``).

Matching moves no money in the books: a matched transaction stays in 3371 (unallocated
receipts) until :mod:`ansinh.collection.allocation` applies it to the employer's dues.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import polars as pl
from sqlalchemy import Executable, select, update
from sqlalchemy.orm import Session

from ansinh.audit.service import record_event
from ansinh.collection.bank_statements import BANK_ACCOUNT, SUSPENSE_ACCOUNT
from ansinh.collection.payment_models import BankTransaction, MatchRule, PaymentOrder, TransactionStatus
from ansinh.collection.payment_orders import REFERENCE_PATTERN, reference_valid_expr
from ansinh.collection.payment_schemas import MatchSummary, TransactionPublic
from ansinh.core.actor import Actor
from ansinh.core.errors import Conflict, InvalidInput, NotFound
from ansinh.db.uow import UnitOfWork
from ansinh.ledger.chart import Fund
from ansinh.ledger.schemas import LineIn
from ansinh.ledger.service import post_entry
from ansinh.registry import extracts
from ansinh.registry.lookups import employer_by_id, employer_by_key

UNIT_CODE_WORD = r"^[A-Z]{2}[0-9]{4}[A-Z]$"
CHUNK = 500
MATCHED = TransactionStatus.MATCHED.value
UNMATCHED = TransactionStatus.UNMATCHED.value


def _chunked(session: Session, build: Callable[[list[Any]], Executable], values: Sequence[Any],
             schema: dict[str, Any]) -> pl.DataFrame:
    """Rows of ``build(chunk)`` for each chunk of ``values`` (an ``IN`` list of bounded size), as one frame."""
    rows: list[Any] = []
    unique = list(dict.fromkeys(values))
    for start in range(0, len(unique), CHUNK):
        rows += session.execute(build(unique[start:start + CHUNK])).all()
    return pl.DataFrame(rows, schema=schema, orient="row")


def _employers(session: Session, unit_codes: Sequence[str]) -> pl.DataFrame:
    unique = list(dict.fromkeys(unit_codes))
    parts = [extracts.employers(session, unit_codes=unique[start:start + CHUNK]).select("unit_code", "employer_id")
             for start in range(0, len(unique), CHUNK)]
    return pl.concat(parts) if parts else pl.DataFrame(schema={"unit_code": pl.Utf8, "employer_id": pl.Int64})


def _one_employer(candidates: pl.DataFrame) -> pl.DataFrame:
    """Transactions whose candidates name exactly one employer (with the order, when exactly one)."""
    return (candidates.group_by("id").agg(pl.col("employer_id").unique(), pl.col("order_id").drop_nulls().unique())
            .filter(pl.col("employer_id").list.len() == 1)
            .select("id", pl.col("employer_id").list.first(),
                    pl.when(pl.col("order_id").list.len() == 1).then(pl.col("order_id").list.first())
                    .alias("order_id")))


def _by_reference(session: Session, txns: pl.DataFrame) -> pl.DataFrame:
    """Rule 1: a valid payment reference, else a unit code as a whole word."""
    upper = pl.col("description").str.to_uppercase()
    refs = (txns.select("id", upper.str.replace_all(r"[^A-Z0-9]", "").str.extract_all(REFERENCE_PATTERN)
                        .alias("reference"))
            .explode("reference").drop_nulls("reference")
            .filter(reference_valid_expr(pl.col("reference"))))
    orders = _chunked(session, lambda chunk: select(PaymentOrder.reference, PaymentOrder.id, PaymentOrder.employer_id)
                      .where(PaymentOrder.reference.in_(chunk)), refs.get_column("reference").to_list(),
                      {"reference": pl.Utf8, "order_id": pl.Int64, "order_employer": pl.Int64})
    words = (txns.select("id", upper.str.replace_all(r"[^A-Z0-9]", " ").str.split(" ").alias("unit_code"))
             .explode("unit_code").filter(pl.col("unit_code").str.contains(UNIT_CODE_WORD)).unique())
    refs = refs.with_columns(unit_code=pl.col("reference").str.slice(2, 7))
    units = _employers(session, refs.get_column("unit_code").to_list() + words.get_column("unit_code").to_list())
    by_ref = (refs.join(orders, on="reference", how="left").join(units, on="unit_code", how="left")
              .with_columns(employer_id=pl.coalesce("order_employer", "employer_id"))
              .drop_nulls("employer_id").select("id", "employer_id", "order_id"))
    by_word = (words.join(units, on="unit_code").join(by_ref.select("id"), on="id", how="anti")
               .select("id", "employer_id", pl.lit(None, dtype=pl.Int64).alias("order_id")))
    return _one_employer(pl.concat([by_ref, by_word]))


def _by_amount_payer(session: Session, txns: pl.DataFrame, matched_now: pl.DataFrame) -> pl.DataFrame:
    """Rule 2: the amount of exactly one open order, from an account that has paid its employer before."""
    schema = {"order_id": pl.Int64, "employer_id": pl.Int64, "amount": pl.Int64}
    orders = _chunked(session, lambda chunk: select(PaymentOrder.id, PaymentOrder.employer_id, PaymentOrder.total)
                      .where(PaymentOrder.total.in_(chunk), PaymentOrder.total > 0),
                      txns.get_column("amount").to_list(), schema)
    if not orders.height:
        return pl.DataFrame(schema={"id": pl.Int64, "employer_id": pl.Int64, "order_id": pl.Int64})
    taken = _chunked(session, lambda chunk: select(BankTransaction.payment_order_id)
                     .where(BankTransaction.status == MATCHED, BankTransaction.payment_order_id.in_(chunk)),
                     orders.get_column("order_id").to_list(), {"order_id": pl.Int64})
    open_orders = (orders.join(pl.concat([taken, matched_now.select("order_id").drop_nulls()]), on="order_id",
                               how="anti")
                   .filter(pl.len().over("amount") == 1))
    paid_before = _chunked(session, lambda chunk: select(BankTransaction.employer_id, BankTransaction.payer_account)
                           .where(BankTransaction.status == MATCHED, BankTransaction.payer_account.in_(chunk)),
                           txns.filter(pl.col("payer_account") != "").get_column("payer_account").to_list(),
                           {"employer_id": pl.Int64, "payer_account": pl.Utf8})
    paid_before = pl.concat([paid_before, matched_now.select("employer_id", "payer_account")]).unique()
    return (txns.filter(pl.col("payer_account") != "").join(open_orders, on="amount")
            .join(paid_before, on=["employer_id", "payer_account"], how="semi")
            .sort("value_date", "id").unique("order_id", keep="first", maintain_order=True)
            .select("id", "employer_id", "order_id"))


def match_transactions(*, uow: UnitOfWork, on: dt.date, actor: Actor, at: dt.datetime) -> MatchSummary:
    """Match every unmatched transaction that the rules tie to exactly one employer (one transaction)."""
    with uow:
        session = uow.session
        query = (select(BankTransaction.id, BankTransaction.amount, BankTransaction.payer_account,
                        BankTransaction.description, BankTransaction.value_date)
                 .where(BankTransaction.status == UNMATCHED).order_by(BankTransaction.id).with_for_update())
        txns = pl.DataFrame(session.execute(query).all(), orient="row",
                            schema={"id": pl.Int64, "amount": pl.Int64, "payer_account": pl.Utf8,
                                    "description": pl.Utf8, "value_date": pl.Date})
        if not txns.height:
            return MatchSummary(examined=0, by_reference=0, by_amount_payer=0, unmatched=0)
        first = _by_reference(session, txns).with_columns(rule=pl.lit(MatchRule.REFERENCE.value))
        first = first.join(txns.select("id", "payer_account"), on="id")
        rest = txns.join(first, on="id", how="anti")
        second = _by_amount_payer(session, rest, first).with_columns(rule=pl.lit(MatchRule.AMOUNT_PAYER.value))
        matched = pl.concat([first.select("id", "employer_id", "order_id", "rule"),
                             second.select("id", "employer_id", "order_id", "rule")])
        if matched.height:
            session.execute(update(BankTransaction), [
                {"id": row["id"], "status": MATCHED, "employer_id": row["employer_id"], "match_rule": row["rule"],
                 "payment_order_id": row["order_id"], "matched_on": on, "matched_by": actor.username}
                for row in matched.iter_rows(named=True)])
            record_event(uow=uow, actor=actor, action="payment.match", record_type="bank_transaction",
                         record_id=str(on), at=at,
                         detail={"examined": txns.height, "reference": first.height, "amount_payer": second.height})
            uow.commit()
        return MatchSummary(examined=txns.height, by_reference=first.height, by_amount_payer=second.height,
                            unmatched=txns.height - matched.height)


# ----------------------------------------------------------------------------- by hand

def _unmatched(session: Session, transaction_id: int) -> BankTransaction:
    txn = session.execute(select(BankTransaction).where(BankTransaction.id == transaction_id)
                          .with_for_update()).scalar_one_or_none()
    if txn is None:
        raise NotFound(f"no transaction {transaction_id}", code="payment.transaction_not_found",
                       field="transaction_id")
    if txn.status != UNMATCHED:
        raise Conflict(f"transaction {transaction_id} is {txn.status}", code="payment.transaction_state",
                       field="transaction_id", rule="only an unmatched transaction is matched by hand or returned")
    return txn


def _note(note: str) -> str:
    cleaned = note.strip()
    if not cleaned or len(cleaned) > 500:
        raise InvalidInput("a note of 1 to 500 characters is required", code="payment.note", field="note",
                           rule="a decision by hand says why, in 1 to 500 characters")
    return cleaned


def public(session: Session, txn: BankTransaction) -> TransactionPublic:
    unit = employer_by_id(session, txn.employer_id).unit_code if txn.employer_id is not None else None
    return TransactionPublic(id=txn.id, bank_code=txn.bank_code, bank_txn_id=txn.bank_txn_id,
                             value_date=txn.value_date, amount=txn.amount, payer_name=txn.payer_name,
                             payer_account=txn.payer_account, description=txn.description, status=txn.status,
                             unit_code=unit, match_rule=txn.match_rule, note=txn.note)


def match_manually(*, uow: UnitOfWork, transaction_id: int, employer_unit_code: str, note: str, on: dt.date,
                   actor: Actor, at: dt.datetime) -> TransactionPublic:
    """An accountant ties an unmatched transaction to an employer, saying why."""
    cleaned = _note(note)
    with uow:
        session = uow.session
        txn = _unmatched(session, transaction_id)
        employer = employer_by_key(session, employer_unit_code, field="employer_unit_code")
        txn.status, txn.employer_id, txn.match_rule = TransactionStatus.MATCHED, employer.id, MatchRule.MANUAL
        txn.matched_on, txn.matched_by, txn.note = on, actor.username, cleaned
        record_event(uow=uow, actor=actor, action="payment.match_manual", record_type="bank_transaction",
                     record_id=txn.id, at=at, detail={"unit_code": employer.unit_code, "amount": txn.amount})
        result = public(session, txn)
        uow.commit()
        return result


def return_transaction(*, uow: UnitOfWork, transaction_id: int, note: str, on: dt.date, actor: Actor,
                       at: dt.datetime) -> TransactionPublic:
    """Send an unmatched transaction back to its payer: status ``returned``, the money out of the collection account."""
    cleaned = _note(note)
    with uow:
        session = uow.session
        txn = _unmatched(session, transaction_id)
        txn.status, txn.matched_on, txn.matched_by, txn.note = TransactionStatus.RETURNED, on, actor.username, cleaned
        post_entry(uow=uow, key=f"return:{txn.id}", entry_date=on,
                   description=f"Transaction {txn.bank_code}/{txn.bank_txn_id} returned to the payer",
                   source_type="bank_transaction", source_id=str(txn.id), actor=actor, at=at,
                   lines=[LineIn(account_code=SUSPENSE_ACCOUNT, fund=Fund.COLLECTION, debit=txn.amount),
                          LineIn(account_code=BANK_ACCOUNT, fund=Fund.COLLECTION, credit=txn.amount)])
        record_event(uow=uow, actor=actor, action="payment.return", record_type="bank_transaction",
                     record_id=txn.id, at=at, detail={"amount": txn.amount})
        result = public(session, txn)
        uow.commit()
        return result


def transactions(*, uow: UnitOfWork, status: TransactionStatus | None = TransactionStatus.UNMATCHED,
                 limit: int = 200) -> list[TransactionPublic]:
    """Transactions (the unmatched ones by default), oldest value date first."""
    with uow:
        query = select(BankTransaction).order_by(BankTransaction.value_date, BankTransaction.id).limit(limit)
        if status is not None:
            query = query.where(BankTransaction.status == status.value)
        return [public(uow.session, txn) for txn in uow.session.scalars(query)]
