"""``ansinh dossiers``: a dossier's whereabouts, and the dossiers running late, from the command line.

``track`` answers as the public tracking page does (receipt code and citizen ID, nothing
else); ``due`` lists the open dossiers overdue or due soon across offices, for whoever
supervises the deadlines. Both read only.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ansinh.cli_support import as_of_or_today, console, handles_errors, open_uow
from ansinh.org.directory import resolve_office
from ansinh.services import calendar, views

app = typer.Typer(help="Dossiers: where one is, and which are running late.", no_args_is_help=True)
OnOption = Annotated[str | None, typer.Option("--on", help="Day to judge deadlines on (default today).")]


@app.command("track")
@handles_errors
def track_command(
    receipt: Annotated[str, typer.Argument(help="The receipt code, e.g. HS2611240000123.")],
    citizen_id: Annotated[str, typer.Argument(help="The citizen ID the dossier was filed for.")],
    on: OnOption = None,
) -> None:
    """Where a dossier is: status, office, due date and the dates of its steps."""
    found = views.track(uow=open_uow(), receipt_code=receipt, citizen_id=citizen_id, on=as_of_or_today(on))
    console.print(f"[bold]{found.receipt_code}[/bold] {found.procedure_name_vi}")
    console.print(f"  status {found.status.value}; office {found.office_name or '—'}")
    console.print(f"  received {found.received_on or '—'}; due {found.due_on or '—'}"
                  + (f"; {found.deadline_status.value}" if found.deadline_status else "")
                  + ("" if found.on_time is None else ("; decided on time" if found.on_time else "; decided late")))
    for step in found.steps:
        console.print(f"  {step.day}  {step.status.value}")


@app.command("due")
@handles_errors
def due_command(
    on: OnOption = None,
    office: Annotated[str | None, typer.Option(help="Only the dossiers this office holds.")] = None,
    within: Annotated[int, typer.Option(min=0, max=30, help="Working days that count as due soon.")] = (
        calendar.DEFAULT_DUE_SOON),
) -> None:
    """Open dossiers overdue or due soon, most urgent first."""
    day = as_of_or_today(on)
    uow = open_uow()
    office_id = resolve_office(uow=uow, code=office, on=day, field="office").id if office else None
    rows = views.due_dossiers(uow=uow, on=day, office_id=office_id, within=within)
    table = Table(title=f"Dossiers overdue or due within {within} working days, on {day} ({len(rows)})")
    table.add_column("receipt", no_wrap=True, min_width=15)
    for column in ("procedure", "status", "due", "deadline", "assignee", "received at"):
        table.add_column(column)
    for row in rows:
        table.add_row(row.receipt_code or "—", row.procedure_code, row.status.value, str(row.due_on or "—"),
                      row.deadline_status.value if row.deadline_status else "—", row.assignee or "—",
                      row.receiving_office.code)
    console.print(table)
