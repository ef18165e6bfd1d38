"""Unemployment benefit: the worked examples of the fact sheet, the 2026 change, bad input.

Worked examples: hi-ui-ids-calendar.md §4 (Region I, terminated 2026-03, RMW 5,310,000).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import pytest

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.law import default_parameters
from ansinh.rules.contribution_law import Sector
from ansinh.rules.unemployment import UIPeriod, UnemploymentCase, UnemploymentResult, compute

PARAMS = default_parameters()
D = dt.date
MARCH_2026 = D(2026, 3, 15)


def month(text: str) -> dt.date:
    year, number = text.split("-")
    return D(int(year), int(number), 1)


def period(start: str, end: str, salary: int, *, region: int | None = 1,
           sector: Sector = Sector.ENTERPRISE) -> UIPeriod:
    return UIPeriod(month(start), month(end), salary, sector=sector, region=region)


def benefit(as_of: dt.date, *periods: UIPeriod) -> UnemploymentResult:
    return compute(UnemploymentCase(as_of=as_of, history=periods), PARAMS)


def test_region_one_2026_average_40_million() -> None:
    """Region I, terminated 2026-03-15, 40,000,000 a month from 2022-02 to 2026-03 (50 months).

    UI base each month = min(40,000,000, 20 × RMW) = 40,000,000 (ceiling 99,200,000 in 2025,
    106,200,000 in 2026). Average of the last 6 = 40,000,000; 60 % = 24,000,000.
    Cap = 5 × 5,310,000 (Region I, last contribution month 2026-03) = 26,550,000: not reached.
    Months: 50 paid → 3 + floor((50 − 36) / 12) = 3 + 1 = 4. Total 24,000,000 × 4 = 96,000,000.
    """
    result = benefit(MARCH_2026, period("2022-02", "2026-03", 40_000_000))
    assert result.eligible and result.reasons == []
    assert result.amounts() == {"average_salary": 40_000_000, "monthly": 24_000_000, "months": 4,
                                "total": 96_000_000}
    cap = next(line for line in result.explanation if line.label == "Benefit cap")
    assert "26,550,000" in cap.value
    assert "Law on Employment 74/2025/QH15, art. 39(1)" in cap.basis
    assert "Decree 293/2025/ND-CP, art. 3" in cap.basis


def test_region_one_2026_average_60_million_is_capped() -> None:
    """Average 60,000,000: the UI base is 60,000,000 (< 106,200,000); 60 % = 36,000,000
    > the cap 5 × 5,310,000 = 26,550,000, so the monthly benefit is 26,550,000.
    50 months paid → 4 months; total 26,550,000 × 4 = 106,200,000.
    """
    result = benefit(MARCH_2026, period("2022-02", "2026-03", 60_000_000))
    assert result.amounts() == {"average_salary": 60_000_000, "monthly": 26_550_000, "months": 4,
                                "total": 106_200_000}


@pytest.mark.parametrize(
    ("start", "paid", "months"),
    [
        # 47 months: 3 + floor(11 / 12) = 3
        ("2022-05", 47, 3),
        # 48 months: 3 + floor(12 / 12) = 4 (the first further full 12 months)
        ("2022-04", 48, 4),
        # 50 months: 3 + floor(14 / 12) = 4
        ("2022-02", 50, 4),
        # 36 months: the top of the first band, 3
        ("2023-04", 36, 3),
        # 12 months: the least that qualifies, 3
        ("2025-04", 12, 3),
        # 144 months: 3 + floor(108 / 12) = 12, the maximum
        ("2014-04", 144, 12),
        # 200 months: 3 + floor(164 / 12) = 16, capped at 12
        ("2009-08", 200, 12),
    ],
)
def test_months_of_benefit(start: str, paid: int, months: int) -> None:
    """n months paid: 3 for 12 to 36, + 1 per further full 12 months, at most 12."""
    result = benefit(MARCH_2026, period(start, "2026-03", 10_000_000))
    assert f"{paid} months paid" in next(line.value for line in result.explanation
                                         if line.label == "Months of benefit")
    assert result.months == months
    assert result.total == 6_000_000 * months


def test_2025_under_the_2013_law_region_one() -> None:
    """Same worker terminated 2025-10-15, under Law 38/2013 art. 50(1): cap 5 × 4,960,000
    (Region I, Decree 74/2024) = 24,800,000; 60 % × 60,000,000 = 36,000,000 → 24,800,000.
    25 months paid (2023-10 to 2025-10) → 3 months; total 74,400,000.
    """
    result = benefit(D(2025, 10, 15), period("2023-10", "2025-10", 60_000_000))
    assert result.amounts() == {"average_salary": 60_000_000, "monthly": 24_800_000, "months": 3,
                                "total": 74_400_000}
    cap = next(line for line in result.explanation if line.label == "Benefit cap")
    assert "Law on Employment 38/2013/QH13, art. 50(1)" in cap.basis


def test_2025_state_pay_scale_capped_at_five_base_salaries() -> None:
    """A State-scale worker terminated 2025-10-15: UI base ceiling 20 × 2,340,000 = 46,800,000
    (salary 20,000,000 is under it); 60 % × 20,000,000 = 12,000,000 > the cap
    5 × 2,340,000 (base salary, Decree 73/2024) = 11,700,000 → 11,700,000.
    """
    result = benefit(D(2025, 10, 15), period("2023-10", "2025-10", 20_000_000, sector=Sector.STATE, region=None))
    assert result.monthly == 11_700_000
    assert result.total == 11_700_000 * 3


def test_state_pay_scale_on_the_day_before_and_the_day_the_2025_law_starts() -> None:
    """State scale, 20,000,000 a month to 2025-12, Region I.

    Terminated 2025-12-31 (Law 38/2013): cap 5 × base salary 2,340,000 = 11,700,000 →
    monthly 11,700,000. Terminated 2026-01-01 (Law 74/2025): cap 5 × the regional minimum wage
    at the last contribution month 2025-12 (4,960,000) = 24,800,000 → 60 % × 20,000,000 =
    12,000,000, under the cap.
    """
    history = period("2024-01", "2025-12", 20_000_000, sector=Sector.STATE, region=1)
    assert benefit(D(2025, 12, 31), history).monthly == 11_700_000
    assert benefit(D(2026, 1, 1), history).monthly == 12_000_000


def test_enterprise_on_the_day_before_and_the_day_the_2025_law_starts() -> None:
    """Enterprise, Region I, 60,000,000 a month to 2025-12.

    2025-12-31: cap 5 × RMW at termination (4,960,000) = 24,800,000.
    2026-01-01: cap 5 × RMW at the last contribution month 2025-12 (4,960,000) = 24,800,000,
    not the 5,310,000 of January 2026; the basis is now Law 74/2025 art. 39(1).
    With January 2026 paid too and termination 2026-01-31: 5 × 5,310,000 = 26,550,000.
    """
    history = period("2024-01", "2025-12", 60_000_000)
    before, after = benefit(D(2025, 12, 31), history), benefit(D(2026, 1, 1), history)
    assert before.monthly == after.monthly == 24_800_000
    assert any("38/2013" in line.basis for line in before.explanation if line.label == "Benefit cap")
    assert any("74/2025" in line.basis for line in after.explanation if line.label == "Benefit cap")
    assert benefit(D(2026, 1, 31), period("2024-01", "2026-01", 60_000_000)).monthly == 26_550_000


def test_each_month_is_capped_at_its_own_ui_ceiling() -> None:
    """120,000,000 a month, Region I, 2025-10 to 2026-03: UI bases 3 × 99,200,000 (2025) +
    3 × 106,200,000 (2026) = 616,200,000; average 102,700,000; 60 % = 61,620,000, capped at
    26,550,000.
    """
    result = benefit(MARCH_2026, period("2024-01", "2026-03", 120_000_000))
    assert result.average_salary == 102_700_000
    assert result.monthly == 26_550_000


def test_the_monthly_benefit_is_rounded_once_half_up() -> None:
    """Last 6 months: five at 10,000,000 and one at 10,000,003: sum 60,000,003, average
    10,000,000.5 (published as 10,000,001). 60 % × 60,000,003 / 6 = 6,000,000.3 → 6,000,000.
    Rounding the average first would give 60 % × 10,000,001 = 6,000,000.6 → 6,000,001: wrong.
    """
    result = benefit(MARCH_2026, period("2024-01", "2026-02", 10_000_000), period("2026-03", "2026-03", 10_000_003))
    assert result.average_salary == 10_000_001
    assert result.monthly == 6_000_000


def test_region_four_cap() -> None:
    """Region IV 2026: cap 5 × 3,700,000 = 18,500,000; 60 % × 40,000,000 = 24,000,000 → capped."""
    assert benefit(MARCH_2026, period("2024-01", "2026-03", 40_000_000, region=4)).monthly == 18_500_000


def test_not_eligible_with_eleven_months() -> None:
    """11 months paid (2025-05 to 2026-03) in the 24 months 2024-04 to 2026-03; 12 needed."""
    result = benefit(MARCH_2026, period("2025-05", "2026-03", 40_000_000))
    assert not result.eligible
    assert [reason.code for reason in result.reasons] == ["too_few_months"]
    assert "11 months" in result.reasons[0].message
    assert result.amounts() == {"average_salary": 0, "monthly": 0, "months": 0, "total": 0}


def test_months_outside_the_window_do_not_qualify() -> None:
    """48 months paid 2019-2022, then 11 in the window 2024-04 to 2026-03: not eligible;
    with 12 in the window (from 2025-04) eligible, and all 60 months count for the duration
    (3 + floor(24 / 12) = 5).
    """
    old = period("2019-01", "2022-12", 10_000_000)
    assert not benefit(MARCH_2026, old, period("2025-05", "2026-03", 10_000_000)).eligible
    result = benefit(MARCH_2026, old, period("2025-04", "2026-03", 10_000_000))
    assert result.eligible
    assert result.months == 5


def test_no_contributions_is_not_eligible() -> None:
    result = benefit(MARCH_2026)
    assert not result.eligible and result.reasons[0].code == "too_few_months"


def test_every_parameter_that_shaped_the_amount_is_explained() -> None:
    result = benefit(MARCH_2026, period("2022-02", "2026-03", 60_000_000))
    text = " ".join(f"{line.label} {line.value} {line.basis}" for line in result.explanation)
    for needle in ("60 %", "26,550,000", "20 × 5,310,000", "at least 12", "24 months", "3 for up to 36",
                   "at most 12", "Law on Employment 74/2025/QH15, art. 38", "art. 39(2)", "art. 34(2)",
                   "rounded once, half up"):
        assert needle in text, needle
    assert all(line.label and line.label_vi and line.value and line.basis for line in result.explanation)


@pytest.mark.parametrize(
    ("periods", "field"),
    [
        ([period("2024-01", "2026-03", -1)], "history.0.salary"),
        ([period("2024-01", "2026-03", 10_000_000, region=5)], "history.0.region"),
        ([period("2024-01", "2026-03", 10_000_000, region=0)], "history.0.region"),
        ([period("2026-03", "2024-01", 10_000_000)], "history.0.to"),
        ([period("2024-01", "2024-12", 1), period("2024-06", "2026-03", 1)], "history.1.from"),
        ([period("2024-01", "2026-04", 10_000_000)], "history.0.to"),
        ([period("2024-01", "2026-03", 10_000_000, region=None)], "history.0.region"),
    ],
    ids=["negative-salary", "region-5", "region-0", "reversed", "overlap", "after-termination", "no-region"],
)
def test_bad_input_names_the_field(periods: list[UIPeriod], field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        benefit(MARCH_2026, *periods)
    assert error.value.field == field


def test_before_the_law_is_in_force() -> None:
    with pytest.raises(ParameterNotInForce):
        benefit(D(2014, 12, 31), period("2013-01", "2014-12", 5_000_000))


NEW_KEYS: dict[str, Any] = {
    "ui.benefit.rate": Fraction(6, 10),
    "ui.benefit.cap_multiple": 5,
    "ui.benefit.average_months": 6,
    "ui.eligibility.min_months": 12,
    "ui.eligibility.window_months": 24,
    "ui.benefit.duration.first_months": 3,
    "ui.benefit.duration.first_band_months": 36,
    "ui.benefit.duration.step_months": 12,
    "ui.benefit.duration.months_per_step": 1,
    "ui.benefit.duration.max_months": 12,
}


@pytest.mark.parametrize("key", sorted(NEW_KEYS))
def test_parameters_on_the_day_before_and_the_day_each_value_starts(key: str) -> None:
    parameter = PARAMS.get(key)
    assert [value.starts for value in parameter.values] == [D(2015, 1, 1), D(2026, 1, 1)]
    with pytest.raises(ParameterNotInForce):
        PARAMS.value_at(key, D(2014, 12, 31))
    for day in (D(2015, 1, 1), D(2025, 12, 31), D(2026, 1, 1)):
        assert PARAMS.value_at(key, day) == NEW_KEYS[key]
    for value in parameter.values:
        assert value.source.note and "[" in value.source.note


@pytest.mark.parametrize(
    ("key", "before", "after"),
    [
        ("ui.benefit.cap_basis_state_scale", "base_salary", "regional_minimum_wage"),
        ("ui.benefit.cap_month", "termination", "last_contribution"),
    ],
)
def test_the_cap_rules_change_on_2026_01_01(key: str, before: str, after: str) -> None:
    assert PARAMS.value_at(key, D(2025, 12, 31)) == before
    assert PARAMS.value_at(key, D(2026, 1, 1)) == after
