"""``ansinh serve`` and ``ansinh demo``: the web app on a database, or on a fresh demo country."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.table import Table
from sqlalchemy import Engine

from ansinh.accounts.demo_accounts import CENTRAL_OFFICER, DEMO_PASSWORD, DemoAccount, create_demo_accounts
from ansinh.accounts.roles import Role
from ansinh.audit.actors import cli_actor
from ansinh.cli_support import as_of_or_today, console, handles_errors
from ansinh.core import clock
from ansinh.core.settings import get_settings
from ansinh.db import migrate
from ansinh.db.engine import engine_for, make_engine
from ansinh.db.uow import UnitOfWork
from ansinh.registry.schemas import PersonSummary

DEMO_OUTBOX_SECONDS = 5.0
"""How often the demo's app sends its outbox."""
DEMO_DOSSIER_PEOPLE = 4
"""People whose dossiers the demo files at a counter, besides the demo citizen's own."""
DEMO_PROVINCES = ["01"]
"""Hà Nội: the demo is one provincial office's database, its people and its employers."""

Host = Annotated[str, typer.Option(help="Address to listen on.")]
Port = Annotated[int, typer.Option(help="Port to listen on.")]


def _serve(url: str, host: str, port: int) -> None:
    from ansinh.api.app import create_app

    engine = engine_for(url)
    console.print(f"\n[bold green]ansinh is serving at http://{host}:{port}/[/bold green]  "
                  f"(API: http://{host}:{port}/api/v1/docs; Ctrl-C to stop)")
    uvicorn.run(create_app(engine), host=host, port=port, log_level="warning")


@handles_errors
def serve(host: Host = "127.0.0.1", port: Port = 8000) -> None:
    """Serve the web app and the API on the configured database (ANSINH_DATABASE_URL)."""
    _serve(get_settings().database_url, host, port)


@handles_errors
def demo(
    people: Annotated[int, typer.Option(help="People in the synthetic population.")] = 30_000,
    province: Annotated[list[str] | None, typer.Option(
        help="Province(s) the demo office serves (codes in force); repeatable.")] = None,
    whole_country: Annotated[bool, typer.Option(help="Spread the people over all 34 provinces.")] = False,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic country.")] = 1,
    database: Annotated[Path, typer.Option(help="SQLite file to create (replaced).")] = Path("ansinh-demo.db"),
    as_of: Annotated[str | None, typer.Option("--as-of", help="Day the country is observed (default today).")] = None,
    host: Host = "127.0.0.1",
    port: Port = 8000,
    serve_app: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve the web app afterwards.")] = True,
) -> None:
    """Create a SQLite database, synthesise a province (or the country) into it, and serve the web app."""
    from ansinh.registry.queries import example_people
    from ansinh.synth.writer import synthesise

    started = time.perf_counter()
    day = as_of_or_today(as_of)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{database.resolve()}"
    console.print(f"Creating the demo database [bold]{database}[/bold] ...")
    migrate.upgrade(url)
    engine = make_engine(url)
    provinces = () if whole_country else (province or DEMO_PROVINCES)
    synthesise(engine=engine, people=people, seed=seed, as_of=day, progress=True, provinces=provinces)
    from ansinh.org.service import load_offices

    load_offices(uow=UnitOfWork(engine), applied_by="demo")  # after the map, which synthesise loads
    examples = example_people(uow=UnitOfWork(engine), limit=3 + DEMO_DOSSIER_PEOPLE)
    now = clock.now()
    accounts = create_demo_accounts(
        uow=UnitOfWork(engine), province_code=(provinces or DEMO_PROVINCES)[0],
        citizen_id=examples.items[0].citizen_id if examples.items else None, at=now, actor=cli_actor())
    if examples.items:
        filed = _seed_dossiers(engine, accounts, examples.items, now)
        console.print(f"Filed {filed} demo dossiers at different stages (see /officer/dossiers).")
    _run_collection_cycle(engine, day, accounts, seed)
    _assess_this_month(engine, day, now)
    engine.dispose()
    console.print(f"Demo country ready in {time.perf_counter() - started:.0f} s. People to look up:")
    for person in examples.items[:3]:
        console.print(f"  http://{host}:{port}/officer/people/{person.citizen_id}  {person.full_name}")
    _print_accounts(accounts, host, port)
    if serve_app:
        # The demo serves plain http on this machine, where a Secure cookie would not be sent back.
        get_settings().cookie_secure = False
        # The demo sends its outbox itself (through recording ports): messages show as sent.
        get_settings().outbox_interval_seconds = DEMO_OUTBOX_SECONDS
        _serve(url, host, port)


def _seed_dossiers(engine: Engine, accounts: list[DemoAccount], people: list[PersonSummary],
                   now: dt.datetime) -> int:
    """File the demo's dossiers as its citizen and officers (see services.demo_dossiers)."""
    from ansinh.services.demo_dossiers import DemoDesk, seed_demo_dossiers

    officers = [a for a in accounts if a.role == Role.OFFICER]
    citizen = next(a for a in accounts if a.role == Role.CITIZEN)
    away = next(a for a in officers[1:] if a.username != CENTRAL_OFFICER)
    desk = DemoDesk(citizen=citizen.username, officer=officers[0].username, away_officer=away.username,
                    password=DEMO_PASSWORD)
    return seed_demo_dossiers(uow=UnitOfWork(engine), desk=desk, citizen=people[0], others=people[1:],
                              today=now.date(), now=now)


def _run_collection_cycle(engine: Engine, day: dt.date, accounts: list[DemoAccount], seed: int) -> None:
    """The three months before the day through the contribution cycle (see collection.demo_cycle)."""
    from ansinh.collection.demo_cycle import run_demo_cycle

    employer = next((a.where for a in accounts if a.role == Role.EMPLOYER), None)
    cycle = run_demo_cycle(engine=engine, day=day, demo_employer=employer, actor=cli_actor(), seed=seed)
    console.print(f"Contribution cycle {cycle.months[0]} to {cycle.months[-1]}: {cycle.assessed_rows:,} "
                  f"employee-months assessed, {cycle.orders:,} payment orders, {cycle.transactions:,} bank "
                  f"transactions ({cycle.matched:,} matched, {cycle.unmatched:,} left for the accountant), "
                  f"{cycle.allocated:,} đồng allocated, {cycle.interest:,} đồng late-payment interest, "
                  f"{cycle.reminders:,} reminders.")
    for declaration, accepted, rejected in cycle.declarations:
        console.print(f"  {employer} declaration {declaration}: {accepted} line(s) accepted, {rejected} rejected "
                      f"(/employer/declarations/{declaration}).")
    if cycle.back_dated_months:
        console.print(f"  A back-dated raise re-assessed {cycle.back_dated_months} month(s) already assessed.")
    for unit_code, score, status in cycle.riskiest:
        console.print(f"  Risk list: {unit_code} scores {score} ({status}); see /inspector/risk.")


def _assess_this_month(engine: Engine, day: dt.date, now: dt.datetime) -> None:
    """The month's contribution assessment, as the monthly cycle runs it (``ansinh assess``)."""
    from ansinh.collection.assessment import assess_month

    month = day.replace(day=1)
    summary = assess_month(uow=UnitOfWork(engine), month=month, actor=cli_actor(), at=now)
    console.print(f"Assessed {month:%Y-%m}: {summary.rows:,} participations, {summary.total:,} đồng due "
                  f"(ansinh ledger trial-balance --from {month} shows the books).")


def _print_accounts(accounts: list[DemoAccount], host: str, port: int) -> None:
    table = Table(title=f"Demo accounts (password for all: {DEMO_PASSWORD})")
    for column in ("username", "role", "office or link"):
        table.add_column(column)
    for account in accounts:
        table.add_row(account.username, account.role.value, account.where)
    console.print(table)
    console.print(f"Sign in at http://{host}:{port}/signin (citizens: http://{host}:{port}/signin/citizen)")
