"""``ansinh ledger``: the funds' books from the command line.

``trial-balance`` prints the trial balance for a period (default: the year to date), for
one fund or all; ``--json`` prints it as the API's JSON. ``accounts`` lists the chart.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ansinh.cli_support import as_of_or_today, console, handles_errors, open_uow, parse_date
from ansinh.ledger import service
from ansinh.ledger.chart import INSURANCE_FUNDS, Fund, default_chart
from ansinh.ledger.schemas import TrialBalance

ledger_app = typer.Typer(help="The funds' double-entry books: chart of accounts and trial balance.",
                         no_args_is_help=True)


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _print(balance: TrialBalance) -> None:
    scope = balance.fund.value if balance.fund else "all funds"
    table = Table(title=f"Trial balance {balance.start} to {balance.end} ({scope})")
    for column in ("account", "name", "fund"):
        table.add_column(column)
    for column in ("opening", "debits", "credits", "closing"):
        table.add_column(column, justify="right")
    for row in balance.rows:
        table.add_row(row.account_code, row.account_name, row.fund.value, _money(row.opening), _money(row.debits),
                      _money(row.credits), _money(row.closing))
    table.add_row("", "Total", "", _money(balance.total_opening), _money(balance.total_debits),
                  _money(balance.total_credits), _money(balance.total_closing))
    console.print(table)
    if balance.balanced:
        console.print("[green]Balanced.[/green]")
    else:
        funds = ", ".join(f.value for f in balance.unbalanced_funds) or "overall"
        console.print(f"[red]NOT balanced: {funds}.[/red]")


@ledger_app.command("trial-balance")
@handles_errors
def trial_balance_command(
    start: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD (default 1 January).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD (default today).")] = None,
    fund: Annotated[Fund | None, typer.Option(help="Only this fund.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the trial balance as JSON.")] = False,
) -> None:
    """Print the trial balance: per account and fund, opening, debits, credits and closing."""
    last = as_of_or_today(end)
    first = parse_date(start, field="from") or last.replace(month=1, day=1)
    balance = service.trial_balance(uow=open_uow(), start=first, end=last, fund=fund)
    if as_json:
        typer.echo(balance.model_dump_json(indent=2))
    else:
        _print(balance)


@ledger_app.command("accounts")
@handles_errors
def accounts_command() -> None:
    """List the chart of accounts: code, names, kind, funds; unverified codes are marked."""
    chart = default_chart()
    table = Table(title=f"Chart of accounts ({len(chart)})")
    for column in ("code", "name (vi)", "name (en)", "kind", "funds", "verified"):
        table.add_column(column)
    for account in chart.values():
        funds = "all" if account.funds == INSURANCE_FUNDS else ", ".join(f.value for f in account.funds)
        table.add_row(account.code, account.name_vi, account.name_en, account.kind.value, funds,
                      "no" if account.unverified else "yes")
    console.print(table)
