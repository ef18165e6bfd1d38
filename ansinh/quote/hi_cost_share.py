"""Answer a quote case of regime ``hi_cost_share`` with the scalar HI cost-sharing calculator.

The case's fields map one to one onto :class:`ansinh.rules.hi_cost_share.CostShareCase`.
``total_cost`` and ``benefit_level`` are required (QUOTE.md). ``route`` defaults to
``correct``. For a self-referred visit ``facility_level`` and ``inpatient`` decide the
percentage, so they are required then; on the correct route a missing ``facility_level`` is
taken as a facility above the primary level (the card's percentage applies, never more than
the law gives), and the explanation says so. ``copay_paid_this_year`` defaults to 0.
"""

from __future__ import annotations

from ansinh.law import default_parameters
from ansinh.quote.common import answered, dated_by, missing
from ansinh.quote.schemas import QuoteCase, QuoteResult
from ansinh.rules.explain import Line
from ansinh.rules.hi_cost_share import CostShareCase, compute

ASSUMED_FACILITY = "basic"


def answer(case: QuoteCase) -> QuoteResult:
    """What the HI fund and the patient pay for the visit in ``case``."""
    if case.total_cost is None:
        raise missing(case, "total_cost", "")
    if case.benefit_level is None:
        raise missing(case, "benefit_level", "")
    route = case.route or "correct"
    lines: list[Line] = []
    if route == "self":
        if case.facility_level is None:
            raise missing(case, "facility_level", " when the route is self")
        if case.inpatient is None:
            raise missing(case, "inpatient", " when the route is self")
    facility: str
    if case.facility_level is not None:
        facility = case.facility_level
    else:
        facility = ASSUMED_FACILITY
        lines.append(Line("Facility level", "Cấp cơ sở khám chữa bệnh",
                          "not given: taken as above the primary level (the card's percentage applies)",
                          "quote contract: facility_level is optional"))
    with dated_by("as_of"):
        result = compute(
            CostShareCase(
                as_of=case.as_of, total_cost=case.total_cost, benefit_level=case.benefit_level,
                facility_level=facility, route=route, inpatient=bool(case.inpatient),
                five_years_continuous=bool(case.five_years_continuous),
                copay_paid_this_year=case.copay_paid_this_year or 0,
            ),
            default_parameters(),
        )
    lines.extend(result.explanation)
    return answered(case, amounts=result.amounts(), lines=lines)


__all__ = ["answer"]
