"""Types at the edge of payments: orders, statements, matching, allocation and the SI book.

Amounts are integer đồng. Months are given by their first day. These are what the services
return, the API answers and the pages render, so each carries what a reader needs without
another lookup (unit codes and names beside ids).
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class OrdersSummary(BaseModel):
    """What issuing a month's payment orders did."""

    month: dt.date
    issued: int
    """Orders written by this call."""
    already: int
    """Employers that already had their order for the month (nothing changed for them)."""
    total: int
    """The sum of the totals of the orders written now."""


class PaymentOrderPublic(BaseModel):
    """A payment order as the employer reads it (the PDF and the JSON carry the same)."""

    id: int
    reference: str
    unit_code: str
    employer_name: str
    month: dt.date
    issued_on: dt.date
    due_on: dt.date
    funds: dict[str, int]
    """The month's unpaid dues per fund on the day it is read (what ``month_dues`` was made of)."""
    month_dues: int
    arrears: int
    interest: int
    credit: int
    total: int
    bank_name: str
    bank_code: str
    account_no: str
    account_name: str
    daily_interest_rate: str | None
    """The daily late-payment rate after the deadline (None where the law's rate is not encoded)."""
    interest_basis: str


class StatementLineIn(BaseModel):
    """One credit line of a statement sent by a bank's client."""

    model_config = ConfigDict(extra="forbid")

    txn_id: str = Field(min_length=1, max_length=64)
    value_date: dt.date
    amount: int = Field(gt=0, description="Integer đồng; credits only.")
    payer_name: str = Field(default="", max_length=200)
    payer_account: str = Field(default="", max_length=34)
    description: str = Field(default="", max_length=500)


class StatementIn(BaseModel):
    """A statement of the collection account sent by the bank's machine client (idempotent on ``statement_id``)."""

    model_config = ConfigDict(extra="forbid")

    statement_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._:-]+$")
    bank_code: str = Field(min_length=1, max_length=12)
    account_no: str = Field(min_length=1, max_length=34)
    statement_date: dt.date
    lines: list[StatementLineIn] = Field(min_length=1, max_length=100_000)


class ImportResult(BaseModel):
    """What importing one statement did."""

    statement_id: int
    key: str
    created: bool
    """False when the same statement (same key) was imported before: nothing was written."""
    lines: int
    new_lines: int
    """Transactions not seen before (written now, with their ledger entries)."""
    known_lines: int
    """Lines already imported from an earlier (overlapping) statement, identical, skipped."""
    total_new: int
    """The amount of the new transactions."""


class MatchSummary(BaseModel):
    """What a matching run did to the transactions that were unmatched."""

    examined: int
    by_reference: int
    by_amount_payer: int
    unmatched: int


class TransactionPublic(BaseModel):
    id: int
    bank_code: str
    bank_txn_id: str
    value_date: dt.date
    amount: int
    payer_name: str
    payer_account: str
    description: str
    status: str
    unit_code: str | None = None
    match_rule: str | None = None
    note: str | None = None


class AllocationSummary(BaseModel):
    """What one allocation run wrote."""

    key: str | None
    """``allocate:<on>:<n>``, or None when there was nothing to allocate (nothing written)."""
    rows: int
    employers: int
    contributions: int
    interest: int
    funds: dict[str, int]
    """Money moved from the collection account into each fund (contributions and interest)."""


class StatementPublic(BaseModel):
    id: int
    key: str
    bank_code: str
    account_no: str
    statement_date: dt.date
    source: str
    filename: str | None
    lines: int
    new_lines: int
    imported_at: dt.datetime
    matched: int
    unmatched: int
    returned: int


class SiBookMonth(BaseModel):
    """One month of one participation in a person's SI book."""

    month: dt.date
    unit_code: str | None
    employer_name: str | None
    salary: int
    employee: dict[str, int]
    """The person's own share per fund."""
    employer: dict[str, int]
    """The employer's share per fund."""
    total: int
    status: str
    """``credited``, ``unpaid`` or ``suspended``."""
    credited_on: dt.date | None = None
    deadline: dt.date | None = None
    suspension_reason: str | None = None
    counts: bool
    """Whether the month counts towards the record now (credited, or a maternity suspension)."""


class SiBook(BaseModel):
    """A person's months of compulsory insurance with what was paid and whether it is credited."""

    citizen_id: str
    full_name: str
    months: list[SiBookMonth]
    months_credited: int
    months_unpaid: int
    months_suspended: int
    months_counted: int
    """Distinct months that count: credited ones and maternity months."""
