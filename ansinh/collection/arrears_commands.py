"""``ansinh arrears`` and ``ansinh compliance``: arrears, interest, reminders and the risk list at a terminal.

- ``ansinh arrears ageing [--as-of DATE] [--limit N]``: unpaid dues by age, status, reason;
- ``ansinh arrears interest --through DATE``: charge interest through a day (again: nothing);
- ``ansinh arrears remind [--on DATE] [--min-days N] [--every-days N]``: the written reminders;
- ``ansinh arrears write-off --employer UNIT --decision REF --decided-on DATE --through YYYY-MM --reason TEXT``:
  record a decision writing off a debt;
- ``ansinh compliance risk [--as-of DATE] [--limit N]``: employers ranked by risk, with reasons.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.table import Table

from ansinh.cli_support import as_of_or_today, console, handles_errors, open_uow, parse_date
from ansinh.collection.arrears import ageing
from ansinh.collection.interest import charge_interest
from ansinh.collection.reminders import send_reminders
from ansinh.collection.risk import MAX_LIMIT, risk_list
from ansinh.collection.write_offs import write_off
from ansinh.core import clock
from ansinh.core.actor import SYSTEM
from ansinh.core.errors import InvalidInput
from ansinh.core.periods import parse_month

arrears_app = typer.Typer(help="Arrears: ageing, late-payment interest and written reminders.", no_args_is_help=True)
compliance_app = typer.Typer(help="Compliance: the risk list of employers.", no_args_is_help=True)
AsOfOption = Annotated[str | None, typer.Option("--as-of", help="The day read (YYYY-MM-DD; default today).")]
LimitOption = Annotated[int, typer.Option("--limit", help="Rows shown.")]


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _required_date(text: str, option: str) -> dt.date:
    day = parse_date(text, field=option)
    if day is None:
        raise InvalidInput("a date is required", code="date.format", field=option, rule="dates are written YYYY-MM-DD")
    return day


@arrears_app.command("ageing")
@handles_errors
def ageing_command(as_of: AsOfOption = None, limit: LimitOption = 50) -> None:
    """Every employer's unpaid dues by days past the deadline, unpaid interest and status."""
    day = as_of_or_today(as_of)
    report = ageing(uow=open_uow(), as_of=day, limit=limit)
    table = Table(title=f"Arrears on {day.isoformat()}: {report.employers} employers")
    table.add_column("unit")
    table.add_column("name")
    for column in ("not yet due", "1-30", "31-60", "61-90", "91-180", ">180", "interest"):
        table.add_column(column, justify="right")
    table.add_column("oldest")
    table.add_column("status")
    for row in report.rows:
        table.add_row(row.unit_code, row.name, *(_money(v) for v in (
            row.not_yet_due, row.days_1_30, row.days_31_60, row.days_61_90, row.days_91_180, row.over_180,
            row.interest_unpaid)), row.oldest_unpaid_month.strftime("%Y-%m") if row.oldest_unpaid_month else "",
            row.status)
    totals = report.totals
    table.add_row("", "Total", *(_money(totals[k]) for k in ("not_yet_due", "days_1_30", "days_31_60", "days_61_90",
                                                            "days_91_180", "over_180", "interest_unpaid")), "", "",
                  style="bold")
    console.print(table)
    for row in report.rows:
        if row.status != "current":
            console.print(f"{row.unit_code} {row.status}: {row.reason} ({row.legal_basis})", soft_wrap=True)


@arrears_app.command("interest")
@handles_errors
def interest_command(through: Annotated[str, typer.Option("--through", help="The last day charged, YYYY-MM-DD.")],
                     ) -> None:
    """Charge late-payment interest on every unpaid balance through a day; running it again changes nothing."""
    summary = charge_interest(uow=open_uow(), through=_required_date(through, "--through"), actor=SYSTEM,
                              at=clock.now())
    if summary.already_run:
        console.print(f"[yellow]{summary.key} was already run; nothing was changed.[/yellow]")
    console.print(f"{summary.key}: {summary.rows} charges, {summary.employers} employers, "
                  f"{_money(summary.total)} đồng", soft_wrap=True)
    for fund, amount in summary.funds.items():
        console.print(f"  {fund}: {_money(amount)} đồng")
    if summary.note:
        console.print(f"[dim]{summary.note}[/dim]", soft_wrap=True)


@arrears_app.command("remind")
@handles_errors
def remind_command(on: Annotated[str | None, typer.Option("--on", help="The day sent (default today).")] = None,
                   min_days: Annotated[int, typer.Option("--min-days", help="Days past the deadline.")] = 1,
                   every_days: Annotated[int, typer.Option("--every-days", help="Days between reminders.")] = 30,
                   ) -> None:
    """Send a written reminder to every employer in arrears not reminded recently."""
    day = parse_date(on, field="--on") or clock.today()
    summary = send_reminders(uow=open_uow(), on=day, actor=SYSTEM, at=clock.now(), min_days_overdue=min_days,
                             every_days=every_days)
    for sent in summary.sent:
        console.print(f"{sent.unit_code} {sent.name}: {_money(sent.unpaid)} đồng since {sent.oldest_month:%Y-%m}, "
                      f"interest {_money(sent.interest)} đồng ({sent.outbox_key})", soft_wrap=True)
    console.print(f"{len(summary.sent)} reminders written; {summary.skipped_recent} employers reminded in the last "
                  f"{every_days} days. `ansinh outbox deliver` sends them.", soft_wrap=True)


@arrears_app.command("write-off")
@handles_errors
def write_off_command(
    employer: Annotated[str, typer.Option("--employer", help="The employer's unit code.")],
    decision: Annotated[str, typer.Option("--decision", help="The decision's number, e.g. 12/QĐ-BHXH.")],
    decided_on: Annotated[str, typer.Option("--decided-on", help="The decision's date, YYYY-MM-DD.")],
    through: Annotated[str, typer.Option("--through", help="The last month written off, YYYY-MM.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the debt will not be collected.")],
) -> None:
    """Record a decision writing off an employer's unpaid dues and interest up to a month."""
    done = write_off(uow=open_uow(), employer_unit_code=employer, decision_ref=decision,
                     decided_on=_required_date(decided_on, "--decided-on"),
                     through=parse_month(through, field="--through"), reason=reason, actor=SYSTEM, at=clock.now())
    if done.already_recorded:
        console.print(f"[yellow]{done.decision_ref} was already recorded for {done.unit_code}; nothing was "
                      "changed.[/yellow]", soft_wrap=True)
    console.print(f"{done.unit_code}: {_money(done.contributions)} đồng of dues and {_money(done.interest)} đồng of "
                  f"interest written off by {done.decision_ref} ({len(done.months)} months; ledger {done.entry_key}). "
                  "The months are not credited to the workers.", soft_wrap=True)


@compliance_app.command("risk")
@handles_errors
def risk_command(as_of: AsOfOption = None, limit: LimitOption = 20) -> None:
    """Employers ranked by compliance risk score, highest first, with each reason."""
    day = as_of_or_today(as_of)
    ranked = risk_list(uow=open_uow(), as_of=day, limit=min(max(limit, 1), MAX_LIMIT))
    table = Table(title=f"Compliance risk on {day.isoformat()}: {ranked.total} employers")
    for column, justify in (("score", "right"), ("unit", "left"), ("name", "left"), ("overdue", "right"),
                            ("status", "left")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for row in ranked.rows:
        table.add_row(str(row.score), row.unit_code, row.name, _money(row.overdue), row.status)
    console.print(table)
    for row in ranked.rows:
        if row.reasons:
            console.print(f"{row.unit_code} ({row.score}):")
            for reason in row.reasons:
                console.print(f"  {reason.points:g} points: {reason.sentence_en}", soft_wrap=True)
