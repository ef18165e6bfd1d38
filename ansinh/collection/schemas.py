"""Types at the assessment's edge: a run's summary, one partition's result, an employer's dues.

Amounts are integer đồng. ``funds`` maps each fund (the ledger's fund names) to its total of
every payer's share; ``payers`` maps each payer to its total; ``shares`` maps
``<payer>_<fund>`` to the amount, the columns of the assessment table.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from ansinh.collection.models import RunStatus


class PartitionResult(BaseModel):
    """One partition written by this call."""

    partition: int
    rows: int
    total: int
    entries: int
    """Ledger entries posted (one per employer with dues)."""


class RunSummary(BaseModel):
    """A run as it stands: what was charged in total and what this call did."""

    key: str
    month: dt.date
    partitions: int
    partitions_done: int
    status: RunStatus
    already_completed: bool
    """The run was complete before this call, which wrote nothing."""
    written_now: list[PartitionResult]
    rows: int
    total: int
    funds: dict[str, int]
    payers: dict[str, int]


class EmployerDues(BaseModel):
    """What one employer's people owe for one month, by share, fund and payer."""

    unit_code: str
    month: dt.date
    people: int
    """Participations charged (a person counts once per participation)."""
    shares: dict[str, int]
    funds: dict[str, int]
    payers: dict[str, int]
    total: int
