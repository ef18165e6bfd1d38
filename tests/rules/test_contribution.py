"""Contributions: worked examples from the law, edges of every dated value, scalar = batch."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.law import default_parameters
from ansinh.rules.contribution import ContributionCase, compute
from ansinh.rules.contribution_batch import compute_batch, share_column
from ansinh.rules.contribution_law import COMPULSORY_SHARES, Sector

PARAMS = default_parameters()


def amounts(**case: object) -> dict[str, object]:
    return compute(ContributionCase(**case), PARAMS).amounts()  # type: ignore[arg-type]


def test_region_one_august_2025() -> None:
    """Salary 30,000,000 in Region I, August 2025 (si.md §2.3).

    Bases: 30,000,000 is between the floor (reference level 2,340,000) and the ceilings
    (SI/HI 20 × 2,340,000 = 46,800,000; UI 20 × 4,960,000 = 99,200,000).
    Employee: 8 % = 2,400,000; HI 1.5 % = 450,000; UI 1 % = 300,000; total 3,150,000.
    Employer: 14 % + 3 % = 5,100,000; work injury 0.5 % = 150,000; HI 3 % = 900,000;
    UI 1 % = 300,000; total 6,450,000. State UI support 1 % = 300,000.
    """
    result = amounts(month=dt.date(2025, 8, 1), salary=30_000_000, region=1)
    assert result["employee"] == {"retirement_survivor": 2_400_000, "unemployment": 300_000, "health": 450_000,
                                  "total": 3_150_000}
    assert result["employer"] == {"retirement_survivor": 4_200_000, "sickness_maternity": 900_000,
                                  "work_injury": 150_000, "unemployment": 300_000, "health": 900_000,
                                  "total": 6_450_000}
    assert result["state"] == {"unemployment": 300_000}
    assert result["total"] == 9_900_000


def test_ceilings_in_august_2025() -> None:
    """Salary 60,000,000 (si.md §2.3): SI/HI base capped at 46,800,000, UI base 60,000,000
    (under 99,200,000). Employee 3,744,000 SI + 702,000 HI + 600,000 UI; employer
    7,956,000 SI (6,552,000 + 1,404,000) + 234,000 work injury + 1,404,000 HI + 600,000 UI."""
    result = amounts(month=dt.date(2025, 8, 1), salary=60_000_000, region=1)
    assert result["bases"] == {"si": 46_800_000, "hi": 46_800_000, "ui": 60_000_000}
    employee, employer = result["employee"], result["employer"]
    assert employee["retirement_survivor"] == 3_744_000  # type: ignore[index]
    assert employee["health"] == 702_000  # type: ignore[index]
    assert employer["retirement_survivor"] + employer["sickness_maternity"] == 7_956_000  # type: ignore[index]
    assert employer["work_injury"] == 234_000  # type: ignore[index]


@pytest.mark.parametrize(
    ("month", "ceiling"),
    [(dt.date(2026, 6, 1), 46_800_000), (dt.date(2026, 7, 1), 50_600_000)],
)
def test_hi_at_the_ceiling_either_side_of_the_2026_base_salary(month: dt.date, ceiling: int) -> None:
    """hi-ui-ids-calendar.md §6: salary 60,000,000; HI cap 20 × 2,340,000 in June 2026 and
    20 × 2,530,000 from July 2026; HI total 2,106,000 then 2,277,000 (2/3 employer)."""
    result = amounts(month=month, salary=60_000_000, region=1)
    assert result["bases"]["hi"] == ceiling  # type: ignore[index]
    total_hi = result["employer"]["health"] + result["employee"]["health"]  # type: ignore[index]
    assert total_hi == {46_800_000: 2_106_000, 50_600_000: 2_277_000}[ceiling]


@pytest.mark.parametrize(
    ("month", "ui_ceiling"),
    [(dt.date(2025, 12, 1), 99_200_000), (dt.date(2026, 1, 1), 106_200_000)],
)
def test_ui_ceiling_moves_with_the_minimum_wage(month: dt.date, ui_ceiling: int) -> None:
    """UI base at most 20 × the Region I minimum wage: 4,960,000 then 5,310,000 (Decree 293/2025)."""
    assert amounts(month=month, salary=200_000_000, region=1)["bases"]["ui"] == ui_ceiling  # type: ignore[index]


def test_floor_before_and_after_law_41() -> None:
    """A declared 3,000,000 in Region I: raised to the minimum wage 4,960,000 in June 2025;
    from July 2025 the floor is the reference level 2,340,000, so 3,000,000 stands."""
    assert amounts(month=dt.date(2025, 6, 1), salary=3_000_000, region=1)["bases"]["si"] == 4_960_000  # type: ignore[index]
    assert amounts(month=dt.date(2025, 7, 1), salary=3_000_000, region=1)["bases"]["si"] == 3_000_000  # type: ignore[index]


def test_covid_relief_months() -> None:
    """Work injury 0 % from 2021-07 to 2022-06 (Resolution 68/NQ-CP); employer UI 0 % from
    2021-10 to 2022-09 (Resolution 116/NQ-CP). Salary 10,000,000 in Region I."""
    june, july = (amounts(month=dt.date(2021, m, 1), salary=10_000_000, region=1) for m in (6, 7))
    assert june["employer"]["work_injury"] == 50_000  # type: ignore[index]
    assert july["employer"]["work_injury"] == 0  # type: ignore[index]
    october = amounts(month=dt.date(2021, 10, 1), salary=10_000_000, region=1)
    assert october["employer"]["unemployment"] == 0  # type: ignore[index]
    assert amounts(month=dt.date(2022, 10, 1), salary=10_000_000, region=1)["employer"]["unemployment"] == 100_000  # type: ignore[index]


def test_covid_relief_did_not_apply_to_the_state_sector() -> None:
    """Resolutions 68/NQ-CP and 116/NQ-CP excluded State agencies and budget-funded units: on
    the State pay scale the work-injury rate stayed 0.5 % (50,000 on 10,000,000) in July 2021
    and the employer's UI 1 % (100,000) in October 2021."""
    july = amounts(month=dt.date(2021, 7, 1), salary=10_000_000, sector=Sector.STATE)
    assert july["employer"]["work_injury"] == 50_000  # type: ignore[index]
    october = amounts(month=dt.date(2021, 10, 1), salary=10_000_000, sector=Sector.STATE)
    assert october["employer"]["unemployment"] == 100_000  # type: ignore[index]


def test_reduced_work_injury_rate() -> None:
    """0.3 % for enterprises approved under Decree 58/2020 art. 5: 30,000 on 10,000,000."""
    result = amounts(month=dt.date(2026, 3, 1), salary=10_000_000, region=2, reduced_work_injury_rate=True)
    assert result["employer"]["work_injury"] == 30_000  # type: ignore[index]


def test_voluntary_with_state_support() -> None:
    """si.md §3: income 5,000,000 from 2025-07-01: 22 % = 1,100,000; support on 22 % ×
    1,500,000 = 330,000: poor 50 % = 165,000, near-poor 40 % = 132,000, others 20 % = 66,000."""
    for group, support in (("poor", 165_000), ("near_poor", 132_000), ("other", 66_000)):
        result = amounts(month=dt.date(2025, 8, 1), salary=5_000_000, scheme="voluntary", support_group=group)
        assert result["state"] == {"voluntary_support": support}
        assert result["employee"]["retirement_survivor"] == 1_100_000 - support  # type: ignore[index]


def test_voluntary_support_base_moves_in_2027() -> None:
    """From 2027-01-01 the rural poverty line is 2,200,000 (Decree 351/2025): others get
    20 % × 22 % × 2,200,000 = 96,800."""
    result = amounts(month=dt.date(2027, 1, 1), salary=5_000_000, scheme="voluntary")
    assert result["state"] == {"voluntary_support": 96_800}


def test_household_hi() -> None:
    """hi-ui-ids-calendar.md §1.3: 4.5 % × 2,340,000 × 1 / 0.7 / 0.6 / 0.5 / 0.4 =
    105,300 / 73,710 / 63,180 / 52,650 / 42,120; 2,530,000 from July 2026: 113,850 for the first."""
    expected = {1: 105_300, 2: 73_710, 3: 63_180, 4: 52_650, 5: 42_120, 7: 42_120}
    for index, amount in expected.items():
        result = amounts(month=dt.date(2025, 8, 1), salary=0, scheme="voluntary", household_member_index=index)
        assert result["employee"]["health"] == amount  # type: ignore[index]
    later = amounts(month=dt.date(2026, 7, 1), salary=0, scheme="voluntary", household_member_index=1)
    assert later["employee"]["health"] == 113_850  # type: ignore[index]


@pytest.mark.parametrize(
    ("case", "code", "field"),
    [
        ({"salary": -1, "region": 1}, "salary.negative", "salary"),
        ({"salary": 5_000_000, "region": 5}, "region.invalid", "region"),
        ({"salary": 5_000_000}, "region.invalid", "region"),
        ({"salary": 5_000_000, "region": 1, "scheme": "other"}, "scheme.invalid", "scheme"),
        ({"salary": 5_000_000, "region": 1, "household_member_index": 1}, "household.compulsory",
         "household_member_index"),
        ({"salary": 5_000_000, "scheme": "voluntary", "support_group": "rich"}, "support_group.invalid",
         "support_group"),
        ({"salary": 5_000_000, "scheme": "voluntary", "household_member_index": 0}, "household.index",
         "household_member_index"),
    ],
)
def test_bad_cases_name_the_field(case: dict[str, object], code: str, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        amounts(month=dt.date(2026, 3, 1), **case)
    assert (caught.value.code, caught.value.field) == (code, field)


def test_months_before_the_parameters_begin_are_refused() -> None:
    with pytest.raises(ParameterNotInForce):
        amounts(month=dt.date(2015, 12, 1), salary=5_000_000, region=1)


MONTHS = st.builds(lambda y, m: dt.date(y, m, 1), st.integers(2016, 2027), st.integers(1, 12))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(MONTHS, st.integers(0, 250_000_000), st.integers(1, 4), st.sampled_from(list(Sector)),
                          st.booleans()), min_size=1, max_size=40))
def test_batch_equals_scalar(rows: list[tuple[dt.date, int, int, Sector, bool]]) -> None:
    """The national batch and the one-case calculator give the same đồng on every row."""
    rows = [(m, s, r, sector, reduced and m >= dt.date(2020, 7, 15)) for m, s, r, sector, reduced in rows]
    frame = pl.DataFrame(
        {"month": [r[0] for r in rows], "salary": [r[1] for r in rows], "region": [r[2] for r in rows],
         "sector": [r[3].value for r in rows], "reduced_work_injury": [r[4] for r in rows]}
    )
    batch = compute_batch(frame, PARAMS).to_dicts()
    for (month, salary, region, sector, reduced), out in zip(rows, batch, strict=True):
        scalar = compute(ContributionCase(month=month, salary=salary, region=region, sector=sector,
                                          reduced_work_injury_rate=reduced), PARAMS)
        assert {"si": out["si_base"], "hi": out["hi_base"], "ui": out["ui_base"]} == scalar.bases
        for share in COMPULSORY_SHARES:
            assert out[share_column(share.payer, share.fund)] == scalar.shares[share.payer][share.fund]
        assert out["total"] == scalar.total
