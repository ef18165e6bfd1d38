"""The monthly assessment run: amounts to the đồng, the ledger, idempotency and resumption."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import IntegrityError

from ansinh.audit.models import AuditEvent
from ansinh.collection.assessment import assess_month, employer_dues
from ansinh.collection.models import Assessment, AssessmentPartition, AssessmentRun, RunStatus
from ansinh.core.actor import SYSTEM
from ansinh.core.errors import Conflict, InvalidInput, NotFound
from ansinh.db.uow import UnitOfWork
from ansinh.law import default_parameters
from ansinh.ledger.models import LedgerEntry, LedgerLine
from ansinh.ledger.service import trial_balance
from ansinh.rules.contribution import ContributionCase, compute
from ansinh.rules.contribution_law import COMPULSORY_SHARES, Sector
from tests.factories import add_participation, register_employer, register_person

MARCH = dt.date(2026, 3, 1)
AT = dt.datetime(2026, 4, 2, 8, 0, tzinfo=dt.UTC)
PARAMS = default_parameters()


@dataclass(frozen=True)
class Charge:
    """A participation expected to be charged for March 2026."""

    participation_id: int
    salary: int
    region: int
    sector: Sector


@dataclass(frozen=True)
class World:
    employers: dict[str, str]
    """Name → unit code."""
    charges: list[Charge]


NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Giang")


def _person(uow: UnitOfWork, index: int) -> str:
    citizen_id = f"0011850043{index:02d}"
    register_person(uow, citizen_id=citizen_id, si_number=f"01234567{index:02d}", full_name=NAMES[index])
    return citizen_id


@pytest.fixture
def world(db: Engine) -> World:
    """Three employers (private region 1, a State unit in region 2, foreign-invested in region 4),
    four compulsory periods in force in March 2026, one ended before it, one voluntary."""
    uow = UnitOfWork(db)
    specs = {"private": ("0100233488", 1, "private"), "state": ("0100109106", 2, "state"),
             "foreign": ("0100109113", 4, "foreign_invested")}
    units = {name: register_employer(uow, tax_code=tax, name=f"Đơn vị {name}", wage_region=region,
                                     ownership_sector=sector).unit_code
             for name, (tax, region, sector) in specs.items()}
    regions = {name: spec[1] for name, spec in specs.items()}
    charges = []
    for index, (employer, salary) in enumerate([("private", 30_000_000), ("private", 8_000_000),
                                                ("state", 60_000_000), ("foreign", 5_500_000)]):
        period = add_participation(uow, _person(uow, index), start_month="2025-10", end_month=None,
                                   monthly_salary=salary, employer_unit_code=units[employer])
        sector = Sector.STATE if employer == "state" else Sector.ENTERPRISE
        charges.append(Charge(period.id, salary, regions[employer], sector))
    add_participation(uow, _person(uow, 4), start_month="2025-09", end_month="2025-12", monthly_salary=7_000_000,
                      employer_unit_code=units["foreign"])
    add_participation(uow, _person(uow, 5), start_month="2025-10", end_month=None, monthly_salary=6_000_000,
                      scheme="voluntary", hi_group_code="GD")
    return World(units, charges)


def _count(db: Engine, model: type) -> int:
    with UnitOfWork(db) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def _expected_total(world: World) -> int:
    return sum(compute(ContributionCase(month=MARCH, salary=c.salary, region=c.region, sector=c.sector), PARAMS).total
               for c in world.charges)


def test_every_share_matches_the_scalar_rules(db: Engine, world: World) -> None:
    summary = assess_month(uow=UnitOfWork(db), month=MARCH, actor=SYSTEM, at=AT, partitions=4)
    assert summary.status == RunStatus.COMPLETED
    assert summary.rows == len(world.charges)
    with UnitOfWork(db) as uow:
        rows = {r.participation_id: r for r in uow.session.execute(select(Assessment.__table__))}
    assert set(rows) == {c.participation_id for c in world.charges}
    for charge in world.charges:
        scalar = compute(ContributionCase(month=MARCH, salary=charge.salary, region=charge.region,
                                          sector=charge.sector), PARAMS)
        row = rows[charge.participation_id]
        for share in COMPULSORY_SHARES:
            assert getattr(row, f"{share.payer}_{share.fund}") == scalar.shares[share.payer][share.fund]
        assert (row.si_base, row.hi_base, row.ui_base) == (scalar.bases["si"], scalar.bases["hi"], scalar.bases["ui"])
        assert row.total == scalar.total
    assert summary.total == _expected_total(world)
    assert sum(summary.funds.values()) == summary.total == sum(summary.payers.values())


def test_employer_dues_and_the_ledger_agree_with_the_rows(db: Engine, world: World) -> None:
    summary = assess_month(uow=UnitOfWork(db), month=MARCH, actor=SYSTEM, at=AT)
    dues = employer_dues(uow=UnitOfWork(db), month=MARCH, employer_unit_code=world.employers["private"])
    private = world.charges[:2]
    assert dues.people == 2
    assert dues.total == sum(compute(ContributionCase(month=MARCH, salary=c.salary, region=1), PARAMS).total
                             for c in private)
    assert sum(dues.shares.values()) == sum(dues.payers.values()) == sum(dues.funds.values()) == dues.total
    assert dues.payers["state"] == dues.shares["state_unemployment"] > 0

    balance = trial_balance(uow=UnitOfWork(db), start=MARCH, end=dt.date(2026, 3, 31))
    assert balance.balanced
    receivable = {r.fund.value: r.debits for r in balance.rows if r.account_code == "135"}
    revenue = {r.fund.value: r.credits for r in balance.rows if r.account_code == "573"}
    assert receivable == revenue == summary.funds
    assert sum(receivable.values()) == summary.total
    assert _count(db, LedgerEntry) == len(world.employers)
    with UnitOfWork(db) as uow:
        keys = set(uow.session.scalars(select(LedgerEntry.key)))
    assert keys == {f"assess:2026-03:{unit}" for unit in world.employers.values()}


def test_running_again_changes_nothing(db: Engine, world: World) -> None:
    first = assess_month(uow=UnitOfWork(db), month=MARCH, actor=SYSTEM, at=AT, partitions=8)
    counts = {m: _count(db, m) for m in (Assessment, AssessmentPartition, LedgerEntry, LedgerLine, AuditEvent)}
    again = assess_month(uow=UnitOfWork(db), month=MARCH, actor=SYSTEM, at=AT + dt.timedelta(days=1))
    assert again.already_completed and not again.written_now
    assert (again.total, again.rows, again.funds) == (first.total, first.rows, first.funds)
    assert {m: _count(db, m) for m in counts} == counts
    assert counts[AssessmentPartition] == 8, "partitions without employers get their row too"
    with UnitOfWork(db) as uow:
        actions = list(uow.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("assessment.%"))))
    assert sorted(actions) == ["assessment.complete", "assessment.start"]


def test_an_interrupted_run_resumes_without_charging_twice(db: Engine, world: World) -> None:
    cut = assess_month(uow=UnitOfWork(db), month=MARCH, actor=SYSTEM, at=AT, partitions=4, stop_after=2)
    assert cut.status == RunStatus.RUNNING
    assert cut.partitions_done == 2 == len(cut.written_now)
    resumed = assess_month(uow=UnitOfWork(db), month=MARCH, actor=SYSTEM, at=AT)
    assert resumed.status == RunStatus.COMPLETED and not resumed.already_completed
    assert sorted(p.partition for p in cut.written_now + resumed.written_now) == [0, 1, 2, 3]
    assert _count(db, Assessment) == len(world.charges)
    with UnitOfWork(db) as uow:
        distinct = uow.session.scalar(select(func.count(func.distinct(Assessment.participation_id))))
        debits = uow.session.scalar(select(func.sum(LedgerLine.debit)).where(LedgerLine.account_code == "135"))
        completed_at = uow.session.scalar(select(AssessmentRun.completed_at))
    assert distinct == len(world.charges)
    assert debits == resumed.total == _expected_total(world)
    assert completed_at == AT
    assert _count(db, LedgerEntry) == len(world.employers)


def test_the_database_refuses_a_second_charge(db: Engine, world: World) -> None:
    assess_month(uow=UnitOfWork(db), month=MARCH, actor=SYSTEM, at=AT)
    with UnitOfWork(db) as uow:
        row = uow.session.execute(select(Assessment.__table__)).mappings().first()
        assert row is not None
        copy = {c: v for c, v in row.items() if c != "id"}
        with pytest.raises(IntegrityError):
            uow.session.execute(insert(Assessment), [copy])
    assert len(world.charges) == _count(db, Assessment)


def test_refusals(db: Engine, world: World) -> None:
    with pytest.raises(InvalidInput) as wrong_day:
        assess_month(uow=UnitOfWork(db), month=dt.date(2026, 3, 15), actor=SYSTEM, at=AT)
    assert (wrong_day.value.code, wrong_day.value.field) == ("assessment.month", "month")
    with pytest.raises(InvalidInput) as zero:
        assess_month(uow=UnitOfWork(db), month=MARCH, actor=SYSTEM, at=AT, partitions=0)
    assert zero.value.field == "partitions"
    assess_month(uow=UnitOfWork(db), month=MARCH, actor=SYSTEM, at=AT, partitions=4, stop_after=1)
    with pytest.raises(Conflict) as changed:
        assess_month(uow=UnitOfWork(db), month=MARCH, actor=SYSTEM, at=AT, partitions=8)
    assert changed.value.code == "assessment.partitions_changed"
    with pytest.raises(NotFound):
        employer_dues(uow=UnitOfWork(db), month=MARCH, employer_unit_code="XX99999999")
    assert _count(db, Assessment) <= len(world.charges)
