"""What every CLI command shares: the console, the unit of work and error reporting.

A domain error ends the command with exit code 1 and a message naming the field and the
rule, never a traceback; nothing is written because the unit of work rolls back.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console

from ansinh.core import clock
from ansinh.core.errors import AnsinhError, InvalidInput
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


M = TypeVar("M", bound=BaseModel)


def parse_input(model: type[M], **data: object) -> M:
    """Validate CLI input with the same Pydantic type the API uses.

    The first problem becomes an :class:`InvalidInput` naming the field, so the CLI and the
    API refuse the same input for the same reason.
    """
    try:
        return model.model_validate({k: v for k, v in data.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first.get("loc", ())) or "input"
        raise InvalidInput(
            first.get("msg", "invalid value"), code="input.invalid", field=field,
            rule="the input must match the published schema",
        ) from None


def parse_date(text: str | None, *, field: str) -> dt.date | None:
    """An ISO date typed at the command line, or None."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a date written YYYY-MM-DD", code="date.format",
                           field=field, rule="dates are written YYYY-MM-DD") from None


def as_of_or_today(text: str | None) -> dt.date:
    """The date a command acts on: ``--as-of`` or today."""
    return parse_date(text, field="as_of") or clock.today()
