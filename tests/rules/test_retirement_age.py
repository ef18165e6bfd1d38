"""The normal retirement age on the Decree 135/2020 roadmap, against the table of si.md §4 at
the first and last birth month of each row, and the age reached month."""

from __future__ import annotations

import datetime as dt

import pytest

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.law import default_parameters
from ansinh.rules.retirement_age import age_for_year, age_in_months, format_age, normal_retirement_age

PARAMS = default_parameters()
DAY = dt.date(2026, 1, 1)

# (sex, first birth month, last birth month or None, age, first month reached) — si.md §4 rows
ROWS = [
    ("male", (1961, 1), (1961, 9), "60y3m", (2021, 4)),
    ("male", (1961, 10), (1962, 6), "60y6m", (2022, 4)),
    ("male", (1962, 7), (1963, 3), "60y9m", (2023, 4)),
    ("male", (1963, 4), (1963, 12), "61y0m", (2024, 4)),
    ("male", (1964, 1), (1964, 9), "61y3m", (2025, 4)),
    ("male", (1964, 10), (1965, 6), "61y6m", (2026, 4)),
    ("male", (1965, 7), (1966, 3), "61y9m", (2027, 4)),
    ("male", (1966, 4), None, "62y0m", (2028, 4)),
    ("female", (1966, 1), (1966, 8), "55y4m", (2021, 5)),
    ("female", (1966, 9), (1967, 4), "55y8m", (2022, 5)),
    ("female", (1967, 5), (1967, 12), "56y0m", (2023, 5)),
    ("female", (1968, 1), (1968, 8), "56y4m", (2024, 5)),
    ("female", (1968, 9), (1969, 4), "56y8m", (2025, 5)),
    ("female", (1969, 5), (1969, 12), "57y0m", (2026, 5)),
    ("female", (1970, 1), (1970, 8), "57y4m", (2027, 5)),
    ("female", (1970, 9), (1971, 4), "57y8m", (2028, 5)),
    ("female", (1971, 5), (1971, 12), "58y0m", (2029, 5)),
    ("female", (1972, 1), (1972, 8), "58y4m", (2030, 5)),
    ("female", (1972, 9), (1973, 4), "58y8m", (2031, 5)),
    ("female", (1973, 5), (1973, 12), "59y0m", (2032, 5)),
    ("female", (1974, 1), (1974, 8), "59y4m", (2033, 5)),
    ("female", (1974, 9), (1975, 4), "59y8m", (2034, 5)),
    ("female", (1975, 5), None, "60y0m", (2035, 5)),
]


@pytest.mark.parametrize(("sex", "first", "last", "age", "reached"), ROWS)
def test_table_rows_at_their_edges(sex: str, first: tuple[int, int], last: tuple[int, int] | None,
                                   age: str, reached: tuple[int, int]) -> None:
    """The first birth month of each row reaches the row's age in the row's first month; the last
    birth month of the row has the same age and reaches it in December of that year."""
    start = normal_retirement_age(PARAMS, sex, dt.date(*first, 15), DAY)  # type: ignore[arg-type]
    assert format_age(start.months) == age
    assert start.reached == dt.date(*reached, 1)
    if last is not None:
        end = normal_retirement_age(PARAMS, sex, dt.date(*last, 28), DAY)  # type: ignore[arg-type]
        assert format_age(end.months) == age
        assert end.reached == dt.date(reached[0], 12, 1)


def test_before_the_roadmap() -> None:
    """A man born 12/1960 reaches 60 in 12/2020, before the roadmap's first year: 60y0m; a woman
    born 12/1965 reaches 55 in 12/2020: 55y0m (the rows of si.md §4 start with 01/1961 and 01/1966)."""
    assert format_age(normal_retirement_age(PARAMS, "male", dt.date(1960, 12, 31), DAY).months) == "60y0m"
    assert format_age(normal_retirement_age(PARAMS, "female", dt.date(1965, 12, 1), DAY).months) == "55y0m"


def test_final_ages_hold_after_the_roadmap() -> None:
    assert age_for_year(PARAMS, "male", 2040, DAY) == 744
    assert age_for_year(PARAMS, "female", 2040, DAY) == 720
    assert normal_retirement_age(PARAMS, "male", dt.date(1990, 1, 1), DAY).reached == dt.date(2052, 1, 1)


def test_law_58_ages_to_2020_12_31_then_the_roadmap() -> None:
    """Law 58/2014 art. 54(1)(a): men 60, women 55, fixed. A man born 1961-01-10: on 2020-12-31
    60y0m, reached 2021-01; on 2021-01-01 the roadmap gives 60y3m (the 2021 age), reached 2021-04.
    A woman born 1966-01-10: 55y0m (2021-01) the day before, 55y4m (2021-05) the day of. A man
    born 1960-12-10 reaches 60 in 12/2020 under both."""
    man, woman = dt.date(1961, 1, 10), dt.date(1966, 1, 10)
    before, after = dt.date(2020, 12, 31), dt.date(2021, 1, 1)
    assert (format_age(normal_retirement_age(PARAMS, "male", man, before).months),
            normal_retirement_age(PARAMS, "male", man, before).reached) == ("60y0m", dt.date(2021, 1, 1))
    assert (format_age(normal_retirement_age(PARAMS, "male", man, after).months),
            normal_retirement_age(PARAMS, "male", man, after).reached) == ("60y3m", dt.date(2021, 4, 1))
    assert format_age(normal_retirement_age(PARAMS, "female", woman, before).months) == "55y0m"
    assert format_age(normal_retirement_age(PARAMS, "female", woman, after).months) == "55y4m"
    for day in (before, after):
        assert normal_retirement_age(PARAMS, "male", dt.date(1960, 12, 10), day).reached == dt.date(2020, 12, 1)
    assert "58/2014/QH13, art. 54(1)(a)" in normal_retirement_age(PARAMS, "male", man, before).basis


def test_law_58_hazardous_ages_and_nothing_before_2016() -> None:
    """Law 58/2014 art. 54(1)(b): 15 years of hazardous jobs, 5 years lower (55 / 50). Before the
    Law (2016-01-01) no age is encoded: the day before raises rather than guesses."""
    assert age_for_year(PARAMS, "female", 2018, dt.date(2018, 6, 1)) == 660
    with pytest.raises(ParameterNotInForce):
        normal_retirement_age(PARAMS, "male", dt.date(1955, 1, 1), dt.date(2015, 12, 31))
    assert normal_retirement_age(PARAMS, "male", dt.date(1955, 1, 1), dt.date(2016, 1, 1)).months == 720
    assert PARAMS.value_at("si.retirement_age.early.hazardous_years_below", dt.date(2016, 1, 1)) == 5
    assert PARAMS.value_at("si.retirement_age.early.hazardous_min_years", dt.date(2020, 12, 31)) == 15


def test_age_in_months() -> None:
    assert age_in_months(dt.date(1964, 10, 5), dt.date(2026, 4, 5)) == 738
    assert age_in_months(dt.date(1964, 10, 5), dt.date(2026, 4, 4)) == 737


def test_bad_input_names_the_field() -> None:
    with pytest.raises(InvalidInput) as error:
        normal_retirement_age(PARAMS, "other", dt.date(1960, 1, 1), DAY)  # type: ignore[arg-type]
    assert error.value.field == "person.sex"
    with pytest.raises(InvalidInput) as error:
        normal_retirement_age(PARAMS, "male", dt.date(2027, 1, 1), DAY)
    assert error.value.field == "person.birth_date"
