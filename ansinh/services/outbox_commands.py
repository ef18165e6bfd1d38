"""``ansinh outbox``: send what is due, look at the queue, re-queue a dead message.

``deliver`` sends through the configured ports (docs/outbox.md): a channel without
settings records its messages instead of sending them. Run it from a timer (every minute
is plenty); two runs at once never send a message twice in the same attempt.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.table import Table

from ansinh.cli_support import console, handles_errors, open_uow
from ansinh.core import clock
from ansinh.core.settings import get_settings
from ansinh.services import outbox
from ansinh.services.models import OutboxChannel, OutboxStatus
from ansinh.services.ports import configured_ports

outbox_app = typer.Typer(help="Messages to applicants and the national portal: send, list, re-queue.",
                         no_args_is_help=True)


@outbox_app.command("deliver")
@handles_errors
def deliver_command(
    limit: Annotated[int, typer.Option(min=1, help="At most this many messages in this run.")] = 100,
) -> None:
    """Send the messages that are due now; failures wait and are retried by a later run."""
    report = outbox.deliver_due(uow=open_uow(), ports=configured_ports(get_settings()), at=clock.now(),
                                limit=limit)
    console.print(f"Sent {report.sent}, to retry {report.retrying}, given up {report.dead}.")


def _when(value: dt.datetime | None) -> str:
    """An instant in Vietnam time, the time the offices work in."""
    return "—" if value is None else f"{value.astimezone(clock.VIETNAM):%Y-%m-%d %H:%M}"


@outbox_app.command("list")
@handles_errors
def list_command(
    status: Annotated[OutboxStatus | None, typer.Option(help="Only messages in this status.")] = None,
    dossier: Annotated[int | None, typer.Option(help="Only the messages of this dossier id.")] = None,
    channel: Annotated[OutboxChannel | None, typer.Option(help="Only this channel.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first.")] = 50,
) -> None:
    """List messages, newest first: what each is for, where it goes, its attempts and last error."""
    items = outbox.messages(uow=open_uow(), dossier_id=dossier, channel=channel, status=status, limit=limit)
    table = Table(title=f"Outbox messages ({len(items)})")
    for column in ("id", "key", "channel", "recipient", "status", "attempts", "next / sent", "last error"):
        table.add_column(column, no_wrap=column in {"id", "key", "status"})
    for item in items:
        table.add_row(
            str(item.id), item.key, item.channel.value, item.recipient, item.status.value, str(item.attempts),
            _when(item.sent_at if item.status == OutboxStatus.SENT else item.next_attempt_at),
            item.last_error or "",
        )
    console.print(table)


@outbox_app.command("requeue")
@handles_errors
def requeue_command(message_id: Annotated[int, typer.Argument(help="The id of a dead message.")]) -> None:
    """Put a dead message back in the queue, due now, after the cause of its failures is fixed."""
    outbox.requeue(uow=open_uow(), message_id=message_id, at=clock.now())
    console.print(f"Message {message_id} is queued again, due now.")
