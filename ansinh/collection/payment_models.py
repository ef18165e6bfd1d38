"""Tables of payments: payment orders, bank statements and their transactions, allocations.

Money arrives in the agency's collection account at a bank. Each statement line becomes a
``bank_transaction``, written once under ``(bank_code, bank_txn_id)`` so that importing the
same statement again, or a bank retrying its API call, changes nothing. A transaction is
matched to an employer (by the payment reference, then by amount and payer account, or by
an accountant), and the employer's matched money is then **allocated** to what it owes,
oldest month first and, within a month, in the order the law sets for funds and interest.
An allocation row says which transaction paid which fund's dues (or interest) for which
month, from which value date: this is what credits people's months and stops interest.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ansinh.db.base import Base, Money, UtcDateTime


class PaymentOrder(Base):
    """What an employer is asked to pay for a month, under a reference the bank transfer carries."""

    __tablename__ = "payment_order"
    __table_args__ = (UniqueConstraint("employer_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(24), unique=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    month: Mapped[dt.date] = mapped_column(Date)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date] = mapped_column(Date)
    """The legal deadline of the month's dues."""
    month_dues: Mapped[int] = mapped_column(Money)
    arrears: Mapped[int] = mapped_column(Money)
    """Unpaid dues of earlier months on the issue date."""
    interest: Mapped[int] = mapped_column(Money)
    """Late-payment interest accrued and unpaid on the issue date."""
    credit: Mapped[int] = mapped_column(Money)
    """Money already received and not yet allocated (an overpayment), deducted."""
    total: Mapped[int] = mapped_column(Money)
    """month_dues + arrears + interest - credit, never below zero."""


class TransactionStatus(StrEnum):
    UNMATCHED = "unmatched"
    """Not yet tied to an employer: waits for an accountant."""
    MATCHED = "matched"
    RETURNED = "returned"
    """Sent back to the payer (not ours, or unidentifiable)."""


class MatchRule(StrEnum):
    REFERENCE = "reference"
    """The description carries a payment order's reference or the employer's unit code."""
    AMOUNT_PAYER = "amount_payer"
    """The amount equals an open payment order's and the payer account paid that employer before."""
    MANUAL = "manual"
    """An accountant chose the employer."""


class BankStatement(Base):
    """One statement of the collection account, as imported."""

    __tablename__ = "bank_statement"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    """``file:<sha256>`` for a file; the bank's statement id for the API."""
    bank_code: Mapped[str] = mapped_column(String(12))
    account_no: Mapped[str] = mapped_column(String(34))
    statement_date: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(8))
    """``file`` or ``api``."""
    filename: Mapped[str | None] = mapped_column(String(200))
    lines: Mapped[int] = mapped_column(Integer)
    new_lines: Mapped[int] = mapped_column(Integer)
    """Transactions not seen in an earlier statement."""
    imported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(64))


class BankTransaction(Base):
    """One credit to the collection account."""

    __tablename__ = "bank_transaction"
    __table_args__ = (
        UniqueConstraint("bank_code", "bank_txn_id"),
        CheckConstraint("amount > 0", name="amount_positive"),
        Index("ix_bank_transaction_status", "status"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("bank_statement.id"), index=True)
    bank_code: Mapped[str] = mapped_column(String(12))
    bank_txn_id: Mapped[str] = mapped_column(String(64))
    value_date: Mapped[dt.date] = mapped_column(Date)
    """The day the money reached the account: the day the dues count as paid."""
    amount: Mapped[int] = mapped_column(Money)
    payer_name: Mapped[str] = mapped_column(String(200))
    payer_account: Mapped[str] = mapped_column(String(34))
    description: Mapped[str] = mapped_column(String(500))
    status: Mapped[TransactionStatus] = mapped_column(String(12))
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
    match_rule: Mapped[MatchRule | None] = mapped_column(String(14))
    payment_order_id: Mapped[int | None] = mapped_column(ForeignKey("payment_order.id"))
    matched_on: Mapped[dt.date | None] = mapped_column(Date)
    matched_by: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(String(500))


class AllocationKind(StrEnum):
    CONTRIBUTION = "contribution"
    INTEREST = "interest"


class Allocation(Base):
    """Part of a transaction applied to one fund's dues (or interest) of one month of its employer."""

    __tablename__ = "allocation"
    __table_args__ = (
        CheckConstraint("amount > 0", name="allocation_positive"),
        Index("ix_allocation_employer_month", "employer_id", "month"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    key: Mapped[str] = mapped_column(String(80), index=True)
    """The allocation run's key (``allocate:<date>:<n>``), also its ledger entries' prefix."""
    transaction_id: Mapped[int] = mapped_column(ForeignKey("bank_transaction.id"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"))
    month: Mapped[dt.date] = mapped_column(Date)
    fund: Mapped[str] = mapped_column(String(24))
    kind: Mapped[AllocationKind] = mapped_column(String(12))
    amount: Mapped[int] = mapped_column(Money)
    value_date: Mapped[dt.date] = mapped_column(Date)
    """The transaction's value date: from it the amount no longer bears interest."""
    allocated_on: Mapped[dt.date] = mapped_column(Date)
