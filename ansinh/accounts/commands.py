"""``ansinh accounts``: open accounts, post staff to offices, issue facility API keys, list them.

The command line is the administrator's tool on the server; what it does is audited as the
operating-system user who ran it (``cli:<user>``).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ansinh.accounts import service
from ansinh.accounts.models import AccountKind
from ansinh.accounts.roles import Role
from ansinh.audit.actors import cli_actor
from ansinh.cli_support import console, handles_errors, open_uow, parse_date
from ansinh.core import clock
from ansinh.registry.lookups import employer_by_key, person_by_key

app = typer.Typer(help="Accounts, staff postings and API keys.", no_args_is_help=True)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return typer.get_text_stream("stdin").readline().rstrip("\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@app.command()
@handles_errors
def create(
    username: Annotated[str, typer.Argument(help="Sign-in name; a citizen's is their 12-digit ID.")],
    kind: Annotated[AccountKind, typer.Option(help="staff, employer, facility, citizen or portal.")],
    name: Annotated[str, typer.Option(help="Name shown on pages.")],
    citizen_id: Annotated[str | None, typer.Option(help="The person a citizen account belongs to.")] = None,
    employer: Annotated[str | None, typer.Option(help="Unit or tax code of an employer account's employer.")] = None,
    facility: Annotated[str | None, typer.Option(help="Facility code of a health facility's account.")] = None,
    password_stdin: Annotated[bool, typer.Option(help="Read the password from standard input.")] = False,
) -> None:
    """Open an account (asks for its password)."""
    uow = open_uow()
    with uow:
        person_id = person_by_key(uow.session, citizen_id, field="citizen_id").id if citizen_id else None
        employer_id = employer_by_key(uow.session, employer, field="employer").id if employer else None
    account_id = service.create_account(
        uow=uow, username=username, kind=kind, display_name=name, password=_password(password_stdin),
        person_id=person_id, employer_id=employer_id, facility_code=facility, actor=cli_actor(), at=clock.now())
    console.print(f"Account [bold]{username}[/bold] opened (id {account_id}).")


@app.command()
@handles_errors
def post(
    username: Annotated[str, typer.Argument(help="A staff account.")],
    office: Annotated[str, typer.Option(help="Office code, e.g. P34-01.")],
    role: Annotated[Role, typer.Option(help="Staff role held there.")],
    start: Annotated[str | None, typer.Option("--from", help="First day (default today).")] = None,
) -> None:
    """Post a staff account to a role at an office."""
    valid_from = parse_date(start, field="from") or clock.today()
    service.add_posting(uow=open_uow(), username=username, office_code=office, role=role, valid_from=valid_from,
                        actor=cli_actor(), at=clock.now())
    console.print(f"{username} is {role.value} at {office} from {valid_from.isoformat()}.")


@app.command("api-key")
@handles_errors
def api_key(
    username: Annotated[str, typer.Argument(help="A health facility's account.")],
    label: Annotated[str, typer.Option(help="What the key is for, e.g. the HIS system's name.")],
) -> None:
    """Issue an API key to a facility's machine client (shown once)."""
    secret = service.issue_api_key(uow=open_uow(), username=username, label=label, now=clock.now(),
                                   actor=cli_actor())
    console.print(f"API key for {username} ({label}), shown once: [bold]{secret}[/bold]")


@app.command("list")
@handles_errors
def list_accounts() -> None:
    """Accounts and the postings they hold today."""
    table = Table(title=f"Accounts on {clock.today().isoformat()}")
    for column in ("username", "kind", "name", "postings", "locked"):
        table.add_column(column)
    for account in service.list_accounts(uow=open_uow(), on=clock.today()):
        table.add_row(account.username, account.kind, account.display_name, ", ".join(account.postings),
                      "yes" if account.locked else "")
    console.print(table)
