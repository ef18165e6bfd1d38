"""The port to the national population database, and its local implementation.

Registration checks a person's identity against the register, and the register notifies
deaths. In production the port is an adapter to the national database; by default (and in
the demo, where the synthetic population is the register) it reads the local
``population_record`` table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from ansinh.registry.models import PopulationRecord


@dataclass(frozen=True)
class PopulationEntry:
    """What the register says of a citizen ID."""

    citizen_id: str
    full_name: str
    birth_date: dt.date
    sex: str
    residence_commune_code: str
    death_date: dt.date | None


class PopulationRegister(Protocol):
    """Look up a citizen in the national population database."""

    def lookup(self, citizen_id: str) -> PopulationEntry | None:
        """The register's entry for ``citizen_id``, or None when it has none."""
        ...

    def record_death(self, citizen_id: str, death_date: dt.date) -> None:
        """Note a death the register has notified (a no-op for a remote register)."""
        ...


class LocalPopulationRegister:
    """The register as a local table (the synthetic population in the demo)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def lookup(self, citizen_id: str) -> PopulationEntry | None:
        record = self._session.get(PopulationRecord, citizen_id)
        if record is None:
            return None
        return PopulationEntry(
            citizen_id=record.citizen_id,
            full_name=record.full_name,
            birth_date=record.birth_date,
            sex=str(record.sex),
            residence_commune_code=record.residence_commune_code,
            death_date=record.death_date,
        )

    def record_death(self, citizen_id: str, death_date: dt.date) -> None:
        record = self._session.get(PopulationRecord, citizen_id)
        if record is not None and record.death_date is None:
            record.death_date = death_date
