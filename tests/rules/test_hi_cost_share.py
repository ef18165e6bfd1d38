"""HI cost sharing: the worked examples of hi-ui-ids-calendar.md §2.4, the small-bill threshold
on both sides, the self-referral table at every period edge, the five-years cap, bad input."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.law import default_parameters
from ansinh.rules.hi_cost_share import CostShareCase, CostShareResult, compute, self_referral_key

PARAMS = default_parameters()
D = dt.date
ONE_DAY = dt.timedelta(days=1)


def cost_share(**fields: object) -> CostShareResult:
    case: dict[str, object] = {"as_of": D(2025, 3, 10), "benefit_level": 4, "facility_level": "basic"}
    case.update(fields)
    return compute(CostShareCase(**case), PARAMS)  # type: ignore[arg-type]


def amounts(**fields: object) -> dict[str, object]:
    return cost_share(**fields).amounts()


# --- the worked examples of §2.4 (base salary 2,340,000; 2025) ---------------------------------


def test_example_1_code_4_inpatient_at_the_registered_facility() -> None:
    """Code 4 (80 %), inpatient, correct route, bill 10,000,000 within scope.

    10,000,000 is not below 15 % × 2,340,000 = 351,000; not primary level; the card's 80 %:
    fund 80 % × 10,000,000 = 8,000,000; patient 10,000,000 − 8,000,000 = 2,000,000.
    """
    assert amounts(total_cost=10_000_000, inpatient=True) == {
        "coverage_percent": "80", "fund_pays": 8_000_000, "patient_pays": 2_000_000}


def test_example_2_small_outpatient_visit() -> None:
    """Outpatient visit of 300,000 at the registered facility, code 4.

    300,000 < 15 % × 2,340,000 = 351,000: the small-bill rule pays 100 %:
    fund 300,000; patient 0.
    """
    assert amounts(total_cost=300_000) == {"coverage_percent": "100", "fund_pays": 300_000, "patient_pays": 0}


def test_example_3_self_referred_inpatient_at_central_level() -> None:
    """Code 4, self-referred inpatient at a central (specialised) hospital, bill 50,000,000.

    Fund share 40 % (self-referral) × 80 % (card) = 32 %: fund 32 % × 50,000,000 =
    16,000,000; patient 50,000,000 − 16,000,000 = 34,000,000. MUC_HUONG stores "32".
    """
    assert amounts(total_cost=50_000_000, route="self", facility_level="central", inpatient=True) == {
        "coverage_percent": "32", "fund_pays": 16_000_000, "patient_pays": 34_000_000}


def test_example_4_self_referred_outpatient_at_a_former_provincial_hospital_after_july_2025() -> None:
    """Code 4, self-referred outpatient on 2025-08-01 at a former provincial hospital, bill 1,000,000.

    Fund share 50 % (Decree 188 roadmap) × 80 % = 40 %: fund 400,000; patient 600,000.
    """
    assert amounts(as_of=D(2025, 8, 1), total_cost=1_000_000, route="self", facility_level="provincial",
                   inpatient=False) == {"coverage_percent": "40", "fund_pays": 400_000, "patient_pays": 600_000}


def test_example_5_the_five_years_rule() -> None:
    """Continuous since 2019-03-01 (5 years on 2024-03-01); code 4, correct route.

    Cap = 6 × 2,340,000 = 14,040,000. Co-paid 13,960,001 earlier in 2025; a visit on
    2025-09-10 of 400,000 (not below 351,000) would cost the patient 20 % = 80,000, taking
    the year to 14,040,001: the fund pays the 1 đồng above the cap, so fund 320,000 + 1 =
    320,001 and patient 79,999. For the rest of 2025 (co-paid 14,040,000) the fund pays 100 %: a bill of
    1,000,000 on 2025-10-01 is all the fund's.
    """
    crossing = amounts(as_of=D(2025, 9, 10), total_cost=400_000, five_years_continuous=True,
                       copay_paid_this_year=13_960_001)
    assert crossing == {"coverage_percent": "80", "fund_pays": 320_001, "patient_pays": 79_999}
    after = amounts(as_of=D(2025, 10, 1), total_cost=1_000_000, five_years_continuous=True,
                    copay_paid_this_year=14_040_000)
    assert after == {"coverage_percent": "100", "fund_pays": 1_000_000, "patient_pays": 0}


# --- the small-bill threshold: exactly 15 % × base salary, and one đồng under ---------------------


@pytest.mark.parametrize(
    ("day", "total", "fund", "patient"),
    [
        (D(2025, 3, 10), 351_000, 280_800, 70_200),      # 15 % × 2,340,000 = 351,000 is not below: 80 %
        (D(2025, 3, 10), 350_999, 350_999, 0),           # one đồng under: 100 %
        (D(2026, 6, 30), 379_499, 303_599, 75_900),      # still 351,000: 80 % × 379,499 = 303,599.2
        (D(2026, 7, 1), 379_500, 303_600, 75_900),       # 15 % × 2,530,000 = 379,500 is not below: 80 %
        (D(2026, 7, 1), 379_499, 379_499, 0),            # one đồng under: 100 %
    ],
)
def test_the_small_bill_threshold(day: dt.date, total: int, fund: int, patient: int) -> None:
    result = amounts(as_of=day, total_cost=total)
    assert (result["fund_pays"], result["patient_pays"]) == (fund, patient)


def test_the_small_bill_rule_starts_on_1_december_2018() -> None:
    assert amounts(as_of=D(2018, 12, 1), total_cost=200_000)["fund_pays"] == 200_000  # < 15 % × 1,390,000
    with pytest.raises(ParameterNotInForce):
        amounts(as_of=D(2018, 11, 30), total_cost=200_000)


def test_primary_level_is_paid_in_full() -> None:
    """Code 4 at commune level, 2,000,000 (above 351,000): 100 %."""
    assert amounts(total_cost=2_000_000, facility_level="primary") == {
        "coverage_percent": "100", "fund_pays": 2_000_000, "patient_pays": 0}
    assert amounts(total_cost=2_000_000, facility_level="primary", route="self")["fund_pays"] == 2_000_000


@pytest.mark.parametrize(("level", "fund"), [(1, 1_000_000), (2, 1_000_000), (3, 950_000), (4, 800_000),
                                             (5, 1_000_000)])
def test_each_benefit_level(level: int, fund: int) -> None:
    assert amounts(total_cost=1_000_000, benefit_level=level)["fund_pays"] == fund


def test_referral_counts_as_the_correct_route() -> None:
    assert amounts(total_cost=10_000_000, route="referral", facility_level="central", inpatient=True)[
        "fund_pays"] == 8_000_000


def test_one_half_up_rounding_of_the_fund_share() -> None:
    """Code 3 (95 %) self-referred inpatient at central level: 95 % × 40 % = 38 %;
    38 % × 1,000,001 = 380,000.38 → 380,000;
    code 4 × 40 % = 32 % of 1,234,567 = 395,061.44 → 395,061; 95 % of 1,000,010 = 950,009.5 →
    950,010 (half up)."""
    assert amounts(total_cost=1_000_001, benefit_level=3, route="self", facility_level="central",
                   inpatient=True) == {"coverage_percent": "38", "fund_pays": 380_000, "patient_pays": 620_001}
    assert amounts(total_cost=1_234_567, route="self", facility_level="central", inpatient=True)[
        "fund_pays"] == 395_061
    assert amounts(total_cost=1_000_010, benefit_level=3)["fund_pays"] == 950_010


# --- the self-referral table at every period edge -------------------------------------------------

# (facility, inpatient) -> values from 2009-07-01, 2016-01-01, 2021-01-01, 2025-07-01, 2026-07-01 (§2.3)
TABLE: dict[tuple[str, bool], list[str]] = {
    ("central", True): ["0.4", "0.4", "0.4", "0.4", "0.4"],
    ("central", False): ["0", "0", "0", "0", "0"],
    ("provincial", True): ["0.6", "0.6", "1", "1", "1"],
    ("provincial", False): ["0", "0", "0", "0.5", "0.5"],
    ("basic", True): ["0.7", "1", "1", "1", "1"],
    ("basic", False): ["0.7", "1", "1", "1", "1"],
}
PERIODS = [D(2009, 7, 1), D(2016, 1, 1), D(2021, 1, 1), D(2025, 7, 1), D(2026, 7, 1)]
TABLE_EDGES = [
    (facility, inpatient, start, values[i - 1] if i else None, value)
    for (facility, inpatient), values in TABLE.items()
    for i, (start, value) in enumerate(zip(PERIODS, values, strict=True))
]


@pytest.mark.parametrize(("facility", "inpatient", "start", "before", "value"), TABLE_EDGES)
def test_the_self_referral_table_on_the_day_before_and_the_day_of_each_period(
    facility: str, inpatient: bool, start: dt.date, before: str | None, value: str
) -> None:
    key = self_referral_key(facility, inpatient=inpatient)
    assert [dated.starts for dated in PARAMS.get(key).values] == PERIODS
    if before is None:
        with pytest.raises(ParameterNotInForce):
            PARAMS.value_at(key, start - ONE_DAY)
    else:
        assert PARAMS.value_at(key, start - ONE_DAY) == Fraction(before)
    assert PARAMS.value_at(key, start) == Fraction(value)


def test_the_basic_level_50_to_70_points_roadmap_is_encoded_from_july_2026() -> None:
    key = "hi.cost_share.self_referral.basic_scored_50_to_70.outpatient"
    assert PARAMS.value_at(key, D(2026, 7, 1)) == Fraction(1, 2)
    with pytest.raises(ParameterNotInForce):
        PARAMS.value_at(key, D(2026, 6, 30))


@pytest.mark.parametrize(
    ("day", "facility", "inpatient", "total", "fund"),
    [
        (D(2020, 12, 31), "provincial", True, 10_000_000, 4_800_000),   # 60 % × 80 % = 48 %
        (D(2021, 1, 1), "provincial", True, 10_000_000, 8_000_000),     # 100 % × 80 %
        (D(2025, 6, 30), "provincial", False, 1_000_000, 0),            # outpatient not paid
        (D(2025, 7, 1), "provincial", False, 1_000_000, 400_000),       # 50 % × 80 %
        (D(2026, 6, 30), "central", True, 50_000_000, 16_000_000),      # 40 % × 80 %
        (D(2026, 7, 1), "central", True, 50_000_000, 16_000_000),       # unchanged
        (D(2026, 7, 1), "central", False, 1_000_000, 0),                # outpatient not paid
        (D(2026, 7, 1), "basic", False, 1_000_000, 800_000),            # 100 % × 80 %
    ],
)
def test_self_referral_through_the_calculator_at_the_edges(
    day: dt.date, facility: str, inpatient: bool, total: int, fund: int
) -> None:
    result = amounts(as_of=day, total_cost=total, route="self", facility_level=facility, inpatient=inpatient)
    assert result["fund_pays"] == fund
    assert result["patient_pays"] == total - fund


def test_the_calculator_refuses_visits_before_its_first_parameter_date() -> None:
    """The 2015-12-31 / 2016-01-01 edge is in the table above; the calculator itself starts on
    2018-12-01 with the small-bill threshold, and says so rather than answer without it."""
    with pytest.raises(ParameterNotInForce) as caught:
        amounts(as_of=D(2016, 1, 1), total_cost=10_000_000, route="self", facility_level="basic")
    assert "small_bill" in caught.value.message


# --- the five-years cap ---------------------------------------------------------------------------


def test_the_five_years_cap_crossing_within_one_visit() -> None:
    """Cap 14,040,000 (6 × 2,340,000). Co-paid 14,000,000; bill 10,000,000 → co-payment 2,000,000
    would exceed it: the patient pays the 40,000 of room left, the fund 8,000,000 + 1,960,000."""
    result = cost_share(total_cost=10_000_000, five_years_continuous=True, copay_paid_this_year=14_000_000)
    assert (result.fund_pays, result.patient_pays) == (9_960_000, 40_000)
    assert any(line.label == "Five-years co-payment cap" and "1,960,000" in line.value for line in result.explanation)


def test_the_five_years_cap_exactly_reached_and_one_dong_short() -> None:
    """Bill 1,000,000, code 4: co-payment 200,000. Co-paid 13,840,000 + 200,000 = 14,040,000,
    exactly the cap: no excess. Co-paid 13,840,001 + 200,000 = 14,040,001: the fund pays the
    1 đồng above it (800,001; patient 199,999)."""
    exact = amounts(total_cost=1_000_000, five_years_continuous=True, copay_paid_this_year=13_840_000)
    assert (exact["fund_pays"], exact["patient_pays"]) == (800_000, 200_000)
    over = amounts(total_cost=1_000_000, five_years_continuous=True, copay_paid_this_year=13_840_001)
    assert (over["fund_pays"], over["patient_pays"]) == (800_001, 199_999)


def test_the_five_years_cap_follows_the_base_salary() -> None:
    """From 2026-07-01 the cap is 6 × 2,530,000 = 15,180,000."""
    before = amounts(as_of=D(2026, 6, 30), total_cost=1_000_000, five_years_continuous=True,
                     copay_paid_this_year=14_040_000)
    after = amounts(as_of=D(2026, 7, 1), total_cost=1_000_000, five_years_continuous=True,
                    copay_paid_this_year=14_040_000)
    assert before["fund_pays"] == 1_000_000
    assert after["fund_pays"] == 800_000


def test_the_five_years_cap_is_not_for_self_referral_or_without_five_years() -> None:
    self_referred = cost_share(total_cost=50_000_000, route="self", facility_level="central", inpatient=True,
                               five_years_continuous=True, copay_paid_this_year=14_040_000)
    assert (self_referred.fund_pays, self_referred.patient_pays) == (16_000_000, 34_000_000)
    assert any("not applied" in line.value for line in self_referred.explanation)
    short = amounts(total_cost=10_000_000, copay_paid_this_year=20_000_000)
    assert short["fund_pays"] == 8_000_000


# --- explanation and bad input --------------------------------------------------------------------


def test_every_parameter_used_is_explained_with_its_basis() -> None:
    result = cost_share(total_cost=50_000_000, route="self", facility_level="central", inpatient=True,
                        five_years_continuous=True)
    bases = " | ".join(line.basis for line in result.explanation)
    for key in ("si.base_salary", "hi.cost_share.small_bill.threshold_multiple", "hi.cost_share.coverage.level_4",
                "hi.cost_share.self_referral.central.inpatient", "hi.cost_share.five_years.copay_cap_multiple"):
        source = PARAMS.source_at(key, D(2025, 3, 10))
        assert f"{source.instrument}, {source.article}" in bases, key
    assert "Decree 146/2018/ND-CP, art. 14(1)(d)" in bases
    assert all(line.label_vi for line in result.explanation)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"total_cost": -1}, "total_cost"),
        ({"benefit_level": 6}, "benefit_level"),
        ({"benefit_level": 0}, "benefit_level"),
        ({"route": "emergency_room"}, "route"),
        ({"facility_level": "district"}, "facility_level"),
        ({"copay_paid_this_year": -5}, "copay_paid_this_year"),
    ],
)
def test_bad_input_names_the_field(fields: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        amounts(**{"total_cost": 1_000_000, **fields})
    assert caught.value.field == field
    assert caught.value.rule
