"""Generate the synthetic country and load it into a database, with optional progress bars.

:func:`synthesise` is what ``ansinh synth`` and ``ansinh demo`` call: it makes sure the
administrative map is loaded, reads the communes in force on the day observed, generates
the country and hands the frames to the registry's bulk load (one transaction), acting as
the system: the load is one audit event, whatever the number of people.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import polars as pl
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine

from ansinh.core.actor import SYSTEM
from ansinh.core.clock import VIETNAM
from ansinh.db.uow import UnitOfWork
from ansinh.org.service import communes_frame, load_admin_map, resolve_province
from ansinh.registry.bulk import load_frames
from ansinh.synth.country import SyntheticCountry, generate

GENERATION_STAGES = ("people", "careers", "wages", "coverage", "tables")


@dataclass(frozen=True)
class Summary:
    """What one run produced and how long it took."""

    people: int
    """People in the population register (living and recently dead)."""
    registered: int
    households: int
    employers: int
    participation_periods: int
    pensioners: int
    deaths: int
    seconds: float
    generate_seconds: float
    load_seconds: float

    @classmethod
    def of(cls, country: SyntheticCountry, *, generate_seconds: float, load_seconds: float) -> Summary:
        return cls(
            people=country.population_record.height,
            registered=country.person.height,
            households=country.household.height,
            employers=country.employer.height,
            participation_periods=country.participation.height,
            pensioners=country.pensioners,
            deaths=country.death_notice.height,
            seconds=generate_seconds + load_seconds,
            generate_seconds=generate_seconds,
            load_seconds=load_seconds,
        )

    def rows(self) -> list[tuple[str, str]]:
        """Label and value of each figure, for a summary table."""
        return [
            ("people (population register)", f"{self.people:,}"),
            ("registered (registry persons)", f"{self.registered:,}"),
            ("households", f"{self.households:,}"),
            ("employers", f"{self.employers:,}"),
            ("participation periods", f"{self.participation_periods:,}"),
            ("pensioners", f"{self.pensioners:,}"),
            ("deaths", f"{self.deaths:,}"),
            (
                "seconds (generate + load)",
                f"{self.seconds:.1f} ({self.generate_seconds:.1f} + {self.load_seconds:.1f})",
            ),
        ]


class _Bars:
    """Rich progress bars: one for the generation stages, one per table loaded."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.stage_task = progress.add_task("generating", total=len(GENERATION_STAGES)) if progress else None
        self.tables: dict[str, TaskID] = {}

    def stage(self, name: str) -> None:
        if self.progress is None or self.stage_task is None:
            return
        done = GENERATION_STAGES.index(name) if name in GENERATION_STAGES else 0
        self.progress.update(self.stage_task, completed=done, description=f"generating: {name}")

    def generated(self) -> None:
        if self.progress is not None and self.stage_task is not None:
            self.progress.update(self.stage_task, completed=len(GENERATION_STAGES), description="generated")

    def table(self, name: str, done: int, total: int) -> None:
        if self.progress is None:
            return
        if name not in self.tables:
            self.tables[name] = self.progress.add_task(f"loading {name}", total=total)
        self.progress.update(self.tables[name], completed=done)


@contextmanager
def _bars(show: bool, console: Console | None) -> Iterator[_Bars]:
    if not show:
        yield _Bars(None)
        return
    columns = (TextColumn("{task.description:<32}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console or Console(stderr=True), transient=False) as progress:
        yield _Bars(progress)


def synthesise(
    *, engine: Engine, people: int, seed: int, as_of: dt.date, progress: bool = False,
    replace: bool = False, console: Console | None = None, provinces: Sequence[str] = (),
    at: dt.datetime | None = None,
) -> Summary:
    """Generate ``people`` people (seed ``seed``, observed on ``as_of``) into the database.

    The schema must be migrated. The administrative map is loaded if it is not yet (that is
    idempotent). Refuses a registry that already holds people unless ``replace``. With
    ``provinces`` (codes in force on ``as_of``), people live and work in those provinces
    only, as in one provincial office's database; otherwise over the whole country.
    ``at`` is the moment the load's audit event records (the command line passes the
    clock's time); without it, the start of ``as_of`` in Vietnam, the day the country is
    observed.
    """
    uow = UnitOfWork(engine)
    with _bars(progress, console) as bars:
        started = time.perf_counter()
        load_admin_map(uow=uow)
        communes = communes_frame(uow=uow, on=as_of)
        if provinces:
            codes = [resolve_province(uow=uow, code=c, on=as_of, field="province").code for c in provinces]
            communes = communes.filter(pl.col("province_code").is_in(codes))
        country = generate(communes=communes, people=people, seed=seed, as_of=as_of, stage=bars.stage)
        bars.generated()
        generated = time.perf_counter()
        load_frames(uow=uow, frames=country.tables(), replace=replace, progress=bars.table, actor=SYSTEM,
                    at=at or dt.datetime.combine(as_of, dt.time(), tzinfo=VIETNAM))
        loaded = time.perf_counter()
    return Summary.of(country, generate_seconds=generated - started, load_seconds=loaded - generated)
