"""``/api/v1/ledger``: the funds' books for those who read them (accountants, managers).

Read only: postings come from the areas' own verbs (assessment, payments, benefits), never
from a route of their own.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import Permission
from ansinh.api.auth import require
from ansinh.api.deps import UowDep
from ansinh.ledger import service
from ansinh.ledger.chart import Fund, default_chart
from ansinh.ledger.schemas import AccountPublic, FundStatement, TrialBalance

router = APIRouter(prefix="/ledger", tags=["ledger"])
Reader = Annotated[Principal, Depends(require(Permission.LEDGER_READ))]
Start = Annotated[dt.date, Query(description="First day of the period.")]
End = Annotated[dt.date, Query(description="Last day of the period.")]


@router.get("/trial-balance")
def get_trial_balance(uow: UowDep, _reader: Reader, start: Start, end: End,
                      fund: Annotated[Fund | None, Query(description="Only this fund.")] = None) -> TrialBalance:
    """Per account and fund: opening balance, the period's debits and credits, closing; and whether it balances."""
    return service.trial_balance(uow=uow, start=start, end=end, fund=fund)


@router.get("/fund-statement")
def get_fund_statement(uow: UowDep, _reader: Reader, fund: Annotated[Fund, Query()], start: Start,
                       end: End) -> FundStatement:
    """One fund's revenue, expense and net for the period, and its closing assets, liabilities and balance."""
    return service.fund_statement(uow=uow, fund=fund, start=start, end=end)


@router.get("/accounts")
def list_accounts(_reader: Reader) -> list[AccountPublic]:
    """The chart of accounts, with the funds each account may be used with and its source."""
    return [AccountPublic(**account.model_dump() | {"funds": list(account.funds)})
            for account in default_chart().values()]
