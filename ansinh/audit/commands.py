"""``ansinh audit``: verify the audit log's hash chain, list events, print the head to anchor."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Column, Table

from ansinh.audit import service
from ansinh.cli_support import console, err_console, handles_errors, open_uow
from ansinh.core.errors import InvalidInput

app = typer.Typer(help="The tamper-evident audit log: verify, list, head.", no_args_is_help=True)

DIGEST_LENGTH = 64


def parse_anchor(text: str) -> tuple[int, str]:
    """``seq:digest`` as ``ansinh audit head`` prints it."""
    seq, _, digest = text.strip().partition(":")
    if not seq.isdigit() or len(digest) != DIGEST_LENGTH or any(c not in "0123456789abcdefABCDEF" for c in digest):
        raise InvalidInput(f"{text!r} is not SEQ:DIGEST", code="audit.anchor", field="anchor",
                           rule="an anchor is an event number, a colon and its 64-hex-digit digest")
    return int(seq), digest.lower()


def parse_record(text: str) -> tuple[str, str | None]:
    """``TYPE:ID`` (or ``TYPE`` for every record of that type)."""
    record_type, colon, record_id = text.strip().partition(":")
    if not record_type or (colon and not record_id):
        raise InvalidInput(f"{text!r} is not TYPE:ID", code="audit.record", field="record",
                           rule="a record is named TYPE:ID, e.g. person:42, or TYPE alone")
    return record_type, record_id or None


@app.command("verify")
@handles_errors
def verify(
    anchor: Annotated[list[str] | None, typer.Option(
        help="SEQ:DIGEST published earlier by `ansinh audit head`; repeatable.")] = None,
) -> None:
    """Recompute every digest; exit 1 naming the first missing, altered or unlinked event."""
    anchors = dict(parse_anchor(a) for a in anchor or [])
    result = service.verify(uow=open_uow(), anchors=anchors)
    if not result.ok:
        err_console.print(f"[red]Audit log broken at event {result.first_bad_seq}:[/red] {result.problem}")
        err_console.print(f"  {result.checked} event(s) before it are sound")
        raise typer.Exit(code=1)
    chain = service.head(uow=open_uow())
    anchored = f", {len(anchors)} anchor(s) matched" if anchors else ""
    console.print(f"Audit log intact: {result.checked} event(s) verified{anchored}; head {chain.anchor()}")


@app.command("list")
@handles_errors
def list_events(
    record: Annotated[str | None, typer.Option(help="TYPE:ID (e.g. person:42) or TYPE.")] = None,
    actor: Annotated[str | None, typer.Option(help="Username, e.g. cli:root or system.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=service.MAX_LIST, help="Most events shown.")] = 50,
) -> None:
    """The latest events, newest first."""
    record_type, record_id = parse_record(record) if record else (None, None)
    found = service.events(uow=open_uow(), record_type=record_type, record_id=record_id, actor=actor,
                           limit=limit)
    table = Table("Seq", Column("When (UTC)", no_wrap=True), "Who", Column("Action", no_wrap=True),
                  Column("Record", no_wrap=True), Column("Detail", overflow="fold"))
    for e in found:
        who = ", ".join(part for part in (e.actor, e.role, e.office_code) if part)
        detail = json.dumps(e.detail, ensure_ascii=False, separators=(", ", ": ")) if e.detail else ""
        if e.reason:
            detail = f"why: {e.reason}; {detail}"
        table.add_row(str(e.seq), e.occurred_at[:16].replace("T", " "), who, e.action,
                      f"{e.record_type}:{e.record_id}", detail)
    console.print(table)
    console.print(f"{len(found)} event(s)")


@app.command("head")
@handles_errors
def print_head() -> None:
    """Print the chain's head as SEQ:DIGEST, to publish outside the database."""
    typer.echo(service.head(uow=open_uow()).anchor())


__all__ = ["app", "parse_anchor", "parse_record"]
