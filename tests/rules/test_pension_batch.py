"""Old-age pension, batch form: the same numbers as the quote's scalar path on every retiree, for
employer-set, State pay-scale, voluntary and mixed careers, under Law 58 and Law 41."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansinh.core.errors import AnsinhError, InvalidInput, ParameterNotInForce
from ansinh.core.periods import add_months, format_month, months_between
from ansinh.law import default_parameters
from ansinh.quote.pension import answer
from ansinh.quote.schemas import QuoteCase
from ansinh.rules.pension_batch import compute_batch
from ansinh.rules.retirement_age import format_age

PARAMS = default_parameters()
D = dt.date
Period = tuple[dt.date, dt.date, int, bool, str, str]  # first and last month, salary, hazardous, scheme, sector
Retiree = tuple[str, dt.date, dt.date, list[Period], str, int | None]  # sex, birth, day, periods, early reason, loss


def emp(start: dt.date, end: dt.date, salary: int, hazardous: bool = False) -> Period:
    return start, end, salary, hazardous, "compulsory", "enterprise"


def vol(start: dt.date, end: dt.date, income: int) -> Period:
    return start, end, income, False, "voluntary", "enterprise"


def state(first: dt.date, last: dt.date, coefficient: Fraction) -> list[Period]:
    """State pay-scale months at one pay coefficient: salary = coefficient × the base salary of each
    month (one period per base salary, rounded half up to the đồng), as the quote contract defines them."""
    periods, month = [], first
    while month <= last:
        base, start = PARAMS.value_at("si.base_salary", month), month
        while month <= last and PARAMS.value_at("si.base_salary", month) == base:
            end, month = month, add_months(month, 1)
        periods.append((start, end, int(coefficient * base + Fraction(1, 2)), False, "compulsory", "state"))
    return periods


def frames(people: list[Retiree]) -> tuple[pl.DataFrame, pl.DataFrame]:
    rows = [(pid, *period) for pid, person in enumerate(people) for period in person[3]]
    periods = pl.DataFrame(rows, schema={"person_id": pl.Int64, "start": pl.Date, "end": pl.Date,
                                         "salary": pl.Int64, "hazardous": pl.Boolean, "scheme": pl.Utf8,
                                         "sector": pl.Utf8}, orient="row")
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
        "history": [{"from": format_month(s), "to": format_month(e), "salary": salary, "hazardous": hazardous,
                     "scheme": scheme, "sector": sector} for s, e, salary, hazardous, scheme, sector in history],
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


FIRST_BASE_SALARY = PARAMS.get("si.base_salary").values[0].starts
RETIREMENT_DAYS = (st.dates(D(2025, 1, 1), D(2026, 12, 31)) | st.dates(D(2016, 1, 1), D(2024, 12, 31))
                   | st.sampled_from([D(2025, 6, 30), D(2025, 7, 1), D(2026, 6, 30), D(2026, 7, 1)]))
KINDS = {"employer": ("employer",), "state": ("state",), "voluntary": ("voluntary",),
         "state and employer": ("state", "employer"), "compulsory and voluntary": ("employer", "voluntary"),
         "state and voluntary": ("state", "voluntary"), "all": ("state", "employer", "voluntary")}


@st.composite
def period(draw: st.DrawFn, kind: str, start: dt.date, end: dt.date) -> list[Period]:
    if kind == "state" and start >= FIRST_BASE_SALARY and draw(st.booleans()):
        return state(start, end, Fraction(draw(st.integers(100, 1000)), 100))
    salary = draw(st.integers(1 if kind == "state" else 0, 150_000_000))
    if kind == "voluntary":
        return [vol(start, end, salary)]
    return [(start, end, salary, draw(st.booleans()), "compulsory", "state" if kind == "state" else "enterprise")]


@st.composite
def retiree(draw: st.DrawFn, careers: tuple[str, ...] = tuple(KINDS)) -> Retiree:
    sex = draw(st.sampled_from(["male", "female"]))
    day = draw(RETIREMENT_DAYS)
    normal_years = (61 if sex == "male" else 56) if day.year >= 2024 else (60 if sex == "male" else 55)
    age_months = draw(st.integers((normal_years - 3) * 12, (normal_years + 4) * 12))
    birth = add_months(day.replace(day=1), -age_months).replace(day=draw(st.integers(1, 28)))
    kinds = KINDS[draw(st.sampled_from(careers))]
    history: list[Period] = []
    end = add_months(day.replace(day=1), -draw(st.integers(0, 24)))
    long = len(kinds) > 1 or draw(st.booleans())  # careers long enough for a pension, or any
    for _ in range(draw(st.integers(1, 4))):
        start = add_months(end, -draw(st.integers(60, 240) if long else st.integers(0, 150)))
        history = draw(period(draw(st.sampled_from(kinds)), start, end)) + history
        end = add_months(start, -draw(st.integers(1, 24 if long else 36)))
    early_reason = draw(st.sampled_from(["none", "none", "none", "hazardous", "reduced_capacity"]))
    loss = draw(st.integers(50, 100)) if early_reason == "reduced_capacity" else draw(st.none() | st.integers(0, 100))
    return sex, birth, day, history, early_reason, loss


def agree(people: list[Retiree]) -> None:
    """The batch gives each retiree the quote's numbers; where the quote refuses some, the batch
    refuses the run with the error (type and code) of one of them, and gives the others the quote's
    numbers once those are taken out."""
    expected: list[dict[str, Any] | None] = []
    refusals: set[tuple[type, str | None]] = set()
    for person in people:
        try:
            expected.append(scalar(person))
        except (InvalidInput, ParameterNotInForce) as refused:
            expected.append(None)
            refusals.add((type(refused), refused.code))
    if refusals:
        with pytest.raises((InvalidInput, ParameterNotInForce)) as error:
            batch(people)
        assert isinstance(error.value, AnsinhError)
        assert (type(error.value), error.value.code) in refusals
    answered = [person for person, result in zip(people, expected, strict=True) if result is not None]
    if answered:
        assert batch(answered) == [result for result in expected if result is not None]


@settings(max_examples=40, deadline=None)
@given(st.lists(retiree(("employer",)), min_size=1, max_size=5))
def test_batch_equals_scalar(people: list[Retiree]) -> None:
    """Every retiree of a random run of employer-set careers gets the quote's eligibility, rate and
    amounts, to the đồng, with and without an early-retirement reason and with any loss of working
    capacity, under Law 58 (from 2016) and Law 41; a run the quote refuses (an early pension only the
    especially-heavy-jobs rule could grant, a coefficient the table of the year of grant lacks) the
    batch refuses with the same error."""
    agree(people)


@settings(max_examples=300, deadline=None)
@given(st.lists(retiree(), min_size=1, max_size=5))
def test_batch_equals_scalar_on_state_voluntary_and_mixed_careers(people: list[Retiree]) -> None:
    """The same agreement on State pay-scale careers (on the scale, coefficient × each month's base
    salary, or any salary), voluntary ones and every mix, retiring under Law 58 or Law 41 (and on the
    days before and of 2025-07-01 and 2026-07-01): the last years by the year SI began, the
    revaluation by the base salary of the grant or by the CPI, the whole State period where higher,
    the voluntary table and rules (the transitional age, no minimum pension); what the quote refuses
    (State months to be converted before 2004-10, before the base salary table, a mixed career whose
    whole State period is higher, a voluntary year without a table) the batch refuses with the same
    code."""
    agree(people)


def test_worked_examples() -> None:
    """A man born 1964-01-10 retiring 2026-03-15 (of age since 2025-04) after 30 years 2 months
    at 10,000,000 from 1996-01: 45 % + 2 % × 10.5 = 66 %; a woman of the same career retiring
    2025-11-02 reaches 75 % at 30 years, so her extra half-year gives a lump sum; a man with
    10 years is not eligible and gets nothing."""
    career = [emp(D(1996, 1, 1), D(2026, 2, 1), 10_000_000)]
    people: list[Retiree] = [
        ("male", D(1964, 1, 10), D(2026, 3, 15), career, "none", None),
        ("female", D(1968, 1, 10), D(2025, 11, 2), [emp(D(1995, 4, 1), D(2025, 10, 1), 10_000_000)], "none",
         None),
        ("male", D(1964, 1, 10), D(2026, 3, 15), [emp(D(2016, 1, 1), D(2025, 12, 1), 10_000_000)], "none", None),
    ]
    out = batch(people)
    assert out == [scalar(person) for person in people]
    assert months_between(*career[0][:2]) == 362
    assert (out[0]["eligible"], out[0]["rate_percent"]) == (True, 66.0)
    assert out[1]["rate_percent"] == 75.0 and out[1]["lump_sum"] > 0
    assert out[2] == {"eligible": False, "years_counted": "10y0m", "rate_percent": 0.0, "average_salary": 0,
                      "monthly": 0, "lump_sum": 0}


def test_state_voluntary_and_mixed_worked_examples() -> None:
    """A man born 1964-05-10 whose SI began 2010-01 on the State scale: 2.34 to 2015, 3.00 2016-2020,
    3.33 2021 to 05/2026 (197 months, 16 years 5 months). The last 10 years (SI began 2007-2015),
    06/2016-05/2026: 55 × 3.00 + 65 × 3.33 = 381.45; granted 2026-06-30: × 2,340,000 / 120 =
    7,438,275; granted 2026-07-01 (base salary 2,530,000): 8,042,237.5 → 8,042,238 shown. The rate,
    16.5 years: 40 % + 1 % × 1.5 = 41.5 %: 3,086,884.125 → 3,086,884 and 3,337,528.6 → 3,337,529.
    A woman born 1969-01-10, voluntary 01/2010-04/2026 at 3,000,000, granted 2026-06-01: 760,800,000
    / 196 (the voluntary table) = 3,881,632.65 → 3,881,633; 16.5 years: 45 % + 2 % × 1.5 = 48 %:
    1,863,183.67 → 1,863,184. A man born 1964-05-10, employer-set 1998-2009 at 5,000,000 then State
    4.00 2010-2025, granted 2026-03-15: (2,472,000,000 + 9,360,000 × 192) / 336 = 12,705,714.29 →
    12,705,714 (Law 41 art. 72(3))."""
    career = (state(D(2010, 1, 1), D(2015, 12, 1), Fraction("2.34")) + state(D(2016, 1, 1), D(2020, 12, 1),
              Fraction("3.00")) + state(D(2021, 1, 1), D(2026, 5, 1), Fraction("3.33")))
    mixed = [emp(D(1998, 1, 1), D(2009, 12, 1), 5_000_000), *state(D(2010, 1, 1), D(2025, 12, 1), Fraction(4))]
    people: list[Retiree] = [
        ("male", D(1964, 5, 10), D(2026, 6, 30), career, "none", None),
        ("male", D(1964, 5, 10), D(2026, 7, 1), career, "none", None),
        ("female", D(1969, 1, 10), D(2026, 6, 1), [vol(D(2010, 1, 1), D(2026, 4, 1), 3_000_000)], "none", None),
        ("male", D(1964, 5, 10), D(2026, 3, 15), mixed, "none", None),
    ]
    out = batch(people)
    assert out == [scalar(person) for person in people]
    assert [(row["average_salary"], row["monthly"]) for row in out] == [
        (7_438_275, 3_086_884), (8_042_238, 3_337_529), (3_881_633, 1_863_184), (12_705_714, out[3]["monthly"])]
    assert out[3]["monthly"] == int(out[3]["rate_percent"] * Fraction(4_269_120_000, 336) / 100 + Fraction(1, 2))


def test_the_whole_state_period_where_higher_from_2025_07_01() -> None:
    """A man born 1963-01-10 whose SI began 2005-01 on the State scale: 5.00 for 144 months, then
    3.00 for 101 (to 05/2025): 245 months, 20 years 5 months, 46 % (45 % + 2 % × 0.5). On 2025-06-30
    (Law 58) the last 8 years (SI began 2001-2006) are all at 3.00: 7,020,000, pension 3,229,200. On
    2025-07-01 the whole period (Decree 158 art. 15(2)(c)) is higher: (720 + 303) × 2,340,000 =
    2,393,820,000 / 245 = 9,770,693.88 → 9,770,694, pension 46 % of it 4,494,519.18 → 4,494,519."""
    career = state(D(2005, 1, 1), D(2016, 12, 1), Fraction(5)) + state(D(2017, 1, 1), D(2025, 5, 1), Fraction(3))
    people: list[Retiree] = [("male", D(1963, 1, 10), D(2025, 6, 30), career, "none", None),
                             ("male", D(1963, 1, 10), D(2025, 7, 1), career, "none", None)]
    out = batch(people)
    assert out == [scalar(person) for person in people]
    assert [(row["rate_percent"], row["average_salary"], row["monthly"]) for row in out] == [
        (46.0, 7_020_000, 3_229_200), (46.0, 9_770_694, 4_494_519)]


REFUSED: list[tuple[str, Retiree]] = [
    # State from 2000-01 at 3.00 granted 2025-07-01: the whole period is compared, its months before
    # 2004-10 would first be converted by grade and step (Decree 158 art. 15(1)(a))
    ("sector.state_conversion_not_modelled",
     ("male", D(1963, 1, 10), D(2025, 7, 1), state(D(2000, 1, 1), D(2025, 5, 1), Fraction(3)), "none", None)),
    # employer-set 1998-2009, State 5.00 for 2010-2019 and 3.00 for 2020-2025: the whole State period
    # averages higher than its last 6 years; Decree 158 art. 15(4) does not say which applies
    ("sector.state_mixed_whole_period_not_decided",
     ("male", D(1964, 5, 10), D(2026, 3, 15), [emp(D(1998, 1, 1), D(2009, 12, 1), 5_000_000),
                                               *state(D(2010, 1, 1), D(2019, 12, 1), Fraction(5)),
                                               *state(D(2020, 1, 1), D(2025, 12, 1), Fraction(3))], "none", None)),
    # State 1990-1992 (fewer than 5 years of State months: all averaged) has no base salary (from 1994)
    ("sector.state_before_base_salary",
     ("male", D(1964, 5, 10), D(2025, 9, 1), [(D(1990, 1, 1), D(1992, 12, 1), 500_000, False, "compulsory", "state"),
                                              emp(D(1993, 1, 1), D(2024, 12, 1), 8_000_000)], "none", None)),
    # a voluntary income of 2007: the voluntary table begins in 2008
    ("law.parameter_not_in_force",
     ("female", D(1969, 1, 10), D(2026, 6, 1), [vol(D(2007, 1, 1), D(2026, 4, 1), 3_000_000)], "none", None)),
]


@pytest.mark.parametrize(("code", "person"), REFUSED, ids=[code for code, _ in REFUSED])
def test_what_the_quote_refuses_the_batch_refuses(code: str, person: Retiree) -> None:
    """Each of these careers is refused by the quote and by the batch with the same code (the batch
    naming the row), also when it is one retiree among others whose pensions are computed."""
    with pytest.raises((InvalidInput, ParameterNotInForce)) as refused:
        scalar(person)
    assert refused.value.code == code
    fine = ("male", D(1964, 1, 10), D(2026, 3, 15), [emp(D(1996, 1, 1), D(2026, 2, 1), 10_000_000)], "none", None)
    with pytest.raises(type(refused.value)) as error:
        batch([fine, person])
    assert error.value.code == code
    if isinstance(error.value, InvalidInput):
        assert error.value.field is not None and error.value.field.startswith(("periods.", "retirees.1."))
    agree([fine, person])


def test_a_voluntary_period_on_the_state_scale_is_refused() -> None:
    """A voluntary income is chosen by the person, not a State pay scale: refused naming the row,
    as the quote refuses it."""
    periods, retirees = frames([("male", D(1964, 1, 10), D(2026, 3, 15), [emp(D(2000, 1, 1), D(2025, 1, 1),
                                                                              10_000_000)], "none", None)])
    with pytest.raises(InvalidInput) as error:
        compute_batch(periods.with_columns(scheme=pl.lit("voluntary"), sector=pl.lit("state")), retirees, PARAMS)
    assert (error.value.code, error.value.field) == ("scheme.voluntary_not_state", "periods.0.sector")


def test_reduced_capacity_needs_the_loss_of_capacity() -> None:
    """A reduced-capacity retiree without loss_percent is refused naming the row; with 61 % the
    batch gives the quote's reduced rate: born 1968-01-10, on 2026-06-15 he is 701 months old,
    3 years 7 months before 62y0m; 25 years: 55 % − (3 × 2 % + 1 %) = 48 %."""
    career = [emp(D(2001, 6, 1), D(2026, 5, 1), 10_000_000)]
    periods, retirees = frames([("male", D(1968, 1, 10), D(2026, 6, 15), career, "reduced_capacity", None)])
    with pytest.raises(InvalidInput) as error:
        compute_batch(periods, retirees, PARAMS)
    assert (error.value.code, error.value.field) == ("quote.missing_field", "retirees.0.loss_percent")
    people: list[Retiree] = [("male", D(1968, 1, 10), D(2026, 6, 15), career, "reduced_capacity", 61),
                             ("male", D(1968, 1, 10), D(2026, 6, 15), career, "reduced_capacity", 60)]
    out = batch(people)
    assert out == [scalar(person) for person in people]
    assert (out[0]["eligible"], out[0]["rate_percent"], out[1]["eligible"]) == (True, 48.0, False)
