"""The demo's synthetic statement: deterministic, mostly payable by reference, one odd amount left unmatched."""

from __future__ import annotations

import io

import polars as pl
from sqlalchemy import Engine

from ansinh.collection.assessment import assess_month
from ansinh.collection.bank_statements import import_statement, parse_csv
from ansinh.collection.demo_payments import statement_for
from ansinh.collection.matching import match_transactions
from ansinh.collection.payment_orders import issue_orders
from ansinh.db.uow import UnitOfWork
from ansinh.registry.identifiers import tax_check_digit
from tests.collection.payment_world import ACCOUNTANT, AT, MARCH, ON
from tests.factories import add_participation, register_employer, register_person

EMPLOYERS = 12


def _world(db: Engine) -> list[str]:
    uow = UnitOfWork(db)
    units = []
    serial = 100_123_456
    for index in range(EMPLOYERS):
        while (digit := tax_check_digit(str(serial))) is None:
            serial += 1
        unit = register_employer(uow, tax_code=f"{serial}{digit}", name=f"Công ty số {index}, Đà Nẵng").unit_code
        serial += 1
        citizen_id = f"0011850043{index:02d}"
        register_person(uow, citizen_id=citizen_id, si_number=f"01234567{index:02d}")
        add_participation(uow, citizen_id, start_month="2025-10", end_month=None, monthly_salary=9_000_000 + index,
                          employer_unit_code=unit)
        units.append(unit)
    assess_month(uow=UnitOfWork(db), month=MARCH, actor=ACCOUNTANT, at=AT)
    issue_orders(uow=UnitOfWork(db), month=MARCH, on=ON, actor=ACCOUNTANT, at=AT)
    return units


def test_the_demo_statement_is_deterministic_and_reconciles_mostly_by_reference(db: Engine) -> None:
    units = _world(db)
    with UnitOfWork(db) as uow:
        content = statement_for(uow.session, month=MARCH, on=ON, pay_share=0.75, seed=7, always_pay=[units[0]])
        assert statement_for(uow.session, month=MARCH, on=ON, pay_share=0.75, seed=7,
                             always_pay=[units[0]]) == content
        other = statement_for(uow.session, month=MARCH, on=ON, pay_share=0.75, seed=8)
    assert other != content
    lines = parse_csv(content)  # the layout of docs/payments.md, checked as an upload is
    assert 3 <= lines.height < EMPLOYERS
    assert "CONG TY SO 0  DA NANG" in pl.read_csv(io.BytesIO(content)).get_column("payer_name").to_list()
    import_statement(uow=UnitOfWork(db), content=content, filename="demo.csv", actor=ACCOUNTANT, at=AT)
    summary = match_transactions(uow=UnitOfWork(db), on=ON, actor=ACCOUNTANT, at=AT)
    assert summary.unmatched >= 1  # the odd amount, and any first payment without a reference
    assert summary.by_reference >= lines.height // 2


def test_an_employer_that_never_pays_is_left_out_whatever_the_share(db: Engine) -> None:
    units = _world(db)
    with UnitOfWork(db) as uow:
        content = statement_for(uow.session, month=MARCH, on=ON, pay_share=1.0, seed=7, never_pay=[units[1]])
    payers = pl.read_csv(io.BytesIO(content)).get_column("payer_name").to_list()
    assert "CONG TY SO 1  DA NANG" not in payers
    assert len(payers) == EMPLOYERS - 1
