"""The old-age pension over Polars frames: a national run of new pensions with the scalar's numbers.

``retirees`` has one row per person: ``person_id``, ``sex`` ("male"/"female"),
``birth_date``, ``as_of`` (the day of retirement) and optionally ``early_reason`` ("none"
when absent) and ``loss_percent`` (the loss of working capacity, required with
``reduced_capacity``). ``periods`` has the contribution periods: ``person_id``, ``start`` and
``end`` (any day of the first and last month, inclusive), ``salary`` (integer đồng: the
salary, for the State pay scale the coefficient × the base salary of the month, or the
voluntary income) and optionally ``scheme`` ("compulsory" or "voluntary"), ``sector``
("enterprise" or "state") and ``hazardous`` (false; counted for compulsory periods only), as
the quote's ``history`` (:mod:`ansinh.quote.pension`). Errors name the row
(``periods.<row>.<field>``, ``retirees.<row>.<field>``) with the scalar's codes.

The result has one row per retiree: ``person_id``, ``eligible``, ``years_counted`` (months),
``rate_numerator``/``rate_denominator`` (the exact rate), ``average_salary`` (rounded half up,
as :mod:`ansinh.quote.pension` publishes it; 0 for an ineligible worker, whose average is not
computed), ``monthly`` and ``lump_sum``: the numbers of :func:`ansinh.quote.pension.answer`.

The heavy part is columnar: months per person (all, compulsory, hazardous, after the age),
and the exact revalued average of :mod:`ansinh.rules.pension_batch_salary` (employer-set pay,
the State pay scale and voluntary incomes). The rest depends on a few values per person, so it
is decided by the scalar once per distinct combination of what it reads: eligibility, rules
and rate by :func:`ansinh.rules.pension.compute` per (retirement day, sex, months, compulsory
months, first voluntary month, early reason, loss of capacity, hazardous months, whether the
normal age is reached; the birth month itself only with an early reason or voluntary months,
whose transitional age is compared with it), the minimum pension (compulsory rules only) by its
helper per (day, months, compulsory months, first compulsory month), the years above the maximum
rate with the rate, and the lump-sum multiple per (day, those years, months after the age). The
amounts are then rounded half up, ``(2a + b) // (2b)`` for ``a / b``. The retirement age
depends on the birth month only (the worker is of age from the month it is reached), once no
birth date is after its retirement day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from fractions import Fraction
from functools import partial
from typing import Any

import polars as pl

from ansinh.core.errors import InvalidInput
from ansinh.law.params import ParameterSet
from ansinh.rules.contribution_law import rate
from ansinh.rules.pension import (
    LUMP_AFTER_AGE_KEY,
    LUMP_KEY,
    MINIMUM_JOINED_KEY,
    PensionCase,
    _in_force,
    _minimum,
    _rate,
    benefit_years,
    compute,
)
from ansinh.rules.pension_ages import pension_ages
from ansinh.rules.pension_batch_salary import amounts, refuse
from ansinh.rules.retirement_age import Sex, normal_retirement_age
from ansinh.rules.unemployment_batch import check_periods_frame, months_between_expr

RETIREE_SCHEMA = {"person_id": pl.Int64, "sex": pl.Utf8, "birth_date": pl.Date, "as_of": pl.Date,
                  "early_reason": pl.Utf8, "loss_percent": pl.Int64}
PERIOD_SCHEMA = {"person_id": pl.Int64, "start": pl.Date, "end": pl.Date, "salary": pl.Int64, "scheme": pl.Utf8,
                 "sector": pl.Utf8, "hazardous": pl.Boolean}
PERIOD_DEFAULTS = {"scheme": "compulsory", "sector": "enterprise", "hazardous": False}
DECISION_KEYS = ["as_of", "sex", "early_reason", "loss_percent", "decision_hazardous", "decision_months",
                 "decision_compulsory", "first_voluntary_month", "of_age", "birth_key"]
MINIMUM_KEYS = ["as_of", "minimum_compulsory", "minimum_first_month"]
LUMP_KEYS = ["as_of", "extra_p", "extra_q", "months_after_age"]
OUTPUT_SCHEMA = {"person_id": pl.Int64, "eligible": pl.Boolean, "years_counted": pl.Int64,
                 "rate_numerator": pl.Int64, "rate_denominator": pl.Int64, "average_salary": pl.Int64,
                 "monthly": pl.Int64, "lump_sum": pl.Int64}
_refuse = refuse


def _prepare(periods: pl.DataFrame, retirees: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    if "early_reason" not in retirees.columns:
        retirees = retirees.with_columns(early_reason=pl.lit("none"))
    if "loss_percent" not in retirees.columns:
        retirees = retirees.with_columns(loss_percent=pl.lit(None, dtype=pl.Int64))
    retirees = retirees.select(RETIREE_SCHEMA.keys()).cast(RETIREE_SCHEMA).with_row_index("_row")  # type: ignore[arg-type]
    if retirees["person_id"].is_duplicated().any():
        raise InvalidInput("a person retires more than once in the run", code="retirees.duplicate",
                           field="retirees.person_id", rule="one retirement per person in a run")
    _refuse(retirees, ~pl.col("sex").is_in(["male", "female"]), InvalidInput(
        "sex is not male or female", code="sex.invalid", field="sex", rule="sex is male or female"), "retirees")
    _refuse(retirees, pl.col("birth_date") > pl.col("as_of"), InvalidInput(
        "born after the retirement day", code="birth_date.future", field="birth_date",
        rule="a worker is born before the case arises"), "retirees")
    _refuse(retirees, (pl.col("early_reason") == "reduced_capacity") & pl.col("loss_percent").is_null(), InvalidInput(
        "loss_percent is required for an early pension on reduced working capacity", code="quote.missing_field",
        field="loss_percent", rule="the early pension depends on the assessed loss of working capacity"), "retirees")
    _refuse(retirees, ~pl.col("loss_percent").is_between(0, 100), InvalidInput(
        "loss_percent is not 0 to 100", code="loss_percent.invalid", field="loss_percent",
        rule="the loss of working capacity is a whole percentage, 0 to 100"), "retirees")
    periods = periods.with_columns(
        pl.lit(value).alias(name) for name, value in PERIOD_DEFAULTS.items() if name not in periods.columns)
    periods = periods.select(PERIOD_SCHEMA.keys()).cast(PERIOD_SCHEMA).with_row_index("_row")  # type: ignore[arg-type]
    periods = periods.join(retirees.select("person_id"), on="person_id", how="semi")
    _refuse(retirees.join(periods, on="person_id", how="anti"), pl.lit(value=True), InvalidInput(
        "no contribution periods given", code="history.empty", field="history",
        rule="an average salary needs at least one contribution month"), "retirees")
    _refuse(periods, ~pl.col("scheme").is_in(["compulsory", "voluntary"]), InvalidInput(
        "scheme is not compulsory or voluntary", code="scheme.invalid", field="scheme",
        rule="scheme is compulsory or voluntary"), "periods")
    _refuse(periods, ~pl.col("sector").is_in(["enterprise", "state"]), InvalidInput(
        "sector is not enterprise or state", code="sector.invalid", field="sector",
        rule="sector is enterprise or state"), "periods")
    _refuse(periods, (pl.col("scheme") == "voluntary") & (pl.col("sector") == "state"), InvalidInput(
        "a voluntary period has an income chosen by the person, not a State pay scale",
        code="scheme.voluntary_not_state", field="sector",
        rule="voluntary SI periods are in sector enterprise (the default)"), "periods")
    _refuse(periods, (pl.col("sector") == "state") & (pl.col("salary") == 0), InvalidInput(
        "a State pay-scale salary is a coefficient × the base salary and cannot be 0",
        code="sector.state_salary_not_positive", field="salary", rule="State pay-scale salaries are positive"),
        "periods")
    periods = periods.with_columns(pl.col("start").dt.month_start(), pl.col("end").dt.month_start())
    periods = check_periods_frame(periods, retirees.select("person_id", "as_of"), event_name="the retirement")
    return periods, retirees


def _ages(params: ParameterSet, combinations: list[tuple[str, dt.date, dt.date]]) -> pl.DataFrame:
    """The normal retirement age (months) and the month it is reached, per (sex, birth month, day)."""
    rows = []
    for sex, birth, day in combinations:
        age = normal_retirement_age(params, _sex(sex), birth, day)
        rows.append((sex, birth, day, age.reached, age.months))
    return pl.DataFrame(rows, schema={"sex": pl.Utf8, "birth_month": pl.Date, "as_of": pl.Date,
                                      "reached": pl.Date, "normal_age": pl.Int64}, orient="row")


def _sex(value: str) -> Sex:
    return "male" if value == "male" else "female"


def _excess_years(params: ParameterSet, case: PensionCase) -> Fraction:
    """The years counted above those that give the maximum rate (0 if none), as in :func:`compute`."""
    years = benefit_years(case.months)
    _, full_years, _ = _rate(params, case, years)
    return years - full_years if full_years and years > full_years else Fraction(0)


def _lump_factor(params: ParameterSet, day: dt.date, extra: Fraction, months_after_age: int) -> Fraction:
    """The multiple of the exact average paid as the lump sum (as :func:`pension._lump_sum`)."""
    after_multiple = _in_force(params, LUMP_AFTER_AGE_KEY, day)
    after = min(extra, benefit_years(months_after_age)) if after_multiple is not None else Fraction(0)
    return rate(params, LUMP_KEY, day) * (extra - after) + Fraction(int(after_multiple or 0)) * after


CASE_FIELDS = {"months": ("decision_months", "minimum_compulsory"),
               "compulsory_months": ("decision_compulsory", "minimum_compulsory"),
               "hazardous_months": ("decision_hazardous",), "first_month": ("minimum_first_month",)}
"""The case's fields a combination may carry under the name of its class (see :func:`_decision_keys`)."""


def _field(values: dict[str, Any], name: str, default: Any = None) -> Any:
    for keyed in CASE_FIELDS.get(name, ()):
        if keyed in values:
            return values[keyed]
    return values.get(name, default)


def _case(values: dict[str, Any]) -> PensionCase:
    """A case of the scalar calculator from one combination (average 0: it is applied in columns)."""
    return PensionCase(
        as_of=values["as_of"], sex=_sex(values["sex"]), birth_date=values["birth_month"],
        months=_field(values, "months"), average_salary=Fraction(0), early_reason=values.get("early_reason", "none"),
        hazardous_months=_field(values, "hazardous_months", 0), first_month=_field(values, "first_month"),
        months_after_age=values.get("months_after_age", 0), compulsory_months=_field(values, "compulsory_months"),
        first_voluntary_month=values.get("first_voluntary_month"), loss_percent=values.get("loss_percent"))


def _per_combination(frame: pl.DataFrame, keys: list[str], decide: Callable[[PensionCase], tuple[int, ...]],
                     names: list[str]) -> pl.DataFrame:
    """``decide`` once per distinct ``keys`` of ``frame`` (the case built from the first row having them)."""
    representatives = frame.group_by(keys).agg(pl.col("sex", "birth_month").exclude(keys).first())
    rows = [(*(row[k] for k in keys), *decide(_case(row))) for row in representatives.iter_rows(named=True)]
    schema = {k: frame.schema[k] for k in keys} | dict.fromkeys(names, pl.Int64)
    return pl.DataFrame(rows, schema=schema, orient="row")


def _eligibility(params: ParameterSet, case: PensionCase) -> tuple[int, ...]:
    result = compute(case, params)
    if not result.eligible:
        return 0, 0, 1, 0, 1, 0
    extra = _excess_years(params, case)
    compulsory_rules = case.voluntary == 0 or pension_ages(params, case).compulsory_rules  # as pension_ages._rules
    return 1, result.rate.numerator, result.rate.denominator, extra.numerator, extra.denominator, int(compulsory_rules)


def _representative_months(months: int) -> int:
    """The fewest months with the same whole years and the same years for the benefit amount.

    The scalar rules read a career's months only through those two (``months // 12`` and
    :func:`ansinh.rules.pension.benefit_years`), so one decision serves every career of the
    class: 20 years 3 months decides as 20 years 1 month.
    """
    whole = months // 12 * 12
    years = benefit_years(months)
    return next(m for m in range(whole, months + 1) if benefit_years(m) == years)


def _decision_keys(params: ParameterSet, retirees: pl.DataFrame) -> pl.DataFrame:
    """``retirees`` with the months the decisions are keyed on, each career mapped to its class.

    Careers with voluntary months keep their exact months: whether any month is voluntary
    decides which rules apply. Hazardous months count in whole years only. The minimum pension
    reads whole compulsory years and only whether the first month is before the date in force.
    """
    distinct = retirees.select(pl.col("months").unique().drop_nulls()).to_series().to_list()
    classes = pl.DataFrame({"months": distinct, "months_class": [_representative_months(m) for m in distinct]},
                           schema={"months": retirees.schema["months"], "months_class": retirees.schema["months"]})
    days = retirees.select(pl.col("as_of").unique()).to_series().to_list()
    cutoffs = pl.DataFrame(
        {"as_of": days, "joined_before": [None if (cut := _in_force(params, MINIMUM_JOINED_KEY, day)) is None
                                          else dt.date.fromisoformat(cut) for day in days]},
        schema={"as_of": pl.Date, "joined_before": pl.Date})
    pure = pl.col("compulsory_months") == pl.col("months")
    first = pl.col("first_month")
    return (retirees.join(classes, on="months", how="left", maintain_order="left")
            .join(cutoffs, on="as_of", how="left", maintain_order="left")
            .with_columns(
                decision_months=pl.when(pure).then("months_class").otherwise("months"),
                decision_compulsory=pl.when(pure).then("months_class").otherwise("compulsory_months"),
                decision_hazardous=pl.col("hazardous_months") // 12 * 12,
                minimum_compulsory=pl.col("compulsory_months") // 12 * 12,
                minimum_first_month=pl.when(first.is_null() | pl.col("joined_before").is_null()).then(first)
                .when(first < pl.col("joined_before")).then(pl.lit(dt.date(1, 1, 1)))
                .otherwise(pl.col("joined_before")))
            .drop("months_class", "joined_before"))


def _decisions(params: ParameterSet, retirees: pl.DataFrame) -> pl.DataFrame:
    """``retirees`` with eligibility, rate, minimum pension and lump-sum factor, each decided by the
    scalar once per distinct combination of what it depends on.

    Eligibility and rate: :func:`compute` on :data:`DECISION_KEYS`; with no early reason and no
    voluntary months the birth month matters only through whether the normal age is reached
    (``of_age``), otherwise it is part of the key (``birth_key``); the months are keyed by their
    class (:func:`_decision_keys`). The minimum pension (:func:`_minimum`, under the compulsory
    rules only) reads the whole compulsory years and whether the first month is before the date
    in force; the lump sum the years above the maximum rate (found with the rate) and the months
    after the age.
    """
    age = (pl.col("as_of").dt.year() - pl.col("birth_month").dt.year()) * 12 + pl.col("as_of").dt.month().cast(
        pl.Int32) - pl.col("birth_month").dt.month().cast(pl.Int32)
    retirees = _decision_keys(params, retirees).with_columns(
        of_age=age >= pl.col("normal_age"),
        birth_key=pl.when((pl.col("early_reason") != "none") | (pl.col("compulsory_months") < pl.col("months")))
        .then(pl.col("birth_month")),
    )
    decided = _per_combination(retirees, DECISION_KEYS, partial(_eligibility, params),
                               ["eligible", "rate_numerator", "rate_denominator", "extra_p", "extra_q",
                                "compulsory_rules"])
    retirees = retirees.join(decided, on=DECISION_KEYS, how="left", nulls_equal=True, maintain_order="left")
    retirees = retirees.with_columns(pl.col("eligible", "compulsory_rules").cast(pl.Boolean))
    eligible = retirees.filter("eligible")
    floors = _per_combination(eligible.filter("compulsory_rules"), MINIMUM_KEYS,
                              lambda case: (_minimum(params, case, 0)[0],), ["floor"])

    lump_rows = []
    for day, extra_p, extra_q, after in eligible.filter(pl.col("extra_p") > 0).select(LUMP_KEYS).unique().rows():
        factor = _lump_factor(params, day, Fraction(extra_p, extra_q), after)
        lump_rows.append((day, extra_p, extra_q, after, factor.numerator, factor.denominator))
    lumps = pl.DataFrame(lump_rows, schema={"as_of": pl.Date, "extra_p": pl.Int64, "extra_q": pl.Int64,
                                            "months_after_age": pl.Int64, "lump_p": pl.Int64, "lump_q": pl.Int64},
                         orient="row")
    return (retirees.join(floors, on=MINIMUM_KEYS, how="left", nulls_equal=True, maintain_order="left")
            .join(lumps, on=LUMP_KEYS, how="left", maintain_order="left")
            .with_columns(pl.col("lump_p").fill_null(0), pl.col("lump_q").fill_null(1), pl.col("floor").fill_null(0)))


def _per_person(periods: pl.DataFrame) -> pl.DataFrame:
    """The months and first months of each person's periods, as the quote counts them."""
    months = months_between_expr(pl.col("start"), pl.col("end"))
    compulsory = pl.col("scheme") == "compulsory"
    after_start = pl.max_horizontal("start", pl.col("reached").dt.offset_by("1mo"))
    return periods.group_by("person_id").agg(
        months=months.sum(),
        compulsory_months=months.filter(compulsory).sum(),
        hazardous_months=months.filter(compulsory & pl.col("hazardous")).sum(),
        first_month=pl.col("start").filter(compulsory).min(),
        first_voluntary_month=pl.col("start").filter(~compulsory).min(),
        months_after_age=months_between_expr(after_start, pl.col("end")).clip(lower_bound=0).sum(),
        mixed=(compulsory & (pl.col("sector") != "state")).any(),
    )


def compute_batch(periods: pl.DataFrame, retirees: pl.DataFrame, params: ParameterSet) -> pl.DataFrame:
    """The old-age pension of every retiree, as :func:`ansinh.quote.pension.answer` gives it."""
    periods, retirees = _prepare(periods, retirees)
    retirees = retirees.with_columns(birth_month=pl.col("birth_date").dt.month_start())
    age_keys = ["sex", "birth_month", "as_of"]
    ages = _ages(params, retirees.select(age_keys).unique().sort(age_keys).rows())
    retirees = retirees.join(ages, on=age_keys, how="left", maintain_order="left")
    periods = periods.join(retirees.select("person_id", "as_of", "reached"), on="person_id")
    retirees = retirees.join(_per_person(periods), on="person_id", how="left", maintain_order="left")
    retirees = _decisions(params, retirees)
    eligible = retirees.filter("eligible").with_columns(began=pl.col("first_month"))
    eligible_periods = periods.join(eligible.select("person_id"), on="person_id", how="semi")
    retirees = retirees.join(amounts(params, eligible_periods, eligible), on="person_id", how="left",
                             maintain_order="left")
    amount_names = ["average_salary", "monthly", "lump_sum"]
    return (retirees.with_columns(pl.when("eligible").then(pl.col(amount_names)).otherwise(0),
                                  years_counted=pl.col("months"))
            .select(OUTPUT_SCHEMA.keys()).cast(OUTPUT_SCHEMA))  # type: ignore[arg-type]


__all__ = ["compute_batch"]
