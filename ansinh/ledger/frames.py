"""Posting many entries given as two Polars frames: the national runs' way into the ledger.

The monthly assessment posts one entry per employer, hundreds of thousands in a run. Built
as Pydantic objects and checked line by line, that costs more than everything else the run
does; here the same rules are checked on whole columns and the lines are written with
:func:`ansinh.db.bulk.write_frame` (COPY on PostgreSQL). The rules are those of
:mod:`ansinh.ledger.service`, with the same error codes:

- every line has one positive side (``ledger.amount``), on an account of the chart
  (``ledger.unknown_account``) that allows the line's fund (``ledger.fund``);
- every entry has at least two lines (``ledger.too_few_lines``), and its debits equal its
  credits in total (``ledger.unbalanced``) and within each fund (``ledger.unbalanced_fund``);
- an entry key already written is skipped when its content is the same, and refuses the
  batch otherwise (``ledger.key_reused``).
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from sqlalchemy import text
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from ansinh.audit.service import record_event
from ansinh.core.actor import Actor
from ansinh.core.errors import InvalidInput
from ansinh.db import bulk
from ansinh.db.uow import UnitOfWork
from ansinh.ledger.chart import default_chart
from ansinh.ledger.models import LedgerEntry, LedgerLine
from ansinh.ledger.schemas import EntryIn, LineIn
from ansinh.ledger.service import _content_of, _existing, _key_reused, _public_content

ENTRY_SCHEMA = pl.Schema({"key": pl.Utf8, "entry_date": pl.Date, "description": pl.Utf8,
                          "source_type": pl.Utf8, "source_id": pl.Utf8})
"""The columns of the entries frame, one row per entry."""
LINE_SCHEMA = pl.Schema({"key": pl.Utf8, "account_code": pl.Utf8, "fund": pl.Utf8, "debit": pl.Int64,
                         "credit": pl.Int64, "employer_id": pl.Int64, "person_id": pl.Int64, "period": pl.Utf8})
"""The columns of the lines frame: each line names its entry by ``key``."""
LINE_COLUMNS = ("entry_id", "account_code", "fund", "debit", "credit", "employer_id", "person_id", "period")


def _refuse(frame: pl.DataFrame, message: str, *, code: str, field: str, rule: str) -> None:
    if frame.height:
        first = frame.row(0, named=True)
        raise InvalidInput(message.format(**first), code=code, field=field.format(**first), rule=rule)


def _allowed_pairs() -> pl.DataFrame:
    chart = default_chart()
    return pl.DataFrame([(code, fund.value) for code, account in chart.items() for fund in account.funds],
                        schema={"account_code": pl.Utf8, "fund": pl.Utf8}, orient="row")


def check_frames(entries: pl.DataFrame, lines: pl.DataFrame) -> None:
    """Refuse lines and entries that cannot be posted, naming the first offending key."""
    if entries.get_column("key").is_duplicated().any():
        duplicated = entries.filter(pl.col("key").is_duplicated()).select("key")
        _refuse(duplicated, "the key {key!r} is given twice", code="ledger.key_reused", field="entries.{key}",
                rule="an idempotency key names one entry")
    _refuse(lines.join(entries.select("key"), on="key", how="anti"), "a line names no entry ({key!r})",
            code="ledger.input", field="lines.key", rule="every line belongs to an entry of the batch")
    one_side = (pl.col("debit") >= 0) & (pl.col("credit") >= 0) & ((pl.col("debit") > 0) != (pl.col("credit") > 0))
    _refuse(lines.filter(~one_side),
            "debit {debit} and credit {credit}: exactly one side must be positive", code="ledger.amount",
            field="entries.{key}.lines.debit",
            rule="a line has one side: a positive debit or a positive credit, the other zero")
    chart = default_chart()
    _refuse(lines.filter(~pl.col("account_code").is_in(list(chart))),
            "{account_code!r} is not an account of the chart", code="ledger.unknown_account",
            field="entries.{key}.lines.account_code", rule="lines post to accounts of the chart (ledger/data)")
    _refuse(lines.join(_allowed_pairs(), on=["account_code", "fund"], how="anti"),
            "account {account_code} is not used with the {fund} fund", code="ledger.fund",
            field="entries.{key}.lines.fund", rule="an account is used with the funds the chart allows it")
    counts = entries.select("key").join(lines.group_by("key").len(), on="key", how="left").fill_null(0)
    _refuse(counts.filter(pl.col("len") < 2), "an entry has {len} line(s)", code="ledger.too_few_lines",
            field="entries.{key}.lines", rule="an entry has at least two lines")
    totals = lines.group_by("key").agg(pl.col("debit").sum(), pl.col("credit").sum())
    _refuse(totals.filter(pl.col("debit") != pl.col("credit")), "debits {debit} ≠ credits {credit}",
            code="ledger.unbalanced", field="entries.{key}.lines", rule="an entry's debits equal its credits")
    per_fund = lines.group_by("key", "fund").agg((pl.col("debit") - pl.col("credit")).sum().alias("difference"))
    _refuse(per_fund.filter(pl.col("difference") != 0), "the {fund} fund's debits exceed its credits by {difference}",
            code="ledger.unbalanced_fund", field="entries.{key}.lines",
            rule="each fund's debits equal its credits within an entry")


def _check_replays(uow: UnitOfWork, entries: pl.DataFrame, lines: pl.DataFrame, keys: list[str]) -> None:
    """Keys already written must carry the same content (only the conflicting few are compared)."""
    if not keys:
        return
    written = _existing(uow.session, keys)
    for entry in entries.filter(pl.col("key").is_in(keys)).to_dicts():
        own = lines.filter(pl.col("key") == entry["key"]).drop("key").to_dicts()
        given = EntryIn(**entry, lines=[LineIn(**line) for line in own])
        if _public_content(written[entry["key"]]) != _content_of(given):
            raise _key_reused(entry["key"])


_STAGING = "ledger_entry_staging"
_ENTRY_COLUMNS = (*ENTRY_SCHEMA, "posted_at", "actor")
NEW_SCHEMA = {"entry_id": pl.Int64, "key": pl.Utf8}


def _insert_entries(session: Session, entries: pl.DataFrame, *, actor: Actor, at: dt.datetime) -> pl.DataFrame:
    """Insert the entries whose key is new; their ids and keys.

    On PostgreSQL the entries are copied into a temporary table dropped at commit, then
    moved with one ``INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING``: a run's hundred
    thousand entries in two statements. Elsewhere, one multi-row upsert.
    """
    rows = entries.with_columns(posted_at=pl.lit(at.astimezone(dt.UTC), dtype=pl.Datetime("us", "UTC")),
                                actor=pl.lit(actor.username))
    if session.get_bind().dialect.name == "postgresql":
        columns = ", ".join(_ENTRY_COLUMNS)
        session.execute(text(f"CREATE TEMPORARY TABLE IF NOT EXISTS {_STAGING} "
                             "(LIKE ledger_entry INCLUDING DEFAULTS) ON COMMIT DROP"))
        bulk.write_frame(session.connection(), _STAGING, rows.select(_ENTRY_COLUMNS))
        returned = session.execute(text(
            f"INSERT INTO ledger_entry ({columns}) SELECT {columns} FROM {_STAGING} "  # noqa: S608 - fixed names
            "ON CONFLICT (key) DO NOTHING RETURNING id, key")).all()
        session.execute(text(f"DELETE FROM {_STAGING}"))  # noqa: S608 - a fixed name
    else:
        statement = sqlite.insert(LedgerEntry).on_conflict_do_nothing(index_elements=["key"]).returning(
            LedgerEntry.id, LedgerEntry.key)
        returned = session.execute(statement, rows.with_columns(reverses_id=pl.lit(None, dtype=pl.Int64))
                                   .to_dicts()).all()
    return pl.DataFrame(returned, schema=NEW_SCHEMA, orient="row")


def post_frames(*, uow: UnitOfWork, entries: pl.DataFrame, lines: pl.DataFrame, actor: Actor,
                at: dt.datetime) -> int:
    """Write the entries and their lines in one transaction; how many entries were new.

    Checked first as a whole (one bad line refuses the batch); entries are inserted on their
    unique key (``ON CONFLICT DO NOTHING``), the new ones' lines copied in bulk.
    """
    entries = entries.select(list(ENTRY_SCHEMA)).cast(ENTRY_SCHEMA)
    lines = lines.select(list(LINE_SCHEMA)).cast(LINE_SCHEMA)
    if entries.height == 0:
        return 0
    check_frames(entries, lines)
    with uow:
        session = uow.session
        new = _insert_entries(session, entries, actor=actor, at=at)
        replays = entries.join(new, on="key", how="anti").get_column("key").to_list()
        _check_replays(uow, entries, lines, replays)
        if new.height:
            written = lines.join(new, on="key").select(LINE_COLUMNS)
            bulk.write_frame(session.connection(), LedgerLine.__tablename__, written)
            first, last = new.get_column("key").min(), new.get_column("key").max()
            record_event(uow=uow, actor=actor, action="ledger.post_batch", record_type="ledger_entry",
                         record_id=str(first), at=at,
                         detail={"entries": new.height, "first_key": first, "last_key": last,
                                 "total": int(written.get_column("debit").sum())})
            uow.commit()
        return new.height
