"""The maternity regime (chế độ thai sản): childbirth, paternity and prenatal leave, explained.

Law on SI 58/2014/QH13 arts. 31–39 (events to 2025-06-30) and 41/2024/QH15 arts. 50–59
(from 2025-07-01); the law of the event's date (``as_of``: the birth, or the prenatal visit)
applies, read from the dated parameters under ``si.maternity``:

- the benefit is paid on ``rate ×`` the average SI salary of the last ``salary_months``
  contribution months before the month of the event (fewer if fewer were paid), picked by
  :func:`ansinh.rules.short_term_salary.recent_salary`; ``monthly`` is that amount, rounded
  half up for display;
- childbirth (the mother): at least ``childbirth.min_months`` paid within the
  ``childbirth.window_months`` calendar months before the month of birth
  (``too_few_months`` otherwise); ``childbirth.months`` of leave plus
  ``childbirth.extra_child_months`` for each further child; benefit ``= monthly × months``
  rounded once; one-time allowance ``childbirth_allowance_multiple ×`` the base salary (the
  reference level from 2025-07-01) of the month of birth, per child;
- paternity (the father, insured when the child is born): ``paternity.days.single`` for one
  child, ``paternity.days.twins`` for two, plus ``paternity.days.extra_child`` for each child
  from the third; benefit ``= monthly ÷ daily_divisor × days`` rounded once; the father's
  allowance (only when the mother is not eligible) is not given;
- prenatal (insured at the visit): ``days`` asked, at most ``prenatal.visits ×
  prenatal.days_per_visit``; benefit ``= monthly ÷ daily_divisor × days`` rounded once;
- miscarriage, abortion or stillbirth (insured in the month of the event or the month before,
  no minimum months; Law 58 art. 33, Law 41 art. 52): ``pregnancy_weeks`` (completed weeks)
  falls in band 1 below ``miscarriage.band_2_from_weeks``, band 2 below
  ``band_3_from_weeks``, band 3 below ``band_4_from_weeks`` and band 4 from it (5 / 13 / 25
  weeks under Law 58, 5 / 13 / 22 under Law 41), giving at most ``miscarriage.days.band_n``
  calendar days (10 / 20 / 40 / 50, holidays and rest days included); ``days``, when given, is
  the number prescribed and is capped there; benefit ``= monthly ÷ miscarriage.daily_divisor
  (30) × days`` rounded once. Under Law 41 (``miscarriage.as_childbirth``), a loss from
  ``as_childbirth_from_weeks`` (22) weeks by a woman who meets the childbirth condition is
  answered as a childbirth (art. 52(2)): months of leave and the one-time allowance per fetus
  (``children``), read as included because art. 53(4) counts dead fetuses for it.

Not modelled: the 7 and 14 paternity days after a caesarean or a birth before 32 weeks,
adoption, surrogacy, infertility treatment (and its 6-in-24 condition for art. 52(2)), the
3-in-12 condition after pregnancy-rest leave, contraception, recovery leave, early return to
work, the father taking over the mother's leave, and the husband's leave after a late loss.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.core.periods import add_months, format_month, month_start
from ansinh.law.params import ParameterSet
from ansinh.rules.contribution_law import BASE_SALARY_KEY, rate
from ansinh.rules.explain import Line, Reason, basis, dong, percent
from ansinh.rules.money import round_half_up
from ansinh.rules.short_term_salary import (
    InsuredPeriod,
    RecentSalary,
    check_periods,
    months_in_window,
    paid_months,
    recent_salary,
)

RATE_KEY = "si.maternity.rate"
SALARY_MONTHS_KEY = "si.maternity.salary_months"
DIVISOR_KEY = "si.maternity.daily_divisor"
MIN_MONTHS_KEY = "si.maternity.childbirth.min_months"
WINDOW_KEY = "si.maternity.childbirth.window_months"
LEAVE_MONTHS_KEY = "si.maternity.childbirth.months"
EXTRA_CHILD_MONTHS_KEY = "si.maternity.childbirth.extra_child_months"
ALLOWANCE_MULTIPLE_KEY = "si.maternity.childbirth_allowance_multiple"
REFERENCE_IS_BASE_KEY = "si.reference_level_equals_base_salary"
PATERNITY_SINGLE_KEY = "si.maternity.paternity.days.single"
PATERNITY_TWINS_KEY = "si.maternity.paternity.days.twins"
PATERNITY_EXTRA_KEY = "si.maternity.paternity.days.extra_child"
PRENATAL_VISITS_KEY = "si.maternity.prenatal.visits"
PRENATAL_DAYS_KEY = "si.maternity.prenatal.days_per_visit"
MISCARRIAGE = "si.maternity.miscarriage"
MISCARRIAGE_DIVISOR_KEY = f"{MISCARRIAGE}.daily_divisor"
AS_CHILDBIRTH_KEY = f"{MISCARRIAGE}.as_childbirth"
AS_CHILDBIRTH_WEEKS_KEY = f"{MISCARRIAGE}.as_childbirth_from_weeks"
BANDS = 4
"""Bands of weeks of pregnancy for miscarriage leave: ``band_n_from_weeks`` for n = 2..4, ``days.band_n`` for 1..4."""
WEEKS = (1, 45)
"""The weeks of pregnancy a case may give (``QuoteCase.pregnancy_weeks``)."""
EVENTS = ("childbirth", "paternity", "miscarriage", "prenatal")


@dataclass(frozen=True)
class MaternityCase:
    """A maternity event on ``as_of``: the birth (childbirth, paternity) or the visit (prenatal)."""

    as_of: dt.date
    history: tuple[InsuredPeriod, ...]
    event: str = "childbirth"
    children: int = 1
    days: int | None = None
    pregnancy_weeks: int | None = None


@dataclass
class MaternityResult:
    eligible: bool
    reasons: list[Reason]
    months: int
    days: int
    monthly: int
    benefit: int
    childbirth_allowance: int
    explanation: list[Line] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.benefit + self.childbirth_allowance

    def amounts(self) -> dict[str, int]:
        """The amounts as ``ansinh quote`` publishes them (``days`` for paternity and prenatal leave)."""
        return {"months": self.months, "days": self.days, "monthly": self.monthly, "benefit": self.benefit,
                "childbirth_allowance": self.childbirth_allowance, "total": self.total}


def _check(case: MaternityCase) -> None:
    if case.event not in EVENTS:
        raise InvalidInput(f"event {case.event!r} is not one of {', '.join(EVENTS)}", code="maternity.event",
                           field="event", rule="the maternity event is childbirth, paternity, miscarriage or prenatal")
    if case.event == "miscarriage":
        _check_weeks(case.pregnancy_weeks)
    if case.children < 1:
        raise InvalidInput(f"children {case.children} is not 1 or more", code="maternity.children", field="children",
                           rule="a birth is of one child or more")
    if case.event == "prenatal" and case.days is None:
        raise InvalidInput("days is required for prenatal leave", code="quote.missing_field", field="days",
                           rule="the working days of prenatal leave asked")
    if case.event in ("prenatal", "miscarriage") and case.days is not None and case.days < 1:
        raise InvalidInput(f"days {case.days} is not a positive number of days", code="maternity.days",
                           field="days", rule="the days of leave asked or prescribed are 1 or more")
    check_periods(case.history, case.as_of)


def _check_weeks(weeks: int | None) -> None:
    if weeks is None:
        raise InvalidInput("pregnancy_weeks is required for a miscarriage, abortion or stillbirth",
                           code="quote.missing_field", field="pregnancy_weeks",
                           rule="Law 58/2014 art. 33; Law 41/2024 art. 52: the days of leave depend on the completed"
                                " weeks of pregnancy")
    if not WEEKS[0] <= weeks <= WEEKS[1]:
        raise InvalidInput(f"pregnancy_weeks {weeks} is not between {WEEKS[0]} and {WEEKS[1]}",
                           code="maternity.pregnancy_weeks", field="pregnancy_weeks",
                           rule="the completed weeks of pregnancy at the event")


def _result(lines: list[Line], *, months: int = 0, days: int = 0, monthly: int = 0, benefit: int = 0,
            allowance: int = 0) -> MaternityResult:
    return MaternityResult(eligible=True, reasons=[], months=months, days=days, monthly=monthly, benefit=benefit,
                           childbirth_allowance=allowance, explanation=lines)


def _not_eligible(code: str, message: str, lines: list[Line]) -> MaternityResult:
    return MaternityResult(eligible=False, reasons=[Reason(code, message)], months=0, days=0, monthly=0, benefit=0,
                           childbirth_allowance=0, explanation=lines)


def _salary(params: ParameterSet, case: MaternityCase) -> tuple[RecentSalary, Fraction, int, Line]:
    day = case.as_of
    salary = recent_salary(case.history, day, int(params.value_at(SALARY_MONTHS_KEY, day)))
    benefit_rate = rate(params, RATE_KEY, day)
    monthly_exact = benefit_rate * salary.average
    monthly = round_half_up(monthly_exact)
    return salary, monthly_exact, monthly, Line(
        "Monthly maternity benefit", "Mức hưởng chế độ thai sản một tháng",
        f"{percent(benefit_rate)} × average SI salary ({salary.describe()}) = {dong(monthly)}"
        + ("" if monthly == monthly_exact else " (shown rounded; the benefit uses the exact value)"),
        "; ".join(dict.fromkeys((basis(params, RATE_KEY, day), basis(params, SALARY_MONTHS_KEY, day)))),
    )


def _insured(case: MaternityCase) -> bool:
    event_month = month_start(case.as_of)
    return any(m.month in (event_month, add_months(event_month, -1)) for m in paid_months(case.history))


def _allowance_unit(params: ParameterSet, day: dt.date) -> tuple[int, str]:
    """The base salary of ``day``, read as the reference level while the law says they are equal."""
    try:
        equal = bool(params.value_at(REFERENCE_IS_BASE_KEY, day))
    except ParameterNotInForce:
        return int(params.value_at(BASE_SALARY_KEY, day)), basis(params, BASE_SALARY_KEY, day)
    if not equal:
        raise ParameterNotInForce(
            f"the reference level no longer equals the base salary on {day.isoformat()} and is not encoded",
            code="law.parameter_not_in_force", field="as_of",
            rule=f"{REFERENCE_IS_BASE_KEY}: add a dated si.reference_level parameter")
    reference = basis(params, REFERENCE_IS_BASE_KEY, day)
    amount = int(params.value_at(BASE_SALARY_KEY, day))
    return amount, f"{basis(params, BASE_SALARY_KEY, day)} (= the reference level: {reference})"


def _paid_before_birth(params: ParameterSet, case: MaternityCase) -> tuple[bool, str, Line]:
    """Whether the childbirth condition (``min_months`` paid in the ``window_months`` before) is met."""
    day = case.as_of
    window = int(params.value_at(WINDOW_KEY, day))
    needed = int(params.value_at(MIN_MONTHS_KEY, day))
    paid = months_in_window(paid_months(case.history), day, window)
    last = add_months(month_start(day), -1)
    line = Line("SI months paid before the birth", "Số tháng đóng BHXH trước khi sinh",
                f"{paid} of the {window} months {format_month(add_months(last, -(window - 1)))} to "
                f"{format_month(last)} (at least {needed} needed)",
                "; ".join(dict.fromkeys((basis(params, MIN_MONTHS_KEY, day), basis(params, WINDOW_KEY, day)))))
    why = f"{paid} months of SI paid in the {window} months before the birth; at least {needed} are needed"
    return paid >= needed, why, line


def _childbirth(params: ParameterSet, case: MaternityCase, lines: list[Line] | None = None) -> MaternityResult:
    day = case.as_of
    met, why, condition = _paid_before_birth(params, case)
    lines = [*(lines or []), condition]
    if not met:
        return _not_eligible("too_few_months", why, lines)
    first = int(params.value_at(LEAVE_MONTHS_KEY, day))
    extra = int(params.value_at(EXTRA_CHILD_MONTHS_KEY, day))
    months = first + extra * (case.children - 1)
    lines.append(Line("Months of childbirth leave", "Thời gian nghỉ sinh con",
                      f"{first} + {extra} × {case.children - 1} further children = {months} months",
                      basis(params, LEAVE_MONTHS_KEY, day)))
    _, monthly_exact, monthly, line = _salary(params, case)
    lines.append(line)
    benefit = round_half_up(monthly_exact * months)
    lines.append(Line("Childbirth benefit", "Tiền chế độ thai sản khi sinh con",
                      f"{dong(monthly)} × {months} = {dong(benefit)} (rounded once, half up, to the đồng)",
                      basis(params, RATE_KEY, day)))
    multiple = int(params.value_at(ALLOWANCE_MULTIPLE_KEY, day))
    unit, unit_basis = _allowance_unit(params, day)
    allowance = multiple * unit * case.children
    lines.append(Line("One-time childbirth allowance", "Trợ cấp một lần khi sinh con",
                      f"{multiple} × {dong(unit)} × {case.children} children = {dong(allowance)}",
                      f"{basis(params, ALLOWANCE_MULTIPLE_KEY, day)}; {unit_basis}"))
    lines.append(Line("Total", "Tổng cộng", f"{dong(benefit)} + {dong(allowance)} = {dong(benefit + allowance)}",
                      "benefit + allowance"))
    return _result(lines, months=months, monthly=monthly, benefit=benefit, allowance=allowance)


def _daily_leave(params: ParameterSet, case: MaternityCase, days: int, lines: list[Line],
                 divisor_key: str = DIVISOR_KEY) -> MaternityResult:
    day = case.as_of
    _, monthly_exact, monthly, line = _salary(params, case)
    lines.append(line)
    divisor = int(params.value_at(divisor_key, day))
    benefit = round_half_up(monthly_exact / divisor * days)
    lines.append(Line("Benefit for the days of leave", "Tiền chế độ thai sản theo ngày",
                      f"{dong(monthly)} / {divisor} × {days} = {dong(benefit)} (rounded once, half up, to the đồng)",
                      basis(params, divisor_key, day)))
    return _result(lines, days=days, monthly=monthly, benefit=benefit)


def _band(params: ParameterSet, day: dt.date, weeks: int) -> tuple[int, str]:
    """The band (1..4) of ``weeks`` completed weeks of pregnancy, and how it was found."""
    band = 1
    for number in range(2, BANDS + 1):
        if weeks >= int(params.value_at(f"{MISCARRIAGE}.band_{number}_from_weeks", day)):
            band = number
    lower = int(params.value_at(f"{MISCARRIAGE}.band_{band}_from_weeks", day)) if band > 1 else None
    upper = int(params.value_at(f"{MISCARRIAGE}.band_{band + 1}_from_weeks", day)) if band < BANDS else None
    if lower is None:
        span = f"under {upper} weeks"
    elif upper is None:
        span = f"{lower} weeks or more"
    else:
        span = f"from {lower} to under {upper} weeks"
    return band, f"{weeks} weeks: band {band} ({span})"


def _late_loss_as_birth(params: ParameterSet, case: MaternityCase, weeks: int) -> tuple[bool, Line | None]:
    """Whether Law 41/2024 art. 52(2) sends this loss to the childbirth regime."""
    day = case.as_of
    if params.value_at(AS_CHILDBIRTH_KEY, day) is not True:
        return False, None
    from_weeks = int(params.value_at(AS_CHILDBIRTH_WEEKS_KEY, day))
    if weeks < from_weeks:
        return False, None
    met, _, _ = _paid_before_birth(params, case)
    return met, Line(
        "Late loss treated as a birth", "Sảy thai, thai chết hưởng chế độ như sinh con",
        f"{weeks} ≥ {from_weeks} weeks: "
        + ("the childbirth condition is met, so the childbirth regime applies (months of leave and the allowance"
           " for each fetus)" if met else "the childbirth condition is not met, so the days of leave apply"),
        basis(params, AS_CHILDBIRTH_KEY, day))


def _miscarriage(params: ParameterSet, case: MaternityCase, weeks: int) -> MaternityResult:
    day = case.as_of
    insured = _insured(case)
    lines = [_insured_line(params, case, insured)]
    if not insured:
        return _not_eligible("not_insured_at_event", "no SI paid for the month of the event or the month before",
                             lines)
    as_birth, birth_line = _late_loss_as_birth(params, case, weeks)
    if birth_line is not None:
        lines.append(birth_line)
    if as_birth:
        return _childbirth(params, case, lines)
    band, how = _band(params, day, weeks)
    most = int(params.value_at(f"{MISCARRIAGE}.days.band_{band}", day))
    days = most if case.days is None else min(case.days, most)
    count = f"at most {most}" if case.days is None else f"min({case.days} prescribed, at most {most}) = {days}"
    lines.append(Line("Leave for a miscarriage, abortion or stillbirth", "Thời gian nghỉ khi sảy thai, phá thai",
                      f"{how}: {count} calendar days (holidays and weekly rest days included)",
                      "; ".join(dict.fromkeys((basis(params, f"{MISCARRIAGE}.days.band_{band}", day),
                                               basis(params, f"{MISCARRIAGE}.band_{max(band, 2)}_from_weeks", day))))))
    return _daily_leave(params, case, days, lines, MISCARRIAGE_DIVISOR_KEY)


def _insured_line(params: ParameterSet, case: MaternityCase, insured: bool) -> Line:
    month = month_start(case.as_of)
    return Line("Insured at the event", "Đang đóng BHXH khi phát sinh",
                f"{'yes' if insured else 'no'}: SI paid for {format_month(month)} or the month before",
                basis(params, RATE_KEY, case.as_of))


def _paternity(params: ParameterSet, case: MaternityCase) -> MaternityResult:
    day = case.as_of
    insured = _insured(case)
    lines = [_insured_line(params, case, insured)]
    if not insured:
        return _not_eligible("not_insured_at_event", "the father paid no SI for the month of birth or the month"
                             " before", lines)
    keys: tuple[str, ...]
    if case.children == 1:
        days, keys = int(params.value_at(PATERNITY_SINGLE_KEY, day)), (PATERNITY_SINGLE_KEY,)
        how = f"one child: {days}"
    else:
        twins = int(params.value_at(PATERNITY_TWINS_KEY, day))
        extra = int(params.value_at(PATERNITY_EXTRA_KEY, day))
        days, keys = twins + extra * (case.children - 2), (PATERNITY_TWINS_KEY, PATERNITY_EXTRA_KEY)
        how = f"{case.children} children: {twins} + {extra} × {case.children - 2} = {days}"
    lines.append(Line("Paternity leave", "Số ngày nghỉ khi vợ sinh con",
                      f"{how} working days (normal delivery; the 7 and 14 days after a caesarean are not modelled)",
                      "; ".join(dict.fromkeys(basis(params, key, day) for key in keys))))
    lines.append(Line("Childbirth allowance to the father", "Trợ cấp một lần khi sinh con cho cha",
                      "not given: due to the father only when the mother is not eligible, which the case does not say",
                      basis(params, ALLOWANCE_MULTIPLE_KEY, day)))
    return _daily_leave(params, case, days, lines)


def _prenatal(params: ParameterSet, case: MaternityCase, asked: int) -> MaternityResult:
    day = case.as_of
    insured = _insured(case)
    lines = [_insured_line(params, case, insured)]
    if not insured:
        return _not_eligible("not_insured_at_event", "no SI paid for the month of the visit or the month before",
                             lines)
    visits = int(params.value_at(PRENATAL_VISITS_KEY, day))
    per_visit = int(params.value_at(PRENATAL_DAYS_KEY, day))
    days = min(asked, visits * per_visit)
    lines.append(Line("Prenatal leave", "Số ngày nghỉ khám thai",
                      f"min({asked} asked, {visits} visits × {per_visit} days = {visits * per_visit}) = {days}"
                      " working days (for the pregnancy)",
                      "; ".join(dict.fromkeys((basis(params, PRENATAL_VISITS_KEY, day),
                                               basis(params, PRENATAL_DAYS_KEY, day))))))
    return _daily_leave(params, case, days, lines)


def compute(case: MaternityCase, params: ParameterSet) -> MaternityResult:
    """The maternity benefit for the event of ``case``."""
    _check(case)
    if case.event == "paternity":
        return _paternity(params, case)
    if case.event == "prenatal" and case.days is not None:  # days checked above
        return _prenatal(params, case, case.days)
    if case.event == "miscarriage" and case.pregnancy_weeks is not None:  # weeks checked above
        return _miscarriage(params, case, case.pregnancy_weeks)
    return _childbirth(params, case)


__all__ = ["InsuredPeriod", "MaternityCase", "MaternityResult", "Reason", "compute"]
