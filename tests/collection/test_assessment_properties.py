"""Whatever the order of runs, interruptions, retries and back-dated changes, no participation-month
is charged twice and the books balance."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select, text, union_all, update

from ansinh.collection.assessment import assess_month, charge
from ansinh.collection.models import Assessment, AssessmentAdjustment
from ansinh.collection.reassessment import reassess
from ansinh.core.actor import SYSTEM
from ansinh.db.uow import UnitOfWork
from ansinh.law import default_parameters
from ansinh.ledger.service import trial_balance
from ansinh.registry.extracts import compulsory_in_force
from ansinh.registry.lookups import employer_by_key
from ansinh.registry.models import Participation
from tests.conftest import MUTABLE_TABLES
from tests.factories import add_participation, register_employer, register_person

MONTHS = (dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1))
AT = dt.datetime(2026, 4, 10, 8, tzinfo=dt.UTC)
ON = dt.date(2026, 4, 10)
PARAMS = default_parameters()
PARTITIONS = 3

operations = st.one_of(
    st.tuples(st.just("run"), st.integers(0, 2), st.one_of(st.none(), st.integers(0, 2))),
    st.tuples(st.just("raise"), st.integers(0, 3), st.integers(5_000_000, 60_000_000)),
    st.tuples(st.just("retry_reassess"), st.integers(0, 1)),
)


def _world(db: Engine) -> tuple[UnitOfWork, list[int], list[int]]:
    """Two employers, four workers from 2025-12, all in force over January-March 2026."""
    with db.begin() as connection:  # Hypothesis reuses the fixture's database between examples
        for table in MUTABLE_TABLES:
            connection.execute(text(f"DELETE FROM {table}"))
    uow = UnitOfWork(db)
    units = [register_employer(uow, tax_code=tax, name=f"Công ty {i}", wage_region=1 + i,
                               ownership_sector="private").unit_code
             for i, tax in enumerate(("0100233488", "0100109106"))]
    periods = []
    for index in range(4):
        citizen_id = f"0011850043{index:02d}"
        register_person(uow, citizen_id=citizen_id, si_number=f"01234567{index:02d}", full_name="Nguyễn Văn An")
        periods.append(add_participation(uow, citizen_id, start_month="2025-12", end_month=None,
                                         monthly_salary=8_000_000 + index, employer_unit_code=units[index % 2],
                                         as_of=ON).id)
    with uow:
        employers = [employer_by_key(uow.session, unit).id for unit in units]
    return uow, employers, periods


def _charged(uow: UnitOfWork) -> pl.DataFrame:
    """Per month and participation: the total charged in both tables."""
    with uow:
        parts = [select(t.month, t.participation_id, t.total) for t in (Assessment, AssessmentAdjustment)]
        rows = uow.session.execute(union_all(*parts)).all()
    frame = pl.DataFrame(rows, schema={"month": pl.Date, "participation_id": pl.Int64, "total": pl.Int64},
                         orient="row")
    return frame.group_by("month", "participation_id").agg(pl.col("total").sum())


def _should(uow: UnitOfWork, employers: list[int], assessed: set[tuple[dt.date, int]]) -> pl.DataFrame:
    """What the registry now says each assessed employer-month costs, per participation."""
    frames = []
    with uow:
        for month, employer in assessed:
            now = charge(compulsory_in_force(uow.session, month=month, employer_id=employer), month=month,
                         params=PARAMS)
            frames.append(now.select(pl.lit(month).alias("month"), "participation_id", "total"))
    if not frames:
        return pl.DataFrame(schema={"month": pl.Date, "participation_id": pl.Int64, "total": pl.Int64})
    return pl.concat(frames).with_columns(pl.col("total").cast(pl.Int64))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(operations, min_size=1, max_size=8))
def test_no_participation_month_is_charged_twice(db: Engine, steps: list[tuple[object, ...]]) -> None:
    uow, employers, periods = _world(db)
    assessed: set[tuple[dt.date, int]] = set()
    causes = 0
    for step in steps:
        if step[0] == "run":
            month = MONTHS[int(step[1])]  # type: ignore[call-overload]
            stop = step[2]
            summary = assess_month(uow=uow, month=month, actor=SYSTEM, at=AT, partitions=PARTITIONS,
                                   stop_after=stop)  # type: ignore[arg-type]
            done = {p.partition for p in summary.written_now} if not summary.already_completed else set()
            assessed |= {(month, e) for e in employers if e % PARTITIONS in done or summary.status == "completed"}
        elif step[0] == "raise":
            _, which, salary = step
            period = periods[int(which)]  # type: ignore[call-overload]
            with uow:
                uow.session.execute(update(Participation).where(Participation.id == period)
                                    .values(monthly_salary=salary))
                uow.commit()
            causes += 1
            for employer in employers:  # the change reaches back to the start: every month is re-assessed
                reassess(uow=uow, employer_id=employer, months=MONTHS, cause=f"declaration:{causes}", on=ON,
                         actor=SYSTEM, at=AT)
        elif causes:
            reassess(uow=uow, employer_id=employers[int(step[1])], months=MONTHS,  # type: ignore[call-overload]
                     cause=f"declaration:{causes}", on=ON, actor=SYSTEM, at=AT)
    charged = _charged(uow)
    # The run's rows are unique per month and participation; with adjustments, each
    # participation-month assessed sums to exactly what the registry says it costs.
    expected = _should(uow, employers, assessed)
    assert charged.sort("month", "participation_id").equals(expected.sort("month", "participation_id"))
    assert trial_balance(uow=uow, start=MONTHS[0], end=ON).balanced
