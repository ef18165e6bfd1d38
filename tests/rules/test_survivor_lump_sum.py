"""The lump sums the survivor regime sets by formula for a pensioner (Law 58/2014 art. 70(2); Law
41/2024 art. 89(2)) and for a monthly work-injury recipient (Law 41/2024 art. 89(3)).

Counting (si.md §11 marks it [UNVERIFIED]): ``months_received`` is the month of the pension in
which the pensioner died, the month of death counted. Months 1 and 2 give 48 months; from the
third, 0.5 month less for each month after the second: 48 − 0.5 × (t − 2), at least 3. Worked
examples found with ``search``: 2 months of a 5,000,000 pension → 48 × 5,000,000 = 240,000,000
(congdoancaosu.vn); 72 months of a 3,000,000 pension → 48 − 0.5 × 70 = 13 months = 39,000,000
(AZTAX, raovat3s.com thread 157242); si.md's own: the 10th month → 44 months.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from ansinh.core.errors import InvalidInput
from ansinh.law import default_parameters
from ansinh.rules.survivor import Dependant, SurvivorCase, SurvivorPeriod, SurvivorResult, compute

PARAMS = default_parameters()
D = dt.date
LAW_58_DAY, LAW_41_DAY = D(2025, 6, 30), D(2025, 7, 1)
CARED = Dependant(needs_support=False)


def pensioner(month: int, pension: int = 5_000_000, *, as_of: dt.date = LAW_41_DAY,
              dependants: tuple[Dependant, ...] = (), chosen: bool = False) -> SurvivorResult:
    return compute(SurvivorCase(as_of=as_of, history=(), dependants=dependants, deceased="pensioner",
                                monthly_received=pension, months_received=month, lump_sum_chosen=chosen), PARAMS)


def recipient(loss: int, *, as_of: dt.date = LAW_41_DAY, history: tuple[SurvivorPeriod, ...] = (),
              dependants: tuple[Dependant, ...] = (), allowance: int = 1_617_200,
              average: int | None = None) -> SurvivorResult:
    return compute(SurvivorCase(as_of=as_of, history=history, dependants=dependants,
                                deceased="work_injury_recipient", monthly_received=allowance, loss_percent=loss,
                                average_salary=None if average is None else Fraction(average)), PARAMS)


@pytest.mark.parametrize("day", [LAW_58_DAY, LAW_41_DAY])
@pytest.mark.parametrize(("month", "pension", "lump_sum"), [
    (0, 5_000_000, 240_000_000),    # died before a first payment: within the first 2 months, 48 × 5,000,000
    (1, 5_000_000, 240_000_000),
    (2, 5_000_000, 240_000_000),    # 48 × 5,000,000 (congdoancaosu.vn)
    (3, 5_000_000, 237_500_000),    # 48 − 0.5 × 1 = 47.5 × 5,000,000
    (10, 5_000_000, 220_000_000),   # si.md §11: 48 − 0.5 × 8 = 44 months
    (72, 3_000_000, 39_000_000),    # 48 − 0.5 × 70 = 13 × 3,000,000 (AZTAX example)
    (91, 5_000_000, 17_500_000),    # 48 − 0.5 × 89 = 3.5 months
    (92, 5_000_000, 15_000_000),    # 48 − 0.5 × 90 = 3: the minimum reached
    (300, 5_000_000, 15_000_000),   # 48 − 149 < 3: the minimum 3 × 5,000,000
])
def test_pensioner_lump_sum_by_months_received(day: dt.date, month: int, pension: int, lump_sum: int) -> None:
    """No dependant named: the lump sum, the same under Law 58 art. 70(2) (2025-06-30) and Law 41
    art. 89(2) (2025-07-01); the funeral allowance 10 × 2,340,000 = 23,400,000 whatever the
    contributions (art. 66(1)(c) / 85(1)(c))."""
    result = pensioner(month, pension, as_of=day)
    assert result.eligible and result.reasons == []
    assert result.amounts() == {"funeral_allowance": 23_400_000, "monthly_per_dependant": [], "monthly_total": 0,
                                "lump_sum": lump_sum}
    article = "art. 70(2)" if day == LAW_58_DAY else "art. 89(2)"
    assert any(article in line.basis and "pension" in line.value for line in result.explanation)


def test_pensioner_lump_sum_rounded_once() -> None:
    """3,333,333 × 47.5 (month 3) = 158,333,317.5 → 158,333,318 (half up)."""
    assert pensioner(3, 3_333_333).lump_sum == 158_333_318


@pytest.mark.parametrize(("day", "allowance"), [(LAW_58_DAY, 1_170_000), (LAW_41_DAY, 1_170_000),
                                                (D(2026, 7, 1), 1_265_000)])
def test_pensioner_with_a_dependant_gets_the_monthly_allowance(day: dt.date, allowance: int) -> None:
    """A pensioner's death qualifies whatever the years (Law 58 art. 67(1)(b), Law 41 art.
    86(1)(b)): 50 % × 2,340,000 = 1,170,000 (× 2,530,000 = 1,265,000 from 2026-07-01); no lump sum."""
    result = pensioner(10, as_of=day, dependants=(CARED,))
    assert (result.monthly_per_dependant, result.lump_sum) == ([allowance], 0)


def test_pensioner_history_is_not_used() -> None:
    """A pensioner's lump sum is on the pension; a State-scale history given alongside is ignored
    rather than refused: 44 × 5,000,000 = 220,000,000."""
    result = compute(SurvivorCase(as_of=LAW_41_DAY, deceased="pensioner", monthly_received=5_000_000,
                                  months_received=10,
                                  history=(SurvivorPeriod(D(1990, 1, 1), D(2020, 12, 1), 1, state_scale=True),)),
                     PARAMS)
    assert result.lump_sum == 220_000_000


@pytest.mark.parametrize(("day", "lump_sum"), [(LAW_58_DAY, 0), (LAW_41_DAY, 4_851_600)])
def test_recipient_without_contribution_months(day: dt.date, lump_sum: int) -> None:
    """45 % loss (under 61 %), one dependant named, no contribution months: no monthly allowance.
    Law 41 art. 89(3) from 2025-07-01: 3 × 1,617,200 = 4,851,600; Law 58 sets no such amount (0).
    Funeral 23,400,000 on both days (art. 66(1)(c) / 85(1)(c))."""
    result = recipient(45, as_of=day, dependants=(CARED,))
    assert result.amounts() == {"funeral_allowance": 23_400_000, "monthly_per_dependant": [], "monthly_total": 0,
                                "lump_sum": lump_sum}
    assert result.eligible


@pytest.mark.parametrize(("loss", "monthly", "lump_sum"), [(60, [], 4_851_600), (61, [1_170_000], 0),
                                                           (100, [1_170_000], 0)])
def test_recipient_loss_61_percent_edge(loss: int, monthly: list[int], lump_sum: int) -> None:
    """Law 41 art. 86(1)(d): a recipient with 61 % loss or more qualifies for the monthly
    allowance (50 % × 2,340,000 = 1,170,000); at 60 % the lump sum 3 × 1,617,200 = 4,851,600."""
    result = recipient(loss, dependants=(CARED,))
    assert (result.monthly_per_dependant, result.lump_sum) == (monthly, lump_sum)


@pytest.mark.parametrize("day", [LAW_58_DAY, LAW_41_DAY])
def test_recipient_with_contribution_months_gets_the_members_lump_sum(day: dt.date) -> None:
    """Decree 158/2025 art. 19(1)(c) (Decree 115/2015 art. 13(3)(b) before): 60 months 2020-05 ..
    2025-04, all from 2014: 5 years × 2 = 10 months × 10,000,000 (given average) = 100,000,000."""
    history = (SurvivorPeriod(D(2020, 5, 1), D(2025, 4, 1), 9_000_000),)
    result = recipient(45, as_of=day, history=history, average=10_000_000)
    assert result.lump_sum == 100_000_000


def test_recipient_with_15_years_qualifies_for_the_monthly_allowance() -> None:
    """Decree 158/2025 art. 19(1)(b): a recipient still contributing with 15 years: 40 % loss but
    180 months (2010-07 .. 2025-06) → the monthly allowance 1,170,000."""
    history = (SurvivorPeriod(D(2010, 7, 1), D(2025, 6, 1), 9_000_000),)
    assert recipient(40, history=history, dependants=(CARED,)).monthly_per_dependant == [1_170_000]


def test_recipient_needs_a_monthly_allowance_loss() -> None:
    """The monthly work-injury allowance starts at 31 % (Law on OSH art. 49): 30 % is refused."""
    with pytest.raises(InvalidInput) as caught:
        recipient(30)
    assert (caught.value.code, caught.value.field) == ("survivor.loss_below_monthly", "loss_percent")
    assert recipient(31).lump_sum == 4_851_600
