"""The monthly assessment run: every employer's dues per fund and share for one month.

What is charged: each **compulsory** participation period in force in the month (started on
or before it, not ended before it) **with an employer**, at its declared salary, under the
employer's wage region and sector, through the batch form of the contribution rules
(:func:`ansinh.rules.contribution_batch.compute_batch`). Voluntary and HI-only schemes are
not assessed here.

How it never charges twice:

- the run has a key, ``assess:YYYY-MM``; a completed run is returned as it is, and nothing
  is written;
- the work is split by employer (``employer_id % partitions``); each partition is **one
  transaction** that reads its participations into a Polars frame, computes them, bulk-writes
  the assessment rows, posts one ledger entry per employer and writes the partition's row.
  A process killed between partitions loses nothing and, started again, skips every
  partition that has its row;
- the run's row is locked (``FOR UPDATE`` on PostgreSQL) while a partition is written, so two
  processes resuming the same run take turns instead of racing;
- ``UNIQUE(month, participation_id)`` makes the database refuse a second charge.

The ledger: for each employer and fund, debit 135 (contributions receivable) and credit 573
(contributions revenue) with the fund's total of the employer's and employee's shares, and
apart, on lines without an employer, the State budget's share (its unemployment support,
which the employer does not pay), under the key ``assess:YYYY-MM:<unit code>`` (the
convention of docs/ledger.md), dated the month's last day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from ansinh.audit.service import record_event
from ansinh.collection.models import Assessment, AssessmentAdjustment, AssessmentPartition, AssessmentRun, RunStatus
from ansinh.collection.schemas import EmployerDues, PartitionResult, RunSummary
from ansinh.core.actor import Actor
from ansinh.core.errors import Conflict, InvalidInput
from ansinh.core.periods import add_months, format_month
from ansinh.db import bulk
from ansinh.db.uow import UnitOfWork
from ansinh.law import default_parameters
from ansinh.law.params import ParameterSet
from ansinh.ledger.frames import post_frames
from ansinh.registry.extracts import compulsory_in_force
from ansinh.registry.lookups import employer_by_key
from ansinh.registry.models import OwnershipSector
from ansinh.rules.contribution_batch import compute_batch, share_column
from ansinh.rules.contribution_law import COMPULSORY_SHARES, Sector
from ansinh.rules.contribution_types import PAYERS

DEFAULT_PARTITIONS = 16
MAX_PARTITIONS = 4096
RECEIVABLE_ACCOUNT = "135"
"""Phải thu đóng BHXH, BHYT, BHTN: contributions receivable."""
REVENUE_ACCOUNT = "573"
"""Thu đóng BHXH, BHYT, BHTN: contributions revenue."""

SHARE_COLUMNS = tuple(share_column(s.payer, s.fund) for s in COMPULSORY_SHARES)
FUNDS = tuple(dict.fromkeys(s.fund for s in COMPULSORY_SHARES))
FUND_COLUMNS = {fund: [share_column(s.payer, s.fund) for s in COMPULSORY_SHARES if s.fund == fund] for fund in FUNDS}
STATE_PAYER = "state"
EMPLOYER_FUND_COLUMNS = {fund: [share_column(s.payer, s.fund) for s in COMPULSORY_SHARES
                                if s.fund == fund and s.payer != STATE_PAYER] for fund in FUNDS}
"""What the employer pays into each fund: its own share and the employee's it withholds."""
STATE_FUND_COLUMNS = {fund: [share_column(s.payer, s.fund) for s in COMPULSORY_SHARES
                             if s.fund == fund and s.payer == STATE_PAYER] for fund in FUNDS}
"""What the State budget pays into each fund for the employer's workers (the UI support)."""
PAYER_COLUMNS = tuple(f"{payer}_total" for payer in PAYERS)
ROW_COLUMNS = ("run_id", "month", "participation_id", "person_id", "employer_id", "salary", "si_base", "hi_base",
               "ui_base", *SHARE_COLUMNS, *PAYER_COLUMNS, "total")
"""The columns of the ``assessment`` table, in the order they are written."""
PartitionReport = Callable[[PartitionResult], None]
"""Told of each partition as it is written (the CLI prints progress)."""


def run_key(month: dt.date) -> str:
    """The run's key: ``assess:YYYY-MM``."""
    return f"assess:{format_month(month)}"


def _check(month: dt.date, partitions: int | None) -> None:
    if month.day != 1:
        raise InvalidInput(f"{month} is not the first day of a month", code="assessment.month", field="month",
                           rule="a month is assessed as a whole; give its first day")
    if partitions is not None and not 1 <= partitions <= MAX_PARTITIONS:
        raise InvalidInput(f"{partitions} partitions", code="assessment.partitions", field="partitions",
                           rule=f"a run has 1 to {MAX_PARTITIONS} partitions")


# ----------------------------------------------------------------------------- the run's row

@dataclass(frozen=True)
class _Run:
    id: int
    partitions: int
    status: RunStatus


def _start_run(uow: UnitOfWork, *, month: dt.date, partitions: int | None, actor: Actor,
               at: dt.datetime) -> _Run:
    """The run under the month's key, created (and audited) if there is none yet."""
    key = run_key(month)
    with uow:
        run = uow.session.scalar(select(AssessmentRun).where(AssessmentRun.key == key))
        if run is not None:
            if partitions is not None and partitions != run.partitions:
                raise Conflict(f"{key} was started with {run.partitions} partitions, not {partitions}",
                               code="assessment.partitions_changed", field="partitions",
                               rule="a run resumes with the partitions it was started with")
            return _Run(run.id, run.partitions, RunStatus(run.status))
        run = AssessmentRun(key=key, month=month, partitions=partitions or DEFAULT_PARTITIONS,
                            status=RunStatus.RUNNING, started_at=at, actor=actor.username)
        uow.session.add(run)
        uow.session.flush()
        record_event(uow=uow, actor=actor, action="assessment.start", record_type="assessment_run",
                     record_id=run.id, at=at, detail={"key": key, "partitions": run.partitions})
        uow.commit()
        return _Run(run.id, run.partitions, RunStatus.RUNNING)


def _done_partitions(session: Session, run_id: int) -> set[int]:
    return set(session.scalars(select(AssessmentPartition.partition).where(AssessmentPartition.run_id == run_id)))


def _complete(uow: UnitOfWork, run_id: int, *, actor: Actor, at: dt.datetime) -> None:
    """Mark the run completed once every partition has its row."""
    with uow:
        session = uow.session
        run = session.execute(select(AssessmentRun).where(AssessmentRun.id == run_id).with_for_update()).scalar_one()
        if run.status == RunStatus.COMPLETED or len(_done_partitions(session, run_id)) < run.partitions:
            return
        rows, total = session.execute(
            select(func.count(), func.coalesce(func.sum(Assessment.total), 0)).where(Assessment.run_id == run_id)
        ).one()
        run.status, run.completed_at = RunStatus.COMPLETED, at
        record_event(uow=uow, actor=actor, action="assessment.complete", record_type="assessment_run",
                     record_id=run_id, at=at, detail={"key": run.key, "rows": int(rows), "total": int(total)})
        uow.commit()


# ----------------------------------------------------------------------------- one partition

def charge(in_force: pl.DataFrame, *, month: dt.date, params: ParameterSet) -> pl.DataFrame:
    """Participations in force (a :func:`compulsory_in_force` frame) charged for ``month`` by the batch rules."""
    frame = in_force.with_columns(
        month=pl.lit(month, dtype=pl.Date),
        sector=pl.when(pl.col("ownership_sector") == OwnershipSector.STATE.value)
        .then(pl.lit(Sector.STATE.value)).otherwise(pl.lit(Sector.ENTERPRISE.value)),
        reduced_work_injury=pl.lit(value=False),
    )
    return compute_batch(frame, params)


def _charged(session: Session, *, month: dt.date, partition: int, partitions: int,
             params: ParameterSet) -> pl.DataFrame:
    """The partition's participations, read into a frame and charged by the batch rules."""
    return charge(compulsory_in_force(session, month=month, partition=partition, partitions=partitions),
                  month=month, params=params)


def charge_entry_frames(charged: pl.DataFrame, *, period: str, key: pl.Expr, entry_date: dt.date,
                        description: str, source_type: str, source_id: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Ledger entries (one per ``key``) for charged amounts, as the frames :func:`post_frames` takes.

    Per employer and fund, the employer's and employee's shares go on receivable (135) and
    revenue (573) lines carrying the employer; the State budget's share (its unemployment
    support, which employers do not pay) on lines without one. A signed amount below zero
    (a re-assessment's decrease) swaps the sides. ``charged`` has ``employer_id``, the share
    columns and whatever ``key`` reads.
    """
    sums = [pl.sum_horizontal(names).sum().alias(f"{payer}|{fund}")
            for payer, columns in (("employer", EMPLOYER_FUND_COLUMNS), ("state", STATE_FUND_COLUMNS))
            for fund, names in columns.items() if names]
    amounts = (charged.with_columns(key=key).group_by("employer_id", "key").agg(*sums)
               .unpivot(index=["employer_id", "key"], variable_name="part", value_name="amount")
               .filter(pl.col("amount") != 0)
               .with_columns(pl.col("part").str.split_exact("|", 1).struct.rename_fields(["payer", "fund"]))
               .unnest("part"))
    increase = pl.col("amount") > 0
    common = [pl.col("key"), pl.col("fund"),
              pl.when(pl.col("payer") == "employer").then(pl.col("employer_id")).alias("employer_id"),
              pl.lit(None, dtype=pl.Int64).alias("person_id"), pl.lit(period).alias("period")]
    debits = amounts.select(*common, pl.when(increase).then(pl.lit(RECEIVABLE_ACCOUNT))
                            .otherwise(pl.lit(REVENUE_ACCOUNT)).alias("account_code"),
                            pl.col("amount").abs().alias("debit"), pl.lit(0, dtype=pl.Int64).alias("credit"))
    credits = amounts.select(*common, pl.when(increase).then(pl.lit(REVENUE_ACCOUNT))
                             .otherwise(pl.lit(RECEIVABLE_ACCOUNT)).alias("account_code"),
                             pl.lit(0, dtype=pl.Int64).alias("debit"), pl.col("amount").abs().alias("credit"))
    lines = pl.concat([debits, credits], how="diagonal").sort("key", "fund", "account_code")
    entries = (amounts.select("key").unique().sort("key")
               .with_columns(entry_date=pl.lit(entry_date, dtype=pl.Date), description=pl.lit(description),
                             source_type=pl.lit(source_type), source_id=pl.lit(source_id)))
    return entries, lines


def _entry_frames(charged: pl.DataFrame, *, month: dt.date, run_id: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The run's entries: one per employer, key ``assess:YYYY-MM:<unit code>``, dated the month's last day."""
    period = format_month(month)
    return charge_entry_frames(charged, period=period, key=pl.format("assess:{}:{}", pl.lit(period), "unit_code"),
                               entry_date=add_months(month, 1) - dt.timedelta(days=1),
                               description=f"Contributions assessed for {period}", source_type="assessment",
                               source_id=str(run_id))


def _write_partition(uow: UnitOfWork, *, run_id: int, month: dt.date, partition: int, partitions: int,
                     params: ParameterSet, actor: Actor, at: dt.datetime) -> PartitionResult | None:
    """Charge one partition in one transaction; None when it was already written."""
    with uow:
        session = uow.session
        session.execute(select(AssessmentRun.id).where(AssessmentRun.id == run_id).with_for_update())
        if partition in _done_partitions(session, run_id):
            return None
        charged = _charged(session, month=month, partition=partition, partitions=partitions, params=params)
        rows = charged.with_columns(run_id=pl.lit(run_id, dtype=pl.Int64)).select(ROW_COLUMNS)
        bulk.write_frame(session.connection(), Assessment.__tablename__, rows)
        entries, lines = _entry_frames(charged, month=month, run_id=run_id)
        if entries.height:
            post_frames(uow=uow, entries=entries, lines=lines, actor=actor, at=at)
        total = int(charged.get_column("total").sum()) if charged.height else 0
        session.add(AssessmentPartition(run_id=run_id, partition=partition, rows=charged.height, total=total,
                                        done_at=at))
        uow.commit()
        return PartitionResult(partition=partition, rows=charged.height, total=total, entries=entries.height)


# ----------------------------------------------------------------------------- the verbs

def assess_month(*, uow: UnitOfWork, month: dt.date, actor: Actor, at: dt.datetime, partitions: int | None = None,
                 params: ParameterSet | None = None, stop_after: int | None = None,
                 on_partition: PartitionReport | None = None) -> RunSummary:
    """Assess ``month`` (its first day): start the run or resume it, partition by partition.

    ``partitions`` defaults to 16 for a new run and to the run's own number when resuming (a
    different number is a Conflict). ``stop_after`` writes at most that many partitions and
    returns, leaving the run ``running``: it stands for a process cut short, in tests.
    """
    _check(month, partitions)
    run = _start_run(uow, month=month, partitions=partitions, actor=actor, at=at)
    if run.status == RunStatus.COMPLETED:
        return _summary(uow, run.id, written=[], already_completed=True)
    params = params or default_parameters()
    with uow:
        pending = sorted(set(range(run.partitions)) - _done_partitions(uow.session, run.id))
    written: list[PartitionResult] = []
    for partition in pending:
        if stop_after is not None and len(written) >= stop_after:
            break
        result = _write_partition(uow, run_id=run.id, month=month, partition=partition, partitions=run.partitions,
                                  params=params, actor=actor, at=at)
        if result is not None:
            written.append(result)
            if on_partition:
                on_partition(result)
    _complete(uow, run.id, actor=actor, at=at)
    return _summary(uow, run.id, written=written, already_completed=False)


def _sums(session: Session, *conditions: ColumnElement[bool],
          table: type[Assessment] | type[AssessmentAdjustment] = Assessment) -> tuple[int, dict[str, int]]:
    """Rows and the sum of every amount column of ``table`` under ``conditions``."""
    columns = (*SHARE_COLUMNS, *PAYER_COLUMNS, "total")
    query = select(func.count(), *(func.coalesce(func.sum(getattr(table, c)), 0) for c in columns))
    count, *sums = session.execute(query.where(*conditions)).one()
    return int(count), {c: int(v) for c, v in zip(columns, sums, strict=True)}


def _funds(sums: dict[str, int]) -> dict[str, int]:
    return {fund: sum(sums[c] for c in columns) for fund, columns in FUND_COLUMNS.items()}


def _summary(uow: UnitOfWork, run_id: int, *, written: list[PartitionResult], already_completed: bool) -> RunSummary:
    with uow:
        session = uow.session
        run = session.get_one(AssessmentRun, run_id)
        rows, sums = _sums(session, Assessment.run_id == run_id)
        return RunSummary(key=run.key, month=run.month, partitions=run.partitions,
                          partitions_done=len(_done_partitions(session, run_id)), status=run.status,
                          already_completed=already_completed, written_now=written, rows=rows, total=sums["total"],
                          funds=_funds(sums), payers={payer: sums[f"{payer}_total"] for payer in PAYERS})


def employer_dues(*, uow: UnitOfWork, month: dt.date, employer_unit_code: str) -> EmployerDues:
    """What the employer ``employer_unit_code`` owes for ``month``, summed in SQL over its assessment rows
    and re-assessments (``people`` counts the run's rows)."""
    _check(month, None)
    with uow:
        session = uow.session
        employer_id = employer_by_key(session, employer_unit_code, field="employer_unit_code").id
        people, sums = _sums(session, Assessment.employer_id == employer_id, Assessment.month == month)
        _, corrections = _sums(session, AssessmentAdjustment.employer_id == employer_id,
                               AssessmentAdjustment.month == month, table=AssessmentAdjustment)
        sums = {column: amount + corrections[column] for column, amount in sums.items()}
    return EmployerDues(unit_code=employer_unit_code, month=month, people=people,
                        shares={c: sums[c] for c in SHARE_COLUMNS}, funds=_funds(sums),
                        payers={payer: sums[f"{payer}_total"] for payer in PAYERS}, total=sums["total"])
