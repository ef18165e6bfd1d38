"""Read models: turn registry rows into the public types officers and clients see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from ansinh.core.periods import add_months, format_month, month_start, months_between
from ansinh.org.service import CommuneInfo
from ansinh.registry.models import Employer, Household, Participation, Person
from ansinh.registry.schemas import (
    CommuneRef,
    EmployerPublic,
    HistoryMonth,
    ParticipationPublic,
    PersonPublic,
    PersonSummary,
)


def commune_ref(info: CommuneInfo) -> CommuneRef:
    return CommuneRef(
        code=info.code, name=info.name, province_code=info.province_code,
        province_name=info.province_name,
    )


def person_public(person: Person, commune: CommuneInfo, household: Household | None) -> PersonPublic:
    return PersonPublic(
        citizen_id=person.citizen_id,
        si_number=person.si_number,
        full_name=person.full_name,
        birth_date=person.birth_date,
        sex=person.sex,
        birth_province_code=person.birth_province_code,
        residence=commune_ref(commune),
        household_code=household.code if household else None,
        household_role=person.household_role,
        death_date=person.death_date,
        registered_on=person.registered_on,
    )


def person_summary(person: Person, commune: CommuneInfo) -> PersonSummary:
    return PersonSummary(
        citizen_id=person.citizen_id,
        si_number=person.si_number,
        full_name=person.full_name,
        birth_date=person.birth_date,
        sex=person.sex,
        province_name=commune.province_name,
    )


def employer_public(employer: Employer, commune: CommuneInfo) -> EmployerPublic:
    return EmployerPublic(
        unit_code=employer.unit_code,
        tax_code=employer.tax_code,
        name=employer.name,
        address=commune_ref(commune),
        wage_region=employer.wage_region,
        wage_region_source=employer.wage_region_source,
        ownership_sector=employer.ownership_sector,
        industry_code=employer.industry_code,
        registered_on=employer.registered_on,
    )


def _last_month(period: Participation, as_of: dt.date) -> dt.date:
    current = month_start(as_of)
    return min(period.end_month, current) if period.end_month else current


def participation_public(
    period: Participation, employer: Employer | None, *, as_of: dt.date
) -> ParticipationPublic:
    last = _last_month(period, as_of)
    return ParticipationPublic(
        id=period.id,
        employer_unit_code=employer.unit_code if employer else None,
        employer_name=employer.name if employer else None,
        scheme=period.scheme,
        hi_group_code=period.hi_group_code,
        start_month=format_month(period.start_month),
        end_month=format_month(period.end_month) if period.end_month else None,
        monthly_salary=period.monthly_salary,
        months=max(0, months_between(period.start_month, last)),
    )


def history_months(
    periods: Iterable[tuple[Participation, Employer | None]], *, as_of: dt.date
) -> list[HistoryMonth]:
    """Lay the periods out month by month (up to ``as_of``), oldest first."""
    rows: list[HistoryMonth] = []
    for period, employer in periods:
        first, last = period.start_month, _last_month(period, as_of)
        # Counted rather than stepped past ``last``, which may be the last month a date can hold.
        for offset in range(months_between(first, last)):
            month = add_months(first, offset)
            rows.append(
                HistoryMonth(
                    month=format_month(month),
                    employer_unit_code=employer.unit_code if employer else None,
                    employer_name=employer.name if employer else None,
                    scheme=period.scheme,
                    hi_group_code=period.hi_group_code,
                    monthly_salary=period.monthly_salary,
                )
            )
    rows.sort(key=lambda r: (r.month, r.employer_unit_code or ""))
    return rows


def distinct_months(history: Sequence[HistoryMonth]) -> int:
    """Months covered at least once (two jobs in one month count once)."""
    return len({row.month for row in history})
