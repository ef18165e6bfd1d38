"""The ledger's verbs: post one entry or many, reverse an entry, the trial balance, a fund statement.

Rules every posting keeps (checked before anything is written; a refusal names the field):

- at least two lines, each with one positive side (``ledger.too_few_lines``, ``ledger.amount``);
- an account of the chart, used with a fund it allows (``ledger.unknown_account``, ``ledger.fund``);
- debits equal credits in total (``ledger.unbalanced``) and within each fund
  (``ledger.unbalanced_fund``): each fund's books balance on their own.

An entry is written once under its key: posting the same key with the same content again
returns what is there; the same key with other content is a Conflict (``ledger.key_reused``).
Entries are never edited; :func:`reverse_entry` writes the mirror entry instead.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import ValidationError
from sqlalchemy import case, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ansinh.audit.service import record_event
from ansinh.core.actor import Actor
from ansinh.core.errors import Conflict, InvalidInput, NotFound
from ansinh.db.uow import UnitOfWork
from ansinh.ledger.chart import AccountKind, Fund, default_chart
from ansinh.ledger.models import LedgerEntry, LedgerLine
from ansinh.ledger.schemas import (
    EntryIn,
    EntryPublic,
    FundStatement,
    LineIn,
    LinePublic,
    StatementLine,
    TrialBalance,
    TrialBalanceRow,
)

LOOKUP_CHUNK = 500
"""Keys asked for in one ``IN (...)`` when looking for entries already written."""

_LineKey = tuple[str, str, int, int, int | None, int | None, str | None]
_Content = tuple[dt.date, str, str, str, tuple[_LineKey, ...]]


# ----------------------------------------------------------------------------- checks

def _check_line(index: int, line: LineIn) -> None:
    field = f"lines.{index}"
    if line.debit < 0 or line.credit < 0 or (line.debit > 0) == (line.credit > 0):
        raise InvalidInput(f"debit {line.debit} and credit {line.credit}: exactly one side must be positive",
                           code="ledger.amount", field=f"{field}.debit",
                           rule="a line has one side: a positive debit or a positive credit, the other zero")
    account = default_chart().get(line.account_code)
    if account is None:
        raise InvalidInput(f"{line.account_code!r} is not an account of the chart", code="ledger.unknown_account",
                           field=f"{field}.account_code", rule="lines post to accounts of the chart (ledger/data)")
    if not account.allows(line.fund):
        raise InvalidInput(f"account {account.code} is not used with the {line.fund.value} fund",
                           code="ledger.fund", field=f"{field}.fund",
                           rule=f"account {account.code} is used with: {', '.join(f.value for f in account.funds)}")


def check_lines(lines: Sequence[LineIn], *, field_prefix: str = "") -> None:
    """Refuse lines that cannot be posted (see the module's rules); nothing else is read."""
    if len(lines) < 2:
        raise InvalidInput(f"an entry has {len(lines)} line(s)", code="ledger.too_few_lines",
                           field=f"{field_prefix}lines", rule="an entry has at least two lines")
    try:
        for index, line in enumerate(lines):
            _check_line(index, line)
    except InvalidInput as error:
        error.field = f"{field_prefix}{error.field}"
        raise
    debits, credits = sum(x.debit for x in lines), sum(x.credit for x in lines)
    if debits != credits:
        raise InvalidInput(f"debits {debits} ≠ credits {credits}", code="ledger.unbalanced",
                           field=f"{field_prefix}lines", rule="an entry's debits equal its credits")
    per_fund: Counter[Fund] = Counter()
    for line in lines:
        per_fund[line.fund] += line.debit - line.credit
    for fund, difference in per_fund.items():
        if difference:
            raise InvalidInput(f"the {fund.value} fund's debits exceed its credits by {difference}",
                               code="ledger.unbalanced_fund", field=f"{field_prefix}lines",
                               rule="each fund's debits equal its credits within an entry")


def _entry_in(**data: Any) -> EntryIn:
    try:
        return EntryIn.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first.get("loc", ())) or "entry"
        raise InvalidInput(first.get("msg", "invalid value"), code="ledger.input", field=field,
                           rule="an entry must match the published schema") from None


# ----------------------------------------------------------------------------- reading what is written

def _line_key(line: LineIn | LinePublic | LedgerLine) -> _LineKey:
    return (line.account_code, str(line.fund), line.debit, line.credit, line.employer_id, line.person_id,
            line.period)


def _content_of(entry: EntryIn) -> _Content:
    return (entry.entry_date, entry.description, entry.source_type, entry.source_id,
            tuple(sorted(_line_key(line) for line in entry.lines)))


def _existing(session: Session, keys: Iterable[str]) -> dict[str, EntryPublic]:
    """The entries already written under any of ``keys``, with their lines."""
    wanted = list(dict.fromkeys(keys))
    found: dict[str, EntryPublic] = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        entries = session.scalars(select(LedgerEntry).where(
            LedgerEntry.key.in_(wanted[start:start + LOOKUP_CHUNK]))).all()
        found.update((entry.key, public) for entry, public in zip(entries, _publics(session, entries), strict=True))
    return found


def _publics(session: Session, entries: Sequence[LedgerEntry]) -> list[EntryPublic]:
    lines: dict[int, list[LinePublic]] = defaultdict(list)
    if entries:
        rows = session.scalars(select(LedgerLine).where(LedgerLine.entry_id.in_([e.id for e in entries]))
                               .order_by(LedgerLine.id))
        for row in rows:
            lines[row.entry_id].append(LinePublic(
                account_code=row.account_code, fund=Fund(row.fund), debit=row.debit, credit=row.credit,
                employer_id=row.employer_id, person_id=row.person_id, period=row.period))
    return [EntryPublic(id=e.id, key=e.key, entry_date=e.entry_date, description=e.description,
                        source_type=e.source_type, source_id=e.source_id, reverses_id=e.reverses_id,
                        posted_at=e.posted_at, actor=e.actor, lines=lines[e.id]) for e in entries]


def _public_content(entry: EntryPublic) -> _Content:
    return (entry.entry_date, entry.description, entry.source_type, entry.source_id,
            tuple(sorted(_line_key(line) for line in entry.lines)))


def _key_reused(key: str, field: str = "key") -> Conflict:
    return Conflict(f"the key {key!r} is already used by an entry with other content", code="ledger.key_reused",
                    field=field, rule="an idempotency key names one entry; post a correction under a new key")


# ----------------------------------------------------------------------------- writing

def _entry_rows(entries: Sequence[EntryIn], actor: Actor, at: dt.datetime,
                reverses: dict[str, int]) -> list[dict[str, Any]]:
    return [{"key": e.key, "entry_date": e.entry_date, "description": e.description,
             "source_type": e.source_type, "source_id": e.source_id, "reverses_id": reverses.get(e.key),
             "posted_at": at, "actor": actor.username} for e in entries]


def _write_lines(session: Session, entries: Sequence[EntryIn], ids: dict[str, int]) -> None:
    line_rows = [{"entry_id": ids[e.key], "account_code": x.account_code, "fund": x.fund.value, "debit": x.debit,
                  "credit": x.credit, "employer_id": x.employer_id, "person_id": x.person_id, "period": x.period}
                 for e in entries for x in e.lines]
    if line_rows:  # an empty parameter list would insert one row of defaults
        session.execute(insert(LedgerLine), line_rows)


def _write(session: Session, entries: Sequence[EntryIn], *, actor: Actor, at: dt.datetime,
           reverses: dict[str, int] | None = None) -> list[int]:
    """Insert entries and their lines in bulk; the new entries' ids, in order."""
    returned = session.execute(insert(LedgerEntry).returning(LedgerEntry.id, LedgerEntry.key,
                                                             sort_by_parameter_order=True),
                               _entry_rows(entries, actor, at, reverses or {}))
    ids = {key: entry_id for entry_id, key in returned}
    _write_lines(session, entries, ids)
    return [ids[e.key] for e in entries]


def _write_new(session: Session, entries: Sequence[EntryIn], *, actor: Actor, at: dt.datetime) -> dict[str, int]:
    """Insert the entries whose key is not yet written, and their lines; their ids by key.

    The unique index on the key decides (``ON CONFLICT DO NOTHING``), so a run that posts
    thousands of entries never looks its keys up first: such a lookup, planned on statistics
    taken while the ledger was small, scans the whole table once per batch.
    """
    dialect = session.get_bind().dialect.name
    upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = upsert(LedgerEntry).on_conflict_do_nothing(index_elements=["key"]).returning(
        LedgerEntry.id, LedgerEntry.key)
    ids = {key: entry_id for entry_id, key in session.execute(statement, _entry_rows(entries, actor, at, {}))}
    _write_lines(session, [e for e in entries if e.key in ids], ids)
    return ids


def post_entry(*, uow: UnitOfWork, key: str, entry_date: dt.date, description: str, lines: Sequence[LineIn],
               source_type: str, source_id: str, actor: Actor, at: dt.datetime) -> EntryPublic:
    """Write one balanced entry under ``key``, or return the one already written with the same content."""
    entry = _entry_in(key=key, entry_date=entry_date, description=description, lines=list(lines),
                      source_type=source_type, source_id=source_id)
    check_lines(entry.lines)
    with uow:
        session = uow.session
        already = _existing(session, [key]).get(key)
        if already is not None:
            if _public_content(already) != _content_of(entry):
                raise _key_reused(key)
            return already
        try:
            with session.begin_nested():  # another transaction may write the same key meanwhile
                (entry_id,) = _write(session, [entry], actor=actor, at=at)
        except IntegrityError:
            raced = _existing(session, [key]).get(key)
            if raced is None or _public_content(raced) != _content_of(entry):
                raise _key_reused(key) from None
            return raced
        total = sum(line.debit for line in entry.lines)
        record_event(uow=uow, actor=actor, action="ledger.post", record_type="ledger_entry", record_id=entry_id,
                     at=at, detail={"key": key, "total": total, "lines": len(entry.lines)})
        public = _publics(session, [session.get_one(LedgerEntry, entry_id)])[0]
        uow.commit()
        return public


def _dedupe(entries: Sequence[EntryIn]) -> list[EntryIn]:
    """The entries once each; a key given twice with different content is refused."""
    seen: dict[str, EntryIn] = {}
    for index, entry in enumerate(entries):
        first = seen.setdefault(entry.key, entry)
        if first is not entry and _content_of(first) != _content_of(entry):
            raise _key_reused(entry.key, field=f"entries.{index}.key")
    return list(seen.values())


def post_entries(*, uow: UnitOfWork, entries: Sequence[EntryIn], actor: Actor, at: dt.datetime) -> int:
    """Write many entries in one transaction with bulk inserts; how many were new.

    Every entry is checked first, so one bad entry refuses the batch and nothing is written.
    Keys already written with the same content are skipped (a re-run after a crash posts
    only what is missing); with other content the batch is refused.
    """
    for index, entry in enumerate(entries):
        check_lines(entry.lines, field_prefix=f"entries.{index}.")
    unique = _dedupe(entries)
    with uow:
        session = uow.session
        new = _write_new(session, unique, actor=actor, at=at) if unique else {}
        replays = [e for e in unique if e.key not in new]
        written = _existing(session, (e.key for e in replays))
        for entry in replays:
            if _public_content(written[entry.key]) != _content_of(entry):
                raise _key_reused(entry.key)  # the whole batch is rolled back
        fresh = [e for e in unique if e.key in new]
        if fresh:
            record_event(uow=uow, actor=actor, action="ledger.post_batch", record_type="ledger_entry",
                         record_id=fresh[0].key, at=at,
                         detail={"entries": len(fresh), "first_key": fresh[0].key, "last_key": fresh[-1].key,
                                 "total": sum(x.debit for e in fresh for x in e.lines)})
            uow.commit()
        return len(fresh)


def reverse_entry(*, uow: UnitOfWork, key: str, reversal_key: str, entry_date: dt.date, reason: str,
                  actor: Actor, at: dt.datetime) -> EntryPublic:
    """Undo the entry written under ``key`` with its mirror (debits and credits swapped) under ``reversal_key``."""
    with uow:
        session = uow.session
        found = _existing(session, [key, reversal_key])
        original = found.get(key)
        if original is None:
            raise NotFound(f"no entry has the key {key!r}", code="ledger.unknown_entry", field="key",
                           rule="only an entry that was posted can be reversed")
        done = found.get(reversal_key)
        if done is not None:
            if done.reverses_id != original.id:
                raise _key_reused(reversal_key, field="reversal_key")
            return done
        if session.scalar(select(LedgerEntry.id).where(LedgerEntry.reverses_id == original.id)) is not None:
            raise Conflict(f"the entry {key!r} is already reversed", code="ledger.already_reversed", field="key",
                           rule="an entry is reversed at most once")
        mirror = _entry_in(key=reversal_key, entry_date=entry_date, description=f"Reversal of {key}: {reason}"[:500],
                           source_type="ledger.reversal", source_id=str(original.id),
                           lines=[LineIn(**line.model_dump() | {"debit": line.credit, "credit": line.debit})
                                  for line in original.lines])
        (entry_id,) = _write(session, [mirror], actor=actor, at=at, reverses={reversal_key: original.id})
        record_event(uow=uow, actor=actor, action="ledger.reverse", record_type="ledger_entry", record_id=entry_id,
                     at=at, reason=reason[:500], detail={"key": reversal_key, "reverses": key})
        public = _publics(session, [session.get_one(LedgerEntry, entry_id)])[0]
        uow.commit()
        return public


# ----------------------------------------------------------------------------- reports

def _check_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise InvalidInput(f"the period ends ({end}) before it starts ({start})", code="ledger.period",
                           field="end", rule="a period's end is on or after its start")


def trial_balance(*, uow: UnitOfWork, start: dt.date, end: dt.date, fund: Fund | None = None) -> TrialBalance:
    """Per account and fund: the opening balance before ``start``, the period's debits and credits, the closing.

    Balances are signed debit-positive. Balanced means the period's debits equal its credits
    and the opening and closing balances each sum to zero, overall and for every fund.
    """
    _check_period(start, end)
    before = LedgerEntry.entry_date < start
    signed = LedgerLine.debit - LedgerLine.credit
    query = (select(LedgerLine.account_code, LedgerLine.fund,
                    func.coalesce(func.sum(case((before, signed), else_=0)), 0),
                    func.coalesce(func.sum(case((before, 0), else_=LedgerLine.debit)), 0),
                    func.coalesce(func.sum(case((before, 0), else_=LedgerLine.credit)), 0))
             .join(LedgerEntry, LedgerEntry.id == LedgerLine.entry_id)
             .where(LedgerEntry.entry_date <= end)
             .group_by(LedgerLine.account_code, LedgerLine.fund)
             .order_by(LedgerLine.account_code, LedgerLine.fund))
    if fund is not None:
        query = query.where(LedgerLine.fund == fund.value)
    chart = default_chart()
    rows: list[TrialBalanceRow] = []
    with uow:
        for code, row_fund, opening, debits, credits in uow.session.execute(query):
            account = chart[code]
            rows.append(TrialBalanceRow(
                account_code=code, account_name=account.name_en, kind=account.kind, fund=Fund(row_fund),
                opening=int(opening), debits=int(debits), credits=int(credits),
                closing=int(opening) + int(debits) - int(credits)))
    return _totals(start, end, fund, rows)


def _totals(start: dt.date, end: dt.date, fund: Fund | None, rows: list[TrialBalanceRow]) -> TrialBalance:
    per_fund: dict[Fund, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        sums = per_fund[row.fund]
        sums[0] += row.opening
        sums[1] += row.debits - row.credits
        sums[2] += row.closing
    unbalanced = sorted(f for f, sums in per_fund.items() if any(sums))
    opening, debits = sum(r.opening for r in rows), sum(r.debits for r in rows)
    credits, closing = sum(r.credits for r in rows), sum(r.closing for r in rows)
    return TrialBalance(start=start, end=end, fund=fund, rows=rows, total_opening=opening, total_debits=debits,
                        total_credits=credits, total_closing=closing,
                        balanced=debits == credits and opening == 0 and closing == 0 and not unbalanced,
                        unbalanced_funds=unbalanced)


def fund_statement(*, uow: UnitOfWork, fund: Fund, start: dt.date, end: dt.date) -> FundStatement:
    """The fund's revenue and expense by account for the period, its net, and its closing positions."""
    rows = trial_balance(uow=uow, start=start, end=end, fund=fund).rows

    def lines(kind: AccountKind, amount: Any) -> list[StatementLine]:
        return [StatementLine(account_code=r.account_code, account_name=r.account_name, amount=amount(r))
                for r in rows if r.kind == kind]

    revenue = lines(AccountKind.REVENUE, lambda r: r.credits - r.debits)
    expense = lines(AccountKind.EXPENSE, lambda r: r.debits - r.credits)
    total_revenue, total_expense = sum(x.amount for x in revenue), sum(x.amount for x in expense)
    return FundStatement(
        fund=fund, start=start, end=end, revenue=revenue, expense=expense, total_revenue=total_revenue,
        total_expense=total_expense, net=total_revenue - total_expense,
        assets=lines(AccountKind.ASSET, lambda r: r.closing),
        liabilities=lines(AccountKind.LIABILITY, lambda r: -r.closing),
        fund_balance=-sum(r.closing for r in rows if r.kind == AccountKind.NET_ASSETS))
