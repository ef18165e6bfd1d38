"""The unemployment benefit over Polars frames: a claims run with the scalar's numbers.

``periods`` has one row per contribution period: ``person_id``, ``start`` and ``end`` (any
day of the first and last month, inclusive), ``salary`` (integer đồng), ``sector``
("enterprise" or "state") and ``region`` (1-4, or null where the State pay scale needs
none). ``claims`` has one row per person: ``person_id`` and ``as_of`` (the termination
date). The result has one row per claim: ``person_id``, ``eligible``, ``average_salary``,
``monthly``, ``months`` and ``total``, the numbers of :func:`ansinh.rules.unemployment.compute`.

The law is read through the scalar's own functions, once per distinct combination, and
joined: the parameters of each termination date, the UI ceiling of each (month, sector,
region) by :func:`compulsory_limits`, the cap of each (termination, last month, sector,
region) and the months of benefit of each (termination, months paid). Periods are expanded
to months in columns; the amounts are rounded half up with the integer formula of
:mod:`ansinh.rules.money` (``(2a + b) // (2b)`` for ``a / b``).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from ansinh.core.errors import InvalidInput
from ansinh.core.periods import add_months, month_start
from ansinh.law.params import ParameterSet
from ansinh.rules.contribution_law import Sector, compulsory_limits, rate
from ansinh.rules.unemployment import (
    AVERAGE_MONTHS_KEY,
    MIN_MONTHS_KEY,
    RATE_KEY,
    WINDOW_MONTHS_KEY,
    UnemploymentCase,
    _cap,
    _duration,
    _Month,
)

PERIOD_SCHEMA = {"person_id": pl.Int64, "start": pl.Date, "end": pl.Date, "salary": pl.Int64,
                 "sector": pl.Utf8, "region": pl.Int8}
CLAIM_SCHEMA = {"person_id": pl.Int64, "as_of": pl.Date}
OUTPUT_SCHEMA = {"person_id": pl.Int64, "eligible": pl.Boolean, "average_salary": pl.Int64, "monthly": pl.Int64,
                 "months": pl.Int64, "total": pl.Int64}


def months_between_expr(first: pl.Expr, last: pl.Expr) -> pl.Expr:
    """Months from ``first`` to ``last`` inclusive (month starts), as :func:`months_between`."""
    return ((last.dt.year() - first.dt.year()) * 12 + last.dt.month().cast(pl.Int32)
            - first.dt.month().cast(pl.Int32) + 1).cast(pl.Int64)


def _refuse(frame: pl.DataFrame, condition: pl.Expr, error: InvalidInput, column: str) -> None:
    bad = frame.filter(condition)
    if bad.height:
        error.field = f"periods.{bad['_row'][0]}.{column}"
        raise error


def check_periods_frame(periods: pl.DataFrame, events: pl.DataFrame | None, *, code: str = "history.after_event",
                        event_name: str = "the event") -> pl.DataFrame:
    """The checks of :func:`ansinh.rules.history.check_history` on every person's periods at once.

    ``periods`` carries ``_row`` (its position in the caller's frame, used to name the field of
    an error) and month-start ``start``/``end``; ``events`` (``person_id``, ``as_of``) bounds
    each person's months. Periods are taken in order of ``start`` within each person; they
    must not overlap. Returns ``periods`` sorted by person and start.
    """
    ordered = periods.sort(["person_id", "start"])
    _refuse(ordered, pl.col("salary") < 0, InvalidInput(
        "a salary cannot be negative", code="salary.negative", rule="salaries are whole đồng, zero or more"),
        "salary")
    _refuse(ordered, pl.col("end") < pl.col("start"), InvalidInput(
        "the period ends before it starts", code="period.reversed",
        rule="a period's last month is not before its first"), "to")
    previous_end = pl.col("end").shift(1).over("person_id")
    _refuse(ordered, previous_end.is_not_null() & (pl.col("start") <= previous_end), InvalidInput(
        "the period starts not after the previous period's end", code="history.order",
        rule="periods are oldest first and do not overlap"), "from")
    if events is not None:
        with_event = ordered.join(events.select("person_id", "as_of"), on="person_id", how="left")
        _refuse(with_event, pl.col("end") > pl.col("as_of").dt.month_start(), InvalidInput(
            f"contributions after {event_name}", code=code, rule="only months up to the month of the event count"),
            "to")
    return ordered


def _claim_law(params: ParameterSet, days: list[dt.date]) -> pl.DataFrame:
    rows = []
    for day in days:
        window = int(params.value_at(WINDOW_MONTHS_KEY, day))
        benefit_rate = rate(params, RATE_KEY, day)
        rows.append((day, add_months(month_start(day), -(window - 1)), int(params.value_at(MIN_MONTHS_KEY, day)),
                     int(params.value_at(AVERAGE_MONTHS_KEY, day)), benefit_rate.numerator,
                     benefit_rate.denominator))
    return pl.DataFrame(rows, schema={"as_of": pl.Date, "window_first": pl.Date, "needed": pl.Int64,
                                      "average_months": pl.Int64, "rate_p": pl.Int64, "rate_q": pl.Int64},
                        orient="row")


def _ceilings(params: ParameterSet, combinations: list[tuple[dt.date, str, int | None, int]]) -> pl.DataFrame:
    rows = []
    for month, sector, region, row in combinations:
        try:
            limits = compulsory_limits(params, month, region=region, sector=Sector(sector))
        except InvalidInput as error:
            error.field = f"periods.{row}.{error.field or 'region'}"
            raise
        rows.append((month, sector, region, limits.ui_ceiling))
    return pl.DataFrame(rows, schema={"month": pl.Date, "sector": pl.Utf8, "region": pl.Int8,
                                      "ui_ceiling": pl.Int64}, orient="row")


def _caps(params: ParameterSet, combinations: list[tuple[dt.date, dt.date, str, int | None, int]]) -> pl.DataFrame:
    rows = []
    for day, last, sector, region, row in combinations:
        try:
            cap, _ = _cap(params, UnemploymentCase(as_of=day, history=()),
                          _Month(last, 0, Sector(sector), region, row))
        except InvalidInput as error:
            error.field = f"periods.{row}.region"
            raise
        rows.append((day, last, sector, region, cap))
    return pl.DataFrame(rows, schema={"as_of": pl.Date, "last_month": pl.Date, "last_sector": pl.Utf8,
                                      "last_region": pl.Int8, "cap": pl.Int64}, orient="row")


def _durations(params: ParameterSet, combinations: list[tuple[dt.date, int]]) -> pl.DataFrame:
    rows = [(day, paid, _duration(params, day, paid)[0]) for day, paid in combinations]
    return pl.DataFrame(rows, schema={"as_of": pl.Date, "paid": pl.Int64, "months": pl.Int64}, orient="row")


def _prepare(periods: pl.DataFrame, claims: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    claims = claims.select(CLAIM_SCHEMA.keys()).cast(CLAIM_SCHEMA)  # type: ignore[arg-type]
    if claims["person_id"].is_duplicated().any():
        raise InvalidInput("a person has more than one claim in the run", code="claims.duplicate",
                           field="claims.person_id", rule="one termination per person in a run")
    periods = periods.select(PERIOD_SCHEMA.keys()).cast(PERIOD_SCHEMA).with_row_index("_row")  # type: ignore[arg-type]
    _refuse(periods, pl.col("region").is_not_null() & ~pl.col("region").is_between(1, 4), InvalidInput(
        "region is not 1 to 4", code="region.invalid",
        rule="the minimum-wage region of the workplace is 1, 2, 3 or 4"), "region")
    _refuse(periods, ~pl.col("sector").is_in([s.value for s in Sector]), InvalidInput(
        "sector is not enterprise or state", code="sector.invalid", rule="the sector is enterprise or state"),
        "sector")
    periods = periods.join(claims.select("person_id"), on="person_id", how="semi").with_columns(
        pl.col("start").dt.month_start(), pl.col("end").dt.month_start())
    periods = check_periods_frame(periods, claims, code="history.after_termination", event_name="the termination")
    return periods, claims


def compute_batch(periods: pl.DataFrame, claims: pl.DataFrame, params: ParameterSet) -> pl.DataFrame:
    """The unemployment benefit of every claim, as :func:`ansinh.rules.unemployment.compute` gives it."""
    periods, claims = _prepare(periods, claims)
    claims = claims.join(_claim_law(params, claims["as_of"].unique().sort().to_list()), on="as_of", how="left")
    periods = periods.join(claims, on="person_id", how="left")
    window_months = months_between_expr(pl.max_horizontal("start", "window_first"), pl.col("end")).clip(lower_bound=0)
    per_person = periods.group_by("person_id").agg(
        paid=months_between_expr(pl.col("start"), pl.col("end")).sum(),
        in_window=window_months.sum(),
        last_month=pl.col("end").last(), last_sector=pl.col("sector").last(), last_region=pl.col("region").last(),
        last_row=pl.col("_row").last(),
    )
    claims = claims.join(per_person, on="person_id", how="left").with_columns(
        pl.col("paid").fill_null(0), pl.col("in_window").fill_null(0))
    claims = claims.with_columns(eligible=pl.col("in_window") >= pl.col("needed"))
    eligible = claims.filter("eligible")

    months = (
        periods.join(eligible.select("person_id"), on="person_id", how="semi")
        .with_columns(month=pl.date_ranges("start", "end", interval="1mo"))
        .explode("month")
        .sort(["person_id", "month"])
        .filter((pl.int_range(pl.len(), 0, -1) <= pl.col("average_months")).over("person_id"))
    )
    combos = (months.group_by(["month", "sector", "region"]).agg(pl.col("_row").min())
              .sort(["month", "sector", "region"], nulls_last=True).rows())
    months = months.join(_ceilings(params, combos), on=["month", "sector", "region"], how="left",
                         nulls_equal=True)
    bases = months.group_by("person_id").agg(
        base_total=pl.min_horizontal("salary", "ui_ceiling").sum(), averaged=pl.len().cast(pl.Int64))

    cap_keys = ["as_of", "last_month", "last_sector", "last_region"]
    cap_combos = eligible.group_by(cap_keys).agg(pl.col("last_row").min()).sort(cap_keys, nulls_last=True).rows()
    duration_combos = eligible.select("as_of", "paid").unique().sort(["as_of", "paid"]).rows()
    eligible = (
        eligible.join(bases, on="person_id", how="left")
        .join(_caps(params, cap_combos), on=cap_keys, how="left", nulls_equal=True)
        .join(_durations(params, duration_combos), on=["as_of", "paid"], how="left")
    )
    total, count = pl.col("base_total"), pl.col("averaged")
    p, q, cap = pl.col("rate_p"), pl.col("rate_q"), pl.col("cap")
    eligible = eligible.with_columns(
        average_salary=(2 * total + count) // (2 * count),
        monthly=pl.when(p * total > cap * q * count).then(cap)
        .otherwise((2 * p * total + q * count) // (2 * q * count)),
    ).with_columns(total=pl.col("monthly") * pl.col("months"))
    amounts = ["average_salary", "monthly", "months", "total"]
    result = claims.select("person_id", "eligible").join(
        eligible.select("person_id", *amounts), on="person_id", how="left", maintain_order="left")
    return result.with_columns(pl.col(amounts).fill_null(0)).cast(OUTPUT_SCHEMA)  # type: ignore[arg-type]


__all__ = ["check_periods_frame", "compute_batch", "months_between_expr"]
