"""The maternity regime: the fact sheet's worked examples (si.md §9), the 6-in-12 condition at
its edge, the average of the last 6 months, paternity and prenatal days, the allowance on both
sides of the base salary's change (2026-07-01), the law on both sides of 2025-07-01, miscarriage
leave at each band's edge under both laws, and bad input.

Miscarriage (Law 58/2014 art. 33, 39(1)(c); Law 41/2024 arts. 52, 59(3)): at most 10 days under
5 completed weeks, 20 from 5 to under 13, 40 from 13 to under 25 (Law 58) or 22 (Law 41), 50
from there; calendar days; the monthly benefit ÷ 30 a day. With a 9,000,000 average that is
300,000 a day: 10 days 3,000,000, 20 days 6,000,000, 40 days 12,000,000, 50 days 15,000,000."""

from __future__ import annotations

import datetime as dt

import pytest

from ansinh.core.errors import InvalidInput
from ansinh.law import default_parameters
from ansinh.law.params import ParameterSet
from ansinh.rules.maternity import MaternityCase, MaternityResult, compute
from ansinh.rules.short_term_salary import InsuredPeriod

PARAMS: ParameterSet = default_parameters()
D = dt.date
BIRTH = D(2025, 8, 10)


def month(index: int) -> dt.date:
    return D(index // 12, index % 12 + 1, 1)


def months_before(event: dt.date, count: int, salary: int = 9_000_000, *, gap: int = 0) -> tuple[InsuredPeriod, ...]:
    """``count`` months paid, ending ``gap`` months before the month before ``event``'s month."""
    end_index = event.year * 12 + event.month - 2 - gap
    return (InsuredPeriod(month(end_index - count + 1), month(end_index), salary),)


def mat(event: dt.date, history: tuple[InsuredPeriod, ...], kind: str = "childbirth", children: int = 1,
        days: int | None = None, weeks: int | None = None) -> MaternityResult:
    return compute(MaternityCase(as_of=event, history=history, event=kind, children=children, days=days,
                                 pregnancy_weeks=weeks), PARAMS)


def test_worked_example_single_birth() -> None:
    """si.md §9 (2025-08): average 9,000,000, one child: 6 × 9,000,000 = 54,000,000, plus
    2 × 2,340,000 = 4,680,000; total 58,680,000."""
    result = mat(BIRTH, months_before(BIRTH, 24))
    assert result.eligible and result.reasons == []
    assert result.amounts() == {"months": 6, "days": 0, "monthly": 9_000_000, "benefit": 54_000_000,
                                "childbirth_allowance": 4_680_000, "total": 58_680_000}
    assert any("Law 41/2024/QH15" in line.basis for line in result.explanation)


def test_worked_example_twins() -> None:
    """si.md §9: twins, 6 + 1 = 7 months × 9,000,000 = 63,000,000, plus 2 × 2,340,000 × 2 = 9,360,000."""
    result = mat(BIRTH, months_before(BIRTH, 24), children=2)
    assert (result.months, result.benefit, result.childbirth_allowance, result.total) == (
        7, 63_000_000, 9_360_000, 72_360_000)


def test_worked_example_paternity() -> None:
    """si.md §9: father with a 6-month average of 12,000,000, 5 days: 12,000,000 / 24 × 5 = 2,500,000."""
    result = mat(BIRTH, months_before(BIRTH, 24, 12_000_000), "paternity")
    assert result.amounts() == {"months": 0, "days": 5, "monthly": 12_000_000, "benefit": 2_500_000,
                                "childbirth_allowance": 0, "total": 2_500_000}


@pytest.mark.parametrize(("children", "days", "benefit"), [(1, 5, 2_500_000), (2, 10, 5_000_000),
                                                           (3, 13, 6_500_000), (4, 16, 8_000_000)])
def test_paternity_days_by_children(children: int, days: int, benefit: int) -> None:
    """5 days for one child, 10 for twins, + 3 for each child from the third; 500,000 a day
    (12,000,000 / 24)."""
    result = mat(BIRTH, months_before(BIRTH, 24, 12_000_000), "paternity", children)
    assert (result.days, result.benefit) == (days, benefit)


@pytest.mark.parametrize(("paid", "gap", "eligible"), [(5, 0, False), (6, 0, True), (12, 6, True), (12, 7, False)])
def test_six_months_in_the_twelve_before_birth(paid: int, gap: int, eligible: bool) -> None:
    """5 months paid just before the birth: not enough; 6: enough. 12 months ending 6 months
    before the month before birth leave 6 in the window; ending 7 months before, only 5."""
    result = mat(BIRTH, months_before(BIRTH, paid, gap=gap))
    assert result.eligible is eligible
    if not eligible:
        assert [r.code for r in result.reasons] == ["too_few_months"]
        assert result.total == 0


def test_average_of_the_last_six_months_not_the_month_of_birth() -> None:
    """6,000,000 for 2024-08 to 2025-01, 3 months at 6,000,000 (2025-02 to 04) and 3 at 12,000,000
    (2025-05 to 07), 20,000,000 in the month of birth (2025-08, not counted):
    (3 × 6,000,000 + 3 × 12,000,000) / 6 = 9,000,000; × 6 = 54,000,000."""
    history = (InsuredPeriod(D(2024, 8, 1), D(2025, 4, 1), 6_000_000),
               InsuredPeriod(D(2025, 5, 1), D(2025, 7, 1), 12_000_000),
               InsuredPeriod(D(2025, 8, 1), D(2025, 8, 1), 20_000_000))
    result = mat(BIRTH, history)
    assert (result.monthly, result.benefit) == (9_000_000, 54_000_000)


def test_benefit_rounded_once() -> None:
    """5 months at 10,000,000 then 1 at 10,000,001: average 60,000,001 / 6 = 10,000,000.1667
    (shown 10,000,000); × 6 months = 60,000,001 exactly; paternity / 24 × 5 = 2,083,333.368 → 2,083,333."""
    history = (InsuredPeriod(D(2025, 2, 1), D(2025, 6, 1), 10_000_000), InsuredPeriod(D(2025, 7, 1), D(2025, 7, 1),
                                                                                       10_000_001))
    result = mat(BIRTH, history)
    assert (result.monthly, result.benefit) == (10_000_000, 60_000_001)
    assert mat(BIRTH, history, "paternity").benefit == 2_083_333


@pytest.mark.parametrize(("birth", "allowance"), [(D(2026, 6, 30), 4_680_000), (D(2026, 7, 1), 5_060_000)])
def test_allowance_follows_the_base_salary(birth: dt.date, allowance: int) -> None:
    """2 × 2,340,000 = 4,680,000 on 2026-06-30; 2 × 2,530,000 = 5,060,000 from 2026-07-01."""
    assert mat(birth, months_before(birth, 12)).childbirth_allowance == allowance


@pytest.mark.parametrize(("birth", "law"), [(D(2025, 6, 30), "Law 58/2014/QH13"), (D(2025, 7, 1), "Law 41/2024/QH15")])
def test_childbirth_on_both_sides_of_2025_07_01(birth: dt.date, law: str) -> None:
    """Same rule under both laws: 6 × 9,000,000 = 54,000,000 + 2 × 2,340,000 = 58,680,000; the basis changes."""
    result = mat(birth, months_before(birth, 12))
    assert result.total == 58_680_000
    assert any(law in line.basis for line in result.explanation)


@pytest.mark.parametrize(("visit", "days", "benefit"), [(D(2025, 6, 30), 5, 2_500_000), (D(2025, 7, 1), 10, 5_000_000)])
def test_prenatal_cap_changes_on_2025_07_01(visit: dt.date, days: int, benefit: int) -> None:
    """12 days asked: 5 visits × 1 day = 5 under Law 58/2014; 5 × 2 = 10 under Law 41/2024;
    12,000,000 / 24 = 500,000 a day."""
    result = mat(visit, months_before(visit, 12, 12_000_000), "prenatal", days=12)
    assert (result.days, result.benefit, result.total) == (days, benefit, benefit)


def test_prenatal_under_the_cap() -> None:
    """2 days asked: 2 × 500,000 = 1,000,000."""
    assert mat(BIRTH, months_before(BIRTH, 12, 12_000_000), "prenatal", days=2).benefit == 1_000_000


@pytest.mark.parametrize("kind", ["paternity", "prenatal"])
def test_not_insured_at_event(kind: str) -> None:
    """Last paid 2025-06, event 2025-08-10: neither 2025-07 nor 2025-08 paid."""
    result = mat(BIRTH, months_before(BIRTH, 24, gap=1), kind, days=2)
    assert not result.eligible and [r.code for r in result.reasons] == ["not_insured_at_event"]


@pytest.mark.parametrize(("fields", "field"), [
    ({"event": "adoption"}, "event"),
    ({"event": "miscarriage"}, "pregnancy_weeks"),
    ({"event": "miscarriage", "pregnancy_weeks": 0}, "pregnancy_weeks"),
    ({"event": "miscarriage", "pregnancy_weeks": 46}, "pregnancy_weeks"),
    ({"event": "miscarriage", "pregnancy_weeks": 8, "days": 0}, "days"),
    ({"children": 0}, "children"),
    ({"event": "prenatal"}, "days"),
    ({"event": "prenatal", "days": 0}, "days"),
    ({"history": (InsuredPeriod(D(2025, 1, 1), D(2025, 9, 1), 1),)}, "history.0.to"),
    ({"history": (InsuredPeriod(D(2025, 1, 1), D(2025, 6, 1), -5),)}, "history.0.salary"),
])
def test_bad_input_names_the_field(fields: dict[str, object], field: str) -> None:
    values: dict[str, object] = {"as_of": BIRTH, "history": months_before(BIRTH, 12), **fields}
    with pytest.raises(InvalidInput) as caught:
        compute(MaternityCase(**values), PARAMS)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_miscarriage_needs_the_weeks_of_pregnancy() -> None:
    with pytest.raises(InvalidInput) as caught:
        mat(BIRTH, months_before(BIRTH, 12), "miscarriage")
    assert (caught.value.code, caught.value.field) == ("quote.missing_field", "pregnancy_weeks")


LAW_58_DAY, LAW_41_DAY = D(2025, 6, 30), D(2025, 7, 1)


@pytest.mark.parametrize("day", [LAW_58_DAY, LAW_41_DAY])
@pytest.mark.parametrize(("weeks", "days", "benefit"), [
    (1, 10, 3_000_000), (4, 10, 3_000_000),     # under 5 weeks: 10 days × 300,000
    (5, 20, 6_000_000), (12, 20, 6_000_000),    # 5 to under 13: 20 days × 300,000
    (13, 40, 12_000_000), (21, 40, 12_000_000),  # 13 to under 22 (and 25): 40 days × 300,000
])
def test_miscarriage_bands_shared_by_both_laws(day: dt.date, weeks: int, days: int, benefit: int) -> None:
    """Average 9,000,000 over the last 6 months; 9,000,000 / 30 = 300,000 a calendar day. Edges
    4/5 and 12/13 weeks are the same on 2025-06-30 (Law 58 art. 33) and 2025-07-01 (Law 41
    art. 52)."""
    result = mat(day, months_before(day, 12), "miscarriage", weeks=weeks)
    assert result.eligible and result.reasons == []
    assert result.amounts() == {"months": 0, "days": days, "monthly": 9_000_000, "benefit": benefit,
                                "childbirth_allowance": 0, "total": benefit}


@pytest.mark.parametrize(("day", "weeks", "days", "benefit"), [
    (LAW_58_DAY, 21, 40, 12_000_000),
    (LAW_58_DAY, 22, 40, 12_000_000),   # Law 58: 13 to under 25 weeks is still 40 days
    (LAW_58_DAY, 24, 40, 12_000_000),
    (LAW_58_DAY, 25, 50, 15_000_000),   # 25 weeks or more: 50 days × 300,000
    (LAW_41_DAY, 21, 40, 12_000_000),
    (LAW_41_DAY, 22, 50, 15_000_000),   # Law 41: 22 weeks or more: 50 days
    (LAW_41_DAY, 25, 50, 15_000_000),
])
def test_miscarriage_last_band_moves_from_25_to_22_weeks(day: dt.date, weeks: int, days: int, benefit: int) -> None:
    """Only 5 months paid (the childbirth condition of 6 in 12 is not met, so Law 41 art. 52(2)
    does not apply): the average of the 5 months paid is 9,000,000 (art. 59(1)); 300,000 a day."""
    result = mat(day, months_before(day, 5), "miscarriage", weeks=weeks)
    assert (result.months, result.days, result.benefit, result.childbirth_allowance) == (0, days, benefit, 0)
    law = "Law 58/2014/QH13" if day == LAW_58_DAY else "Law 41/2024/QH15"
    assert any(law in line.basis and "calendar days" in line.value for line in result.explanation)


@pytest.mark.parametrize(("day", "weeks", "expected"), [
    (LAW_58_DAY, 22, (0, 40, 12_000_000, 0)),           # Law 58: no childbirth regime for a loss
    (LAW_58_DAY, 30, (0, 50, 15_000_000, 0)),
    (LAW_41_DAY, 21, (0, 40, 12_000_000, 0)),           # under 22 weeks: days of leave
    (LAW_41_DAY, 22, (6, 0, 54_000_000, 4_680_000)),    # art. 52(2): as a birth
    (LAW_41_DAY, 30, (6, 0, 54_000_000, 4_680_000)),
])
def test_late_loss_with_the_childbirth_condition(day: dt.date, weeks: int, expected: tuple[int, ...]) -> None:
    """12 months paid, so 6 in the 12 before is met. Law 41 art. 52(2) from 22 weeks: the
    childbirth regime, 6 × 9,000,000 = 54,000,000 + 2 × 2,340,000 = 4,680,000 = 58,680,000.
    Under Law 58 (2025-06-30) the days of art. 33 apply whatever the months paid."""
    result = mat(day, months_before(day, 12), "miscarriage", weeks=weeks)
    assert (result.months, result.days, result.benefit, result.childbirth_allowance) == expected
    assert result.total == expected[2] + expected[3]


def test_late_loss_of_twins_counts_each_fetus() -> None:
    """Law 41 arts. 52(2), 53(4): two fetuses at 30 weeks: 6 + 1 = 7 months × 9,000,000 =
    63,000,000, allowance 2 × 2,340,000 × 2 = 9,360,000; total 72,360,000."""
    result = mat(LAW_41_DAY, months_before(LAW_41_DAY, 12), "miscarriage", children=2, weeks=30)
    assert (result.months, result.benefit, result.childbirth_allowance, result.total) == (
        7, 63_000_000, 9_360_000, 72_360_000)
    assert any("art. 52(2)" in line.basis for line in result.explanation)


@pytest.mark.parametrize(("prescribed", "days", "benefit"), [(15, 15, 4_500_000), (20, 20, 6_000_000),
                                                             (25, 20, 6_000_000)])
def test_miscarriage_days_prescribed_are_capped(prescribed: int, days: int, benefit: int) -> None:
    """8 weeks (band 2, at most 20 days): 15 prescribed × 300,000 = 4,500,000; 25 prescribed are
    capped at 20 = 6,000,000."""
    result = mat(BIRTH, months_before(BIRTH, 12), "miscarriage", days=prescribed, weeks=8)
    assert (result.days, result.benefit) == (days, benefit)


def test_miscarriage_rounded_once_and_on_few_months() -> None:
    """5 months at 10,000,000 and 1 at 10,000,001: 60,000,001 / 6 / 30 × 10 days =
    3,333,333.39 → 3,333,333. Only 3 months paid at 6,000,000: their average, 6,000,000 / 30 ×
    20 = 4,000,000 (art. 59(1), second paragraph)."""
    history = (InsuredPeriod(D(2025, 2, 1), D(2025, 6, 1), 10_000_000),
               InsuredPeriod(D(2025, 7, 1), D(2025, 7, 1), 10_000_001))
    assert mat(BIRTH, history, "miscarriage", weeks=3).benefit == 3_333_333
    assert mat(BIRTH, months_before(BIRTH, 3, 6_000_000), "miscarriage", weeks=6).benefit == 4_000_000


def test_miscarriage_not_insured_at_the_event() -> None:
    """Last paid 2025-06, event 2025-08-10: neither 2025-07 nor 2025-08 paid."""
    result = mat(BIRTH, months_before(BIRTH, 24, gap=1), "miscarriage", weeks=10)
    assert not result.eligible and [r.code for r in result.reasons] == ["not_insured_at_event"]
    assert result.total == 0
