"""The ledger's verbs on both databases: refusals write nothing, keys write once, reversals mirror."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, func, select

from ansinh.audit.models import AuditEvent
from ansinh.core.actor import Actor
from ansinh.core.errors import Conflict, InvalidInput, NotFound
from ansinh.db.uow import UnitOfWork
from ansinh.ledger import service
from ansinh.ledger.chart import Fund
from ansinh.ledger.models import LedgerEntry, LedgerLine
from ansinh.ledger.schemas import EntryIn, LineIn

ACTOR = Actor(username="accountant.test", role="accountant")
AT = dt.datetime(2026, 3, 31, 17, 0, tzinfo=dt.UTC)
R, S, H = Fund.RETIREMENT_SURVIVOR, Fund.SICKNESS_MATERNITY, Fund.HEALTH


def dr(account: str, fund: Fund, amount: int, **extra: object) -> LineIn:
    return LineIn(account_code=account, fund=fund, debit=amount, **extra)  # type: ignore[arg-type]


def cr(account: str, fund: Fund, amount: int, **extra: object) -> LineIn:
    return LineIn(account_code=account, fund=fund, credit=amount, **extra)  # type: ignore[arg-type]


def assessment(amount_r: int = 1_400_000, amount_s: int = 200_000) -> list[LineIn]:
    """An employer's monthly assessment split over two funds."""
    return [dr("135", R, amount_r, employer_id=7, period="2026-03"), cr("573", R, amount_r, employer_id=7),
            dr("135", S, amount_s, employer_id=7), cr("573", S, amount_s, employer_id=7)]


def post(db: Engine, key: str, lines: list[LineIn], on: dt.date = dt.date(2026, 3, 31)) -> service.EntryPublic:
    return service.post_entry(uow=UnitOfWork(db), key=key, entry_date=on, description="test", lines=lines,
                              source_type="test", source_id=key, actor=ACTOR, at=AT)


def counts(db: Engine) -> tuple[int, int, int]:
    with UnitOfWork(db) as uow:
        return tuple(uow.session.scalar(select(func.count()).select_from(t)) or 0  # type: ignore[return-value]
                     for t in (LedgerEntry, LedgerLine, AuditEvent))


def test_post_entry_writes_entry_lines_and_one_audit_event(db: Engine) -> None:
    entry = post(db, "assess:2026-03:EMP7", assessment())
    assert entry.key == "assess:2026-03:EMP7"
    assert [(x.account_code, x.fund, x.debit, x.credit) for x in entry.lines] == [
        ("135", R, 1_400_000, 0), ("573", R, 0, 1_400_000), ("135", S, 200_000, 0), ("573", S, 0, 200_000)]
    assert entry.lines[0].employer_id == 7 and entry.lines[0].period == "2026-03"
    assert counts(db) == (1, 4, 1)
    with UnitOfWork(db) as uow:
        event = uow.session.scalars(select(AuditEvent)).one()
        assert (event.action, event.record_id, event.actor) == ("ledger.post", str(entry.id), "accountant.test")


@pytest.mark.parametrize(("lines", "code", "field"), [
    ([], "ledger.too_few_lines", "lines"),
    ([dr("112", R, 100)], "ledger.too_few_lines", "lines"),
    ([dr("112", R, 0), cr("573", R, 0)], "ledger.amount", "lines.0.debit"),
    ([dr("112", R, -5), cr("573", R, -5)], "ledger.amount", "lines.0.debit"),
    ([dr("112", R, 100), LineIn(account_code="573", fund=R, debit=100, credit=100)], "ledger.amount",
     "lines.1.debit"),
    ([dr("112", R, 100), cr("999", R, 100)], "ledger.unknown_account", "lines.1.account_code"),
    ([dr("673", H, 100), cr("3388", H, 100)], "ledger.fund", "lines.1.fund"),
    ([dr("112", R, 100), cr("573", R, 90)], "ledger.unbalanced", "lines"),
    ([dr("112", R, 100), cr("573", S, 100)], "ledger.unbalanced_fund", "lines"),
])
def test_refusals_name_the_field_and_write_nothing(db: Engine, lines: list[LineIn], code: str, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        post(db, "bad", lines)
    assert (caught.value.code, caught.value.field) == (code, field)
    assert caught.value.rule
    assert counts(db) == (0, 0, 0)


def test_unbalanced_names_both_totals(db: Engine) -> None:
    with pytest.raises(InvalidInput, match="debits 100 ≠ credits 90"):
        post(db, "bad", [dr("112", R, 100), cr("573", R, 90)])


def test_same_key_same_content_is_written_once(db: Engine) -> None:
    first = post(db, "assess:2026-03:EMP7", assessment())
    again = post(db, "assess:2026-03:EMP7", list(reversed(assessment())))
    assert again.id == first.id
    assert counts(db) == (1, 4, 1)


def test_two_writers_of_one_key_at_once_leave_one_entry(db: Engine) -> None:
    """Ten threads post the same entry together: one writes it, the others get it back."""
    start = threading.Barrier(10)

    def writer(_: int) -> int:
        start.wait()
        return post(db, "assess:2026-03:EMP9", assessment()).id

    with ThreadPoolExecutor(max_workers=10) as pool:
        ids = set(pool.map(writer, range(10)))
    assert len(ids) == 1
    assert counts(db)[:2] == (1, 4)


def test_same_key_other_content_is_a_conflict(db: Engine) -> None:
    post(db, "assess:2026-03:EMP7", assessment())
    with pytest.raises(Conflict) as caught:
        post(db, "assess:2026-03:EMP7", assessment(amount_r=1_500_000))
    assert (caught.value.code, caught.value.field) == ("ledger.key_reused", "key")
    assert counts(db) == (1, 4, 1)


def test_reversal_mirrors_and_is_linked_idempotent_and_once_only(db: Engine) -> None:
    original = post(db, "assess:2026-03:EMP7", assessment())
    reverse = {"uow": UnitOfWork(db), "key": original.key, "entry_date": dt.date(2026, 4, 2),
               "reason": "declared twice", "actor": ACTOR, "at": AT}
    reversal = service.reverse_entry(reversal_key="rev:assess:2026-03:EMP7", **reverse)  # type: ignore[arg-type]
    assert reversal.reverses_id == original.id
    assert [(x.account_code, x.debit, x.credit) for x in reversal.lines] == [
        (x.account_code, x.credit, x.debit) for x in original.lines]
    assert service.reverse_entry(reversal_key="rev:assess:2026-03:EMP7", **reverse).id == reversal.id  # type: ignore[arg-type]
    assert counts(db) == (2, 8, 2)
    with pytest.raises(Conflict) as caught:
        service.reverse_entry(reversal_key="rev2", **reverse)  # type: ignore[arg-type]
    assert caught.value.code == "ledger.already_reversed"
    with pytest.raises(NotFound):
        service.reverse_entry(**reverse | {"key": "nothing"}, reversal_key="rev3")  # type: ignore[arg-type]
    assert counts(db) == (2, 8, 2)
    balance = service.trial_balance(uow=UnitOfWork(db), start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert balance.balanced
    assert all(row.closing == 0 for row in balance.rows)


def test_trial_balance_over_two_periods_and_per_fund(db: Engine) -> None:
    post(db, "assess:2026-03:EMP7", assessment(), on=dt.date(2026, 3, 31))
    post(db, "receipt:1", [dr("112", R, 1_000_000), cr("135", R, 1_000_000)], on=dt.date(2026, 4, 10))
    post(db, "pay:9:1", [dr("673", S, 150_000), cr("112", S, 150_000)], on=dt.date(2026, 4, 20))
    march = service.trial_balance(uow=UnitOfWork(db), start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    assert {(r.account_code, r.fund): (r.opening, r.debits, r.credits, r.closing) for r in march.rows} == {
        ("135", R): (0, 1_400_000, 0, 1_400_000), ("135", S): (0, 200_000, 0, 200_000),
        ("573", R): (0, 0, 1_400_000, -1_400_000), ("573", S): (0, 0, 200_000, -200_000)}
    assert (march.total_debits, march.total_credits, march.balanced) == (1_600_000, 1_600_000, True)
    april = service.trial_balance(uow=UnitOfWork(db), start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30))
    assert {(r.account_code, r.fund): (r.opening, r.debits, r.credits, r.closing) for r in april.rows} == {
        ("112", R): (0, 1_000_000, 0, 1_000_000), ("112", S): (0, 0, 150_000, -150_000),
        ("135", R): (1_400_000, 0, 1_000_000, 400_000), ("135", S): (200_000, 0, 0, 200_000),
        ("573", R): (-1_400_000, 0, 0, -1_400_000), ("573", S): (-200_000, 0, 0, -200_000),
        ("673", S): (0, 150_000, 0, 150_000)}
    assert (april.total_opening, april.total_debits, april.total_credits, april.total_closing) == (
        0, 1_150_000, 1_150_000, 0)
    assert april.balanced and april.unbalanced_funds == []
    sickness = service.trial_balance(uow=UnitOfWork(db), start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30),
                                     fund=S)
    assert {r.fund for r in sickness.rows} == {S}
    assert (sickness.total_debits, sickness.total_closing, sickness.balanced) == (150_000, 0, True)


def test_trial_balance_refuses_a_period_ending_before_it_starts(db: Engine) -> None:
    with pytest.raises(InvalidInput) as caught:
        service.trial_balance(uow=UnitOfWork(db), start=dt.date(2026, 4, 1), end=dt.date(2026, 3, 1))
    assert (caught.value.code, caught.value.field) == ("ledger.period", "end")


def test_fund_statement(db: Engine) -> None:
    post(db, "assess:2026-03:EMP7", assessment(), on=dt.date(2026, 3, 31))
    post(db, "interest:2026-03:EMP7", [dr("1358", S, 5_000), cr("5738", S, 5_000)], on=dt.date(2026, 3, 31))
    post(db, "pay:9:1", [dr("673", S, 150_000), cr("3388", S, 150_000)], on=dt.date(2026, 3, 31))
    statement = service.fund_statement(uow=UnitOfWork(db), fund=S, start=dt.date(2026, 3, 1),
                                       end=dt.date(2026, 3, 31))
    assert [(x.account_code, x.amount) for x in statement.revenue] == [("573", 200_000), ("5738", 5_000)]
    assert [(x.account_code, x.amount) for x in statement.expense] == [("673", 150_000)]
    assert (statement.total_revenue, statement.total_expense, statement.net) == (205_000, 150_000, 55_000)
    assert [(x.account_code, x.amount) for x in statement.assets] == [("135", 200_000), ("1358", 5_000)]
    assert [(x.account_code, x.amount) for x in statement.liabilities] == [("3388", 150_000)]
    assert statement.fund_balance == 0


def entry(key: str, amount: int, fund: Fund = R) -> EntryIn:
    return EntryIn(key=key, entry_date=dt.date(2026, 3, 31), description="assessment", source_type="assessment",
                   source_id="run-1", lines=[dr("135", fund, amount), cr("573", fund, amount)])


def test_post_entries_writes_in_bulk_skips_replays_and_refuses_reused_keys(db: Engine) -> None:
    batch = [entry(f"assess:2026-03:EMP{n}", 1000 + n) for n in range(50)]
    assert service.post_entries(uow=UnitOfWork(db), entries=batch, actor=ACTOR, at=AT) == 50
    assert counts(db) == (50, 100, 1)
    rerun = [*batch, entry("assess:2026-03:EMP50", 7)]
    assert service.post_entries(uow=UnitOfWork(db), entries=rerun, actor=ACTOR, at=AT) == 1
    assert service.post_entries(uow=UnitOfWork(db), entries=rerun, actor=ACTOR, at=AT) == 0
    assert counts(db) == (51, 102, 2)
    with pytest.raises(Conflict) as caught:
        service.post_entries(uow=UnitOfWork(db), entries=[entry("new", 5), entry("assess:2026-03:EMP1", 9)],
                             actor=ACTOR, at=AT)
    assert caught.value.code == "ledger.key_reused"
    assert counts(db) == (51, 102, 2)


def test_post_entries_refuses_the_whole_batch_for_one_bad_entry(db: Engine) -> None:
    bad = EntryIn(key="bad", entry_date=dt.date(2026, 3, 31), description="x", source_type="t", source_id="1",
                  lines=[dr("135", R, 10), cr("573", R, 9)])
    with pytest.raises(InvalidInput) as caught:
        service.post_entries(uow=UnitOfWork(db), entries=[entry("ok", 5), bad], actor=ACTOR, at=AT)
    assert (caught.value.code, caught.value.field) == ("ledger.unbalanced", "entries.1.lines")
    with pytest.raises(Conflict):
        service.post_entries(uow=UnitOfWork(db), entries=[entry("twice", 5), entry("twice", 6)], actor=ACTOR,
                             at=AT)
    assert counts(db) == (0, 0, 0)
