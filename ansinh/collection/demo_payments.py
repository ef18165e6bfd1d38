"""A synthetic bank statement for the demo: employers paying a month's payment orders, most of them properly.

Deterministic for a seed. Of the employers with an order for the month (total above zero):

- a share ``1 - pay_share`` do not pay at all (their months stay unpaid, interest follows);
- of those who pay, about one in ten pays the exact total **without** the reference (the
  amount-and-payer rule matches it once the same account has paid the employer before;
  the first time it waits for an accountant);
- one payer (when there are at least three) pays an odd amount without a reference, so the
  accountant's unmatched list is never empty in the demo;
- everyone else pays the order's total with its reference in the description, some with
  the reference broken by spaces or in lower case, as banks' and payers' software leaves it.

Employers in ``always_pay`` (unit codes) pay in full with the reference whatever the draw,
and those in ``never_pay`` do not pay at all.
The file has the layout of docs/payments.md and is built as one Polars frame.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from ansinh.collection.bank_statements import COLUMNS
from ansinh.collection.payment_models import PaymentOrder
from ansinh.collection.payment_orders import COLLECTION_ACCOUNT
from ansinh.registry.models import Employer

WITHOUT_REFERENCE = 0.1
"""Share of paying employers that leave the reference out."""
ODD_AMOUNT = 123_457
"""Added to the odd payer's total, so its amount matches no order."""


def _orders(session: Session, month: dt.date) -> pl.DataFrame:
    query = (select(PaymentOrder.employer_id, Employer.unit_code, Employer.name, PaymentOrder.reference,
                    PaymentOrder.total)
             .join(Employer, Employer.id == PaymentOrder.employer_id)
             .where(PaymentOrder.month == month, PaymentOrder.total > 0).order_by(PaymentOrder.employer_id))
    return pl.DataFrame(session.execute(query).all(), orient="row",
                        schema={"employer_id": pl.Int64, "unit_code": pl.Utf8, "name": pl.Utf8,
                                "reference": pl.Utf8, "total": pl.Int64})


def statement_for(session: Session, *, month: dt.date, on: dt.date, pay_share: float, seed: int,
                  always_pay: Sequence[str] = (), never_pay: Sequence[str] = ()) -> bytes:
    """A statement CSV dated ``on`` of the payments of ``month``'s orders (see the module's shares)."""
    orders = _orders(session, month)
    rng = np.random.default_rng(seed)
    draws = rng.random((3, orders.height))
    forced = pl.col("unit_code").is_in(list(always_pay))
    frame = orders.with_columns(pays=(pl.Series(draws[0] < pay_share) | forced)
                                & ~pl.col("unit_code").is_in(list(never_pay)),
                                plain=pl.Series(draws[1] < WITHOUT_REFERENCE) & ~forced,
                                style=pl.Series((draws[2] * 3).astype(np.int64)))
    payers = frame.filter(pl.col("pays"))
    odd_id = None
    candidates = payers.filter(~forced)
    if payers.height >= 3 and candidates.height:
        odd_id = candidates.get_column("employer_id")[int(rng.integers(candidates.height))]
    odd = pl.col("employer_id") == (odd_id if odd_id is not None else -1)
    reference = pl.col("reference")
    written = (pl.when(pl.col("style") == 0).then(reference)
               .when(pl.col("style") == 1).then(pl.concat_str([reference.str.slice(0, 9), reference.str.slice(9)],
                                                              separator=" "))
               .otherwise(reference.str.to_lowercase()))
    payer = (pl.col("name").str.normalize("NFD").str.replace_all(r"\p{M}", "").str.replace_all("Đ", "D")
             .str.replace_all("đ", "d").str.replace_all(r"[^A-Za-z0-9 ]", " ").str.to_uppercase())
    """As banks print names: no diacritics, no punctuation, capitals."""
    lines = payers.with_row_index("n", offset=1).select(
        pl.lit(COLLECTION_ACCOUNT.bank_code).alias("bank_code"),
        pl.lit(COLLECTION_ACCOUNT.account_no).alias("account_no"),
        pl.lit(on.isoformat()).alias("statement_date"),
        pl.format("FT{}{}", pl.lit(on.strftime("%y%m%d")), pl.col("n").cast(pl.Utf8).str.zfill(6)).alias("txn_id"),
        pl.lit(on.isoformat()).alias("value_date"),
        pl.when(odd).then(pl.col("total") + ODD_AMOUNT).otherwise(pl.col("total")).alias("amount"),
        payer.alias("payer_name"),
        pl.format("10{}", pl.col("employer_id").cast(pl.Utf8).str.zfill(10)).alias("payer_account"),
        pl.when(odd | pl.col("plain"))
        .then(pl.format("{} CHUYEN TIEN BAO HIEM T{}", payer, pl.lit(month.strftime("%m/%Y"))))
        .otherwise(pl.format("{} NOP BHXH T{} {}", payer, pl.lit(month.strftime("%m/%Y")), written))
        .alias("description"),
    ).select(COLUMNS)
    return lines.write_csv().encode()
