"""``ansinh procedures``: the public-service catalogue from the command line.

``list`` prints the catalogue (filtered by domain or applicant); ``show`` one procedure in
full. An unknown code ends with exit code 1 and a message naming ``code``.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ansinh.cli_support import console, handles_errors
from ansinh.services.catalogue import get_procedure, list_procedures
from ansinh.services.schemas import Applicant, Domain, ProcedurePublic, Status

app = typer.Typer(help="The public-service procedures: what each asks for and produces.", no_args_is_help=True)


def _days(days: int | None) -> str:
    return "—" if days is None else str(days)


@app.command("list")
@handles_errors
def list_command(
    domain: Annotated[Domain | None, typer.Option(help="Only this field of work.")] = None,
    applicant: Annotated[Applicant | None, typer.Option(help="Only what this applicant may file.")] = None,
) -> None:
    """List the procedures: code, name, applicants, deadline, any office, availability."""
    items = list_procedures(domain=domain, applicant=applicant)
    table = Table(title=f"Procedures ({len(items)})")
    table.add_column("code", no_wrap=True)
    for column in ("name", "applicants", "days", "any office", "availability"):
        table.add_column(column)
    for item in items:
        table.add_row(
            item.code, item.name_vi, ", ".join(a.value for a in item.applicants),
            _days(item.deadline_working_days), "yes" if item.any_office else "no",
            "available" if item.availability == Status.AVAILABLE else "not yet",
        )
    console.print(table)


def _print_procedure(procedure: ProcedurePublic) -> None:
    console.print(f"[bold]{procedure.code}[/bold] {procedure.name_vi}")
    console.print(f"  {procedure.name_en}")
    national = procedure.national_code or "not known"
    console.print(f"  domain {procedure.domain.value}; national code {national}; online {procedure.online_level.value}")
    console.print(f"  applicants: {', '.join(a.value for a in procedure.applicants)}; "
                  f"any office: {'yes' if procedure.any_office else 'no'}")
    console.print(f"  deadline: {_days(procedure.deadline_working_days)} working days"
                  + (f" ({procedure.deadline_basis})" if procedure.deadline_basis else ""))
    if procedure.deadline_note:
        console.print(f"    {procedure.deadline_note}")
    console.print("  data: " + ", ".join(
        f"{name}{'*' if name in procedure.data_schema.get('required', []) else ''}"
        for name in procedure.data_schema["properties"]))
    for document in procedure.documents:
        console.print(f"  document {'(required)' if document.required else '(if any)'}: {document.name_vi}")
    for held in procedure.documents_not_asked:
        console.print(f"  not asked: {held.name_vi} — {held.why}")
    console.print(f"  result: {procedure.result.name_vi} ({procedure.result.kind.value})")
    availability = procedure.availability
    where = f", to be built in {availability.area.value}" if availability.area else ""
    console.print(f"  availability: {availability.status.value}{where}; verb {procedure.service_verb or '—'}")
    console.print(f"  legal basis: {'; '.join(procedure.legal_basis)}")
    console.print(f"  evidence {procedure.evidence.tag}: {'; '.join(procedure.evidence.sources)}")
    if procedure.evidence.unverified:
        console.print(f"  unverified: {', '.join(procedure.evidence.unverified)}")


@app.command("show")
@handles_errors
def show_command(code: Annotated[str, typer.Argument(help="Procedure code, e.g. 630 or AS-PENSION.")]) -> None:
    """Show one procedure in full."""
    _print_procedure(get_procedure(code))
