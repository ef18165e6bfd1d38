"""A small collection world for the payment tests: employers, workers, assessed months, statements.

Built through the verbs (registry factories, the monthly assessment), so the tests see what
production writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine

from ansinh.collection.assessment import assess_month
from ansinh.core.actor import Actor
from ansinh.db.uow import UnitOfWork
from tests.factories import add_participation, register_employer, register_person

MARCH = dt.date(2026, 3, 1)
APRIL = dt.date(2026, 4, 1)
AT = dt.datetime(2026, 5, 2, 8, 0, tzinfo=dt.UTC)
ON = dt.date(2026, 5, 2)
ACCOUNTANT = Actor(username="accountant.test", role="accountant")
HEADER = "bank_code,account_no,statement_date,txn_id,value_date,amount,payer_name,payer_account,description\n"


@dataclass(frozen=True)
class World:
    units: dict[str, str]
    """Name → unit code."""
    ids: dict[str, int]
    """Name → employer id."""
    workers: dict[str, str]
    """Citizen ID → employer name."""


def build_world(db: Engine, months: tuple[dt.date, ...] = (MARCH, APRIL)) -> World:
    """Two private employers in region 1: ``anh`` with two workers, ``binh`` with one; ``months`` assessed."""
    from ansinh.registry.lookups import employer_by_key

    uow = UnitOfWork(db)
    units = {"anh": register_employer(uow, tax_code="0100233488", name="Công ty TNHH Ánh Dương").unit_code,
             "binh": register_employer(uow, tax_code="0100109106", name="Công ty Bình Minh").unit_code}
    workers = {}
    for index, (employer, salary) in enumerate([("anh", 10_000_000), ("anh", 8_000_000), ("binh", 12_000_000)]):
        citizen_id = f"0011850043{index:02d}"
        register_person(uow, citizen_id=citizen_id, si_number=f"01234567{index:02d}",
                        full_name=["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"][index])
        add_participation(uow, citizen_id, start_month="2025-10", end_month=None, monthly_salary=salary,
                          employer_unit_code=units[employer])
        workers[citizen_id] = employer
    for month in months:
        assess_month(uow=UnitOfWork(db), month=month, actor=ACCOUNTANT, at=AT)
    with UnitOfWork(db) as open_uow:
        ids = {name: employer_by_key(open_uow.session, code).id for name, code in units.items()}
    return World(units=units, ids=ids, workers=workers)


def statement(*lines: tuple[str, str, int, str, str, str], date: str = "2026-05-02") -> bytes:
    """A statement CSV: each line (txn_id, value_date, amount, payer_name, payer_account, description)."""
    body = "".join(f"VCB,0011001234567,{date},{txn},{value},{amount},{name},{account},{text}\n"
                   for txn, value, amount, name, account, text in lines)
    return (HEADER + body).encode()
