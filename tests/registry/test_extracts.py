"""The registry's columnar extract of participations in force, for batch runs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from ansinh.db.uow import UnitOfWork
from ansinh.registry.extracts import IN_FORCE_SCHEMA, compulsory_in_force
from tests.factories import add_participation, register_employer, register_person

MARCH = dt.date(2025, 9, 1)


def test_only_compulsory_periods_in_force_in_the_month_by_partition(db: Engine) -> None:
    person = register_person(UnitOfWork(db))
    employer = register_employer(UnitOfWork(db))
    key = person.citizen_id
    add_participation(UnitOfWork(db), key, start_month="2025-01", end_month="2025-08", monthly_salary=9_000_000,
                      employer_unit_code=employer.unit_code)  # ended before September
    add_participation(UnitOfWork(db), key, start_month="2025-09", end_month=None, monthly_salary=9_500_000,
                      employer_unit_code=employer.unit_code)
    with UnitOfWork(db) as uow:
        whole = compulsory_in_force(uow.session, month=MARCH, partition=0, partitions=1)
        assert whole.schema == IN_FORCE_SCHEMA
        assert whole.select("unit_code", "salary", "region").rows() == [(employer.unit_code, 9_500_000, 1)]
        split = [compulsory_in_force(uow.session, month=MARCH, partition=p, partitions=4).height for p in range(4)]
        assert sorted(split) == [0, 0, 0, 1]  # the employer's rows fall in exactly one partition
        before = compulsory_in_force(uow.session, month=dt.date(2024, 12, 1), partition=0, partitions=1)
        assert before.height == 0
