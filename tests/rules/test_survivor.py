"""Survivor benefits: the fact sheet's worked example, the funeral and monthly allowances on
both sides of 2025-07-01 and 2026-07-01, each threshold, the lump sum's years and minimum,
the refusal to average unrevalued salaries, rounding, deaths from work (funeral and monthly
allowance without the months or years), the dependants' choice of the lump sum under both laws,
and bad input. Pensioners and work-injury recipients: ``test_survivor_lump_sum.py``.

Worked examples: si.md §11 (active member, 8 years 4 months from 2014, AS 10,000,000) and
§7.2 (the pre-2014 / post-2014 split, which art. 89(1)(a) shares with the withdrawal).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.law import default_parameters
from ansinh.rules.survivor import Dependant, SurvivorCase, SurvivorPeriod, SurvivorResult, compute

PARAMS = default_parameters()
D = dt.date
DEATH = D(2026, 3, 15)
CARED, ALONE = Dependant(needs_support=False), Dependant(needs_support=True)


def before(day: dt.date, months: int, salary: int = 10_000_000, **kwargs: bool) -> SurvivorPeriod:
    """``months`` months of contributions ending with the month before ``day``'s month."""
    last = day.year * 12 + day.month - 2
    first = last - (months - 1)
    return SurvivorPeriod(D(first // 12, first % 12 + 1, 1), D(last // 12, last % 12 + 1, 1), salary, **kwargs)


def death(*history: SurvivorPeriod, as_of: dt.date = DEATH, dependants: tuple[Dependant, ...] = (),
          average: int | Fraction | None = None) -> SurvivorResult:
    average_salary = Fraction(average) if average is not None else None
    return compute(SurvivorCase(as_of=as_of, history=history, dependants=dependants,
                                average_salary=average_salary), PARAMS)


def test_worked_example_active_member_8_years_4_months() -> None:
    """8 years 4 months, all from 2014: 4 odd months → half a year, 8.5 years × 2 = 17 months
    × 10,000,000 = 170,000,000 (≥ the minimum 3 × 10,000,000 = 30,000,000). Funeral:
    10 × 2,340,000 = 23,400,000. Under 15 years, so no monthly allowance."""
    result = death(before(DEATH, 100), average=10_000_000, dependants=(CARED,))
    assert result.eligible and result.reasons == []
    assert result.amounts() == {"funeral_allowance": 23_400_000, "monthly_per_dependant": [], "monthly_total": 0,
                                "lump_sum": 170_000_000}
    text = " | ".join(f"{line.value} [{line.basis}]" for line in result.explanation)
    assert "8.5 years" in text and "17 months" in text and "art. 89(1)(a)" in text


def test_worked_example_split_at_2014() -> None:
    """21 months 2012-04..2013-12 → 1 year, 9 odd months moved on; 114 months 2014-01..2023-06
    + 9 = 123 months = 10 years 3 months → 10.5 years. (1.5 × 1 + 2 × 10.5) = 22.5 months ×
    10,000,000 = 225,000,000."""
    history = (SurvivorPeriod(D(2012, 4, 1), D(2023, 6, 1), 10_000_000),)
    assert death(*history, average=10_000_000).lump_sum == 225_000_000


@pytest.mark.parametrize(("day", "funeral", "law"), [
    (D(2016, 1, 1), 10 * 1_150_000, "58/2014/QH13"),   # base salary of Decree 66/2013
    (D(2025, 6, 30), 23_400_000, "58/2014/QH13"),       # 10 × base salary 2,340,000
    (D(2025, 7, 1), 23_400_000, "41/2024/QH15"),        # 10 × reference level 2,340,000
    (D(2026, 6, 30), 23_400_000, "41/2024/QH15"),
    (D(2026, 7, 1), 25_300_000, "41/2024/QH15"),        # 10 × 2,530,000
])
def test_funeral_allowance_on_each_date(day: dt.date, funeral: int, law: str) -> None:
    """10 × the base salary (Law 58/2014 art. 66(2)) or the reference level (Law 41/2024
    art. 85) of the month of death; 15 years and two dependants get the monthly allowance."""
    result = death(before(day, 180), as_of=day, dependants=(CARED, ALONE))
    assert result.funeral_allowance == funeral
    funeral_line = next(line for line in result.explanation if line.label == "Funeral allowance")
    assert law in funeral_line.basis


def test_before_law_58_is_not_in_force() -> None:
    with pytest.raises(ParameterNotInForce):
        death(before(D(2015, 12, 31), 180), as_of=D(2015, 12, 31))


@pytest.mark.parametrize(("day", "per_dependant"), [
    (D(2025, 6, 30), [1_638_000, 1_170_000]),   # 70 % / 50 % × base salary 2,340,000 (Law 58)
    (D(2025, 7, 1), [1_638_000, 1_170_000]),    # 70 % / 50 % × reference level 2,340,000 (Law 41)
    (D(2026, 6, 30), [1_638_000, 1_170_000]),   # still 2,340,000
    (D(2026, 7, 1), [1_771_000, 1_265_000]),    # 70 % / 50 % × 2,530,000
])
def test_monthly_allowance_per_dependant(day: dt.date, per_dependant: list[int]) -> None:
    """15 years exactly; one dependant with no direct carer (70 %), one cared for (50 %)."""
    result = death(before(day, 180), as_of=day, dependants=(ALONE, CARED))
    assert result.monthly_per_dependant == per_dependant
    assert result.monthly_total == sum(per_dependant)
    assert result.lump_sum == 0


def test_at_most_four_dependants() -> None:
    """Five named: the first four are paid, 4 × 1,170,000 = 4,680,000."""
    result = death(before(DEATH, 240), dependants=(CARED,) * 4 + (ALONE,))
    assert result.monthly_per_dependant == [1_170_000] * 4
    assert result.monthly_total == 4_680_000
    assert any("at most 4 paid" in line.value for line in result.explanation)


def test_monthly_threshold_15_years() -> None:
    """179 months (2011-04..2026-02) = 14 years 11 months: no monthly allowance, the lump sum
    instead: 33 months before 2014 = 2 years (× 1.5 = 3), 9 odd months moved on; 146 + 9 = 155
    months = 12 years 11 months → 13 years (× 2 = 26); 29 months × 10,000,000 = 290,000,000.
    180 months: the monthly allowance, 50 % × 2,340,000 = 1,170,000."""
    short = death(before(DEATH, 179), dependants=(CARED,), average=10_000_000)
    assert short.monthly_per_dependant == [] and short.lump_sum == 290_000_000
    full = death(before(DEATH, 180), dependants=(CARED,), average=10_000_000)
    assert full.monthly_per_dependant == [1_170_000] and full.lump_sum == 0


def test_fifteen_years_without_dependants_gives_the_lump_sum() -> None:
    """180 months 2011-03..2026-02, no dependant: 34 months before 2014 = 2 years (× 1.5 = 3),
    10 odd months moved on; 146 + 10 = 156 months = 13 years (× 2 = 26); 29 months ×
    10,000,000 = 290,000,000. All from 2014 (180 months 2014-01..2028-12, death 2029-01):
    15 × 2 = 30 months = 300,000,000."""
    assert death(before(DEATH, 180), average=10_000_000).lump_sum == 290_000_000
    later = D(2029, 1, 15)
    assert death(before(later, 180), as_of=later, average=10_000_000).lump_sum == 300_000_000


def test_funeral_threshold_12_months() -> None:
    """11 months: no funeral allowance; 12 months: 23,400,000. Both get the lump sum on the
    average of months in 2025-2026 (coefficient 1.00 in the 2026 table): 11 months → 1 year → 2 months, under
    the minimum 3 → 3 × 8,000,000 = 24,000,000; 12 months → 1 year → the same minimum."""
    eleven = death(before(DEATH, 11, 8_000_000))
    assert eleven.funeral_allowance == 0 and eleven.lump_sum == 24_000_000 and eleven.eligible
    twelve = death(before(DEATH, 12, 8_000_000))
    assert twelve.funeral_allowance == 23_400_000 and twelve.lump_sum == 24_000_000


def test_lump_sum_at_the_minimum_from_the_history() -> None:
    """14 months 2025-01..2026-02 at 8,000,000 (coefficients 1.00 in the 2026 table) → 1 year
    2 months → 1.5 years × 2 = 3 months: exactly the minimum → 24,000,000."""
    assert death(before(DEATH, 14, 8_000_000)).lump_sum == 24_000_000


@pytest.mark.parametrize("day", [D(2025, 6, 30), D(2025, 7, 1), D(2025, 9, 10)])
def test_lump_sum_on_the_revalued_average(day: dt.date) -> None:
    """si.md §6.3 worked example, granted in 2025 (Circular 01/2025 table, on both sides of
    2025-07-01): 12 months of 2015 at 5,000,000 × 1.31 = 78,600,000; 2020 at 8,000,000 × 1.12 =
    107,520,000; 2024 at 12,000,000 × 1.00 = 144,000,000; AS = 330,120,000 / 36 = 9,170,000.
    36 months from 2014 = 3 years × 2 = 6 months × 9,170,000 = 55,020,000 (≥ 3 × AS)."""
    history = (SurvivorPeriod(D(2015, 1, 1), D(2015, 12, 1), 5_000_000),
               SurvivorPeriod(D(2020, 1, 1), D(2020, 12, 1), 8_000_000),
               SurvivorPeriod(D(2024, 1, 1), D(2024, 12, 1), 12_000_000))
    result = death(*history, as_of=day)
    assert result.lump_sum == 55_020_000
    assert result.funeral_allowance == 23_400_000
    assert any("9,170,000" in line.value for line in result.explanation)


def test_lump_sum_revalues_with_the_2026_table() -> None:
    """Death 2026-03-15, 15 months 2024-12..2026-02 at 8,000,000: 2024 × 1.03 (CV 340) =
    8,240,000; 14 months × 1.00 = 112,000,000; AS = 120,240,000 / 15 = 8,016,000. 1 year 3
    months → 1.5 years × 2 = 3 months = the minimum → 24,048,000."""
    assert death(SurvivorPeriod(D(2024, 12, 1), D(2026, 2, 1), 8_000_000)).lump_sum == 24_048_000


def test_lump_sum_rounded_once_half_up() -> None:
    """2 months at 10,000,000 and 10,000,001: average 10,000,000.5; half a year → 1 month, the
    minimum 3 months → 30,000,001.5 → 30,000,002."""
    history = (SurvivorPeriod(D(2026, 1, 1), D(2026, 1, 1), 10_000_000),
               SurvivorPeriod(D(2026, 2, 1), D(2026, 2, 1), 10_000_001))
    assert death(*history).lump_sum == 30_000_002


def state_career(last: dt.date) -> tuple[SurvivorPeriod, ...]:
    """A State pay-scale career from 2015-01 at the pay coefficient 3.00: each salary is 3 × the
    base salary of its month (1,150,000 from 2013-07, 1,210,000 from 2016-05, 1,300,000,
    1,390,000, 1,490,000, 1,800,000 from 2023-07, 2,340,000 from 2024-07)."""
    rows = [(D(2015, 1, 1), D(2016, 4, 1), 3_450_000), (D(2016, 5, 1), D(2017, 6, 1), 3_630_000),
            (D(2017, 7, 1), D(2018, 6, 1), 3_900_000), (D(2018, 7, 1), D(2019, 6, 1), 4_170_000),
            (D(2019, 7, 1), D(2023, 6, 1), 4_470_000), (D(2023, 7, 1), D(2024, 6, 1), 5_400_000),
            (D(2024, 7, 1), last, 7_020_000)]
    return tuple(SurvivorPeriod(start, end, salary, state_scale=True) for start, end, salary in rows)


@pytest.mark.parametrize(("day", "last", "lump_sum"), [
    (D(2025, 6, 30), D(2025, 5, 1), 147_420_000),
    (D(2025, 8, 10), D(2025, 7, 1), 154_440_000),
])
def test_state_scale_lump_sum(day: dt.date, last: dt.date, lump_sum: int) -> None:
    """SI began 2015-01 (band 2007-2015: the last 10 years averaged, Law 58 art. 62(1)(d), Law 41
    art. 72(1)(d)); began before 2016, so each coefficient is revalued by the base salary (the
    reference level) of the day of death: 3 × 2,340,000 = 7,020,000 a month. Law 58, last month
    2025-05: 125 months = 10 years 5 months → 10.5 × 2 = 21 months × 7,020,000 = 147,420,000.
    Law 41, last month 2025-07: 127 months = 10 years 7 months → 11 × 2 = 22 months =
    154,440,000 (the whole period averages the same, so Decree 158 art. 15(2)(c) changes nothing)."""
    result = death(*state_career(last), as_of=day)
    assert result.lump_sum == lump_sum
    assert any("7,020,000" in line.value and "State" in line.label for line in result.explanation)


def test_voluntary_lump_sum_is_refused() -> None:
    """The survivor rules of voluntary SI (Law 41 arts. 109-111, Decree 158 art. 21) are not
    modelled: a career with voluntary months needing the lump sum is refused, naming the period."""
    with pytest.raises(InvalidInput) as error:
        death(before(D(2026, 1, 1), 6), before(DEATH, 2, voluntary=True))
    assert (error.value.code, error.value.field) == ("survivor.voluntary_not_modelled", "history.1.scheme")


def test_lump_sum_without_an_encoded_coefficient_table_raises() -> None:
    """The lump sum on the history uses the coefficient table of the year of death; a year with no
    table (2027: none is encoded) is not guessed. With the revalued average given, it is
    answered: 6 months → half a year × 2 = 1 month, under the minimum 3 × 10,000,000 =
    30,000,000."""
    day = D(2027, 1, 15)
    with pytest.raises(ParameterNotInForce):
        death(before(day, 6), as_of=day)
    assert death(before(day, 6), as_of=day, average=10_000_000).lump_sum == 30_000_000


def test_no_contributions() -> None:
    result = death(as_of=DEATH)
    assert not result.eligible
    assert [reason.code for reason in result.reasons] == ["not_insured_at_event"]


def test_bad_input_names_the_field() -> None:
    with pytest.raises(InvalidInput) as error:
        death(before(DEATH, 12, -1))
    assert error.value.field == "history.0.salary"
    with pytest.raises(InvalidInput) as error:
        death(SurvivorPeriod(D(2025, 1, 1), D(2026, 4, 1), 1))
    assert (error.value.code, error.value.field) == ("history.after_death", "history.0.to")
    with pytest.raises(InvalidInput) as error:
        death(SurvivorPeriod(D(2025, 5, 1), D(2025, 4, 1), 1))
    assert error.value.field == "history.0.to"
    with pytest.raises(InvalidInput) as error:
        death(before(DEATH, 12), average=-1)
    assert error.value.field == "average_salary"


WORK_DEATH = D(2025, 8, 10)


@pytest.mark.parametrize("day", [D(2025, 6, 30), D(2025, 7, 1), WORK_DEATH])
def test_work_related_death_without_the_months(day: dt.date) -> None:
    """6 months, died of a work accident: the funeral allowance whatever the months (Law 58 art.
    66(1)(b), Law 41 art. 85(1)(b)), 10 × 2,340,000 = 23,400,000; no dependant, so the lump sum,
    at its minimum also in this case (art. 70(1) / 89(1)): 6 months → half a year × 2 = 1 month,
    under 3 → 3 × 8,000,000 = 24,000,000."""
    result = compute(SurvivorCase(as_of=day, history=(before(day, 6, 8_000_000),), work_related_death=True,
                                  average_salary=Fraction(8_000_000)), PARAMS)
    assert result.amounts() == {"funeral_allowance": 23_400_000, "monthly_per_dependant": [], "monthly_total": 0,
                                "lump_sum": 24_000_000}
    assert any("work_injury" in line.value for line in result.explanation)


def test_work_related_death_gives_the_monthly_allowance_without_15_years() -> None:
    """Law 41 art. 86(1)(c): 6 months, two dependants, one with no direct carer: 1,170,000 and
    1,638,000 (50 % and 70 % × 2,340,000); no lump sum. Without the work-related flag the same
    case gets no funeral allowance (6 < 12 months) and the lump sum 24,000,000."""
    history = (before(WORK_DEATH, 6, 8_000_000),)
    work = compute(SurvivorCase(as_of=WORK_DEATH, history=history, dependants=(CARED, ALONE),
                                work_related_death=True, average_salary=Fraction(8_000_000)), PARAMS)
    assert (work.funeral_allowance, work.monthly_per_dependant, work.lump_sum) == (
        23_400_000, [1_170_000, 1_638_000], 0)
    other = compute(SurvivorCase(as_of=WORK_DEATH, history=history, dependants=(CARED, ALONE),
                                 average_salary=Fraction(8_000_000)), PARAMS)
    assert (other.funeral_allowance, other.monthly_per_dependant, other.lump_sum) == (0, [], 24_000_000)


def test_work_related_death_with_no_contributions() -> None:
    """No contribution month: the funeral allowance only (nothing to average for a lump sum)."""
    result = compute(SurvivorCase(as_of=WORK_DEATH, history=(), work_related_death=True), PARAMS)
    assert result.eligible and result.amounts()["funeral_allowance"] == 23_400_000
    assert result.lump_sum == 0


@pytest.mark.parametrize(("day", "barred", "expected"), [
    (D(2025, 6, 30), False, ([], 285_000_000)),         # Law 58 art. 69(3): chosen, allowed
    (D(2025, 6, 30), True, ([1_170_000], 0)),           # Law 58: a child under 6 bars the choice
    (D(2025, 7, 1), False, ([], 285_000_000)),          # Law 41 art. 88(2)(c)
    (D(2025, 7, 1), True, ([], 285_000_000)),           # Law 41 has no exception
])
def test_dependants_choose_the_lump_sum(day: dt.date, barred: bool, expected: tuple[list[int], int]) -> None:
    """180 months ending the month before death, average 10,000,000 given. 2010-06 .. 2025-05 (or
    2010-07 .. 2025-06): 43 (42) months before 2014 = 3 years, 7 (6) odd months moved on; 137 +
    7 (138 + 6) = 144 months = 12 years. 1.5 × 3 + 2 × 12 = 28.5 months = 285,000,000."""
    dependant = Dependant(needs_support=False, choice_barred=barred)
    result = compute(SurvivorCase(as_of=day, history=(before(day, 180),), dependants=(dependant,),
                                  average_salary=Fraction(10_000_000), lump_sum_chosen=True), PARAMS)
    assert (result.monthly_per_dependant, result.lump_sum) == expected
    choice = next(line for line in result.explanation if line.label == "Dependants' choice")
    assert ("art. 69(3)" if day.year == 2025 and day.month == 6 else "art. 88(2)(c)") in choice.basis


def test_pensioners_dependants_may_choose_the_lump_sum() -> None:
    """Law 41 art. 88(2)(c): a pensioner dying in the 10th month, a dependant who chooses the lump
    sum: 44 × 5,000,000 = 220,000,000 instead of 1,170,000 a month."""
    result = compute(SurvivorCase(as_of=WORK_DEATH, history=(), deceased="pensioner", monthly_received=5_000_000,
                                  months_received=10, dependants=(CARED,), lump_sum_chosen=True), PARAMS)
    assert (result.monthly_per_dependant, result.lump_sum) == ([], 220_000_000)


MISSING = "quote.missing_field"


@pytest.mark.parametrize(("fields", "field", "code"), [
    ({"deceased": "pensioner", "months_received": 10}, "monthly_received", MISSING),
    ({"deceased": "pensioner", "monthly_received": 5_000_000}, "months_received", MISSING),
    ({"deceased": "work_injury_recipient", "monthly_received": 1_000_000}, "loss_percent", MISSING),
    ({"deceased": "work_injury_recipient", "loss_percent": 45}, "monthly_received", MISSING),
    ({"deceased": "pensioner", "monthly_received": -1, "months_received": 10}, "monthly_received",
     "survivor.negative"),
    ({"deceased": "pensioner", "monthly_received": 1, "months_received": -1}, "months_received",
     "survivor.negative"),
    ({"deceased": "work_injury_recipient", "monthly_received": 1, "loss_percent": 101}, "loss_percent",
     "survivor.loss_percent"),
    ({"deceased": "stranger"}, "deceased", "survivor.deceased"),
])
def test_who_died_needs_their_fields(fields: dict[str, object], field: str, code: str) -> None:
    """A pensioner needs the pension and the months received; a recipient the loss and the allowance."""
    with pytest.raises(InvalidInput) as error:
        compute(SurvivorCase(as_of=DEATH, history=(), **fields), PARAMS)  # type: ignore[arg-type]
    assert (error.value.field, error.value.code) == (field, code)
