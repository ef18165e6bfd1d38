"""Old-age pension, batch form: the same numbers as the quote's scalar path on every retiree."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.core.periods import add_months, format_month, months_between
from ansinh.law import default_parameters
from ansinh.quote.pension import answer
from ansinh.quote.schemas import QuoteCase
from ansinh.rules.pension_batch import compute_batch
from ansinh.rules.retirement_age import format_age

PARAMS = default_parameters()
D = dt.date
Period = tuple[dt.date, dt.date, int, bool]  # first and last month, salary, hazardous
Retiree = tuple[str, dt.date, dt.date, list[Period], str, int | None]  # sex, birth, day, periods, early reason, loss


def frames(people: list[Retiree]) -> tuple[pl.DataFrame, pl.DataFrame]:
    rows = [(pid, *period) for pid, person in enumerate(people) for period in person[3]]
    periods = pl.DataFrame(rows, schema={"person_id": pl.Int64, "start": pl.Date, "end": pl.Date,
                                         "salary": pl.Int64, "hazardous": pl.Boolean}, orient="row")
    retirees = pl.DataFrame({"person_id": list(range(len(people))), "sex": [p[0] for p in people],
                             "birth_date": [p[1] for p in people], "as_of": [p[2] for p in people],
                             "early_reason": [p[4] for p in people], "loss_percent": [p[5] for p in people]},
                            schema_overrides={"loss_percent": pl.Int64})
    return periods, retirees


def scalar(person: Retiree) -> dict[str, Any]:
    """The published quote of one retiree, in the batch's terms."""
    sex, birth, day, history, early_reason, loss = person
    case = QuoteCase.model_validate({
        "regime": "pension", "as_of": day, "person": {"sex": sex, "birth_date": birth}, "early_reason": early_reason,
        "loss_percent": loss,
        "history": [{"from": format_month(s), "to": format_month(e), "salary": salary, "hazardous": hazardous}
                    for s, e, salary, hazardous in history],
    })
    result = answer(case)
    return {"eligible": result.eligible, "years_counted": result.amounts["years_counted"],
            "rate_percent": result.amounts["rate_percent"], "average_salary": result.amounts["average_salary"],
            "monthly": result.amounts["monthly"], "lump_sum": result.amounts["lump_sum"]}


def batch(people: list[Retiree]) -> list[dict[str, Any]]:
    out = compute_batch(*frames(people), PARAMS)
    assert out["person_id"].to_list() == list(range(len(people)))
    return [{"eligible": row["eligible"], "years_counted": format_age(row["years_counted"]),
             "rate_percent": float(Fraction(row["rate_numerator"], row["rate_denominator"]) * 100),
             "average_salary": row["average_salary"], "monthly": row["monthly"], "lump_sum": row["lump_sum"]}
            for row in out.to_dicts()]


@st.composite
def retiree(draw: st.DrawFn) -> Retiree:
    sex = draw(st.sampled_from(["male", "female"]))
    day = draw(st.dates(D(2025, 1, 1), D(2026, 12, 31)) | st.dates(D(2016, 1, 1), D(2024, 12, 31)))
    normal_years = (61 if sex == "male" else 56) if day.year >= 2024 else (60 if sex == "male" else 55)
    age_months = draw(st.integers((normal_years - 3) * 12, (normal_years + 4) * 12))
    birth = add_months(day.replace(day=1), -age_months).replace(day=draw(st.integers(1, 28)))
    history: list[Period] = []
    end = add_months(day.replace(day=1), -draw(st.integers(0, 24)))
    for _ in range(draw(st.integers(1, 5))):
        start = add_months(end, -draw(st.integers(0, 150)))
        history.append((start, end, draw(st.integers(0, 150_000_000)), draw(st.booleans())))
        end = add_months(start, -draw(st.integers(1, 36)))
    early_reason = draw(st.sampled_from(["none", "none", "none", "hazardous", "reduced_capacity"]))
    loss = draw(st.integers(50, 100)) if early_reason == "reduced_capacity" else draw(st.none() | st.integers(0, 100))
    return sex, birth, day, history[::-1], early_reason, loss


@settings(max_examples=40, deadline=None)
@given(st.lists(retiree(), min_size=1, max_size=5))
def test_batch_equals_scalar(people: list[Retiree]) -> None:
    """Every retiree of a random run gets the quote's eligibility, rate and amounts, to the đồng,
    with and without an early-retirement reason and with any loss of working capacity, under Law
    58 (from 2016) and Law 41; a run the quote refuses (an early pension only the
    especially-heavy-jobs rule could grant, a coefficient the table of the year of grant lacks)
    the batch refuses with the same error."""
    try:
        expected = [scalar(person) for person in people]
    except (InvalidInput, ParameterNotInForce) as refused:
        with pytest.raises(type(refused)) as error:
            batch(people)
        assert error.value.code == refused.code
        return
    assert batch(people) == expected


def test_worked_examples() -> None:
    """A man born 1964-01-10 retiring 2026-03-15 (of age since 2025-04) after 30 years 2 months
    at 10,000,000 from 1996-01: 45 % + 2 % × 10.5 = 66 %; a woman of the same career retiring
    2025-11-02 reaches 75 % at 30 years, so her extra half-year gives a lump sum; a man with
    10 years is not eligible and gets nothing."""
    career = [(D(1996, 1, 1), D(2026, 2, 1), 10_000_000, False)]
    people: list[Retiree] = [
        ("male", D(1964, 1, 10), D(2026, 3, 15), career, "none", None),
        ("female", D(1968, 1, 10), D(2025, 11, 2), [(D(1995, 4, 1), D(2025, 10, 1), 10_000_000, False)], "none",
         None),
        ("male", D(1964, 1, 10), D(2026, 3, 15), [(D(2016, 1, 1), D(2025, 12, 1), 10_000_000, False)], "none", None),
    ]
    out = batch(people)
    assert out == [scalar(person) for person in people]
    assert months_between(*career[0][:2]) == 362
    assert (out[0]["eligible"], out[0]["rate_percent"]) == (True, 66.0)
    assert out[1]["rate_percent"] == 75.0 and out[1]["lump_sum"] > 0
    assert out[2] == {"eligible": False, "years_counted": "10y0m", "rate_percent": 0.0, "average_salary": 0,
                      "monthly": 0, "lump_sum": 0}


CAREER = [(D(2000, 1, 1), D(2025, 1, 1), 10_000_000, False)]


def test_state_pay_scale_and_voluntary_periods_are_refused() -> None:
    """The batch averages employer-set compulsory pay only: a State pay-scale or voluntary period
    is refused, naming the row, where the scalar quote answers it (it averages the last years of
    State pay, revalued by the base salary, and voluntary incomes by their own table)."""
    periods, retirees = frames([("male", D(1964, 1, 10), D(2026, 3, 15), CAREER, "none", None)])
    with pytest.raises(InvalidInput) as error:
        compute_batch(periods.with_columns(sector=pl.lit("state")), retirees, PARAMS)
    assert (error.value.code, error.value.field) == ("sector.state_not_supported", "periods.0.sector")
    with pytest.raises(InvalidInput) as error:
        compute_batch(periods.with_columns(scheme=pl.lit("voluntary")), retirees, PARAMS)
    assert (error.value.code, error.value.field) == ("scheme.voluntary_not_supported", "periods.0.scheme")
    state = QuoteCase.model_validate({"regime": "pension", "as_of": "2026-03-15",
                                      "person": {"sex": "male", "birth_date": "1964-01-10"},
                                      "history": [{"from": "2005-01", "to": "2025-01", "salary": 10_000_000,
                                                   "sector": "state"}]})
    assert answer(state).eligible


def test_reduced_capacity_needs_the_loss_of_capacity() -> None:
    """A reduced-capacity retiree without loss_percent is refused naming the row; with 61 % the
    batch gives the quote's reduced rate: born 1968-01-10, on 2026-06-15 he is 701 months old,
    3 years 7 months before 62y0m; 25 years: 55 % − (3 × 2 % + 1 %) = 48 %."""
    career = [(D(2001, 6, 1), D(2026, 5, 1), 10_000_000, False)]
    periods, retirees = frames([("male", D(1968, 1, 10), D(2026, 6, 15), career, "reduced_capacity", None)])
    with pytest.raises(InvalidInput) as error:
        compute_batch(periods, retirees, PARAMS)
    assert (error.value.code, error.value.field) == ("quote.missing_field", "retirees.0.loss_percent")
    people: list[Retiree] = [("male", D(1968, 1, 10), D(2026, 6, 15), career, "reduced_capacity", 61),
                             ("male", D(1968, 1, 10), D(2026, 6, 15), career, "reduced_capacity", 60)]
    out = batch(people)
    assert out == [scalar(person) for person in people]
    assert (out[0]["eligible"], out[0]["rate_percent"], out[1]["eligible"]) == (True, 48.0, False)
