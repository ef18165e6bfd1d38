"""Survivor benefits on the death of a member, a pensioner or a monthly work-injury recipient, explained.

Law on Social Insurance 58/2014/QH13 (deaths to 2025-06-30, arts. 66-70) and 41/2024/QH15
(from 2025-07-01, arts. 85-89, with Decree 158/2025/ND-CP art. 19); the law of the date of
death applies, read from dated parameters under ``si.survivor``. ``deceased`` is
``contributor`` (an active or deferred compulsory member), ``pensioner`` (on a pension,
suspended or not) or ``work_injury_recipient`` (on the monthly work-injury or occupational
disease allowance); ``work_related_death`` says the death was from a work accident or disease.

- funeral allowance ``funeral.multiple ×`` the base salary (Law 58) or the reference level
  (Law 41, equal to the base salary while ``si.reference_level_equals_base_salary``), of the
  month of death (``amount_basis`` names which), when the deceased had at least
  ``funeral.min_months`` months of compulsory SI, died of a work accident or disease
  (``funeral.work_related_death``), was a pensioner (``funeral.pensioner``) or a monthly
  work-injury recipient (``funeral.work_injury_recipient``);
- monthly survivor allowance when the death qualifies — at least ``monthly.min_years`` whole
  years of compulsory SI, a pensioner (``monthly.pensioner``), a death from a work accident or
  disease (``monthly.work_related_death``), or a recipient with at least
  ``monthly.work_injury_min_loss`` (61 %) loss — and eligible dependants are named:
  ``monthly.rate`` (50 %) of that amount for each dependant, ``monthly.rate_no_carer`` (70 %) for
  one with no direct carer, for at most ``monthly.max_dependants`` dependants (the first ones
  named), each rounded once. Dependants who qualify may choose the lump sum instead
  (``lump_sum_chosen``; Law 41 art. 88(2)(c)); under Law 58 (``choice.exceptions_apply``,
  art. 69(3)) not when a child under 6 or a child or spouse with 81 % loss or more is among
  them (``Dependant.choice_barred``), read as barring the family's choice;
- otherwise the lump sum:
  - a member, or a recipient who keeps contribution months (Decree 158 art. 19(1)(c); Decree
    115/2015 art. 13(3)(b)): ``months_per_year_before_2014`` (1.5) months of the average salary
    per year before ``split_year`` and ``months_per_year_from_2014`` (2) per year from it, at
    least ``minimum_months`` (3) months, also for a work-related death; odd months of the
    earlier period move to the later one, whose odd months count as half a year (1-6) or a
    full year (7-11) (Law 41/2024 arts. 5(6), 89(1)(a)); rounded once, half up, to the đồng;
  - a pensioner: ``lump_sum.pensioner.full_months`` (48) months of the pension of the month of
    death (``monthly_received``) when ``months_received`` ≤ ``full_until_month`` (2), else
    ``48 − reduction_per_month (0.5) × (months_received − 2)``, at least ``minimum_months``
    (3) (Law 58 art. 70(2); Law 41 art. 89(2)). ``months_received`` counts the month of death
    as received, so a death in the 10th month of pension gives 48 − 0.5 × 8 = 44 months (the
    counting si.md marks [UNVERIFIED]; the parameters' notes give the worked examples found);
  - a recipient without contribution months: ``lump_sum.work_injury_recipient_months`` (3
    under Law 41 art. 89(3); none under Law 58, which sets no such amount) × the allowance.

The average salary for the member's lump sum is the revalued average of art. 72 to the last
month paid (Law 41/2024 art. 89(1); Decree 158/2025 art. 15(7)). The caller may give it;
otherwise :func:`ansinh.rules.pension_salary.average_salary` computes it, with the tables of
the year of death taken as the year of grant: employer-set pay over all months, State
pay-scale salaries over the last years by the year SI began, revalued by the base salary or
reference level of the day of death; a year without an encoded table raises
``ParameterNotInForce`` rather than reuse another. Careers with voluntary months are refused
for that lump sum (``survivor.voluntary_not_modelled``).

Not modelled: the work-injury death allowance (36 × the base salary, regime ``work_injury``),
the dependants' own conditions (age, loss of capacity, income under the reference level: the
caller names only eligible dependants), double allowances for two or more deaths, the
one-time top-up of up to 6 missing months to reach 15 years (Decree 158 art. 21(3)(a)),
recipients who had not left work under Law 58 (treated as having left), and voluntary SI
(arts. 109-111).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.law.params import ParameterSet
from ansinh.rules.contribution_law import BASE_SALARY_KEY, rate
from ansinh.rules.explain import Line, Reason, basis, dong, percent
from ansinh.rules.history import check_history
from ansinh.rules.money import round_half_up
from ansinh.rules.survivor_lump_sum import SurvivorPeriod, compulsory_months, member_lump_sum, pension_lump_sum

AMOUNT_BASIS_KEY = "si.survivor.amount_basis"
REFERENCE_EQUALS_BASE_KEY = "si.reference_level_equals_base_salary"
FUNERAL_MULTIPLE_KEY = "si.survivor.funeral.multiple"
FUNERAL_MIN_MONTHS_KEY = "si.survivor.funeral.min_months"
MONTHLY_MIN_YEARS_KEY = "si.survivor.monthly.min_years"
MONTHLY_RATE_KEY = "si.survivor.monthly.rate"
MONTHLY_RATE_NO_CARER_KEY = "si.survivor.monthly.rate_no_carer"
MAX_DEPENDANTS_KEY = "si.survivor.monthly.max_dependants"
FUNERAL_WORK_DEATH_KEY = "si.survivor.funeral.work_related_death"
MONTHLY_WORK_DEATH_KEY = "si.survivor.monthly.work_related_death"
MONTHLY_LOSS_KEY = "si.survivor.monthly.work_injury_min_loss"
ALLOWANCE_MONTHS_KEY = "si.survivor.lump_sum.work_injury_recipient_months"
CHOICE_KEY = "si.survivor.choice.exceptions_apply"
RECIPIENT_MIN_LOSS_KEY = "si.work_injury.monthly.min_loss"
DECEASED = {"contributor": "a member", "pensioner": "a pensioner",
            "work_injury_recipient": "a monthly work-injury recipient"}
"""Who died, as ``deceased`` names them (``QuoteCase.deceased``)."""


@dataclass(frozen=True)
class Dependant:
    """A relative eligible for the monthly allowance; ``needs_support`` when no one directly cares
    for them; ``choice_barred`` for a child under 6 or a child or spouse with 81 % loss or more
    (Law 58/2014 art. 69(3))."""

    needs_support: bool
    choice_barred: bool = False


@dataclass(frozen=True)
class SurvivorCase:
    """A death on ``as_of``: who died and of what, the contributions, the dependants, optionally
    the revalued average; ``monthly_received`` and ``months_received`` are the pension or
    allowance of the month of death and the months of it received (the month of death counted);
    ``lump_sum_chosen`` when dependants who may take the monthly allowance choose the lump sum."""

    as_of: dt.date
    history: tuple[SurvivorPeriod, ...]
    dependants: tuple[Dependant, ...] = ()
    average_salary: Fraction | None = None
    deceased: str = "contributor"
    work_related_death: bool = False
    monthly_received: int | None = None
    months_received: int | None = None
    loss_percent: int | None = None
    lump_sum_chosen: bool = False


@dataclass
class SurvivorResult:
    eligible: bool
    reasons: list[Reason]
    funeral_allowance: int
    monthly_per_dependant: list[int]
    monthly_total: int
    lump_sum: int
    explanation: list[Line] = field(default_factory=list)

    def amounts(self) -> dict[str, int | list[int]]:
        """The amounts as ``ansinh quote`` publishes them."""
        return {"funeral_allowance": self.funeral_allowance, "monthly_per_dependant": list(self.monthly_per_dependant),
                "monthly_total": self.monthly_total, "lump_sum": self.lump_sum}


def _missing(name: str, who: str) -> InvalidInput:
    return InvalidInput(f"{name} is required when the deceased is {who}", code="quote.missing_field", field=name,
                        rule="Law 41/2024 arts. 86(1), 89(2)-(3): the lump sum and the monthly allowance are set by"
                             " the pension or allowance received")


def _check_deceased(case: SurvivorCase) -> None:
    if case.deceased not in DECEASED:
        raise InvalidInput(f"deceased {case.deceased!r} is not one of {', '.join(DECEASED)}",
                           code="survivor.deceased", field="deceased", rule="who died: a member, a pensioner or a"
                           " monthly work-injury recipient")
    needed = {"pensioner": ("monthly_received", "months_received"),
              "work_injury_recipient": ("loss_percent", "monthly_received")}.get(case.deceased, ())
    for name in needed:
        if getattr(case, name) is None:
            raise _missing(name, DECEASED[case.deceased])
    for name in ("monthly_received", "months_received"):
        value = getattr(case, name)
        if value is not None and value < 0:
            raise InvalidInput(f"{name} {value} is negative", code="survivor.negative", field=name,
                               rule="amounts and months received are zero or more")
    if case.loss_percent is not None and not 0 <= case.loss_percent <= 100:
        raise InvalidInput(f"loss_percent {case.loss_percent} is not between 0 and 100", code="survivor.loss_percent",
                           field="loss_percent", rule="the loss of working capacity is a percentage")


def _check(case: SurvivorCase) -> None:
    _check_deceased(case)
    if case.average_salary is not None and case.average_salary < 0:
        raise InvalidInput("the average salary cannot be negative", code="salary.negative", field="average_salary",
                           rule="salaries are whole đồng, zero or more")
    check_history(case.history, event=case.as_of, code="history.after_death", event_name="the death",
                  rule="the benefits are computed on the months paid up to the month of death")


def _amount_basis(params: ParameterSet, day: dt.date) -> tuple[int, str, str]:
    """(the amount the allowances multiply, its name, its legal basis) for a death on ``day``."""
    which = params.value_at(AMOUNT_BASIS_KEY, day)
    amount = int(params.value_at(BASE_SALARY_KEY, day))
    where = f"{basis(params, AMOUNT_BASIS_KEY, day)}; {basis(params, BASE_SALARY_KEY, day)}"
    if which == "base_salary":
        return amount, "base salary", where
    if which == "reference_level" and params.value_at(REFERENCE_EQUALS_BASE_KEY, day) is True:
        equal = basis(params, REFERENCE_EQUALS_BASE_KEY, day)
        return amount, "reference level (= the base salary)", f"{where}; {equal}"
    raise ParameterNotInForce(
        f"no amount for {which!r} on {day.isoformat()}", code="law.parameter_not_in_force", field="as_of",
        rule="the reference level is encoded only while it equals the base salary",
    )


def _monthly(params: ParameterSet, case: SurvivorCase, amount_basis: int, name: str) -> tuple[list[int], list[Line]]:
    day = case.as_of
    most = int(params.value_at(MAX_DEPENDANTS_KEY, day))
    ordinary = rate(params, MONTHLY_RATE_KEY, day)
    no_carer = rate(params, MONTHLY_RATE_NO_CARER_KEY, day)
    paid = case.dependants[:most]
    amounts: list[int] = []
    lines: list[Line] = []
    for number, dependant in enumerate(paid, start=1):
        share, key = (no_carer, MONTHLY_RATE_NO_CARER_KEY) if dependant.needs_support else (ordinary, MONTHLY_RATE_KEY)
        amount = round_half_up(share * amount_basis)
        amounts.append(amount)
        lines.append(Line(
            f"Monthly survivor allowance, dependant {number}", f"Trợ cấp tuất hằng tháng, thân nhân {number}",
            f"{percent(share)} × {dong(amount_basis)} ({name})"
            f"{' (no direct carer)' if dependant.needs_support else ''} = {dong(amount)}",
            basis(params, key, day),
        ))
    if len(case.dependants) > most:
        lines.append(Line("Dependants paid", "Số thân nhân được hưởng",
                          f"{len(case.dependants)} named, at most {most} paid: the first {most} named",
                          basis(params, MAX_DEPENDANTS_KEY, day)))
    return amounts, lines


def _on(params: ParameterSet, key: str, day: dt.date) -> bool:
    return params.value_at(key, day) is True


def _funeral(params: ParameterSet, case: SurvivorCase, months: int, amount: int) -> tuple[int, Line]:
    day = case.as_of
    least = int(params.value_at(FUNERAL_MIN_MONTHS_KEY, day))
    grounds = [(f"{months} ≥ {least} months of compulsory SI", FUNERAL_MIN_MONTHS_KEY)] if months >= least else []
    if case.work_related_death and _on(params, FUNERAL_WORK_DEATH_KEY, day):
        grounds.append(("death from a work accident or occupational disease", FUNERAL_WORK_DEATH_KEY))
    if case.deceased != "contributor" and _on(params, f"si.survivor.funeral.{case.deceased}", day):
        grounds.append((DECEASED[case.deceased], f"si.survivor.funeral.{case.deceased}"))
    if not grounds:
        return 0, Line("Funeral allowance", "Trợ cấp mai táng", f"not paid: {months} months of compulsory SI,"
                       f" {least} needed", basis(params, FUNERAL_MIN_MONTHS_KEY, day))
    multiple = int(params.value_at(FUNERAL_MULTIPLE_KEY, day))
    return multiple * amount, Line(
        "Funeral allowance", "Trợ cấp mai táng",
        f"{multiple} × {dong(amount)} = {dong(multiple * amount)} ({grounds[0][0]})",
        f"{basis(params, FUNERAL_MULTIPLE_KEY, day)}; {basis(params, grounds[0][1], day)}")


def _monthly_grounds(params: ParameterSet, case: SurvivorCase, months: int) -> tuple[bool, Line]:
    """Whether the death qualifies for the monthly allowance, and why."""
    day = case.as_of
    least = int(params.value_at(MONTHLY_MIN_YEARS_KEY, day))
    grounds = [(f"{months // 12} ≥ {least} whole years of compulsory SI", MONTHLY_MIN_YEARS_KEY)] \
        if case.deceased != "pensioner" and months // 12 >= least else []
    if case.deceased == "pensioner" and _on(params, "si.survivor.monthly.pensioner", day):
        grounds.append(("a pensioner", "si.survivor.monthly.pensioner"))
    if case.work_related_death and _on(params, MONTHLY_WORK_DEATH_KEY, day):
        grounds.append(("death from a work accident or occupational disease", MONTHLY_WORK_DEATH_KEY))
    if case.deceased == "work_injury_recipient" and case.loss_percent is not None:
        loss = rate(params, MONTHLY_LOSS_KEY, day)
        if Fraction(case.loss_percent, 100) >= loss:
            grounds.append((f"a work-injury recipient with {case.loss_percent} % ≥ {percent(loss)} loss",
                            MONTHLY_LOSS_KEY))
    named = f"; {len(case.dependants)} dependant(s) named"
    label = ("Monthly survivor allowance: whose death qualifies", "Điều kiện hưởng trợ cấp tuất hằng tháng")
    if not grounds:
        why = f"not met: {months // 12} whole years of compulsory SI ({least} needed)"
        return False, Line(*label, why + named, basis(params, MONTHLY_MIN_YEARS_KEY, day))
    return True, Line(*label, "met: " + "; ".join(text for text, _ in grounds) + named,
                      "; ".join(dict.fromkeys(basis(params, key, day) for _, key in grounds)))


def _choice(params: ParameterSet, case: SurvivorCase) -> tuple[bool, list[Line]]:
    """Whether dependants who may take the monthly allowance take the lump sum instead."""
    if not case.lump_sum_chosen:
        return False, []
    day = case.as_of
    barred = _on(params, CHOICE_KEY, day) and any(dependant.choice_barred for dependant in case.dependants)
    value = ("chosen, but a child under 6 or a child or spouse with 81 % loss or more is among the dependants:"
             " the monthly allowance is paid" if barred else "the lump sum instead of the monthly allowance")
    return not barred, [Line("Dependants' choice", "Lựa chọn của thân nhân", value, basis(params, CHOICE_KEY, day))]


def _lump_sum_for(params: ParameterSet, case: SurvivorCase,
                  months: list[tuple[dt.date, int]]) -> tuple[int, list[Line]]:
    day = case.as_of
    if case.deceased == "pensioner" and case.monthly_received is not None and case.months_received is not None:
        return pension_lump_sum(params, day, case.monthly_received, case.months_received)
    if case.deceased == "work_injury_recipient" and case.monthly_received is not None:
        where = basis(params, ALLOWANCE_MONTHS_KEY, day)
        if months:
            amount, lines = member_lump_sum(params, day, case.history, case.average_salary, months)
            return amount, [Line("Lump sum of a recipient with contribution months", "Trợ cấp tuất một lần",
                                 "the member's lump sum on the contribution months", where), *lines]
        count = int(params.value_at(ALLOWANCE_MONTHS_KEY, day))
        value = (f"{count} × {dong(case.monthly_received)} (allowance of the month of death) ="
                 f" {dong(count * case.monthly_received)}" if count else
                 "none: the law of this date sets no lump sum for a recipient without contribution months")
        return count * case.monthly_received, [Line(
            "Lump-sum survivor benefit (work-injury recipient)", "Trợ cấp tuất một lần (người hưởng trợ cấp TNLĐ-BNN)",
            value, where)]
    return member_lump_sum(params, day, case.history, case.average_salary, months) if months else (0, [])


def _opening(params: ParameterSet, case: SurvivorCase, months: int) -> list[Line]:
    day = case.as_of
    amount, name, where = _amount_basis(params, day)
    who = DECEASED[case.deceased]
    if case.deceased != "contributor":
        who += f" receiving {dong(case.monthly_received or 0)} a month"
    if case.deceased == "pensioner":
        who += f" (month {case.months_received} of the pension)"
    elif case.deceased == "work_injury_recipient":
        who += f" ({case.loss_percent} % loss)"
    if case.work_related_death:
        who += "; died of a work accident or occupational disease (the death allowance of the Law on OSH art. 53 is" \
               " quoted under regime work_injury)"
    lines = [
        Line("Date of death", "Ngày chết", f"{day.isoformat()}; the law of this date applies",
             "Law on Social Insurance 41/2024/QH15, art. 5(7)"),
        Line(name.capitalize(), "Mức tham chiếu" if name.startswith("reference") else "Mức lương cơ sở",
             f"{dong(amount)} (month of death)", where),
        Line("The deceased", "Người chết", who, "case"),
    ]
    if case.deceased != "pensioner":
        lines.append(Line("Compulsory SI months", "Thời gian đóng BHXH bắt buộc",
                          f"{months} months = {months // 12} years {months % 12} months"
                          + (" (voluntary months not counted)" if any(p.voluntary for p in case.history) else ""),
                          "contribution history"))
    return lines


def _check_loss(params: ParameterSet, case: SurvivorCase) -> None:
    if case.deceased != "work_injury_recipient" or case.loss_percent is None:
        return
    least = rate(params, RECIPIENT_MIN_LOSS_KEY, case.as_of)
    if Fraction(case.loss_percent, 100) < least:
        raise InvalidInput(f"loss_percent {case.loss_percent} is under the {percent(least)} of a monthly allowance",
                           code="survivor.loss_below_monthly", field="loss_percent",
                           rule=f"the monthly work-injury allowance is paid from {percent(least)} loss"
                                f" ({basis(params, RECIPIENT_MIN_LOSS_KEY, case.as_of)})")


def compute(case: SurvivorCase, params: ParameterSet) -> SurvivorResult:
    """What the survivors of the person who died on ``case.as_of`` receive."""
    _check(case)
    _check_loss(params, case)
    day = case.as_of
    amount, name, _ = _amount_basis(params, day)
    months = compulsory_months(case.history) if case.deceased != "pensioner" else []
    lines = _opening(params, case, len(months))
    funeral, funeral_line = _funeral(params, case, len(months), amount)
    qualifies, grounds_line = _monthly_grounds(params, case, len(months))
    lines += [funeral_line, grounds_line]
    monthly: list[int] = []
    lump_sum = 0
    chosen, choice_lines = _choice(params, case) if qualifies and case.dependants else (False, [])
    lines += choice_lines
    if qualifies and case.dependants and not chosen:
        monthly, monthly_lines = _monthly(params, case, amount, name)
        lines += [*monthly_lines, Line("Monthly survivor allowance, total", "Tổng trợ cấp tuất hằng tháng",
                                       dong(sum(monthly)), basis(params, MONTHLY_RATE_KEY, day))]
    else:
        lump_sum, lump_lines = _lump_sum_for(params, case, months)
        lines += lump_lines
    eligible = bool(funeral or monthly or lump_sum)
    reasons = [] if eligible else [Reason(
        "nothing_payable" if months or case.deceased != "contributor" else "not_insured_at_event",
        "the deceased had no compulsory SI contributions" if not months and case.deceased == "contributor"
        else "no amount is payable on the case given",
    )]
    return SurvivorResult(eligible=eligible, reasons=reasons, funeral_allowance=funeral,
                          monthly_per_dependant=monthly, monthly_total=sum(monthly), lump_sum=lump_sum,
                          explanation=lines)


__all__ = ["DECEASED", "Dependant", "Reason", "SurvivorCase", "SurvivorPeriod", "SurvivorResult", "compute"]
