"""Posting entries given as frames: the same rules as one by one, checked on whole columns."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from sqlalchemy import Engine, func, select

from ansinh.core.actor import SYSTEM
from ansinh.core.errors import Conflict, InvalidInput
from ansinh.db.uow import UnitOfWork
from ansinh.ledger.frames import ENTRY_SCHEMA, LINE_SCHEMA, post_frames
from ansinh.ledger.models import LedgerEntry, LedgerLine
from ansinh.ledger.service import trial_balance

AT = dt.datetime(2026, 4, 1, 8, tzinfo=dt.UTC)
DAY = dt.date(2026, 3, 31)


def _entries(*keys: str) -> pl.DataFrame:
    return pl.DataFrame([(k, DAY, f"Contributions {k}", "assessment", "1") for k in keys], schema=ENTRY_SCHEMA,
                        orient="row")


def _lines(*rows: tuple[str, str, str, int, int]) -> pl.DataFrame:
    return pl.DataFrame([(key, account, fund, debit, credit, 7, None, "2026-03")
                         for key, account, fund, debit, credit in rows], schema=LINE_SCHEMA, orient="row")


GOOD = (("a", "135", "health", 300, 0), ("a", "573", "health", 0, 300),
        ("b", "135", "retirement_survivor", 500, 0), ("b", "573", "retirement_survivor", 0, 500))


def _count(db: Engine) -> tuple[int, int]:
    with UnitOfWork(db) as uow:
        return (uow.session.scalar(select(func.count()).select_from(LedgerEntry)) or 0,
                uow.session.scalar(select(func.count()).select_from(LedgerLine)) or 0)


def test_frames_are_written_once_and_balance(db: Engine) -> None:
    uow = UnitOfWork(db)
    assert post_frames(uow=uow, entries=_entries("a", "b"), lines=_lines(*GOOD), actor=SYSTEM, at=AT) == 2
    assert post_frames(uow=uow, entries=_entries("a", "b"), lines=_lines(*GOOD), actor=SYSTEM, at=AT) == 0
    assert _count(db) == (2, 4)
    assert trial_balance(uow=uow, start=DAY, end=DAY).balanced


def test_a_key_reused_with_other_content_refuses_the_batch(db: Engine) -> None:
    uow = UnitOfWork(db)
    post_frames(uow=uow, entries=_entries("a"), lines=_lines(*GOOD[:2]), actor=SYSTEM, at=AT)
    other = _lines(("a", "135", "health", 301, 0), ("a", "573", "health", 0, 301), *GOOD[2:])
    with pytest.raises(Conflict) as refused:
        post_frames(uow=uow, entries=_entries("a", "b"), lines=other, actor=SYSTEM, at=AT)
    assert refused.value.code == "ledger.key_reused"
    assert _count(db) == (1, 2)  # "b" was not written either


@pytest.mark.parametrize(("lines", "code"), [
    ((("a", "135", "health", 300, 0), ("a", "573", "health", 0, 200)), "ledger.unbalanced"),
    ((("a", "135", "health", 300, 0), ("a", "573", "unemployment", 0, 300)), "ledger.unbalanced_fund"),
    ((("a", "135", "health", 300, 300), ("a", "573", "health", 0, 0)), "ledger.amount"),
    ((("a", "135", "health", -3, 0), ("a", "573", "health", 0, -3)), "ledger.amount"),
    ((("a", "999", "health", 300, 0), ("a", "573", "health", 0, 300)), "ledger.unknown_account"),
    ((("a", "3371", "health", 300, 0), ("a", "573", "health", 0, 300)), "ledger.fund"),
    ((("a", "135", "health", 300, 0),), "ledger.too_few_lines"),
])
def test_refusals_name_the_entry_and_write_nothing(db: Engine, lines: tuple[tuple[str, str, str, int, int], ...],
                                                   code: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        post_frames(uow=UnitOfWork(db), entries=_entries("a"), lines=_lines(*lines), actor=SYSTEM, at=AT)
    assert refused.value.code == code
    assert refused.value.field.startswith("entries.a")
    assert _count(db) == (0, 0)
