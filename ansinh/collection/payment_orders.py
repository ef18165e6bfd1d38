"""Payment orders: what each employer is asked to pay for a month, under a reference its transfer carries.

One order per employer and month (``UNIQUE(employer_id, month)``): issuing the month again
writes nothing for an employer that has its order. An order states, on its issue day, the
month's unpaid dues, the arrears (unpaid dues of earlier months), the late-payment interest
charged and unpaid, and the credit (money matched to the employer and not yet allocated),
and asks for ``max(0, dues + arrears + interest - credit)`` by the month's legal deadline
(:func:`ansinh.collection.balances.deadline`).

**The payment reference** is what an employer writes in its transfer's description so that
the money finds its order without a person reading it::

    BH + unit code (7) + YYYYMM + 2 check digits        e.g.  BHAB0001N20260347

17 characters, capital letters and digits only, so that a bank that upper-cases, strips
diacritics and punctuation or breaks the line with spaces leaves it recognisable: matching
removes every character that is not a letter or a digit before it looks. The check digits
are ISO 7064 MOD 97-10 (the IBAN's): letters count as two digits (A = 10 … Z = 35), and the
whole reference read as a number leaves 1 when divided by 97, so one mistyped character or
two swapped ones are caught. :func:`parse_reference` refuses a reference whose digits do not
check (``payment.reference``).

The orders are built as one Polars frame from the balances frames and written in bulk; no
Python loop runs per employer.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

import polars as pl
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session

from ansinh.audit.service import record_event
from ansinh.collection.balances import balances, credits, deadline
from ansinh.collection.payment_models import PaymentOrder
from ansinh.collection.payment_schemas import OrdersSummary, PaymentOrderPublic
from ansinh.core.actor import Actor
from ansinh.core.errors import InvalidInput, NotFound, ParameterNotInForce
from ansinh.db import bulk
from ansinh.db.uow import UnitOfWork
from ansinh.law import default_parameters
from ansinh.law.params import ParameterSet
from ansinh.registry import extracts

REFERENCE_PREFIX = "BH"
REFERENCE_LENGTH = 17
REFERENCE_PATTERN = r"BH[A-Z]{2}[0-9]{4}[A-Z][0-9]{8}"
"""A reference inside a description from which everything but capitals and digits was removed."""
_REFERENCE = re.compile(f"^{REFERENCE_PATTERN}$")
_CHAR_CODES = {c: str(int(c, 36)) for c in string.digits + string.ascii_uppercase}
"""ISO 7064: a digit is itself, a letter two digits (A = 10 … Z = 35)."""
_MOD97_CHUNK = 9


@dataclass(frozen=True)
class CollectionAccount:
    """The agency's collection account that employers pay into."""

    bank_code: str
    bank_name: str
    account_no: str
    account_name: str


COLLECTION_ACCOUNT = CollectionAccount(
    bank_code="DEMO", bank_name="Ngân hàng thử nghiệm (demo bank)", account_no="0000 1111 2222",
    account_name="Bảo hiểm xã hội Việt Nam - tài khoản chuyên thu")
"""A placeholder: the real bank and account number are to come from settings (docs/payments.md)."""


# ----------------------------------------------------------------------------- the reference

def _numeric(text: str) -> str:
    return "".join(_CHAR_CODES[c] for c in text)


def check_digits(body: str) -> str:
    """The two ISO 7064 MOD 97-10 check digits of ``body`` (capitals and digits)."""
    return f"{98 - int(_numeric(body) + '00') % 97:02d}"


def make_reference(unit_code: str, month: dt.date) -> str:
    """The reference of ``unit_code``'s order for ``month``: ``BH`` + unit code + YYYYMM + check digits."""
    body = f"{REFERENCE_PREFIX}{unit_code}{month:%Y%m}"
    return body + check_digits(body)


def reference_checks(reference: str) -> bool:
    """Whether ``reference`` has the form and its check digits are right."""
    return bool(_REFERENCE.match(reference)) and int(_numeric(reference)) % 97 == 1


def parse_reference(text: str, *, field: str = "reference") -> tuple[str, dt.date]:
    """The unit code and month of a reference (spaces, dashes and case forgiven), or ``payment.reference``."""
    compact = re.sub(r"[^A-Z0-9]", "", text.upper())
    if not reference_checks(compact):
        raise InvalidInput(f"{text!r} is not a payment reference", code="payment.reference", field=field,
                           rule="BH + unit code + YYYYMM + 2 check digits (ISO 7064 MOD 97-10)")
    year, month = int(compact[9:13]), int(compact[13:15])
    if not 1 <= month <= 12:
        raise InvalidInput(f"{text!r} names month {month}", code="payment.reference", field=field,
                           rule="the reference's month is YYYYMM")
    return compact[2:9], dt.date(year, month, 1)


def _mod97(digits: pl.Expr, max_digits: int) -> pl.Expr:
    """``digits`` (a string of digits) modulo 97, nine digits at a time so no integer overflows."""
    remainder = pl.lit(0, dtype=pl.Int64)
    for start in range(0, max_digits, _MOD97_CHUNK):
        chunk = digits.str.slice(start, _MOD97_CHUNK)
        value = chunk.cast(pl.Int64, strict=False).fill_null(0)
        scale = pl.lit(10, dtype=pl.Int64).pow(chunk.str.len_chars().cast(pl.Int64))
        remainder = (remainder * scale + value) % 97
    return remainder


def _numeric_expr(text: pl.Expr, length: int) -> pl.Expr:
    return pl.concat_str([text.str.slice(i, 1).replace_strict(_CHAR_CODES, default="") for i in range(length)])


def reference_valid_expr(text: pl.Expr) -> pl.Expr:
    """:func:`reference_checks` as a Polars expression over a column of candidate references."""
    shaped = text.str.contains(f"^{REFERENCE_PATTERN}$").fill_null(value=False)
    return shaped & (_mod97(_numeric_expr(text, REFERENCE_LENGTH), 2 * REFERENCE_LENGTH) == 1)


def reference_expr(unit_code: pl.Expr, month: pl.Expr) -> pl.Expr:
    """:func:`make_reference` as a Polars expression."""
    body = pl.concat_str([pl.lit(REFERENCE_PREFIX), unit_code, month.dt.strftime("%Y%m")])
    check = 98 - _mod97(pl.concat_str([_numeric_expr(body, REFERENCE_LENGTH - 2), pl.lit("00")]),
                        2 * REFERENCE_LENGTH)
    return pl.concat_str([body, check.cast(pl.Utf8).str.zfill(2)])


# ----------------------------------------------------------------------------- issuing

ORDER_COLUMNS = ("reference", "employer_id", "month", "issued_on", "due_on", "month_dues", "arrears", "interest",
                 "credit", "total")


def employer_units(session: Session, employer_ids: Sequence[int] | None = None) -> pl.DataFrame:
    """Unit code and name of employers (all, or ``employer_ids``), in one query."""
    return extracts.employers(session, employer_ids=employer_ids).select("employer_id", "unit_code", "name")


def order_amounts(owed: pl.DataFrame, credit: pl.DataFrame, *, month: dt.date) -> pl.DataFrame:
    """Per employer with dues for ``month``: the month's unpaid dues, arrears, interest, credit and total.

    ``owed`` is a :func:`ansinh.collection.balances.balances` frame, ``credit`` a
    :func:`ansinh.collection.balances.credits` frame. Negative balances (a month overpaid
    after a re-assessment lowered it) count as nothing owed.
    """
    this_month = pl.col("month") == month
    unpaid = pl.col("unpaid").clip(lower_bound=0)
    per_employer = (owed.filter(pl.col("month") <= month).group_by("employer_id").agg(
        due_in_month=pl.col("due").filter(this_month).sum(),
        month_dues=unpaid.filter(this_month).sum(),
        arrears=unpaid.filter(~this_month).sum(),
        interest=pl.col("interest_unpaid").clip(lower_bound=0).sum()))
    return (per_employer.filter(pl.col("due_in_month") > 0)
            .join(credit.select("employer_id", "credit"), on="employer_id", how="left")
            .with_columns(pl.col("credit").fill_null(0).clip(lower_bound=0))
            .with_columns(total=(pl.col("month_dues") + pl.col("arrears") + pl.col("interest") - pl.col("credit"))
                          .clip(lower_bound=0))
            .select("employer_id", "month_dues", "arrears", "interest", "credit", "total")
            .sort("employer_id"))


def issue_orders(*, uow: UnitOfWork, month: dt.date, on: dt.date, actor: Actor, at: dt.datetime,
                 employer_ids: Sequence[int] | None = None, params: ParameterSet | None = None) -> OrdersSummary:
    """Issue ``month``'s payment order to every employer with dues for it that has none yet (one transaction)."""
    if month.day != 1:
        raise InvalidInput(f"{month} is not the first day of a month", code="payment.month", field="month",
                           rule="an order is for a whole month; give its first day")
    params = params or default_parameters()
    with uow:
        session = uow.session
        amounts = order_amounts(balances(session, as_of=on, params=params, employer_ids=employer_ids),
                                credits(session, employer_ids=employer_ids), month=month)
        existing = pl.DataFrame(session.execute(select(PaymentOrder.employer_id).where(PaymentOrder.month == month))
                                .all(), schema={"employer_id": pl.Int64}, orient="row")
        new = amounts.join(existing, on="employer_id", how="anti")
        units = employer_units(session, new.get_column("employer_id").to_list()) if new.height else None
        if units is not None:
            rows = (new.join(units.select("employer_id", "unit_code"), on="employer_id")
                    .with_columns(month=pl.lit(month, dtype=pl.Date), issued_on=pl.lit(on, dtype=pl.Date),
                                  due_on=pl.lit(deadline(month, params), dtype=pl.Date))
                    .with_columns(reference=reference_expr(pl.col("unit_code"), pl.col("month")))
                    .select(ORDER_COLUMNS))
            bulk.write_frame(session.connection(), PaymentOrder.__tablename__, rows)
            total = int(rows.get_column("total").sum())
            record_event(uow=uow, actor=actor, action="payment.orders_issue", record_type="payment_order",
                         record_id=f"{month:%Y-%m}", at=at,
                         detail={"month": f"{month:%Y-%m}", "orders": rows.height, "total": total})
        else:
            total = 0
        uow.commit()
        return OrdersSummary(month=month, issued=new.height, already=amounts.height - new.height, total=total)


# ----------------------------------------------------------------------------- reading

def _public(session: Session, order: PaymentOrder, params: ParameterSet) -> PaymentOrderPublic:
    unit = employer_units(session, [order.employer_id]).row(0, named=True)
    owed = balances(session, as_of=order.issued_on, params=params, employer_ids=[order.employer_id])
    funds = {fund: int(unpaid) for fund, unpaid in owed.filter(pl.col("month") == order.month)
             .select("fund", pl.col("unpaid").clip(lower_bound=0)).iter_rows()}
    try:
        value = Fraction(params.value_at("si.late_payment.daily_interest_rate", order.due_on + dt.timedelta(days=1)))
        rate: str | None = str(Decimal(value.numerator) / Decimal(value.denominator))
    except ParameterNotInForce:
        rate = None  # before Law 41/2024 the rate was a yearly figure not encoded
    return PaymentOrderPublic(
        id=order.id, reference=order.reference, unit_code=unit["unit_code"], employer_name=unit["name"],
        month=order.month, issued_on=order.issued_on, due_on=order.due_on, funds=funds,
        month_dues=order.month_dues, arrears=order.arrears, interest=order.interest, credit=order.credit,
        total=order.total, bank_name=COLLECTION_ACCOUNT.bank_name, bank_code=COLLECTION_ACCOUNT.bank_code,
        account_no=COLLECTION_ACCOUNT.account_no, account_name=COLLECTION_ACCOUNT.account_name,
        daily_interest_rate=rate,
        interest_basis="Luật BHXH 41/2024/QH15 điều 34(4)(a) (hạn đóng), điều 40(1), 41(1) (lãi chậm đóng)")


def get_order(*, uow: UnitOfWork, order_id: int, employer_id: int | None = None,
              params: ParameterSet | None = None) -> PaymentOrderPublic:
    """One order; with ``employer_id``, only if it is that employer's (else ``payment.order_not_found``)."""
    with uow:
        order = uow.session.get(PaymentOrder, order_id)
        if order is None or (employer_id is not None and order.employer_id != employer_id):
            raise NotFound(f"no payment order {order_id}", code="payment.order_not_found", field="order_id")
        return _public(uow.session, order, params or default_parameters())


def orders_of(*, uow: UnitOfWork, employer_id: int, params: ParameterSet | None = None) -> list[PaymentOrderPublic]:
    """The employer's orders, newest month first."""
    params = params or default_parameters()
    with uow:
        orders = uow.session.scalars(select(PaymentOrder).where(PaymentOrder.employer_id == employer_id)
                                     .order_by(PaymentOrder.month.desc())).all()
        return [_public(uow.session, order, params) for order in orders]


# ----------------------------------------------------------------------------- the notice

TEMPLATES = Path(__file__).resolve().parents[1] / "web" / "templates" / "collection" / "payments"
FUND_NAMES_VI = {"retirement_survivor": "Quỹ hưu trí và tử tuất", "sickness_maternity": "Quỹ ốm đau và thai sản",
                 "work_injury": "Quỹ bảo hiểm tai nạn lao động, bệnh nghề nghiệp",
                 "unemployment": "Quỹ bảo hiểm thất nghiệp", "health": "Quỹ bảo hiểm y tế"}


@lru_cache(maxsize=1)
def _pdf_environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    env.filters["money"] = lambda amount: f"{amount:,}".replace(",", ".") + "\u00a0đ"
    env.filters["day"] = lambda day: f"{day:%d/%m/%Y}"
    return env


def order_html(order: PaymentOrderPublic) -> str:
    """The notice as HTML (Vietnamese, the language of the notice), the PDF's source."""
    rate_percent = None
    if order.daily_interest_rate is not None:
        rate_percent = f"{Decimal(order.daily_interest_rate) * 100:f}".rstrip("0").rstrip(".").replace(".", ",")
    return _pdf_environment().get_template("order_pdf.html").render(
        order=order, fund_names=FUND_NAMES_VI, rate_percent=rate_percent)


def order_pdf(order: PaymentOrderPublic) -> bytes:
    """The payment notice as a PDF (WeasyPrint)."""
    from weasyprint import HTML

    pdf = HTML(string=order_html(order)).write_pdf()
    if not isinstance(pdf, bytes):  # None only when writing to a target
        raise TypeError("WeasyPrint returned no PDF")
    return pdf
