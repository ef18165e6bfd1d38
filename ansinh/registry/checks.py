"""Checks the registry applies before it writes, each naming the field and the rule.

They are separate from the verbs so that a bulk declaration file, the API and the CLI all
refuse the same input for the same reason.
"""

from __future__ import annotations

import datetime as dt

from ansinh.core.errors import IdentityMismatch, InvalidInput
from ansinh.core.periods import format_month, month_start
from ansinh.law import default_parameters
from ansinh.registry.identifiers import name_key
from ansinh.registry.models import Scheme
from ansinh.registry.population import PopulationEntry

EARLIEST_BIRTH = dt.date(1900, 1, 1)
"""The citizen ID's century digit cannot express a birth before 1900."""


def check_birth_date(birth_date: dt.date, *, as_of: dt.date, field: str = "birth_date") -> None:
    """A birth date is on or after 1900-01-01 and not after the day of registration."""
    if birth_date > as_of:
        raise InvalidInput(
            f"{birth_date.isoformat()} is after {as_of.isoformat()}", code="birth_date.future",
            field=field, rule="a person cannot be born after the day they are registered",
        )
    if birth_date < EARLIEST_BIRTH:
        raise InvalidInput(
            f"{birth_date.isoformat()} is before 1900", code="birth_date.too_early", field=field,
            rule="personal IDs encode births from 1900",
        )


def check_identity(
    entry: PopulationEntry | None, *, citizen_id: str, full_name: str, birth_date: dt.date, sex: str
) -> PopulationEntry:
    """The identity given must be the one the population register holds for that ID."""
    if entry is None:
        raise IdentityMismatch(
            f"{citizen_id} is not in the national population register",
            code="identity.not_in_register", field="citizen_id",
            rule="a person is registered only with a citizen ID the population register knows",
        )
    mismatches = [
        name
        for name, ours, theirs in (
            ("full_name", name_key(full_name), name_key(entry.full_name)),
            ("birth_date", birth_date, entry.birth_date),
            ("sex", sex, entry.sex),
        )
        if ours != theirs
    ]
    if mismatches:
        raise IdentityMismatch(
            f"{', '.join(mismatches)} differ from the population register for {citizen_id}",
            code="identity.mismatch", field=mismatches[0],
            rule="name, birth date and sex must match the population register",
        )
    if entry.death_date is not None:
        raise IdentityMismatch(
            f"the population register records {citizen_id} as died on {entry.death_date.isoformat()}",
            code="identity.deceased", field="citizen_id",
            rule="a deceased person cannot be registered",
        )
    return entry


def check_period(
    start: dt.date, end: dt.date | None, *, as_of: dt.date, death_date: dt.date | None
) -> None:
    """Months run forward, start no later than the current month, and stop at death."""
    if end is not None and end < start:
        raise InvalidInput(
            f"{format_month(end)} is before {format_month(start)}", code="period.order",
            field="end_month", rule="a period cannot end before it starts",
        )
    if start > month_start(as_of):
        raise InvalidInput(
            f"{format_month(start)} is after the current month {format_month(as_of)}",
            code="period.future", field="start_month",
            rule="participation is recorded up to the current month",
        )
    if death_date is not None and (end is None or end > month_start(death_date)):
        raise InvalidInput(
            f"the person died on {death_date.isoformat()}", code="period.after_death",
            field="end_month", rule="participation ends by the month of death",
        )


def check_minimum_wage(
    salary: int, *, scheme: Scheme, region: int | None, start: dt.date, end: dt.date | None,
    as_of: dt.date,
) -> None:
    """A compulsory salary is at least the region's minimum wage in every month it covers.

    The Labour Code (art. 90-91) requires a full-time wage of at least the regional minimum
    wage. The check runs at the period's start and on every date within it when the
    minimum wage changed; months before the minimum-wage parameters begin are not checked.
    """
    if scheme != Scheme.COMPULSORY or region is None:
        return
    parameter = default_parameters().get(f"labour.minimum_wage.region_{region}")
    last = end or month_start(as_of)
    checkpoints = [start] + [v.starts for v in parameter.values if start < v.starts <= last]
    for month in checkpoints:
        if month < parameter.values[0].starts:
            continue
        entry = parameter.entry_at(month)
        if salary < entry.value:
            raise InvalidInput(
                f"{salary:,} đồng is below the Region {region} minimum wage of {entry.value:,} "
                f"in force from {entry.starts.isoformat()}",
                code="salary.below_minimum_wage", field="monthly_salary",
                rule=f"Labour Code art. 90-91; {entry.source.instrument} {entry.source.article}",
            )
