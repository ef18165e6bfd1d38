"""Types at the ledger's edge: lines and entries posted, entries read, the trial balance, statements.

Amounts are integer đồng. A line has one side: ``debit`` or ``credit``, the other zero; the
service checks this (and the balance) and names the field when it is not so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from ansinh.ledger.chart import AccountKind, Fund


class LineIn(BaseModel):
    """One line to post."""

    model_config = ConfigDict(frozen=True)

    account_code: str
    fund: Fund
    debit: int = 0
    credit: int = 0
    employer_id: int | None = None
    person_id: int | None = None
    period: str | None = Field(default=None, pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")


class EntryIn(BaseModel):
    """One entry to post among many (:func:`ansinh.ledger.service.post_entries`)."""

    model_config = ConfigDict(frozen=True)

    key: str = Field(min_length=1, max_length=120)
    entry_date: dt.date
    description: str = Field(max_length=500)
    lines: Sequence[LineIn]
    source_type: str = Field(min_length=1, max_length=40)
    source_id: str = Field(min_length=1, max_length=80)


class LinePublic(BaseModel):
    account_code: str
    fund: Fund
    debit: int
    credit: int
    employer_id: int | None = None
    person_id: int | None = None
    period: str | None = None


class EntryPublic(BaseModel):
    """An entry as written."""

    id: int
    key: str
    entry_date: dt.date
    description: str
    source_type: str
    source_id: str
    reverses_id: int | None
    posted_at: dt.datetime
    actor: str
    lines: list[LinePublic]


class AccountPublic(BaseModel):
    code: str
    name_vi: str
    name_en: str
    kind: AccountKind
    funds: list[Fund]
    source: str
    unverified: bool


class TrialBalanceRow(BaseModel):
    """One account of one fund: balances signed debit-positive, the period's movements."""

    account_code: str
    account_name: str
    kind: AccountKind
    fund: Fund
    opening: int
    debits: int
    credits: int
    closing: int


class TrialBalance(BaseModel):
    """Every account and fund with a line up to ``end``; balanced when debits equal credits."""

    start: dt.date
    end: dt.date
    fund: Fund | None
    rows: list[TrialBalanceRow]
    total_opening: int
    total_debits: int
    total_credits: int
    total_closing: int
    balanced: bool
    unbalanced_funds: list[Fund]
    """Funds whose own books do not balance (empty when all is well)."""


class StatementLine(BaseModel):
    account_code: str
    account_name: str
    amount: int


class FundStatement(BaseModel):
    """A fund's revenue, expense and net for a period, and its closing positions."""

    fund: Fund
    start: dt.date
    end: dt.date
    revenue: list[StatementLine]
    expense: list[StatementLine]
    total_revenue: int
    total_expense: int
    net: int
    assets: list[StatementLine]
    """Closing debit balances of the fund's asset accounts."""
    liabilities: list[StatementLine]
    """Closing credit balances of the fund's liability accounts."""
    fund_balance: int
    """Closing credit balance of the net-assets accounts (before this period's net is closed into it)."""
