"""``ansinh org``: the administrative map and the offices from the command line.

``load-map``, ``provinces``, ``communes`` and ``successors`` read the map; ``load-offices``,
``offices``, ``office`` and ``restructure`` the offices (docs/offices.md).

Dates default to today, read here at the edge; the services take them as arguments.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.tree import Tree

from ansinh.cli_support import console, handles_errors, open_uow
from ansinh.core import clock
from ansinh.org import service
from ansinh.org.models import AdminLevel, OfficeKind
from ansinh.org.service import OfficeInfo, OfficeNode, RestructureResult
from ansinh.org.units import UnitInfo

app = typer.Typer(
    help="Administrative map and offices: provinces and communes, offices on a date, restructuring.",
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


# ----------------------------------------------------------------------------- offices

@app.command("load-offices")
@handles_errors
def load_offices_command(
    through: Annotated[dt.datetime | None, typer.Option(
        "--through", formats=DATE_FORMATS, help="Apply only the seed plans in effect by this date.")] = None,
) -> None:
    """Store the VSS offices as seed plans (after load-map; safe to run again)."""
    from ansinh.audit.actors import cli_actor

    summary = service.load_offices(uow=open_uow(), applied_by=cli_actor(),
                                   through=through.date() if through else None)
    console.print(f"Applied {len(summary.applied)} plan(s) ({', '.join(summary.applied) or 'none'}); "
                  f"{len(summary.already_applied)} already applied.")


def _office_row(office: OfficeInfo) -> tuple[str, ...]:
    return (office.code, office.name, office.kind.value, office.valid_from.isoformat(), _until(office.valid_to))


def _add_nodes(branch: Tree, nodes: Sequence[OfficeNode]) -> None:
    for node in nodes:
        _add_nodes(branch.add(f"{node.office.code}  {node.office.name}"), node.children)


@app.command("offices")
@handles_errors
def offices_command(
    on: OnOption = None,
    tree: Annotated[bool, typer.Option("--tree", help="Show the hierarchy.")] = False,
    kind: Annotated[OfficeKind | None, typer.Option(help="Only offices of this kind.")] = None,
) -> None:
    """List the offices in force on a date (or show them as a tree)."""
    day = _day(on)
    if tree:
        view = Tree(f"Offices on {day.isoformat()}")
        _add_nodes(view, service.office_tree(uow=open_uow(), on=day))
        console.print(view)
        return
    found = service.offices_on(uow=open_uow(), on=day, kind=kind)
    table = Table(title=f"Offices on {day.isoformat()} ({len(found)})")
    for column in ("code", "name", "kind", "from", "to"):
        table.add_column(column)
    for office in found:
        table.add_row(*_office_row(office))
    console.print(table)


@app.command("office")
@handles_errors
def office_command(
    code: Annotated[str, typer.Argument(help="Office code, e.g. P34-01.")], on: OnOption = None,
) -> None:
    """Show an office on a date: its parent, areas, offices under it and its lineage."""
    day = _day(on)
    detail = service.get_office(uow=open_uow(), code=code, on=day)
    office = detail.office
    state = "in force" if detail.in_force else "NOT in force"
    console.print(f"[bold]{office.code}[/bold] {office.name} ({office.name_en})")
    console.print(f"{office.kind.value}, {state} on {day.isoformat()}; in force {office.valid_from.isoformat()}"
                  f" to {_until(office.valid_to)}; parent {detail.parent.code if detail.parent else '—'}")
    console.print(f"source: {office.source}")
    console.print(_units_table(f"Areas on {day.isoformat()} ({len(detail.areas)})", detail.areas))
    if detail.children:
        console.print(f"Offices under it ({len(detail.children)}): " + ", ".join(c.code for c in detail.children))
    for label, links in (("Came from", detail.predecessors), ("Went into", detail.successors)):
        grouped: dict[tuple[str, dt.date], list[str]] = {}
        for link in links:
            grouped.setdefault((link.change, link.effective_on), []).append(link.office.code)
        for (change, day_of), codes in sorted(grouped.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            console.print(f"{label} ({change}, {day_of.isoformat()}): {_listing(codes)}")


def _moves_tables(result: RestructureResult) -> list[Table]:
    areas = Table(title="Areas")
    for column in ("from", "to", "units", "e.g."):
        areas.add_column(column)
    for move in result.areas:
        areas.add_row(move.from_office or "—", move.to_office or "—", str(move.count), "; ".join(move.examples))
    moved = Table(title="Open work and staff")
    for column in ("from", "to", "work items", "postings"):
        moved.add_column(column)
    staff = Counter((s.from_office, s.to_office) for s in result.staff)
    work = {(w.from_office, w.to_office): len(w.items) for w in result.work}
    for pair in sorted(staff.keys() | work.keys()):
        moved.add_row(pair[0], pair[1], str(work.get(pair, 0)), str(staff.get(pair, 0)))
    return [areas, moved]


@app.command("restructure")
@handles_errors
def restructure_command(
    plan_file: Annotated[Path, typer.Argument(help="The plan, a YAML file (see docs/offices.md).")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would move; write nothing.")] = False,
) -> None:
    """Apply a restructuring plan on its date: close, open and link offices, move areas, staff and work."""
    from ansinh.audit.actors import cli_actor

    plan = service.read_plan_file(plan_file)
    result = service.restructure(uow=open_uow(), plan=plan, actor=cli_actor(), dry_run=dry_run,
                                 applied_on=clock.today(), at=None if dry_run else clock.now())
    verb = "would take" if dry_run else "takes"
    if result.already_applied:
        console.print(f"Plan [bold]{result.key}[/bold] was already applied (by {result.applied_by}); "
                      "nothing changed. What it did:")
    else:
        console.print(f"{'Dry run: nothing written. ' if dry_run else ''}Plan [bold]{result.key}[/bold] "
                      f"{verb} effect on {result.effective_on.isoformat()}:")
    console.print(f"  offices closed ({len(result.offices_closed)}): {_listing(result.offices_closed)}")
    console.print(f"  offices opened ({len(result.offices_opened)}): {_listing(result.offices_opened)}")
    areas, moved = _moves_tables(result)
    console.print(areas)
    console.print(moved if moved.row_count else "No open work and no staff to move.")


def _listing(codes: Sequence[str], most: int = 12) -> str:
    shown = ", ".join(codes[:most])
    return shown + (f" … and {len(codes) - most} more" if len(codes) > most else "") if codes else "—"
