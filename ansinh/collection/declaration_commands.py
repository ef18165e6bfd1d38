"""``ansinh declare FILE --employer UNIT``: hand in an employer's declaration file from the command line.

The file is read as the upload API reads it (:mod:`ansinh.collection.declaration_files`) and
declared under its key ``file:<sha256>``, so running the command twice on the same file
declares once and prints the first result. The command acts as the login running it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ansinh.audit.actors import cli_actor
from ansinh.cli_support import as_of_or_today, console, handles_errors, open_uow
from ansinh.collection.declaration_files import MAX_FILE_BYTES, read_declaration_file
from ansinh.collection.declaration_models import DeclarationSource
from ansinh.collection.declaration_schemas import DeclarationResult
from ansinh.collection.declarations import declare, rejection_report_csv
from ansinh.core import clock
from ansinh.core.errors import InvalidInput


def _read(path: Path) -> bytes:
    """The file's bytes, refused past the size limit without reading it all."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise InvalidInput(f"cannot read {path}: {error.strerror}", code="declaration.file", field="file",
                           rule="give a readable CSV or .xlsx file") from None
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput("the file is larger than 5 MB", code="declaration.file", field="file",
                           rule="a declaration file is at most 5 MB")
    return data


def print_result(result: DeclarationResult) -> None:
    """The summary, the months re-assessed and a table of the rejected lines."""
    console.print(f"Declaration {result.id} for {result.employer_unit_code} ({result.status.value}): "
                  f"{result.lines_total} lines, {result.lines_accepted} accepted, {result.lines_rejected} rejected, "
                  f"{result.back_dated_lines} back-dated", soft_wrap=True)
    if result.replayed:
        console.print(f"[yellow]This file was declared before ({result.key}); nothing was changed.[/yellow]",
                      soft_wrap=True)
    for month in result.reassessed:
        console.print(f"  {month.month:%Y-%m} re-assessed: {month.rows} participations, "
                      f"{month.total:+,} đồng".replace(",", "."))
    rejected = [line for line in result.lines if not line.accepted]
    if rejected:
        table = Table(title="Rejected lines")
        for column in ("line", "kind", "person", "code", "field", "reason"):
            table.add_column(column)
        for line in rejected:
            table.add_row(str(line.line_no), line.kind, line.person_key, line.error_code or "", line.error_field or "",
                          line.error_message or "")
        console.print(table)


@handles_errors
def declare_command(
    file: Annotated[Path, typer.Argument(help="CSV (UTF-8) or .xlsx in the layout of docs/declarations.md.")],
    employer: Annotated[str, typer.Option("--employer", help="The employer's unit code or tax code.")],
    all_or_nothing: Annotated[bool, typer.Option("--all-or-nothing",
                                                 help="One bad line rejects all; nothing changes.")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="The declaration's date, YYYY-MM-DD (today).")] = None,
    report: Annotated[Path | None, typer.Option("--report", help="Write the rejected lines to this CSV.")] = None,
) -> None:
    """Declare an employer's changes (joins, leavers, salaries, suspensions) from a file."""
    read = read_declaration_file(_read(file))
    result = declare(uow=open_uow(), employer_unit_code=employer, key=read.key, lines=read.lines,
                     source=DeclarationSource.FILE, as_of=as_of_or_today(as_of), actor=cli_actor(), at=clock.now(),
                     all_or_nothing=all_or_nothing, filename=file.name)
    print_result(result)
    if report is not None:
        report.write_bytes(rejection_report_csv(result))
        console.print(f"Rejection report written to {report}")
    if result.lines_accepted == 0:
        raise typer.Exit(code=1)
