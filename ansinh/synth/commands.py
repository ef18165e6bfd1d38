"""``ansinh synth``: fill a database with a synthetic country for demos and benchmarks."""

from __future__ import annotations

import datetime as dt

import typer
from rich.table import Table

from ansinh.cli_support import console, handles_errors, parse_date
from ansinh.core import clock
from ansinh.core.settings import get_settings
from ansinh.db import migrate
from ansinh.db.engine import make_engine
from ansinh.synth.writer import Summary, synthesise

__all__ = ["command", "summary_table", "synth", "synthesise"]


def summary_table(summary: Summary, *, title: str) -> Table:
    """The figures of a run as a Rich table."""
    table = Table(title=title)
    table.add_column("")
    table.add_column("count", justify="right")
    for label, value in summary.rows():
        table.add_row(label, value)
    return table


@handles_errors
def synth(
    people: int = typer.Option(..., "--people", min=1, help="People in the population register."),
    seed: int = typer.Option(1, "--seed", help="Same people and seed give the same country."),
    as_of: str | None = typer.Option(None, "--as-of", help="Day the country is observed (YYYY-MM-DD); default today."),
    replace: bool = typer.Option(False, "--replace", help="Delete the registry's rows first."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show progress bars."),
    province: list[str] = typer.Option(  # noqa: B008 - Typer reads options from defaults
        [], "--province", help="Only this province (code in force, e.g. 79); repeatable. Default: all 34."
    ),
) -> None:
    """Generate a seeded synthetic country into ANSINH_DATABASE_URL (SQLite or PostgreSQL)."""
    day: dt.date = parse_date(as_of, field="as_of") or clock.today()
    url = get_settings().database_url
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        summary = synthesise(
            engine=engine, people=people, seed=seed, as_of=day, progress=progress, replace=replace,
            console=console, provinces=province, at=clock.now(),
        )
    finally:
        engine.dispose()
    console.print(summary_table(summary, title=f"Synthetic country, seed {seed}, observed {day.isoformat()}"))


command = synth
"""The function to register as ``ansinh synth`` (``app.command("synth")(command)``)."""
