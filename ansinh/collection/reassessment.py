"""Re-assessment: charging the difference when the registry changes for a month already assessed.

A back-dated declaration or an inspection's findings change what was in force in a past
month. Once the month's run has charged the employer (its partition is written), the
monthly run will not look at it again, so the change is charged here: for each such month,
the employer's participations now in force are charged by the same batch rules as the run
(:func:`ansinh.collection.assessment.charge`), what was already charged for them (the run's
rows and earlier adjustments) is subtracted, and the non-zero differences are written as
``assessment_adjustment`` rows, with one ledger entry for the month: each fund's increase
on receivable and revenue, a decrease the other way round.

A month not yet assessed for the employer is left alone: its run will charge what is in
force when it comes. Each re-assessment has a key, ``reassess:YYYY-MM:<unit code>:<cause>``;
the same key is never written twice, so a retried declaration charges nothing more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from ansinh.collection.assessment import FUND_COLUMNS, FUNDS, PAYER_COLUMNS, SHARE_COLUMNS, charge, charge_entry_frames
from ansinh.collection.balances import charged
from ansinh.collection.models import AssessmentAdjustment, AssessmentPartition, AssessmentRun
from ansinh.core.actor import Actor
from ansinh.core.periods import format_month
from ansinh.db import bulk
from ansinh.db.uow import UnitOfWork
from ansinh.law import default_parameters
from ansinh.law.params import ParameterSet
from ansinh.ledger.frames import post_frames
from ansinh.registry.extracts import compulsory_in_force
from ansinh.registry.lookups import employer_by_id

AMOUNT_COLUMNS = ("salary", "si_base", "hi_base", "ui_base", *SHARE_COLUMNS, *PAYER_COLUMNS, "total")
"""The columns re-assessment takes differences of."""
ADJUSTMENT_COLUMNS = ("reassessment_key", "cause", "month", "participation_id", "person_id", "employer_id",
                      *AMOUNT_COLUMNS, "written_on")


class MonthReassessed(BaseModel):
    """What re-assessing one month changed for one employer."""

    month: dt.date
    key: str
    rows: int
    """Participations whose charge changed."""
    total: int
    """The signed change of the month's dues (all payers)."""
    funds: dict[str, int]
    already_done: bool = False


def reassessment_key(month: dt.date, unit_code: str, cause: str) -> str:
    return f"reassess:{format_month(month)}:{unit_code}:{cause}"


def _assessed_for(session: Session, month: dt.date, employer_id: int) -> bool:
    """Whether the month's run has charged this employer (its partition is written); locks the run."""
    run = session.execute(select(AssessmentRun.id, AssessmentRun.partitions).where(AssessmentRun.month == month)
                          .with_for_update()).first()
    if run is None:
        return False
    partition = employer_id % run.partitions
    return session.scalar(select(AssessmentPartition.id).where(
        AssessmentPartition.run_id == run.id, AssessmentPartition.partition == partition)) is not None


def _charged_so_far(session: Session, month: dt.date, employer_id: int) -> pl.DataFrame:
    """Per participation: the sum of its run row and adjustments for the month."""
    return charged(session, AMOUNT_COLUMNS, lambda table: [table.month == month, table.employer_id == employer_id]
                   ).drop("month", "employer_id")


def _differences(should: pl.DataFrame, charged: pl.DataFrame) -> pl.DataFrame:
    """Per participation: what should be charged minus what was, rows with any change only."""
    now = should.select("participation_id", "person_id", *(pl.col(c).cast(pl.Int64) for c in AMOUNT_COLUMNS))
    joined = now.join(charged, on="participation_id", how="full", coalesce=True, suffix="_was")
    return (joined.select(
        "participation_id",
        pl.coalesce("person_id", "person_id_was").alias("person_id"),
        *((pl.col(c).fill_null(0) - pl.col(f"{c}_was").fill_null(0)).alias(c) for c in AMOUNT_COLUMNS))
        .filter(pl.any_horizontal(pl.col(c) != 0 for c in AMOUNT_COLUMNS))
        .sort("participation_id"))


def reassess(*, uow: UnitOfWork, employer_id: int, months: Sequence[dt.date], cause: str, on: dt.date,
             actor: Actor, at: dt.datetime, params: ParameterSet | None = None) -> list[MonthReassessed]:
    """Charge the change of each of ``months`` already assessed for the employer; months not assessed are skipped.

    Runs inside the caller's transaction when one is open (a declaration re-assesses what its
    lines changed in the same transaction as the lines).
    """
    params = params or default_parameters()
    done: list[MonthReassessed] = []
    with uow:
        session = uow.session
        unit_code = employer_by_id(session, employer_id).unit_code
        for month in sorted(set(months)):
            if not _assessed_for(session, month, employer_id):
                continue
            key = reassessment_key(month, unit_code, cause)
            if session.scalar(select(AssessmentAdjustment.id).where(AssessmentAdjustment.reassessment_key == key)
                              .limit(1)) is not None:
                done.append(MonthReassessed(month=month, key=key, rows=0, total=0, funds={}, already_done=True))
                continue
            should = charge(compulsory_in_force(session, month=month, employer_id=employer_id),
                            month=month, params=params)
            diff = _differences(should, _charged_so_far(session, month, employer_id))
            if diff.height:
                rows = diff.with_columns(reassessment_key=pl.lit(key), cause=pl.lit(cause),
                                         month=pl.lit(month, dtype=pl.Date), employer_id=pl.lit(employer_id, pl.Int64),
                                         written_on=pl.lit(on, dtype=pl.Date)).select(ADJUSTMENT_COLUMNS)
                bulk.write_frame(session.connection(), AssessmentAdjustment.__tablename__, rows)
                period = format_month(month)
                entries, lines = charge_entry_frames(
                    diff.with_columns(employer_id=pl.lit(employer_id, pl.Int64)), period=period, key=pl.lit(key),
                    entry_date=on, description=f"Contributions re-assessed for {period}",
                    source_type="reassessment", source_id=key)
                post_frames(uow=uow, entries=entries, lines=lines, actor=actor, at=at)
            funds = {fund: int(diff.select(pl.sum_horizontal(FUND_COLUMNS[fund]).sum()).item()) if diff.height else 0
                     for fund in FUNDS}
            done.append(MonthReassessed(month=month, key=key, rows=diff.height,
                                        total=int(diff.get_column("total").sum()) if diff.height else 0, funds=funds))
        uow.commit()
    return done

