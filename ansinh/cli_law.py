"""``ansinh law``: read the legal parameters at the command line."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ansinh.cli_support import as_of_or_today, console, handles_errors
from ansinh.law import default_parameters
from ansinh.law.schemas import ParameterPublic, summary

app = typer.Typer(help="The law as data: legal parameters with their sources.", no_args_is_help=True)

AtOption = Annotated[str | None, typer.Option("--at", help="Date the law is read on, YYYY-MM-DD (default today).")]


@app.command("list")
@handles_errors
def list_parameters(
    at: AtOption = None,
    prefix: Annotated[str | None, typer.Argument(help="Only keys starting with this, e.g. si.rates")] = None,
) -> None:
    """List the parameters with the value in force on a date."""
    day = as_of_or_today(at)
    table = Table("key", "value", "unit", "since", "instrument", title=f"Law in force on {day.isoformat()}")
    for key, parameter in sorted(default_parameters().parameters.items()):
        if prefix and not key.startswith(prefix):
            continue
        line = summary(parameter, day)
        table.add_row(key, "-" if line.value is None else str(line.value), line.unit,
                      line.starts.isoformat() if line.starts else "not in force", line.instrument or "")
    console.print(table)


@app.command("show")
@handles_errors
def show_parameter(key: Annotated[str, typer.Argument(help="Dotted key, e.g. si.base_salary")],
                   at: AtOption = None) -> None:
    """Show one parameter on a date: value, source, and its whole history."""
    view = ParameterPublic.of(default_parameters().get(key), as_of_or_today(at))
    console.print(f"[bold]{view.key}[/bold]: {view.description} ({view.unit})")
    source = view.in_force.source
    console.print(f"On {view.at.isoformat()}: [bold]{view.in_force.value}[/bold] since "
                  f"{view.in_force.starts.isoformat()} — {source.instrument}, {source.article}"
                  + (f" ({source.note})" if source.note else ""))
    table = Table("from", "value", "instrument", "article", "note", title="History")
    for dated in view.history:
        table.add_row(dated.starts.isoformat(), "repealed" if dated.value is None else str(dated.value),
                      dated.source.instrument, dated.source.article, dated.source.note or "")
    console.print(table)
