"""The hi_cost_share quote: the public case shape in, the three amounts and the explanation out."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.quote.hi_cost_share import answer
from ansinh.quote.schemas import QuoteCase, QuoteResult


def quote(**fields: Any) -> QuoteResult:
    case = {"regime": "hi_cost_share", "as_of": "2025-05-20", "total_cost": 50_000_000, "benefit_level": 4}
    case.update(fields)
    return answer(QuoteCase.model_validate(case))


def test_self_referred_inpatient_at_central_level() -> None:
    """§2.4 example 3: 40 % × 80 % = 32 % of 50,000,000 = 16,000,000; the patient 34,000,000."""
    result = quote(route="self", facility_level="central", inpatient=True)
    assert result.eligible is True
    assert result.reasons == []
    assert result.amounts == {"coverage_percent": "32", "fund_pays": 16_000_000, "patient_pays": 34_000_000}
    assert set(result.amounts) == {"coverage_percent", "fund_pays", "patient_pays"}
    bases = [line.basis for line in result.explanation]
    assert any("Decree 146/2018/ND-CP" in basis for basis in bases)
    assert any("Law on HI" in basis for basis in bases)
    assert all(line.label and line.label_vi and line.value for line in result.explanation)
    assert result.model_dump(mode="json")["regime"] == "hi_cost_share"


def test_small_bill_and_five_years() -> None:
    assert quote(total_cost=300_000, facility_level="basic").amounts == {
        "coverage_percent": "100", "fund_pays": 300_000, "patient_pays": 0}
    capped = quote(as_of="2025-09-10", total_cost=10_000_000, facility_level="provincial", inpatient=True,
                   five_years_continuous=True, copay_paid_this_year=14_000_000)
    assert capped.amounts == {"coverage_percent": "80", "fund_pays": 9_960_000, "patient_pays": 40_000}


def test_defaults_on_the_correct_route_are_explained() -> None:
    """No route: correct route. No facility level: above the primary level, said in the explanation."""
    result = quote(total_cost=10_000_000)
    assert result.amounts == {"coverage_percent": "80", "fund_pays": 8_000_000, "patient_pays": 2_000_000}
    assert result.explanation[0].label == "Facility level"
    assert "not given" in result.explanation[0].value


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"total_cost": None}, "total_cost"),
        ({"benefit_level": None}, "benefit_level"),
        ({"route": "self", "inpatient": True}, "facility_level"),
        ({"route": "self", "facility_level": "central"}, "inpatient"),
    ],
)
def test_missing_fields_are_named(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        quote(**fields)
    assert caught.value.field == field
    assert caught.value.code == "quote.missing_field"


def test_a_visit_before_the_calculator_starts_names_as_of() -> None:
    with pytest.raises(ParameterNotInForce) as caught:
        quote(as_of="2018-11-30", facility_level="basic")
    assert caught.value.field == "as_of"


@pytest.mark.parametrize(
    "fields",
    [{"benefit_level": 6}, {"total_cost": -1}, {"route": "emergency_room"}, {"facility_level": "district"}],
)
def test_the_schema_refuses_bad_values(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as caught:
        quote(**fields)
    assert next(iter(fields)) in str(caught.value)
