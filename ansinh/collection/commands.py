"""``ansinh assess --month YYYY-MM``: run (or resume) the monthly assessment.

The run is idempotent: a second call on a completed month says so and writes nothing; a call
after an interrupted run writes only the partitions that are missing.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ansinh.cli_support import console, handles_errors, open_uow
from ansinh.collection.assessment import assess_month
from ansinh.collection.schemas import PartitionResult, RunSummary
from ansinh.core import clock
from ansinh.core.actor import SYSTEM
from ansinh.core.periods import parse_month


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _progress(result: PartitionResult) -> None:
    console.print(f"  partition {result.partition:>4}: {result.rows:>9} rows, {_money(result.total):>20} đồng, "
                  f"{result.entries} ledger entries")


def _print(summary: RunSummary) -> None:
    console.print(f"{summary.key}: {summary.status.value}, {summary.partitions_done}/{summary.partitions} "
                  f"partitions, {summary.rows} participations", soft_wrap=True)
    table = Table()
    table.add_column("fund")
    table.add_column("total (đồng)", justify="right")
    for fund, amount in summary.funds.items():
        table.add_row(fund, _money(amount))
    for payer, amount in summary.payers.items():
        table.add_row(f"paid by {payer}", _money(amount), style="dim")
    table.add_row("Total", _money(summary.total), style="bold")
    console.print(table)


@handles_errors
def assess_command(
    month: Annotated[str, typer.Option("--month", help="The month to assess, YYYY-MM.")],
    partitions: Annotated[int | None, typer.Option(
        help="Partitions of employers for a new run (default 16); a resumed run keeps its own.")] = None,
) -> None:
    """Assess every employer's contributions for a month; safe to run again or after a crash."""
    first_day = parse_month(month, field="--month")
    console.print(f"Assessing {month.strip()} …")
    summary = assess_month(uow=open_uow(), month=first_day, actor=SYSTEM, at=clock.now(), partitions=partitions,
                           on_partition=_progress)
    if summary.already_completed:
        console.print(f"[yellow]{summary.key} was already completed; nothing was changed.[/yellow]")
    _print(summary)
