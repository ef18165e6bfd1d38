"""The registry's verbs for a worker's period with an employer: end, salary change, suspension, return."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select

from ansinh.core.actor import SYSTEM
from ansinh.core.errors import AnsinhError
from ansinh.db.uow import UnitOfWork
from ansinh.registry import participation_changes as changes
from ansinh.registry.lookups import employer_by_key, person_by_key
from ansinh.registry.models import Participation, ParticipationSuspension, SuspensionReason
from tests.factories import add_participation, register_employer, register_person

AT = dt.datetime(2026, 4, 1, 8, tzinfo=dt.UTC)
AS_OF = dt.date(2026, 4, 1)
CITIZEN = "001185004300"


def _world(db: Engine) -> tuple[UnitOfWork, str]:
    uow = UnitOfWork(db)
    unit = register_employer(uow, tax_code="0100233488", name="Công ty An Bình", wage_region=1).unit_code
    register_person(uow, citizen_id=CITIZEN, si_number="0123456700", full_name="Nguyễn Văn An")
    add_participation(uow, CITIZEN, start_month="2025-10", end_month=None, monthly_salary=10_000_000,
                      employer_unit_code=unit, as_of=AS_OF)
    return uow, unit


def _periods(uow: UnitOfWork) -> list[tuple[dt.date, dt.date | None, int]]:
    with uow:
        return [(p.start_month, p.end_month, p.monthly_salary)
                for p in uow.session.scalars(select(Participation).order_by(Participation.start_month))]


def test_a_salary_change_splits_the_period_and_its_suspension_follows_its_months(db: Engine) -> None:
    uow, unit = _world(db)
    with uow:
        person, employer = person_by_key(uow.session, CITIZEN), employer_by_key(uow.session, unit)
        changes.suspend(uow, person, employer, from_month=dt.date(2026, 1, 1), to_month=None,
                        reason=SuspensionReason.MATERNITY, actor=SYSTEM, at=AT)
        changes.change_salary(uow, person, employer, from_month=dt.date(2026, 3, 1), salary=12_000_000, as_of=AS_OF,
                              actor=SYSTEM, at=AT)
        changes.resume(uow, person, employer, from_month=dt.date(2026, 4, 1), actor=SYSTEM, at=AT)
        uow.commit()
    assert _periods(uow) == [(dt.date(2025, 10, 1), dt.date(2026, 2, 1), 10_000_000),
                             (dt.date(2026, 3, 1), None, 12_000_000)]
    with uow:
        spans = sorted((s.start_month, s.end_month) for s in uow.session.scalars(select(ParticipationSuspension)))
    assert spans == [(dt.date(2026, 1, 1), dt.date(2026, 2, 1)), (dt.date(2026, 3, 1), dt.date(2026, 3, 1))]


@pytest.mark.parametrize(("change", "code"), [
    (lambda uow, p, e: changes.end_period(uow, p, e, last_month=dt.date(2025, 9, 1), actor=SYSTEM, at=AT),
     "participation.leave_before_start"),
    (lambda uow, p, e: changes.change_salary(uow, p, e, from_month=dt.date(2025, 6, 1), salary=12_000_000,
                                             as_of=AS_OF, actor=SYSTEM, at=AT), "participation.not_in_force"),
    (lambda uow, p, e: changes.change_salary(uow, p, e, from_month=dt.date(2026, 1, 1), salary=1_000_000,
                                             as_of=AS_OF, actor=SYSTEM, at=AT), "salary.below_minimum_wage"),
    (lambda uow, p, e: changes.resume(uow, p, e, from_month=dt.date(2026, 1, 1), actor=SYSTEM, at=AT),
     "participation.no_open_suspension"),
])
def test_each_rule_names_its_code_and_changes_nothing(db: Engine, change: object, code: str) -> None:
    uow, unit = _world(db)
    with pytest.raises(AnsinhError) as refused, uow:
        change(uow, person_by_key(uow.session, CITIZEN), employer_by_key(uow.session, unit))  # type: ignore[operator]
    assert refused.value.code == code
    assert _periods(uow) == [(dt.date(2025, 10, 1), None, 10_000_000)]
