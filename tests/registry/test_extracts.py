"""The registry's columnar extract of participations in force, for batch runs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from ansinh.db.uow import UnitOfWork
from ansinh.registry.extracts import EMPLOYER_SCHEMA, IN_FORCE_SCHEMA, compulsory_in_force, employers
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


def test_employers_by_id_or_unit_code(db: Engine) -> None:
    uow = UnitOfWork(db)
    first = register_employer(uow, tax_code="0100233488", name="Công ty An Bình", wage_region=1)
    second = register_employer(uow, tax_code="0100109106", name="Công ty Bảo Châu", wage_region=2)
    with uow:
        everyone = employers(uow.session)
        by_code = employers(uow.session, unit_codes=[second.unit_code])
        none = employers(uow.session, employer_ids=[])
    assert everyone.schema == EMPLOYER_SCHEMA
    assert everyone.get_column("unit_code").to_list() == [first.unit_code, second.unit_code]
    assert by_code.row(0, named=True)["name"] == "Công ty Bảo Châu" and by_code.height == 1
    assert by_code.row(0, named=True)["wage_region"] == 2 and none.height == 0
