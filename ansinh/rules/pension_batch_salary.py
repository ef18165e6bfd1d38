"""The revalued average salary over Polars frames, as :func:`ansinh.rules.pension_salary.average_salary`.

Used by :mod:`ansinh.rules.pension_batch` for the eligible retirees of a run. Every period is
split by calendar year (no per-month rows); the coefficients are looked up once per distinct
(table, contribution year, retirement day) with the scalar's own helpers, in the scalar's
order so that a person the scalar refuses is refused with the same error: employer-set
salaries first, then the State pay-scale months, then voluntary incomes.

State pay-scale periods are also split where the base salary changes (read month by month
with :func:`month_base_salary`, once per distinct year). The years averaged, the revaluation
and the whole-period rule come from :func:`state_years`, :func:`state_revaluation` and
:func:`state_whole_period_if_higher` once per distinct (year SI began, retirement day). The
window of the last years is found from each piece's months after it (a reverse cumulative
sum per person); a piece's months in the window are its last ones.

The average is exact. A State month revalued by the base salary is ``salary / base of the
month × base of the grant``, so a State sum has the base salaries' least common multiple as
its denominator (about 10^22 over the whole table): too large for 128-bit columns once
multiplied by a rate. Those sums are therefore finished in arbitrary-precision integers,
column-wise (numpy object arrays: each operation one C loop over the persons, no Python loop
over rows), for the persons with State months only; the others stay in Int128 columns.
"""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction
from typing import Any

import numpy as np
import polars as pl

from ansinh.core.errors import InvalidInput
from ansinh.core.periods import format_month
from ansinh.law.params import ParameterSet
from ansinh.rules.pension_salary import (
    coefficient,
    month_base_salary,
    state_conversion_before,
    state_revaluation,
    state_whole_period_if_higher,
    state_years,
    voluntary_coefficient,
)
from ansinh.rules.unemployment_batch import months_between_expr

I128 = pl.Int128
AMOUNTS = {"person_id": pl.Int64, "average_salary": pl.Int64, "monthly": pl.Int64, "lump_sum": pl.Int64}
Objects = Any  # a numpy array of Python ints


def refuse(frame: pl.DataFrame, condition: pl.Expr, error: InvalidInput, where: str) -> None:
    """Raise ``error`` naming the first row of ``frame`` (by ``_row``) where ``condition`` holds."""
    bad = frame.filter(condition)
    if bad.height:
        error.field = f"{where}.{bad['_row'][0]}.{error.field}"
        raise error


def _big(value: int) -> pl.Expr:
    return pl.lit(value, dtype=I128)


def half_up(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """``numerator / denominator`` rounded half up, in Int128 columns."""
    return (_big(2) * numerator + denominator) // (_big(2) * denominator)


def _objects(series: pl.Series) -> Objects:
    return np.array(series.to_list(), dtype=object)


def _half_up_objects(numerator: Objects, denominator: Objects) -> Objects:
    return (2 * numerator + denominator) // (2 * denominator)


class _Coefficients:
    """The coefficients looked up so far, by (table, contribution year, retirement day)."""

    def __init__(self, params: ParameterSet) -> None:
        self.params = params
        self.found: dict[tuple[str, int, dt.date], Fraction] = {}

    def look_up(self, kind: str, combinations: list[tuple[int, dt.date]]) -> pl.DataFrame:
        """The coefficients of ``kind`` for ``combinations`` (year, day), each as ``coef_n / coef_d``."""
        get = voluntary_coefficient if kind == "voluntary" else coefficient
        rows = []
        for year, day in combinations:
            value = self.found.get((kind, year, day))
            if value is None:
                value = self.found[(kind, year, day)] = get(self.params, year, day)
            rows.append((kind, year, day, value.numerator, value.denominator))
        return pl.DataFrame(rows, schema={"kind": pl.Utf8, "year": pl.Int32, "as_of": pl.Date, "coef_n": pl.Int64,
                                          "coef_d": pl.Int64}, orient="row")

    def common(self) -> pl.DataFrame:
        """Every coefficient found as ``coef / coef_q``, ``coef_q`` common to the retirement day."""
        common: dict[dt.date, int] = {}
        for (_, _, day), value in self.found.items():
            common[day] = math.lcm(common.get(day, 1), value.denominator)
        rows = [(kind, year, day, int(value * common[day]), common[day])
                for (kind, year, day), value in self.found.items()]
        return pl.DataFrame(rows, schema={"kind": pl.Utf8, "year": pl.Int32, "as_of": pl.Date, "coef": pl.Int64,
                                          "coef_q": pl.Int64}, orient="row")


def _by_year(periods: pl.DataFrame) -> pl.DataFrame:
    """``periods`` split by calendar year: ``start``/``end`` clipped to it, ``count`` its months."""
    years = periods.with_columns(year=pl.int_ranges(pl.col("start").dt.year(), pl.col("end").dt.year() + 1)).explode(
        "year")
    return years.with_columns(
        pl.col("year").cast(pl.Int32),
        start=pl.max_horizontal("start", pl.date(pl.col("year"), 1, 1)),
        end=pl.min_horizontal("end", pl.date(pl.col("year"), 12, 1)),
    ).with_columns(count=months_between_expr(pl.col("start"), pl.col("end")))


def _base_segments(params: ParameterSet, years: list[int]) -> pl.DataFrame:
    """Per year, the runs of months with one base salary (null before the table)."""
    rows = []
    for year in years:
        bases = [month_base_salary(params, dt.date(year, month, 1)) for month in range(1, 13)]
        first = 1
        for month in range(2, 14):
            if month == 13 or bases[month - 1] != bases[first - 1]:
                rows.append((year, dt.date(year, first, 1), dt.date(year, month - 1, 1), bases[first - 1]))
                first = month
    return pl.DataFrame(rows, schema={"year": pl.Int32, "seg_first": pl.Date, "seg_last": pl.Date,
                                      "base": pl.Int64}, orient="row")


def _state_law(params: ParameterSet, combinations: list[tuple[dt.date, dt.date]]) -> pl.DataFrame:
    """Per (month SI began, retirement day): the months averaged (null: all), the revaluation and the rules."""
    rows = []
    for began, day in combinations:
        years, _ = state_years(params, began, day)
        how = state_revaluation(params, began, day)
        rows.append((began, day, None if years is None else 12 * years, how.by_base, how.multiplier,
                     state_whole_period_if_higher(params, day), state_conversion_before(params, day)))
    return pl.DataFrame(rows, schema={"began": pl.Date, "as_of": pl.Date, "window": pl.Int64, "by_base": pl.Boolean,
                                      "multiplier": pl.Int64, "if_higher": pl.Boolean, "convert_before": pl.Date},
                        orient="row")


def _state_pieces(params: ParameterSet, state: pl.DataFrame, people: pl.DataFrame) -> pl.DataFrame:
    """The State pieces (one year, one base salary) with the months of each used and in the window."""
    pieces = _by_year(state)
    pieces = (pieces.join(_base_segments(params, sorted(pieces["year"].unique().to_list())), on="year")
              .with_columns(start=pl.max_horizontal("start", "seg_first"), end=pl.min_horizontal("end", "seg_last"))
              .filter(pl.col("start") <= pl.col("end"))
              .with_columns(count=months_between_expr(pl.col("start"), pl.col("end"))))
    pieces = pieces.join(people.select("person_id", "began"), on="person_id")
    combinations = pieces.select("began", "as_of").unique().sort(["as_of", "began"]).rows()
    pieces = pieces.join(_state_law(params, combinations), on=["began", "as_of"]).sort(["person_id", "start"])
    count = pl.col("count")
    pieces = pieces.with_columns(after=count.cum_sum(reverse=True).over("person_id") - count,
                                 state_months=count.sum().over("person_id"))
    window = pl.when(pl.col("window").is_null()).then("state_months").otherwise(
        pl.min_horizontal("window", "state_months"))
    pieces = pieces.with_columns(window_len=window).with_columns(
        whole_rule=(pl.col("window_len") < pl.col("state_months")) & pl.col("if_higher"),
        in_window=pl.min_horizontal(pl.max_horizontal(pl.col("window_len") - pl.col("after"), pl.lit(0)), count),
    )
    pieces = pieces.with_columns(used=pl.when("whole_rule").then(count).otherwise("in_window"))
    return pieces.with_columns(first_used=pl.col("start").dt.offset_by(pl.format("{}mo", count - pl.col("used"))))


def _state_values(pieces: pl.DataFrame, coefficients: _Coefficients) -> pl.DataFrame:
    """Each piece's monthly revaluation ``w_n / w_d``, refusing what the scalar refuses, in its order."""
    used = pieces.filter(pl.col("used") > 0)
    first = used.filter(pl.col("by_base") & pl.col("base").is_null())
    if first.height:
        month, row = first["first_used"][0], first["_row"][0]
        raise InvalidInput(
            f"no base salary is known for {format_month(month)}: the State pay-scale coefficient of that month"
            " cannot be derived", code="sector.state_before_base_salary", field=f"periods.{row}.start",
            rule="State pay-scale months revalued by the base salary need that month's base salary")
    by_cpi = used.filter(~pl.col("by_base")).select("year", "as_of").unique().sort(["as_of", "year"]).rows()
    cpi = coefficients.look_up("compulsory", by_cpi).drop("kind")
    refuse(used, pl.col("first_used") < pl.col("convert_before"), InvalidInput(
        "a State pay-scale salary before the conversion date is averaged and must first be converted to the pay"
        " scale in force on the day of grant by grade and step, which are not in the case",
        code="sector.state_conversion_not_modelled", field="start",
        rule="State pay-scale months averaged are from the conversion date"), "periods")
    pieces = pieces.join(cpi, on=["year", "as_of"], how="left")
    return pieces.with_columns(
        w_n=pl.when("by_base").then("multiplier").otherwise("coef_n"),
        w_d=pl.when("by_base").then("base").otherwise("coef_d"),
    )


def _state_totals(params: ParameterSet, state: pl.DataFrame, people: pl.DataFrame,
                  coefficients: _Coefficients) -> tuple[pl.DataFrame, Objects, Objects]:
    """(State persons sorted by id, State total numerators, denominators): the State average × its months.

    Only the pieces used are summed (with the whole-period rule, all of them). ``people`` has
    ``person_id``, ``_row``, ``began`` (the first compulsory month) and ``mixed`` (also
    employer-set months)."""
    pieces = _state_values(_state_pieces(params, state, people), coefficients)
    salary = pl.col("salary").cast(I128) * pl.col("w_n").cast(I128)
    sums = (pieces.filter(pl.col("used") > 0).group_by("person_id", "w_d")
            .agg(win=(pl.col("in_window").cast(I128) * salary).sum(), all=(pl.col("count").cast(I128) * salary).sum())
            .sort("person_id"))
    persons = (pieces.group_by("person_id").agg(pl.col("window_len", "state_months", "whole_rule").first())
               .join(people.select("person_id", "_row", "mixed"), on="person_id").sort("person_id"))
    common = math.lcm(*sums["w_d"].unique().to_list())
    factor = common // _objects(sums["w_d"])
    ids = sums["person_id"].to_numpy()
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    last_years = np.add.reduceat(_objects(sums["win"]) * factor, starts)
    whole = np.add.reduceat(_objects(sums["all"]) * factor, starts)
    window, months = _objects(persons["window_len"]), _objects(persons["state_months"])
    higher = persons["whole_rule"].to_numpy() & (whole * window > last_years * months).astype(bool)
    undecided = higher & persons["mixed"].to_numpy()
    if undecided.any():
        raise InvalidInput(
            "the State pay-scale months average higher over the whole period than over the last years; whether the"
            " whole-period rule applies to the State time of a career that also has employer-set months is not"
            " decided here", code="sector.state_mixed_whole_period_not_decided",
            field=f"retirees.{persons['_row'][int(np.flatnonzero(undecided)[0])]}.history",
            rule="a mixed career is averaged when the rule on the whole State period is clear")
    numerator = np.where(higher, whole, last_years) * months
    return persons.select("person_id"), numerator, common * np.where(higher, months, window)


def amounts(params: ParameterSet, periods: pl.DataFrame, people: pl.DataFrame) -> pl.DataFrame:
    """Per eligible person: the average salary, monthly pension and lump sum, rounded half up.

    ``periods`` (month starts) has ``person_id``, ``_row``, ``start``, ``end``, ``salary``,
    ``scheme``, ``sector`` and ``as_of``; ``people`` has ``person_id``, ``_row``, ``as_of``,
    ``months``, ``began``, ``mixed``, ``rate_numerator``/``rate_denominator``, ``lump_p``/``lump_q``
    and ``floor``."""
    coefficients = _Coefficients(params)
    is_state = (pl.col("scheme") == "compulsory") & (pl.col("sector") == "state")
    pieces = _by_year(periods.filter(~is_state)).with_columns(
        kind=pl.when(pl.col("scheme") == "voluntary").then(pl.lit("voluntary")).otherwise(pl.lit("compulsory")))
    employer = pieces.filter(pl.col("kind") == "compulsory").select("year", "as_of").unique().sort(["as_of", "year"])
    coefficients.look_up("compulsory", employer.rows())
    state = periods.filter(is_state)
    state_ids, state_num, state_den = (None, None, None) if not state.height else _state_totals(
        params, state, people, coefficients)
    voluntary = pieces.filter(pl.col("kind") == "voluntary").select("year", "as_of").unique().sort(["as_of", "year"])
    coefficients.look_up("voluntary", voluntary.rows())
    table = coefficients.common()
    pieces = pieces.join(table, on=["kind", "year", "as_of"], how="left")
    sums = pieces.group_by("person_id").agg(
        ev_num=(pl.col("count").cast(I128) * pl.col("salary").cast(I128) * pl.col("coef").cast(I128)).sum())
    people = (people.join(sums, on="person_id", how="left", maintain_order="left")
              .join(table.group_by("as_of").agg(pl.col("coef_q").first()), on="as_of", how="left",
                    maintain_order="left")
              .with_columns(pl.col("ev_num").fill_null(0), pl.col("coef_q").fill_null(1)))
    num, den = pl.col("ev_num"), pl.col("months").cast(I128) * pl.col("coef_q").cast(I128)
    p, q = pl.col("rate_numerator").cast(I128), pl.col("rate_denominator").cast(I128)
    lump_p, lump_q = pl.col("lump_p").cast(I128), pl.col("lump_q").cast(I128)
    result = people.with_columns(
        average_salary=half_up(num, den),
        monthly=pl.max_horizontal(half_up(p * num, q * den), pl.col("floor").cast(I128)),
        lump_sum=half_up(lump_p * num, lump_q * den),
    ).select(AMOUNTS.keys()).cast(AMOUNTS)  # type: ignore[arg-type]
    if state_ids is None:
        return result
    exact = state_ids.join(people, on="person_id", how="left")
    column = {name: _objects(exact[name]) for name in ("ev_num", "coef_q", "months", "rate_numerator",
                                                       "rate_denominator", "lump_p", "lump_q", "floor")}
    total = column["ev_num"] * state_den + state_num * column["coef_q"]
    divisor = column["coef_q"] * state_den * column["months"]
    monthly = _half_up_objects(column["rate_numerator"] * total, column["rate_denominator"] * divisor)
    computed = pl.DataFrame({
        "person_id": exact["person_id"],
        "average_salary": _half_up_objects(total, divisor).tolist(),
        "monthly": np.maximum(monthly, column["floor"]).tolist(),
        "lump_sum": _half_up_objects(column["lump_p"] * total, column["lump_q"] * divisor).tolist(),
    }, schema=AMOUNTS)
    return result.update(computed, on="person_id")


__all__ = ["amounts", "half_up", "refuse"]
