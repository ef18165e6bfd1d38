"""What every CLI command shares: the console, the unit of work and error reporting.

A domain error ends the command with exit code 1 and a message naming the field and the
rule, never a traceback; nothing is written because the unit of work rolls back.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console

from ansinh.core.errors import AnsinhError
from ansinh.db.engine import engine_for
from ansinh.db.uow import UnitOfWork

console = Console()
err_console = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")


def open_uow(database_url: str | None = None) -> UnitOfWork:
    """A unit of work on the configured database (or ``database_url``)."""
    return UnitOfWork(engine_for(database_url))


def report_error(error: AnsinhError) -> None:
    """Print a domain error for a person at a terminal."""
    where = f" [bold]{error.field}[/bold]:" if error.field else ""
    err_console.print(f"[red]Error ({error.code}):{where}[/red] {error.message}")
    if error.rule:
        err_console.print(f"  rule: {error.rule}")


def handles_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn domain errors raised by ``command`` into a message and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except AnsinhError as error:
            report_error(error)
            raise typer.Exit(code=1) from None

    return wrapper
