"""The on-time report: how many dossiers each office decided within their deadline.

For a period ``[start, end]`` of decision days it counts, by office and procedure, the
dossiers decided, those decided on or before their due date and those decided after it,
their on-time rate and the average number of working days from receipt to decision; and,
as of a day ``on``, the dossiers still open past their due date. This is the figure
Decree 61/2018 art. 31 asks offices to publish on their handling of dossiers.

Offices are those of the structure in force on ``on``. A dossier counts under the office
that held it on ``on`` (:func:`~ansinh.org.work.held_on` undoes the moves of later
restructurings); when that office was closed by then, as a district office whose delivered
dossiers stayed with it after the 2025 reform, under the office that took over its work
(:func:`~ansinh.org.directory.office_of_record_on`). So a period spanning a restructuring
reads as one set of offices. A dossier whose office has no single successor is counted
under no office (``office`` None), never dropped.

Pure query: the dates are passed in. The dossier columns are read in one query and counted
with Polars; working days are counted with a cumulative index of the calendar over the
period, not one calendar walk per dossier.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import polars as pl
from pydantic import BaseModel, Field
from sqlalchemy import and_, or_, select

from ansinh.accounts.principal import Principal
from ansinh.core.errors import InvalidInput
from ansinh.db.uow import UnitOfWork
from ansinh.org import work
from ansinh.org.directory import OfficeInfo, office_of_record_on, offices_by_id, offices_under
from ansinh.services import calendar
from ansinh.services.catalogue import default_catalogue
from ansinh.services.models import Dossier

RATE_PLACES = Decimal("0.0001")
"""The rate is a ratio to four places: a percent to two, more than a page shows."""
DAYS_PLACES = Decimal("0.1")
CHUNK = 5000
"""Work items read per query: well under the bound parameters SQLite and PostgreSQL take."""
NO_OFFICE = -1
"""Stands for "no office of the structure of ``on``" inside the frames (Polars groups nulls too,
but a sentinel keeps the joins plain)."""


class ReportOffice(BaseModel):
    code: str
    name: str
    name_en: str


class OnTimeCounts(BaseModel):
    """The figures of one line, of one office's total or of the grand total."""

    decided: int = Field(description="Dossiers decided in the period.")
    on_time: int = Field(description="Of those, decided on or before their due date.")
    late: int = Field(description="Of those, decided after their due date.")
    rate: Decimal | None = Field(description="on_time / decided, to four places; None when none was decided.")
    average_working_days: Decimal | None = Field(
        description="Mean working days from receipt to decision, to one place; None when none was decided.")
    open_overdue: int = Field(description="Open on the report's day, not awaiting a supplement, past the due date.")


class OnTimeRow(OnTimeCounts):
    office: ReportOffice | None = Field(description="None: no one office of the structure of the report's day.")
    procedure_code: str
    procedure_name_vi: str
    procedure_name_en: str


class OfficeTotal(OnTimeCounts):
    office: ReportOffice | None


class OnTimeReport(BaseModel):
    """Dossiers decided from ``start`` to ``end``, and those overdue on ``on``, by office and procedure."""

    start: dt.date
    end: dt.date
    on: dt.date
    rows: list[OnTimeRow]
    offices: list[OfficeTotal]
    total: OnTimeCounts


# ----------------------------------------------------------------------------- reading

COLUMNS: dict[str, Any] = {
    "work_item_id": pl.Int64, "procedure": pl.String, "received_on": pl.Date, "due_on": pl.Date,
    "decided_on": pl.Date, "awaiting": pl.Boolean,
}


def _dossiers(uow: UnitOfWork, start: dt.date, end: dt.date, on: dt.date) -> pl.DataFrame:
    """Dossiers decided in the period, and those possibly overdue on ``on``, as one frame."""
    decided = Dossier.decided_on.between(start, end)
    open_then = and_(Dossier.work_item_id.is_not(None), Dossier.received_on <= on, Dossier.due_on < on,
                     or_(Dossier.decided_on.is_(None), Dossier.decided_on > on))
    query = select(Dossier.work_item_id, Dossier.procedure_code, Dossier.received_on, Dossier.due_on,
                   Dossier.decided_on, Dossier.paused_days).where(or_(decided, open_then))
    with uow:
        rows = [(*row[:5], _awaiting_on(row[5], on)) for row in uow.session.execute(query)]
    return pl.DataFrame(rows, schema=COLUMNS, orient="row")


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for index in range(0, len(ids), CHUNK):
        yield ids[index:index + CHUNK]


def _record_offices(uow: UnitOfWork, item_ids: Collection[int],
                    on: dt.date) -> tuple[dict[int, int], dict[int, OfficeInfo]]:
    """Each work item's office under the structure of ``on`` (NO_OFFICE for none), and those offices."""
    held: dict[int, int] = {}
    for chunk in _chunks(sorted(item_ids)):
        held.update({i: item.office_id for i, item in work.work_items(uow=uow, ids=chunk).items()})
    with uow:
        held = work.held_on(uow.session, held, on)
        offices = offices_by_id(uow.session, set(held.values()))
    record: dict[int, int] = {}
    found: dict[int, OfficeInfo] = {}
    for office_id, office in offices.items():
        standing = office if office.in_force(on) else office_of_record_on(uow=uow, office_id=office_id, on=on)
        record[office_id] = standing.id if standing is not None else NO_OFFICE
        if standing is not None:
            found[standing.id] = standing
    return {item: record[office] for item, office in held.items()}, found


def _awaiting_on(paused_days: str | None, on: dt.date) -> bool:
    """Whether the dossier was with its applicant for a supplement on ``on`` (its clock stopped)."""
    for stopped, resumed in json.loads(paused_days or "[]"):
        if dt.date.fromisoformat(stopped) <= on and (resumed is None or on < dt.date.fromisoformat(resumed)):
            return True
    return False


def _working_day_index(first: dt.date, last: dt.date) -> pl.DataFrame:
    """For each day from ``first`` to ``last``: the working days in (first, day], so that
    ``index[b] - index[a]`` is :func:`calendar.working_days_between` (a, b)."""
    days, counts, count = [], [], 0
    day = first
    while day <= last:
        if day > first and calendar.is_working_day(day):
            count += 1
        days.append(day)
        counts.append(count)
        day += calendar.ONE_DAY
    return pl.DataFrame({"day": days, "index": counts}, schema={"day": pl.Date, "index": pl.Int64})


def _with_days(decided: pl.DataFrame) -> pl.DataFrame:
    """Add ``days``: working days from receipt to decision, 0 for a decision before the count began
    (a dossier handed in after 15:00 and decided the same evening counts from the next day)."""
    if decided.is_empty():
        return decided.with_columns(pl.lit(0, dtype=pl.Int64).alias("days"))
    first, last = decided.select(
        pl.min_horizontal(pl.col("received_on").min(), pl.col("decided_on").min()).alias("first"),
        pl.max_horizontal(pl.col("received_on").max(), pl.col("decided_on").max()).alias("last")).row(0)
    index = _working_day_index(first, last)
    joined = (decided.join(index.rename({"day": "received_on", "index": "from_index"}), on="received_on", how="left")
              .join(index.rename({"day": "decided_on", "index": "to_index"}), on="decided_on", how="left"))
    return joined.with_columns(pl.max_horizontal(pl.col("to_index") - pl.col("from_index"), pl.lit(0)).alias("days"))


def _facts(frame: pl.DataFrame, start: dt.date, end: dt.date, on: dt.date, offices: dict[int, int]) -> pl.DataFrame:
    """One row per dossier counted: its office, procedure, and 0/1 for each figure."""
    in_period = pl.col("decided_on").is_between(start, end)
    overdue = (pl.col("decided_on").is_null() | (pl.col("decided_on") > on)) & (pl.col("due_on") < on)
    frame = frame.with_columns(
        pl.col("work_item_id").replace_strict(offices, default=NO_OFFICE, return_dtype=pl.Int64).alias("office"),
        in_period.fill_null(value=False).alias("is_decided"),
        (overdue.fill_null(value=False) & ~pl.col("awaiting")).alias("is_overdue"),
    )
    decided = _with_days(frame.filter(pl.col("is_decided")))
    others = frame.filter(~pl.col("is_decided")).with_columns(pl.lit(0, dtype=pl.Int64).alias("days"))
    both = pl.concat([decided.select(others.columns), others])
    on_time = pl.col("is_decided") & (pl.col("due_on").is_null() | (pl.col("decided_on") <= pl.col("due_on")))
    return both.select(
        "office", "procedure", pl.col("is_decided").cast(pl.Int64).alias("decided"),
        on_time.cast(pl.Int64).alias("on_time"), pl.col("is_overdue").cast(pl.Int64).alias("open_overdue"),
        pl.when(pl.col("is_decided")).then(pl.col("days")).otherwise(0).alias("days"))


# ----------------------------------------------------------------------------- counting

def _sums(facts: pl.DataFrame, keys: list[str]) -> list[dict[str, Any]]:
    sums = [pl.col(c).sum() for c in ("decided", "on_time", "open_overdue", "days")]
    if not keys:
        return facts.select(sums).to_dicts() if not facts.is_empty() else []
    return facts.group_by(keys).agg(sums).to_dicts()


def _counts(sums: dict[str, Any]) -> dict[str, Any]:
    decided, on_time = int(sums.get("decided") or 0), int(sums.get("on_time") or 0)
    rate = (Decimal(on_time) / Decimal(decided)).quantize(RATE_PLACES, ROUND_HALF_UP) if decided else None
    days = (Decimal(int(sums.get("days") or 0)) / Decimal(decided)).quantize(DAYS_PLACES, ROUND_HALF_UP) \
        if decided else None
    return {"decided": decided, "on_time": on_time, "late": decided - on_time, "rate": rate,
            "average_working_days": days, "open_overdue": int(sums.get("open_overdue") or 0)}


def _office(offices: dict[int, OfficeInfo], office_id: int) -> ReportOffice | None:
    office = offices.get(office_id)
    return ReportOffice(code=office.code, name=office.name, name_en=office.name_en) if office else None


def _order(office: ReportOffice | None) -> tuple[bool, str]:
    return (office is None, office.code if office else "")


def offices_seen(*, uow: UnitOfWork, principal: Principal, on: dt.date) -> set[int] | None:
    """The offices whose figures ``principal`` reads: all (None) for central staff, else their
    own office and the offices under it on ``on``."""
    if principal.national:
        return None
    if principal.office_id is None:
        return set()
    return offices_under(uow=uow, office_id=principal.office_id, on=on)


def on_time_report(*, uow: UnitOfWork, start: dt.date, end: dt.date, on: dt.date,
                   within: Collection[int] | None = None) -> OnTimeReport:
    """Dossiers decided from ``start`` to ``end`` (inclusive) against their due dates, and those
    open and overdue on ``on``, by office of the structure of ``on`` and procedure; only the
    offices ``within`` when given (a provincial manager's own), every office otherwise."""
    if start > end:
        raise InvalidInput(f"the period ends on {end.isoformat()}, before it starts on {start.isoformat()}",
                           code="report.period", field="end", rule="a report's period ends on or after its start")
    frame = _dossiers(uow, start, end, on)
    record, offices = _record_offices(uow, set(frame["work_item_id"].drop_nulls().to_list()), on)
    facts = _facts(frame, start, end, on, record)
    facts = facts.filter((pl.col("decided") + pl.col("open_overdue")) > 0)
    if within is not None:
        facts = facts.filter(pl.col("office").is_in(list(within)))
    procedures = default_catalogue().procedures
    rows = []
    for sums in _sums(facts, ["office", "procedure"]):
        procedure = procedures.get(sums["procedure"])
        rows.append(OnTimeRow(office=_office(offices, sums["office"]), procedure_code=sums["procedure"],
                              procedure_name_vi=procedure.name_vi if procedure else sums["procedure"],
                              procedure_name_en=procedure.name_en if procedure else sums["procedure"],
                              **_counts(sums)))
    totals = [OfficeTotal(office=_office(offices, sums["office"]), **_counts(sums))
              for sums in _sums(facts, ["office"])]
    grand = _sums(facts, [])
    return OnTimeReport(
        start=start, end=end, on=on,
        rows=sorted(rows, key=lambda r: (*_order(r.office), r.procedure_code)),
        offices=sorted(totals, key=lambda t: _order(t.office)),
        total=OnTimeCounts(**_counts(grand[0] if grand else {})))
