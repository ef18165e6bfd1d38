"""Payment orders: amounts per employer, one order per month, the reference and its check digits, the PDF."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from ansinh.collection.allocation import allocate
from ansinh.collection.bank_statements import import_statement
from ansinh.collection.matching import match_transactions
from ansinh.collection.payment_models import PaymentOrder
from ansinh.collection.payment_orders import (
    check_digits,
    issue_orders,
    make_reference,
    order_html,
    order_pdf,
    orders_of,
    parse_reference,
    reference_checks,
    reference_expr,
    reference_valid_expr,
)
from ansinh.core.errors import InvalidInput
from ansinh.db.uow import UnitOfWork
from tests.collection.payment_world import ACCOUNTANT, APRIL, AT, MARCH, ON, build_world, statement

ANH_MONTH = 5_760_000
"""What Ánh Dương owes a month for its two workers (10 and 8 million): 32 % of 18 million."""
BINH_MONTH = 3_840_000


def test_reference_has_its_form_and_iso_7064_check_digits() -> None:
    reference = make_reference("AB0001N", dt.date(2026, 3, 1))
    assert reference == "BHAB0001N202603" + check_digits("BHAB0001N202603")
    assert len(reference) == 17 and reference.isalnum() and reference.isupper()
    assert int("".join(str(int(c, 36)) for c in reference)) % 97 == 1
    assert parse_reference(f" {reference[:5].lower()} {reference[5:11]}-{reference[11:]} ") == (
        "AB0001N", dt.date(2026, 3, 1))


@pytest.mark.parametrize("mangle", [
    lambda r: r[:-1] + str((int(r[-1]) + 1) % 10),  # a wrong check digit
    lambda r: r[:9] + r[10] + r[9] + r[11:],  # two digits swapped
    lambda r: r[:3] + "Z" + r[4:],  # a letter mistyped
    lambda r: r[:-1],  # too short
])
def test_a_mistyped_reference_is_refused(mangle: object) -> None:
    reference = make_reference("AB0001N", dt.date(2026, 3, 1))
    wrong = mangle(reference)  # type: ignore[operator]
    assert wrong != reference
    assert not reference_checks(wrong)
    with pytest.raises(InvalidInput) as refused:
        parse_reference(wrong)
    assert refused.value.code == "payment.reference"


@settings(deadline=None)
@given(unit=st.from_regex(r"[A-Z]{2}[0-9]{4}[A-Z]", fullmatch=True),
       year=st.integers(2016, 2099), month=st.integers(1, 12))
def test_the_columnar_reference_agrees_with_the_scalar_one(unit: str, year: int, month: int) -> None:
    first = dt.date(year, month, 1)
    frame = pl.DataFrame({"unit": [unit], "month": [first]}).with_columns(
        reference=reference_expr(pl.col("unit"), pl.col("month")))
    reference = frame.item(0, "reference")
    assert reference == make_reference(unit, first)
    assert pl.select(reference_valid_expr(pl.lit(reference))).item()
    assert not pl.select(reference_valid_expr(pl.lit(reference[:-2] + f"{(int(reference[-2:]) + 1) % 100:02d}"))).item()


def test_each_employer_with_dues_gets_one_order_and_issuing_again_changes_nothing(db: Engine) -> None:
    world = build_world(db)
    first = issue_orders(uow=UnitOfWork(db), month=APRIL, on=ON, actor=ACCOUNTANT, at=AT)
    assert (first.issued, first.already) == (2, 0)
    assert first.total == 2 * (ANH_MONTH + BINH_MONTH)  # April's dues and March's arrears
    again = issue_orders(uow=UnitOfWork(db), month=APRIL, on=ON, actor=ACCOUNTANT, at=AT)
    assert (again.issued, again.already, again.total) == (0, 2, 0)
    with UnitOfWork(db) as uow:
        assert uow.session.scalar(select(func.count()).select_from(PaymentOrder)) == 2
    order = orders_of(uow=UnitOfWork(db), employer_id=world.ids["anh"])[0]
    assert (order.month_dues, order.arrears, order.interest, order.credit, order.total) == (
        ANH_MONTH, ANH_MONTH, 0, 0, 2 * ANH_MONTH)
    assert order.due_on == dt.date(2026, 5, 31)  # Law 41/2024 art. 34(4)(a): the following month's last day
    assert order.reference == make_reference(world.units["anh"], APRIL)
    assert sum(order.funds.values()) == ANH_MONTH
    assert order.funds["retirement_survivor"] == 18_000_000 * 22 // 100


def test_an_order_deducts_the_credit_and_never_asks_for_less_than_nothing(db: Engine) -> None:
    world = build_world(db, months=(MARCH,))
    overpay = statement(("T1", "2026-04-10", 10_000_000, "ANH DUONG", "111", f"BHXH {world.units['anh']}"))
    import_statement(uow=UnitOfWork(db), content=overpay, filename="s.csv", actor=ACCOUNTANT, at=AT)
    match_transactions(uow=UnitOfWork(db), on=ON, actor=ACCOUNTANT, at=AT)
    allocate(uow=UnitOfWork(db), on=ON, actor=ACCOUNTANT, at=AT)
    from ansinh.collection.assessment import assess_month

    assess_month(uow=UnitOfWork(db), month=APRIL, actor=ACCOUNTANT, at=AT)
    issue_orders(uow=UnitOfWork(db), month=APRIL, on=ON, actor=ACCOUNTANT, at=AT)
    order = orders_of(uow=UnitOfWork(db), employer_id=world.ids["anh"])[0]
    credit = 10_000_000 - ANH_MONTH
    assert (order.month_dues, order.arrears, order.credit) == (ANH_MONTH, 0, credit)
    assert order.total == ANH_MONTH - credit
    issue_orders(uow=UnitOfWork(db), month=MARCH, on=ON, actor=ACCOUNTANT, at=AT)
    march = orders_of(uow=UnitOfWork(db), employer_id=world.ids["anh"])[1]
    assert (march.month, march.month_dues, march.total) == (MARCH, 0, 0)


def test_a_month_not_given_by_its_first_day_is_refused(db: Engine) -> None:
    with pytest.raises(InvalidInput) as refused:
        issue_orders(uow=UnitOfWork(db), month=dt.date(2026, 4, 2), on=ON, actor=ACCOUNTANT, at=AT)
    assert refused.value.field == "month"


def test_the_notice_is_a_pdf_in_vietnamese_with_the_reference_account_and_interest_note(db: Engine) -> None:
    world = build_world(db)
    issue_orders(uow=UnitOfWork(db), month=APRIL, on=ON, actor=ACCOUNTANT, at=AT)
    order = orders_of(uow=UnitOfWork(db), employer_id=world.ids["anh"])[0]
    html = order_html(order)
    for text in ("Thông báo kết quả đóng BHXH, BHYT, BHTN", order.reference, "Công ty TNHH Ánh Dương",
                 "11.520.000", "31/05/2026", "0,03%/ngày", "41/2024/QH15", order.account_no):
        assert text in html, text
    assert order_pdf(order).startswith(b"%PDF")
