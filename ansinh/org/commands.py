"""``ansinh org``: load and look up the administrative map from the command line.

Dates default to today, read here at the edge; the services take them as arguments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated

import typer
from rich.table import Table

from ansinh.cli_support import console, handles_errors, open_uow
from ansinh.core import clock
from ansinh.org import service
from ansinh.org.models import AdminLevel
from ansinh.org.units import UnitInfo

app = typer.Typer(
    help="Administrative map: provinces and communes, before and after the 2025 reform.",
    no_args_is_help=True,
)

DATE_FORMATS = ["%Y-%m-%d"]
OnOption = Annotated[
    dt.datetime | None,
    typer.Option("--on", formats=DATE_FORMATS, help="Date the map is read on (default today)."),
]


def _day(value: dt.datetime | None) -> dt.date:
    return value.date() if value is not None else clock.today()


def _until(value: dt.date | None) -> str:
    return value.isoformat() if value else "—"


def _units_table(title: str, units: Sequence[UnitInfo]) -> Table:
    """Units with the dates they are in force."""
    table = Table(title=title)
    for column in ("code", "name", "type", "from", "to"):
        table.add_column(column)
    for unit in units:
        table.add_row(
            unit.code, unit.name, unit.division_type, unit.valid_from.isoformat(), _until(unit.valid_to)
        )
    return table


@app.command("load-map")
@handles_errors
def load_map() -> None:
    """Store the provinces, communes and successions not stored yet (safe to run again)."""
    summary = service.load_admin_map(uow=open_uow())
    console.print(
        f"Inserted {summary.provinces_inserted} provinces, {summary.districts_inserted} districts, "
        f"{summary.communes_inserted} communes and {summary.successions_inserted} successions; "
        f"the map now holds {summary.units_total} units "
        f"and {summary.successions_total} successions."
    )


@app.command()
@handles_errors
def provinces(on: OnOption = None) -> None:
    """List the provinces in force on a date (63 until 2025-06-30, 34 from 2025-07-01)."""
    day = _day(on)
    units = service.list_provinces(uow=open_uow(), on=day)
    console.print(_units_table(f"Provinces on {day.isoformat()} ({len(units)})", units))


@app.command()
@handles_errors
def communes(
    on: OnOption = None,
    province: Annotated[str | None, typer.Option(help="Two-digit province code.")] = None,
    query: Annotated[
        str | None, typer.Option(help="Name (diacritics optional) or code prefix.")
    ] = None,
    limit: Annotated[int, typer.Option(help="Most rows to show.")] = 50,
) -> None:
    """List or search the communes in force on a date, in a province if given."""
    day = _day(on)
    found = service.list_communes(
        uow=open_uow(), on=day, province_code=province, query=query, limit=limit
    )
    table = Table(title=f"Communes on {day.isoformat()} ({len(found)} shown)")
    for column in ("code", "name", "type", "province"):
        table.add_column(column)
    for commune in found:
        table.add_row(
            commune.code, commune.name, commune.division_type,
            f"{commune.province_code} {commune.province_name}",
        )
    console.print(table)


@app.command("successors")
@handles_errors
def successors_command(
    code: Annotated[str, typer.Argument(help="Code of the unit as read on --from.")],
    from_: Annotated[
        dt.datetime, typer.Option("--from", formats=DATE_FORMATS, help="Date the code is read on.")
    ],
    to: Annotated[
        dt.datetime, typer.Option("--to", formats=DATE_FORMATS, help="Date to answer for.")
    ],
    level: Annotated[AdminLevel, typer.Option(help="Level of the unit.")] = AdminLevel.PROVINCE,
) -> None:
    """Show the unit(s) in force on --to that a code read on --from has become (or came from)."""
    units = service.successors(
        uow=open_uow(), level=level, code=code, on_before=from_.date(), on_after=to.date()
    )
    title = f"{level.value} {code} read on {from_.date().isoformat()}, on {to.date().isoformat()}"
    console.print(_units_table(title, units))
    if not units:
        console.print("No unit is in force on that date in its place.")
