"""HI cost sharing for one visit: what the fund pays and what the patient pays.

``compute(case, params)`` applies the rules of ``law/hi-ui-ids-calendar.md`` §2 in the order of
its checklist (§11), all read as dated parameters on the visit's date:

1. **Small bill**: a visit whose total cost is below ``hi.cost_share.small_bill.threshold_multiple``
   × ``si.base_salary`` (15 % × 2,340,000 = 351,000) is paid 100 % (Decree 146/2018 art. 14(1)(d)).
2. **Primary level**: care at commune / primary level is paid ``hi.cost_share.primary_level``
   (100 %).
3. Otherwise the **card's percentage** (``hi.cost_share.coverage.level_<1-5>``, from the
   benefit-level digit, never from the group code), times the **self-referral percentage**
   (``hi.cost_share.self_referral.<facility>.<inpatient|outpatient>``) when the patient went
   to the facility on their own. A referral and an emergency count as the correct route: pass
   an emergency as ``route="correct"``.
4. **Five continuous years**: when the person has been insured 5 continuous years or more,
   the patient's co-payment in the calendar year is capped at
   ``hi.cost_share.five_years.copay_cap_multiple`` × ``si.base_salary`` (6 × 2,340,000 =
   14,040,000); the fund pays the excess. Correct-route care only.

The fund's share is rounded once, half up, to the đồng (:func:`ansinh.rules.money.apply_rate`);
the patient pays the rest, so the two always add up to the total. ``coverage_percent`` is the
exact percentage of the bill the fund covers under rules 1-3, written as a decimal string
(``"80"``, ``"32"``, ``"66.5"``); it is ``"100"`` when the year's co-payment cap was already
reached before the visit. On the visit that crosses the cap it stays the rate and
``fund_pays`` also carries the excess, as the explanation says.

The calculator starts on 2018-12-01, the first day the small-bill threshold is encoded for:
an earlier visit raises :class:`~ansinh.core.errors.ParameterNotInForce`.

>>> import datetime as dt
>>> from ansinh.law import default_parameters
>>> case = CostShareCase(as_of=dt.date(2025, 3, 1), total_cost=10_000_000, benefit_level=4,
...                      facility_level="provincial", inpatient=True)
>>> compute(case, default_parameters()).amounts()
{'coverage_percent': '80', 'fund_pays': 8000000, 'patient_pays': 2000000}
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from ansinh.core.errors import InvalidInput
from ansinh.law.params import ParameterSet
from ansinh.rules.explain import Line, basis, decimal, dong, percent
from ansinh.rules.money import apply_rate

ROUTES = ("correct", "referral", "self")
FACILITY_LEVELS = ("central", "provincial", "basic", "primary")
BENEFIT_LEVELS = (1, 2, 3, 4, 5)

BASE_SALARY = "si.base_salary"
SMALL_BILL = "hi.cost_share.small_bill.threshold_multiple"
PRIMARY_LEVEL = "hi.cost_share.primary_level"
FIVE_YEARS_CAP = "hi.cost_share.five_years.copay_cap_multiple"


def coverage_key(benefit_level: int) -> str:
    """The parameter holding the card's percentage for a benefit-level digit."""
    return f"hi.cost_share.coverage.level_{benefit_level}"


def self_referral_key(facility_level: str, *, inpatient: bool) -> str:
    """The parameter holding the self-referral percentage at a facility level."""
    return f"hi.cost_share.self_referral.{facility_level}.{'inpatient' if inpatient else 'outpatient'}"


@dataclass(frozen=True)
class CostShareCase:
    """One visit. ``total_cost`` is the cost within the HI scope, integer đồng.

    ``copay_paid_this_year`` is what the patient has co-paid earlier in the same calendar
    year (used only with ``five_years_continuous``).
    """

    as_of: dt.date
    total_cost: int
    benefit_level: int
    facility_level: str
    route: str = "correct"
    inpatient: bool = False
    five_years_continuous: bool = False
    copay_paid_this_year: int = 0


@dataclass
class CostShareResult:
    coverage: Fraction
    fund_pays: int
    patient_pays: int
    explanation: list[Line] = field(default_factory=list)

    @property
    def coverage_percent(self) -> str:
        """The coverage as an exact decimal percentage string, e.g. ``"32"`` or ``"66.5"``."""
        return decimal(self.coverage * 100)

    def amounts(self) -> dict[str, object]:
        """The amounts as ``ansinh quote`` publishes them."""
        return {"coverage_percent": self.coverage_percent, "fund_pays": self.fund_pays,
                "patient_pays": self.patient_pays}


def _amount(value: Fraction) -> str:
    return dong(int(value)) if value.denominator == 1 else f"{decimal(value)} đ"


def _invalid(field_name: str, message: str, rule: str) -> InvalidInput:
    return InvalidInput(message, code=f"{field_name}.invalid", field=field_name, rule=rule)


def _check(case: CostShareCase) -> None:
    if isinstance(case.total_cost, bool) or not isinstance(case.total_cost, int) or case.total_cost < 0:
        raise _invalid("total_cost", f"total cost {case.total_cost!r} is not a whole number of đồng, zero or more",
                       "the cost of a visit within the HI scope is whole đồng, zero or more")
    if isinstance(case.benefit_level, bool) or case.benefit_level not in BENEFIT_LEVELS:
        raise _invalid("benefit_level", f"benefit level {case.benefit_level!r} is not 1 to 5",
                       "the benefit-level digit on the HI card is 1 to 5 (Decision 1351/QĐ-BHXH)")
    if case.route not in ROUTES:
        raise _invalid("route", f"route {case.route!r} is not one of {', '.join(ROUTES)}",
                       "a visit is on the correct route, referred, or self-referred (emergency is correct route)")
    if case.facility_level not in FACILITY_LEVELS:
        raise _invalid("facility_level", f"facility level {case.facility_level!r} is not one of "
                       f"{', '.join(FACILITY_LEVELS)}", "facilities are central, provincial, basic or primary level")
    if (isinstance(case.copay_paid_this_year, bool) or not isinstance(case.copay_paid_this_year, int)
            or case.copay_paid_this_year < 0):
        raise _invalid("copay_paid_this_year", f"co-payment {case.copay_paid_this_year!r} is not a whole number"
                       " of đồng, zero or more", "co-payments are whole đồng, zero or more")


def _rate(params: ParameterSet, key: str, day: dt.date) -> Fraction:
    return Fraction(params.value_at(key, day))


def _coverage(case: CostShareCase, params: ParameterSet, base_salary: int, lines: list[Line]) -> Fraction:
    """Rules 1-3: the percentage of this bill the fund covers."""
    day = case.as_of
    multiple = _rate(params, SMALL_BILL, day)
    threshold = multiple * base_salary
    small = case.total_cost < threshold
    lines.append(Line(
        "Small-bill threshold", "Ngưỡng chi phí thấp",
        f"{percent(multiple)} × {dong(base_salary)} = {_amount(threshold)}; total {dong(case.total_cost)} is "
        + ("below it: the fund pays 100 %" if small else "not below it"),
        basis(params, SMALL_BILL, day),
    ))
    if small:
        return Fraction(1)
    if case.facility_level == "primary":
        primary = _rate(params, PRIMARY_LEVEL, day)
        lines.append(Line("Primary (commune) level care", "Khám chữa bệnh tại tuyến xã / cấp ban đầu",
                          f"the fund pays {percent(primary)}", basis(params, PRIMARY_LEVEL, day)))
        return primary
    card_key = coverage_key(case.benefit_level)
    card = _rate(params, card_key, day)
    lines.append(Line("Card benefit level", "Mức hưởng trên thẻ",
                      f"level {case.benefit_level}: {percent(card)}", basis(params, card_key, day)))
    if case.route != "self":
        lines.append(Line("Route", "Tuyến", f"{case.route}: correct route, the card's percentage applies",
                          "Law on HI art. 22(1); referral and emergency count as the correct route"))
        return card
    setting = "inpatient" if case.inpatient else "outpatient"
    referral_key = self_referral_key(case.facility_level, inpatient=case.inpatient)
    share = _rate(params, referral_key, day)
    coverage = card * share
    lines.append(Line("Self-referral", "Tự đi khám chữa bệnh không đúng tuyến",
                      f"{setting} at {case.facility_level} level: {percent(share)} × {percent(card)} = "
                      f"{decimal(coverage * 100)} %",
                      basis(params, referral_key, day)))
    return coverage


def compute(case: CostShareCase, params: ParameterSet) -> CostShareResult:
    """What the HI fund and the patient pay for ``case`` under the law in force on its date."""
    _check(case)
    day = case.as_of
    base_salary: int = params.value_at(BASE_SALARY, day)
    lines = [Line("Base salary", "Mức lương cơ sở", dong(base_salary), basis(params, BASE_SALARY, day))]
    coverage = _coverage(case, params, base_salary, lines)
    fund = apply_rate(case.total_cost, coverage)
    lines.append(Line("Fund pays at the percentage", "Quỹ BHYT chi trả theo mức hưởng",
                      f"{decimal(coverage * 100)} % × {dong(case.total_cost)} = {dong(fund)} "
                      "(rounded once, half up, to the đồng)", "ansinh rounding rule (LAW.md §6)"))
    patient = case.total_cost - fund
    if case.five_years_continuous:
        multiple: int = params.value_at(FIVE_YEARS_CAP, day)
        cap = multiple * base_salary
        cap_basis = basis(params, FIVE_YEARS_CAP, day)
        head = (f"{multiple} × {dong(base_salary)} = {dong(cap)}; "
                f"co-paid earlier this year {dong(case.copay_paid_this_year)}")
        if case.route == "self":
            lines.append(Line("Five-years co-payment cap", "Cùng chi trả vượt 6 tháng lương cơ sở",
                              f"{head}; not applied: self-referred care", cap_basis))
        else:
            room = max(0, cap - case.copay_paid_this_year)
            if patient > room:
                excess = patient - room
                fund, patient = fund + excess, room
                text = f"{head}; the co-payment above the cap, {dong(excess)}, is paid by the fund"
            else:
                text = f"{head}; this visit's co-payment {dong(patient)} stays within the cap"
            if room == 0:
                coverage = Fraction(1)
            lines.append(Line("Five-years co-payment cap", "Cùng chi trả vượt 6 tháng lương cơ sở", text, cap_basis))
    lines.append(Line("Fund pays", "Quỹ BHYT chi trả", dong(fund), "the amounts above"))
    lines.append(Line("Patient pays", "Người bệnh cùng chi trả", dong(patient),
                      "total cost minus what the fund pays"))
    return CostShareResult(coverage=coverage, fund_pays=fund, patient_pays=patient, explanation=lines)


__all__ = ["CostShareCase", "CostShareResult", "compute", "coverage_key", "self_referral_key"]
