"""``ansinh payments``: payment orders, statements, matching and allocation from the command line.

Each verb is idempotent as its service is: issuing a month's orders twice, importing the same
statement twice, matching or allocating again write nothing new. ``--on`` is the day the
work is done for (default today at the edge; services never read the clock).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ansinh.cli_support import as_of_or_today, console, handles_errors, open_uow
from ansinh.collection import allocation, bank_statements, matching, payment_orders
from ansinh.core import clock
from ansinh.core.actor import SYSTEM
from ansinh.core.errors import InvalidInput
from ansinh.core.periods import parse_month

payments_app = typer.Typer(help="Payment orders, bank statements, matching and allocation of payments.",
                           no_args_is_help=True)
OnOption = Annotated[str | None, typer.Option("--on", help="The day the work is done for, YYYY-MM-DD (default today).")]


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


@payments_app.command("orders")
@handles_errors
def orders(month: Annotated[str, typer.Option("--month", help="The month, YYYY-MM.")], on: OnOption = None) -> None:
    """Issue the month's payment order to every employer with dues that has none yet."""
    summary = payment_orders.issue_orders(uow=open_uow(), month=parse_month(month, field="--month"),
                                          on=as_of_or_today(on), actor=SYSTEM, at=clock.now())
    console.print(f"{summary.month:%Y-%m}: {summary.issued} orders issued ({_money(summary.total)} đồng), "
                  f"{summary.already} already issued")


@payments_app.command("import")
@handles_errors
def import_file(file: Annotated[Path, typer.Argument(help="A statement CSV (docs/payments.md).")]) -> None:
    """Import a bank statement file; its lines already known are skipped."""
    if not file.is_file():
        raise InvalidInput(f"{file} is not a file", code="payment.statement", field="FILE",
                           rule="give the path of a statement CSV")
    result = bank_statements.import_statement(uow=open_uow(), content=file.read_bytes(), filename=file.name,
                                              actor=SYSTEM, at=clock.now())
    if not result.created:
        console.print(f"[yellow]{file.name} was imported before (statement {result.statement_id}); "
                      "nothing was changed.[/yellow]")
        return
    console.print(f"statement {result.statement_id}: {result.lines} lines, {result.new_lines} new "
                  f"({_money(result.total_new)} đồng), {result.known_lines} already known")


@payments_app.command("match")
@handles_errors
def match(on: OnOption = None) -> None:
    """Match every unmatched transaction the rules tie to one employer."""
    summary = matching.match_transactions(uow=open_uow(), on=as_of_or_today(on), actor=SYSTEM, at=clock.now())
    console.print(f"{summary.examined} unmatched examined: {summary.by_reference} by reference, "
                  f"{summary.by_amount_payer} by amount and payer, {summary.unmatched} left for an accountant")


@payments_app.command("allocate")
@handles_errors
def allocate(on: OnOption = None) -> None:
    """Allocate employers' matched money to their dues, oldest month first, in the law's order."""
    summary = allocation.allocate(uow=open_uow(), on=as_of_or_today(on), actor=SYSTEM, at=clock.now())
    if summary.key is None:
        console.print("Nothing to allocate.")
        return
    console.print(f"{summary.key}: {summary.rows} allocations for {summary.employers} employers, "
                  f"contributions {_money(summary.contributions)}, interest {_money(summary.interest)} đồng")
    table = Table()
    table.add_column("fund")
    table.add_column("received (đồng)", justify="right")
    for fund, amount in summary.funds.items():
        table.add_row(fund, _money(amount))
    console.print(table)


@payments_app.command("unmatched")
@handles_errors
def unmatched() -> None:
    """List the transactions waiting for an accountant."""
    rows = matching.transactions(uow=open_uow())
    table = Table(title=f"{len(rows)} unmatched transactions")
    for column in ("id", "bank", "txn id", "value date", "amount", "payer", "description"):
        table.add_column(column, justify="right" if column == "amount" else "left")
    for t in rows:
        table.add_row(str(t.id), t.bank_code, t.bank_txn_id, t.value_date.isoformat(), _money(t.amount),
                      t.payer_name, t.description)
    console.print(table)
