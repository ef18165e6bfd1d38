"""Answer a quote case of regime ``hi_cost_share`` with the scalar HI cost-sharing calculator.

The case's fields map one to one onto :class:`ansinh.rules.hi_cost_share.CostShareCase`.
``total_cost`` and ``benefit_level`` are required (QUOTE.md). ``route`` defaults to
``correct``. For a self-referred visit ``facility_level`` and ``inpatient`` decide the
percentage, so they are required then; on the correct route a missing ``facility_level`` is
taken as a facility above the primary level (the card's percentage applies, never more than
the law gives), and the explanation says so. ``copay_paid_this_year`` defaults to 0.
"""

from __future__ import annotations

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.law import default_parameters
from ansinh.quote.schemas import ExplanationLine, QuoteCase, QuoteResult
from ansinh.rules.explain import Line
from ansinh.rules.hi_cost_share import CostShareCase, compute

ASSUMED_FACILITY = "basic"


def _missing(case: QuoteCase, name: str, why: str) -> InvalidInput:
    return InvalidInput(f"{name} is required for regime {case.regime.value}{why}", code="quote.missing_field",
                        field=name, rule="see the fields each regime needs in the quote contract")


def answer(case: QuoteCase) -> QuoteResult:
    """What the HI fund and the patient pay for the visit in ``case``."""
    if case.total_cost is None:
        raise _missing(case, "total_cost", "")
    if case.benefit_level is None:
        raise _missing(case, "benefit_level", "")
    route = case.route or "correct"
    lines: list[Line] = []
    if route == "self":
        if case.facility_level is None:
            raise _missing(case, "facility_level", " when the route is self")
        if case.inpatient is None:
            raise _missing(case, "inpatient", " when the route is self")
    facility: str
    if case.facility_level is not None:
        facility = case.facility_level
    else:
        facility = ASSUMED_FACILITY
        lines.append(Line("Facility level", "Cấp cơ sở khám chữa bệnh",
                          "not given: taken as above the primary level (the card's percentage applies)",
                          "quote contract: facility_level is optional"))
    try:
        result = compute(
            CostShareCase(
                as_of=case.as_of, total_cost=case.total_cost, benefit_level=case.benefit_level,
                facility_level=facility, route=route, inpatient=bool(case.inpatient),
                five_years_continuous=bool(case.five_years_continuous),
                copay_paid_this_year=case.copay_paid_this_year or 0,
            ),
            default_parameters(),
        )
    except ParameterNotInForce as error:
        error.field = "as_of"  # the visit's date is what fell outside the law's dates
        raise
    lines.extend(result.explanation)
    return QuoteResult(
        regime=case.regime, as_of=case.as_of, eligible=True, reasons=[], amounts=result.amounts(),
        explanation=[ExplanationLine(label=line.label, label_vi=line.label_vi, value=line.value, basis=line.basis)
                     for line in lines],
    )


__all__ = ["answer"]
