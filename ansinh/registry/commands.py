"""``ansinh people`` and ``ansinh employers``: the registry at the command line.

Every command acts as the login running it (:func:`ansinh.audit.actors.cli_actor`) at the
clock's time, read here: what it changes or shows is in the audit log under that name.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ansinh.audit.actors import cli_actor
from ansinh.cli_support import (
    as_of_or_today,
    console,
    handles_errors,
    open_uow,
    parse_date,
    parse_input,
)
from ansinh.core import clock
from ansinh.registry import deaths, duplicates, service
from ansinh.registry.models import DuplicateStatus
from ansinh.registry.schemas import (
    DeathNoticeIn,
    EmployerCreate,
    ParticipationCreate,
    PersonCreate,
    PersonPublic,
)

people_app = typer.Typer(help="Insured people: register, find, show history.", no_args_is_help=True)
employers_app = typer.Typer(help="Employers (contributing units).", no_args_is_help=True)

AsOfOption = Annotated[str | None, typer.Option("--as-of", help="Date acted on, YYYY-MM-DD (default today).")]


def _print_person(person: PersonPublic) -> None:
    table = Table(show_header=False, box=None)
    for label, value in (
        ("Name", person.full_name), ("Citizen ID", person.citizen_id),
        ("SI number", person.si_number or "-"), ("Born", person.birth_date.isoformat()),
        ("Sex", person.sex.value),
        ("Residence", f"{person.residence.name}, {person.residence.province_name}"),
        ("Household", person.household_code or "-"),
        ("Died", person.death_date.isoformat() if person.death_date else "-"),
    ):
        table.add_row(f"[bold]{label}[/bold]", value)
    console.print(table)


@people_app.command("register")
@handles_errors
def register_person(
    citizen_id: Annotated[str, typer.Option(help="12-digit personal ID.")],
    name: Annotated[str, typer.Option(help="Full name, with diacritics.")],
    birth_date: Annotated[str, typer.Option(help="YYYY-MM-DD.")],
    sex: Annotated[str, typer.Option(help="male or female.")],
    commune: Annotated[str, typer.Option(help="Residence commune code.")],
    si_number: Annotated[str | None, typer.Option(help="Legacy 10-digit SI number.")] = None,
    household: Annotated[str | None, typer.Option(help="Household code.")] = None,
    as_of: AsOfOption = None,
) -> None:
    """Register a person, checked against the population register."""
    data = parse_input(PersonCreate, citizen_id=citizen_id, full_name=name, birth_date=birth_date,
                       sex=sex, residence_commune_code=commune, si_number=si_number,
                       household_code=household)
    result = service.register_person(uow=open_uow(), data=data, as_of=as_of_or_today(as_of),
                                     actor=cli_actor(), at=clock.now())
    _print_person(result.person)
    if result.duplicate_flags:
        console.print(f"[yellow]Flagged as a possible duplicate: flags {result.duplicate_flags}[/yellow]")


@people_app.command("show")
@handles_errors
def show_person(key: Annotated[str, typer.Argument(help="Citizen ID or SI number.")]) -> None:
    """Show a person's identity."""
    _print_person(service.get_person(uow=open_uow(), key=key, actor=cli_actor(), at=clock.now()))


@people_app.command("search")
@handles_errors
def search_people(query: Annotated[str, typer.Argument(help="ID, SI number or name.")],
                  limit: int = 20) -> None:
    """Find people by citizen ID, SI number or name."""
    found = service.find_people(uow=open_uow(), query=query, limit=limit, actor=cli_actor(), at=clock.now())
    table = Table("Citizen ID", "SI number", "Name", "Born", "Province")
    for p in found.items:
        table.add_row(p.citizen_id, p.si_number or "-", p.full_name, p.birth_date.isoformat(), p.province_name)
    console.print(table)
    console.print(f"{found.count} found")


@people_app.command("history")
@handles_errors
def person_history(key: Annotated[str, typer.Argument(help="Citizen ID or SI number.")],
                   as_of: AsOfOption = None) -> None:
    """Show a person's participation periods and months covered."""
    file = service.person_file(uow=open_uow(), key=key, as_of=as_of_or_today(as_of), actor=cli_actor(),
                               at=clock.now())
    _print_person(file.person)
    table = Table("From", "To", "Employer", "Scheme", "Group", "Salary", "Months")
    for p in file.participations:
        table.add_row(p.start_month, p.end_month or "open", p.employer_name or "-", p.scheme.value,
                      p.hi_group_code, f"{p.monthly_salary:,}", str(p.months))
    console.print(table)
    console.print(f"{file.total_months} months covered")


@people_app.command("add-period")
@handles_errors
def add_period(
    key: Annotated[str, typer.Argument(help="Citizen ID or SI number.")],
    scheme: Annotated[str, typer.Option(help="compulsory, voluntary or hi_only.")],
    group: Annotated[str, typer.Option(help="HI participant group code, e.g. DN.")],
    start: Annotated[str, typer.Option("--from", help="First month, YYYY-MM.")],
    salary: Annotated[int, typer.Option(help="Declared monthly salary, đồng.")],
    end: Annotated[str | None, typer.Option("--to", help="Last month, YYYY-MM.")] = None,
    employer: Annotated[str | None, typer.Option(help="Employer unit code or tax code.")] = None,
    as_of: AsOfOption = None,
) -> None:
    """Record a period of participation."""
    data = parse_input(ParticipationCreate, employer_unit_code=employer, scheme=scheme,
                       hi_group_code=group, start_month=start, end_month=end, monthly_salary=salary)
    period = service.add_participation(uow=open_uow(), key=key, data=data, as_of=as_of_or_today(as_of),
                                       actor=cli_actor(), at=clock.now())
    console.print(f"Recorded period {period.id}: {period.start_month}..{period.end_month or 'open'}, "
                  f"{period.monthly_salary:,} đồng")


@people_app.command("duplicates")
@handles_errors
def list_duplicates(status: str = "open") -> None:
    """List likely duplicates for an officer to decide."""
    flags = duplicates.list_duplicate_flags(uow=open_uow(), status=DuplicateStatus(status), actor=cli_actor(),
                                            at=clock.now())
    table = Table("Flag", "Person", "Candidate", "Born", "Status")
    for f in flags:
        table.add_row(str(f.id), f"{f.person.full_name} {f.person.citizen_id}",
                      f"{f.candidate.full_name} {f.candidate.citizen_id}",
                      f.person.birth_date.isoformat(), f.status)
    console.print(table)


@people_app.command("decide-duplicate")
@handles_errors
def decide_duplicate(flag_id: int, decision: Annotated[str, typer.Argument(
        help="confirmed_distinct or confirmed_duplicate")], as_of: AsOfOption = None) -> None:
    """Decide whether a flagged pair is one person or two."""
    flag = duplicates.resolve_duplicate_flag(uow=open_uow(), flag_id=flag_id,
                                             decision=DuplicateStatus(decision),
                                             as_of=as_of_or_today(as_of), actor=cli_actor(), at=clock.now())
    console.print(f"Flag {flag.id}: {flag.status}")


@people_app.command("death-notice")
@handles_errors
def death_notice(citizen_id: str, death_date: str, as_of: AsOfOption = None) -> None:
    """Take a death notified by the population register."""
    data = parse_input(DeathNoticeIn, citizen_id=citizen_id,
                       death_date=parse_date(death_date, field="death_date"))
    result = deaths.receive_death_notice(uow=open_uow(), data=data, as_of=as_of_or_today(as_of),
                                         actor=cli_actor(), at=clock.now())
    note = " (already received)" if result.already_received else ""
    console.print(f"Death of {result.citizen_id} on {result.death_date}{note}; "
                  f"{result.periods_closed} period(s) closed")


@employers_app.command("register")
@handles_errors
def register_employer(
    tax_code: Annotated[str, typer.Option(help="10-digit tax code (optionally -NNN).")],
    name: Annotated[str, typer.Option(help="Registered name.")],
    commune: Annotated[str, typer.Option(help="Address commune code.")],
    region: Annotated[int, typer.Option(help="Minimum-wage region 1-4 of the workplace.")],
    sector: Annotated[str, typer.Option(help="Ownership sector, e.g. private.")],
    industry: Annotated[str, typer.Option(help="VSIC 2018 section letter A-U.")],
    unit_code: Annotated[str | None, typer.Option(help="Unit code (issued when omitted).")] = None,
    as_of: AsOfOption = None,
) -> None:
    """Register an employer."""
    data = parse_input(EmployerCreate, tax_code=tax_code, name=name, address_commune_code=commune,
                       wage_region=region, ownership_sector=sector, industry_code=industry,
                       unit_code=unit_code)
    employer = service.register_employer(uow=open_uow(), data=data, as_of=as_of_or_today(as_of),
                                         actor=cli_actor(), at=clock.now())
    console.print(f"Registered {employer.name} as unit {employer.unit_code}")


@employers_app.command("show")
@handles_errors
def show_employer(key: Annotated[str, typer.Argument(help="Unit code or tax code.")]) -> None:
    """Show an employer."""
    e = service.get_employer(uow=open_uow(), key=key)
    console.print(f"[bold]{e.name}[/bold] unit {e.unit_code} tax {e.tax_code}; "
                  f"{e.address.name}, {e.address.province_name}; region {e.wage_region}; "
                  f"{e.ownership_sector.value}; VSIC {e.industry_code}")


@employers_app.command("search")
@handles_errors
def search_employers(query: str, limit: int = 20) -> None:
    """Find employers by name, unit code or tax code."""
    found = service.find_employers(uow=open_uow(), query=query, limit=limit)
    table = Table("Unit", "Tax code", "Name", "Province", "Region")
    for e in found.items:
        table.add_row(e.unit_code, e.tax_code, e.name, e.address.province_name, str(e.wage_region))
    console.print(table)


__all__ = ["employers_app", "people_app"]
