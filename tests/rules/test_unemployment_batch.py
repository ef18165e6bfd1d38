"""Unemployment benefit, batch form: the same numbers as the scalar calculator on every claim."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansinh.core.errors import InvalidInput
from ansinh.core.periods import add_months
from ansinh.law import default_parameters
from ansinh.rules.contribution_law import Sector
from ansinh.rules.unemployment import UIPeriod, UnemploymentCase, compute
from ansinh.rules.unemployment_batch import compute_batch

PARAMS = default_parameters()
D = dt.date
AMOUNTS = ("average_salary", "monthly", "months", "total")
FIRST_MONTH = D(2016, 1, 1)  # the parameters begin here
Person = tuple[dt.date, list[UIPeriod]]


def frames(people: list[Person]) -> tuple[pl.DataFrame, pl.DataFrame]:
    rows = [(pid, p.start, p.end, p.salary, p.sector.value, p.region)
            for pid, (_, history) in enumerate(people) for p in history]
    periods = pl.DataFrame(rows, schema={"person_id": pl.Int64, "start": pl.Date, "end": pl.Date,
                                         "salary": pl.Int64, "sector": pl.Utf8, "region": pl.Int8}, orient="row")
    claims = pl.DataFrame({"person_id": list(range(len(people))), "as_of": [day for day, _ in people]})
    return periods, claims


def scalar(day: dt.date, history: list[UIPeriod]) -> dict[str, object]:
    result = compute(UnemploymentCase(as_of=day, history=tuple(history)), PARAMS)
    return {"eligible": result.eligible, **result.amounts()}


def batch(people: list[Person]) -> list[dict[str, object]]:
    out = compute_batch(*frames(people), PARAMS)
    assert out["person_id"].to_list() == list(range(len(people)))
    return [{k: row[k] for k in ("eligible", *AMOUNTS)} for row in out.to_dicts()]


@st.composite
def person(draw: st.DrawFn) -> Person:
    day = draw(st.dates(D(2016, 1, 1), D(2027, 12, 31)))
    last = max(add_months(day.replace(day=1), -draw(st.integers(0, 30))), FIRST_MONTH)
    count = draw(st.integers(1, 5))
    history: list[UIPeriod] = []
    end = last
    for _ in range(count):
        if end < FIRST_MONTH:
            break
        start = max(add_months(end, -draw(st.integers(0, 40))), FIRST_MONTH)
        sector = draw(st.sampled_from(list(Sector)))
        history.append(UIPeriod(start, end, draw(st.integers(0, 150_000_000)), sector=sector,
                                region=draw(st.integers(1, 4))))
        end = add_months(start, -draw(st.integers(1, 24)))
    return day, history[::-1]


@settings(max_examples=40, deadline=None)
@given(st.lists(person(), min_size=1, max_size=6))
def test_batch_equals_scalar(people: list[Person]) -> None:
    """Every claim of a random run gets the scalar's eligibility and amounts, to the đồng."""
    assert batch(people) == [scalar(day, history) for day, history in people]


def test_worked_examples() -> None:
    """hi-ui-ids-calendar.md §4: Region I, terminated 2026-03-15, 50 months at 40,000,000
    (monthly 24,000,000 × 4) and at 60,000,000 (capped at 5 × 5,310,000 = 26,550,000 × 4);
    a worker with 11 months in the window gets nothing; one with no periods neither."""
    day = D(2026, 3, 15)
    people: list[Person] = [
        (day, [UIPeriod(D(2022, 2, 1), D(2026, 3, 1), 40_000_000, region=1)]),
        (day, [UIPeriod(D(2022, 2, 1), D(2026, 3, 1), 60_000_000, region=1)]),
        (day, [UIPeriod(D(2025, 5, 1), D(2026, 3, 1), 60_000_000, region=1)]),
        (day, []),
    ]
    assert batch(people) == [
        {"eligible": True, "average_salary": 40_000_000, "monthly": 24_000_000, "months": 4, "total": 96_000_000},
        {"eligible": True, "average_salary": 60_000_000, "monthly": 26_550_000, "months": 4, "total": 106_200_000},
        {"eligible": False, "average_salary": 0, "monthly": 0, "months": 0, "total": 0},
        {"eligible": False, "average_salary": 0, "monthly": 0, "months": 0, "total": 0},
    ]
    assert batch(people) == [scalar(d, h) for d, h in people]


def test_bad_input_names_the_period() -> None:
    """Overlapping periods and months after the termination are refused, naming the row."""
    day = D(2026, 3, 15)
    overlap = [(day, [UIPeriod(D(2024, 1, 1), D(2025, 1, 1), 1, region=1),
                      UIPeriod(D(2025, 1, 1), D(2026, 1, 1), 1, region=1)])]
    with pytest.raises(InvalidInput) as error:
        batch(overlap)
    assert (error.value.code, error.value.field) == ("history.order", "periods.1.from")
    late = [(day, [UIPeriod(D(2025, 1, 1), D(2026, 4, 1), 1, region=1)])]
    with pytest.raises(InvalidInput) as error:
        batch(late)
    assert (error.value.code, error.value.field) == ("history.after_termination", "periods.0.to")
