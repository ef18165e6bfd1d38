"""The revaluation tables: one table per year a benefit is granted, read from the law data.

A pension, lump sum or survivors' lump sum granted in year G revalues the salaries of each
contribution year Y by the coefficient of column Y in the table for G (Decree 115/2015 art. 10,
Decree 134/2015 art. 4; from 2025-07-01 Decree 158/2025 art. 16 and Decree 159/2025 art. 10).
Each key ``si.pension.revaluation.{compulsory,voluntary}.<Y>`` holds one dated value per table.

The tables and where they were read (no circular itself was read; every value's note names its copies):

- 2016 Circular 58/2015/TT-BLĐTBXH: lawnet.vn EN items 135927 (Table 1) and 135926 (Table 2).
- 2017 Circular 42/2016/TT-BLĐTBXH: nld.com.vn 2017-02-20 (Table 1 only; no Table 2 found).
- 2018 Circular 32/2017/TT-BLĐTBXH: lawnet.vn EN items 165026 (Table 1) and 165030 (Table 2).
- 2019 Circular 35/2018/TT-BLĐTBXH: vieclamhoabinh.com article 1196; lawnet.vn item 148531.
- 2020 Circular 35/2019/TT-BLĐTBXH: onestepvietnam.com, hddtvn.com, repo huynguyen93/bhxh.
- 2021 Circular 23/2020/TT-BLĐTBXH: thuvienphapluat.vn EN items 34295 and 39080 (partial).
- 2022 Circular 36/2021/TT-BLĐTBXH: lawnet.vn EN Q&A 387369; vss.gov.vn ItemID=10179.
- 2023 Circular 01/2023/TT-BLĐTBXH: vss.gov.vn ItemID=10780; diza.dongnai.gov.vn NewsId=1436.
- 2024 Circular 20/2023/TT-BLĐTBXH: lawnet.vn EN items 140817 and 401721; repo longnd-vnlab/bhxh-calculator.
- 2025 Circular 01/2025/TT-BLĐTBXH and 2026 Công văn 340/BHXH-CSXH: fact sheet si.md §6.3.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from fractions import Fraction
from itertools import pairwise

import pytest

from ansinh.core.errors import NotFound, ParameterNotInForce
from ansinh.law import default_parameters
from ansinh.rules.pension_salary import coefficient

PARAMS = default_parameters()
D = dt.date
GRANT_YEARS = range(2016, 2027)
RISING_STEPS = {2000, 2001}
"""Columns allowed to exceed the one before: in every table 2000 and 2001 are above 1999
(4.85 / 4.12 ... 3.35, 3.41, 3.42 in 2020; 5.63 ... 3.89, 3.95, 3.97 in 2025), because prices
fell in 2000-2001. This is the law as published, not noise; every other step must not rise."""
GAP_2021 = range(2001, 2015)
"""Circular 23/2020 (grants in 2021) was found only for before 1995 ... 2000 and 2015 ... 2021."""


def column(year: int) -> str:
    return "before_1995" if year < 1995 else str(year)


def compulsory(year: int, day: dt.date) -> Fraction:
    value: Fraction = PARAMS.value_at(f"si.pension.revaluation.compulsory.{column(year)}", day)
    return value


def voluntary(year: int, day: dt.date) -> Fraction:
    value: Fraction = PARAMS.value_at(f"si.pension.revaluation.voluntary.{year}", day)
    return value


def known(read: Callable[[int, dt.date], Fraction], years: range, day: dt.date) -> list[tuple[int, Fraction]]:
    """(contribution year, coefficient) for the columns of the table in force on ``day`` that are encoded
    (a year with no value that day, or no key at all, is left out)."""
    found = []
    for year in years:
        try:
            found.append((year, read(year, day)))
        except (ParameterNotInForce, NotFound):
            continue
    return found


@pytest.mark.parametrize(("granted", "year", "expected"), [
    # 2016, Circular 58/2015 Table 1 (lawnet 135927): before 1995 4.29, 1995 3.64, 2000 3.01, 2008 1.69, 2014 1.01
    (2016, 1994, "4.29"), (2016, 1995, "3.64"), (2016, 2000, "3.01"), (2016, 2008, "1.69"), (2016, 2014, "1.01"),
    # 2017, Circular 42/2016 (nld.com.vn): 4.4; 1995 3.74; 2001 3.1; 2014 and 2015 both 1.03
    (2017, 1990, "4.40"), (2017, 1995, "3.74"), (2017, 2001, "3.10"), (2017, 2014, "1.03"), (2017, 2015, "1.03"),
    # 2018, Circular 32/2017 Table 1 (lawnet 165026): 4.56, 3.87, 2007 2.21, 2013 1.11, 2016 1.04
    (2018, 1994, "4.56"), (2018, 1995, "3.87"), (2018, 2007, "2.21"), (2018, 2013, "1.11"), (2018, 2016, "1.04"),
    # 2019, Circular 35/2018 (vieclamhoabinh): 4.72, 4.01, 2006 2.47, 2012 1.23, 2017 1.04
    (2019, 1994, "4.72"), (2019, 1995, "4.01"), (2019, 2006, "2.47"), (2019, 2012, "1.23"), (2019, 2017, "1.04"),
    # 2020, Circular 35/2019 Table 1 (onestepvietnam): 4.85, 4.12, 1996 3.89, 2004 2.96, 2015 1.13, 2018 1.03
    (2020, 1994, "4.85"), (2020, 1995, "4.12"), (2020, 1996, "3.89"), (2020, 2004, "2.96"), (2020, 2015, "1.13"),
    (2020, 2018, "1.03"),
    # 2021, Circular 23/2020: 2015 1.17, 2019 1.03 (thuvienphapluat 34295); before 1995 5.10 - 0.09 (item 39080)
    (2021, 1994, "5.01"), (2021, 2000, "3.52"), (2021, 2015, "1.17"), (2021, 2019, "1.03"),
    # 2022, Circular 36/2021 Table 1 (lawnet 387369): 5.10, 4.33, 2008 2.01, 2013 1.25, 2020 1.02
    (2022, 1994, "5.10"), (2022, 1995, "4.33"), (2022, 2008, "2.01"), (2022, 2013, "1.25"), (2022, 2020, "1.02"),
    # 2023, Circular 01/2023 (vss.gov.vn 10780; diza 1436): 5.26, 4.46, 2011 1.50, 2019 1.08, 2021 1.03
    (2023, 1994, "5.26"), (2023, 1995, "4.46"), (2023, 2011, "1.50"), (2023, 2019, "1.08"), (2023, 2021, "1.03"),
    # 2024, Circular 20/2023 Table 1 (lawnet 140817): 5.43, 4.61, 2009 2.00, 2015 1.27, 2022 1.03
    (2024, 1994, "5.43"), (2024, 1995, "4.61"), (2024, 2009, "2.00"), (2024, 2015, "1.27"), (2024, 2022, "1.03"),
    # 2025 and 2026 (si.md §6.3), unchanged
    (2025, 1994, "5.63"), (2025, 2010, "1.90"), (2026, 1994, "5.81"), (2026, 2024, "1.03"),
])
def test_compulsory_coefficients_read_in_the_sources(granted: int, year: int, expected: str) -> None:
    """Spot checks against the copies named in the module docstring, mid-year of the grant."""
    assert compulsory(year, D(granted, 6, 30)) == Fraction(expected)


def test_the_pension_average_reads_these_tables() -> None:
    """``coefficient`` maps 1990 to the before-1995 column: 4.72 for a grant on 2019-05-01."""
    assert coefficient(PARAMS, 1990, D(2019, 5, 1)) == Fraction("4.72")
    assert coefficient(PARAMS, 2010, D(2023, 12, 31)) == Fraction("1.77")


def test_the_day_before_and_the_day_a_table_changes() -> None:
    """Salaries of 2015: 1.10 for a grant on 2019-12-31 (Circular 35/2018), 1.13 on 2020-01-01
    (Circular 35/2019); 1.27 on 2024-12-31 (Circular 20/2023), 1.31 on 2025-01-01 (Circular 01/2025).
    Before 2016-01-01 no table is encoded."""
    assert compulsory(2015, D(2019, 12, 31)) == Fraction("1.10")
    assert compulsory(2015, D(2020, 1, 1)) == Fraction("1.13")
    assert compulsory(2015, D(2024, 12, 31)) == Fraction("1.27")
    assert compulsory(2015, D(2025, 1, 1)) == Fraction("1.31")
    with pytest.raises(ParameterNotInForce):
        compulsory(1994, D(2015, 12, 31))
    assert compulsory(1994, D(2016, 1, 1)) == Fraction("4.29")


@pytest.mark.parametrize("granted", range(2017, 2027))
def test_each_new_table_starts_on_the_first_of_january(granted: int) -> None:
    """The before-1995 column changes exactly on 1 January: the old table on 31 December, the new
    one (a higher coefficient, prices having risen) the next day."""
    before, after = compulsory(1994, D(granted - 1, 12, 31)), compulsory(1994, D(granted, 1, 1))
    assert after > before
    assert before == compulsory(1994, D(granted - 1, 1, 1))


def test_the_2021_gap_is_not_guessed() -> None:
    """Circular 23/2020 was found for before 1995 ... 2000 and 2015 ... 2021 only: salaries of
    2005 give 2.73 on 2020-12-31 (2020 table), no answer through 2021, 2.87 on 2022-01-01."""
    assert compulsory(2005, D(2020, 12, 31)) == Fraction("2.73")
    for day in (D(2021, 1, 1), D(2021, 12, 31)):
        with pytest.raises(ParameterNotInForce):
            compulsory(2005, day)
    assert compulsory(2005, D(2022, 1, 1)) == Fraction("2.87")
    encoded = [year for year, _ in known(compulsory, range(1994, 2022), D(2021, 6, 1))]
    assert encoded == [1994, 1995, 1996, 1997, 1998, 1999, 2000, *range(2015, 2022)]


@pytest.mark.parametrize("granted", GRANT_YEARS)
def test_every_column_of_a_table_up_to_its_year(granted: int) -> None:
    """A table has a coefficient for before 1995 and each year to the year of grant (except the
    2021 gap), and none for the year after."""
    day = D(granted, 7, 1)
    years = [year for year, _ in known(compulsory, range(1994, granted + 2), day)]
    expected = [year for year in range(1994, granted + 1) if not (granted == 2021 and year in GAP_2021)]
    assert years == expected


@pytest.mark.parametrize("granted", GRANT_YEARS)
def test_the_last_two_years_are_one(granted: int) -> None:
    """The year of grant and the year before it are both 1.00 in every table (the CPI base is
    the year before the grant)."""
    day = D(granted, 7, 1)
    assert compulsory(granted, day) == 1
    assert compulsory(granted - 1, day) == 1
    assert all(value >= 1 for _, value in known(compulsory, range(1994, granted + 1), day))


@pytest.mark.parametrize("granted", GRANT_YEARS)
def test_older_salaries_never_get_a_smaller_coefficient(granted: int) -> None:
    """Along a table the coefficient does not rise toward later years (equal values allowed,
    e.g. 2014 and 2015 in 2017, 2023, 2024 and 2026), except the documented steps into 2000 and
    2001 (RISING_STEPS), which are in every table (2000 only where 2001 is not encoded)."""
    values = known(compulsory, range(1994, granted + 1), D(granted, 7, 1))
    rises = {later for (_, older), (later, newer) in pairwise(values) if newer > older}
    assert rises == (RISING_STEPS - set(GAP_2021) if granted == 2021 else RISING_STEPS)


@pytest.mark.parametrize("granted", range(2017, 2027))
def test_neighbouring_tables_differ_by_one_years_prices(granted: int) -> None:
    """Table G over table G-1 is the CPI of G-1 for every column: the ratios of one pair of
    tables stay within a narrow band (all columns but G-1, which is 1.00 in both), so a
    misread value shows up as an outlier. The widest band is 2026/2025 (1995: 4.91 / 4.78)."""
    old, new = D(granted - 1, 7, 1), D(granted, 7, 1)
    ratios = [compulsory(year, new) / value for year, value in known(compulsory, range(1994, granted - 1), old)
              if year not in (GAP_2021 if granted in (2021, 2022) else ())]
    assert max(ratios) - min(ratios) < Fraction("0.02")
    assert all(Fraction(1) < ratio < Fraction("1.05") for ratio in ratios)


@pytest.mark.parametrize(("granted", "year", "expected"), [
    # 2016, Circular 58/2015 Table 2 (lawnet 135926): 2008 1.69 ... 2014 1.01, 2016 1.00
    (2016, 2008, "1.69"), (2016, 2014, "1.01"), (2016, 2016, "1.00"),
    # 2018, Circular 32/2017 Table 2 (lawnet 165030): 2008 1.79, 2013 1.11, 2016 1.04
    (2018, 2008, "1.79"), (2018, 2013, "1.11"), (2018, 2016, "1.04"),
    # 2019, Circular 35/2018: 2008 1.91 - 0.05 (lawnet 148531); 2020, Circular 35/2019 Table 2 (onestepvietnam)
    (2019, 2008, "1.86"), (2020, 2008, "1.91"), (2020, 2014, "1.14"), (2020, 2018, "1.03"),
    # 2022, Circular 36/2021: 2008 2.07 - 0.06 (lawnet 130798); 2023, Circular 01/2023 (diza 1436, lawnet 130798)
    (2022, 2008, "2.01"), (2023, 2008, "2.07"), (2023, 2011, "1.50"), (2023, 2015, "1.23"), (2023, 2021, "1.03"),
    # 2024, Circular 20/2023 Table 2 (lawnet 401721); 2025 Circular 01/2025 Table 2; 2026 CV 340
    (2024, 2008, "2.14"), (2024, 2016, "1.23"), (2025, 2008, "2.21"), (2025, 2023, "1.04"),
    (2026, 2008, "2.29"), (2026, 2024, "1.03"),
])
def test_voluntary_incomes_read_in_the_sources(granted: int, year: int, expected: str) -> None:
    assert voluntary(year, D(granted, 6, 30)) == Fraction(expected)


def test_voluntary_tables_not_found_are_not_guessed() -> None:
    """No income table was found for grants in 2017 and 2021, and only parts for 2019, 2022 and
    2023: those years raise; none is encoded for 2027. Incomes of 2008 (voluntary SI began
    2008-01-01): 1.69 on 2016-12-31, nothing in 2017, 1.79 on 2018-01-01."""
    assert voluntary(2008, D(2016, 12, 31)) == Fraction("1.69")
    with pytest.raises(ParameterNotInForce):
        voluntary(2008, D(2017, 1, 1))
    assert voluntary(2008, D(2018, 1, 1)) == Fraction("1.79")
    for year, day in ((2010, D(2021, 6, 1)), (2012, D(2019, 6, 1)), (2015, D(2022, 6, 1)), (2013, D(2023, 6, 1)),
                      (2008, D(2027, 1, 1)), (2026, D(2027, 1, 1)), (2010, D(2015, 12, 31))):
        with pytest.raises(ParameterNotInForce):
            voluntary(year, day)
    assert voluntary(2026, D(2026, 12, 31)) == 1


@pytest.mark.parametrize("granted", GRANT_YEARS)
def test_voluntary_tables_end_at_one_fall_and_match_the_salary_table(granted: int) -> None:
    """Every income coefficient found equals the salary coefficient of the same table and year
    (true of all the tables read), falls or stays toward later years (no 1999-2001 columns here)
    and is 1.00 for the year of grant wherever that year is encoded."""
    day = D(granted, 7, 1)
    values = known(voluntary, range(2008, granted + 2), day)
    assert all(year <= granted for year, _ in values)
    assert all(value == compulsory(year, day) for year, value in values)
    assert all(newer <= older for (_, older), (_, newer) in pairwise(values))
    if values and values[-1][0] == granted:
        assert values[-1][1] == 1
