"""Test data for arrears, interest, reminders, risk and inspections: dues through the assessment,
payments written as allocation rows (the shape the allocation service writes)."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import select

from ansinh.collection.assessment import assess_month
from ansinh.collection.payment_models import (
    Allocation,
    AllocationKind,
    BankStatement,
    BankTransaction,
    MatchRule,
    TransactionStatus,
)
from ansinh.core.actor import SYSTEM
from ansinh.db.uow import UnitOfWork
from ansinh.registry.lookups import employer_by_key
from tests.factories import add_participation, register_employer, register_person

AT = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)
_numbers = itertools.count(1)
NAMES = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nam", "Oanh", "Phúc", "Quân")


def employer_with_workers(uow: UnitOfWork, *, tax_code: str = "0100233488", name: str = "Công ty An Bình",
                          salaries: tuple[int, ...] = (10_000_000,), start_month: str = "2025-06",
                          first_citizen: int = 1, industry_code: str = "C", wage_region: int = 1) -> tuple[str, int]:
    """An employer with one worker per salary, covered from ``start_month``; (unit code, employer id)."""
    unit = register_employer(uow, tax_code=tax_code, name=name, industry_code=industry_code,
                             wage_region=wage_region).unit_code
    for index, salary in enumerate(salaries):
        number = first_citizen + index
        citizen_id = f"0011850{number:05d}"
        register_person(uow, citizen_id=citizen_id, si_number=f"01234{number:05d}",
                        full_name=f"Nguyễn Văn {NAMES[number % len(NAMES)]}")
        add_participation(uow, citizen_id, start_month=start_month, end_month=None, monthly_salary=salary,
                          employer_unit_code=unit)
    with uow:
        employer_id = employer_by_key(uow.session, unit).id
    return unit, employer_id


def assess(uow: UnitOfWork, *months: dt.date) -> None:
    for month in months:
        assess_month(uow=uow, month=month, actor=SYSTEM, at=AT)


def pay(uow: UnitOfWork, *, employer_id: int, month: dt.date, fund: str, amount: int, value_date: dt.date,
        kind: AllocationKind = AllocationKind.CONTRIBUTION) -> None:
    """Money received on ``value_date`` and allocated to one fund of one month."""
    number = next(_numbers)
    with uow:
        session = uow.session
        statement = BankStatement(key=f"test:{number}", bank_code="VCB", account_no="0011001234567",
                                  statement_date=value_date, source="api", filename=None, lines=1, new_lines=1,
                                  imported_at=AT, actor="tests")
        session.add(statement)
        session.flush()
        transaction = BankTransaction(statement_id=statement.id, bank_code="VCB", bank_txn_id=f"T{number}",
                                      value_date=value_date, amount=amount, payer_name="payer",
                                      payer_account="123", description="BHXH", status=TransactionStatus.MATCHED,
                                      employer_id=employer_id, match_rule=MatchRule.MANUAL, matched_on=value_date,
                                      matched_by="tests")
        session.add(transaction)
        session.flush()
        session.add(Allocation(key=f"allocate:test:{number}", transaction_id=transaction.id, employer_id=employer_id,
                               month=month, fund=fund, kind=kind, amount=amount, value_date=value_date,
                               allocated_on=value_date))
        uow.commit()


def pay_all(uow: UnitOfWork, *, employer_id: int, month: dt.date, value_date: dt.date) -> None:
    """Pay every fund's dues of ``month`` in full on ``value_date``."""
    from ansinh.collection.balances import dues

    with uow:
        owed = dues(uow.session, employer_ids=[employer_id]).filter(month=month)
    for row in owed.iter_rows(named=True):
        if row["due"] > 0:
            pay(uow, employer_id=employer_id, month=month, fund=row["fund"], amount=row["due"], value_date=value_date)


def table_count(uow: UnitOfWork, model: type) -> int:
    from sqlalchemy import func

    with uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)
