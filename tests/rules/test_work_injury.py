"""Work injury and occupational disease: the fact sheet's worked examples, the loss bands at
each edge, the seniority years, the base-salary dates, rounding and bad input.

Worked examples: si.md §10 (B = 2,340,000; 8 years in the fund; salary of the month before
the event 10,000,000).
"""

from __future__ import annotations

import datetime as dt

import pytest

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.law import default_parameters
from ansinh.rules.work_injury import WorkInjuryCase, WorkInjuryPeriod, WorkInjuryResult, compute

PARAMS = default_parameters()
D = dt.date
EVENT = D(2026, 3, 15)
EIGHT_YEARS = (WorkInjuryPeriod(D(2018, 3, 1), D(2026, 2, 1), 10_000_000),)  # 96 months to 2026-02


def before(day: dt.date, months: int, salary: int = 10_000_000) -> tuple[WorkInjuryPeriod, ...]:
    """``months`` months of contributions ending with the month before ``day``'s month."""
    last = day.year * 12 + day.month - 2
    first = last - (months - 1)
    return (WorkInjuryPeriod(D(first // 12, first % 12 + 1, 1), D(last // 12, last % 12 + 1, 1), salary),)


def injury(loss: int | None, *, as_of: dt.date = EVENT, history: tuple[WorkInjuryPeriod, ...] = EIGHT_YEARS,
           kind: str = "accident", died: bool = False) -> WorkInjuryResult:
    return compute(WorkInjuryCase(as_of=as_of, history=history, loss_percent=loss, kind=kind, died=died), PARAMS)


def test_worked_example_20_percent_lump_sum() -> None:
    """20 % loss: 5 × B + 0.5 × 15 × B = 11,700,000 + 17,550,000 = 29,250,000.
    Seniority: 8 years → (0.5 + 0.3 × 7) = 2.6 × 10,000,000 = 26,000,000. Total 55,250,000."""
    result = injury(20)
    assert result.eligible and result.reasons == []
    assert result.amounts() == {"lump_sum": 55_250_000, "monthly": 0, "death_allowance": 0}
    text = " | ".join(f"{line.label}: {line.value} [{line.basis}]" for line in result.explanation)
    assert "29,250,000" in text and "26,000,000" in text and "2.6" in text
    assert "Law on Occupational Safety and Health 84/2015/QH13, art. 48(2)(a)" in text


def test_worked_example_45_percent_monthly() -> None:
    """45 % loss: (30 % + 2 % × 14) = 58 % × 2,340,000 = 1,357,200. Seniority:
    (0.5 % + 0.3 % × 7) = 2.6 % × 10,000,000 = 260,000. Total 1,617,200 a month."""
    result = injury(45)
    assert result.amounts() == {"lump_sum": 0, "monthly": 1_617_200, "death_allowance": 0}
    assert any("58 %" in line.value and "1,357,200" in line.value for line in result.explanation)


def test_worked_example_death() -> None:
    """Death: 36 × B = 36 × 2,340,000 = 84,240,000, whatever the loss."""
    result = injury(None, died=True)
    assert result.eligible
    assert result.amounts() == {"lump_sum": 0, "monthly": 0, "death_allowance": 84_240_000}


@pytest.mark.parametrize(("day", "amount"), [
    (D(2026, 6, 30), 84_240_000),   # 36 × 2,340,000
    (D(2026, 7, 1), 91_080_000),    # 36 × 2,530,000 (Decree 161/2026)
])
def test_death_allowance_moves_with_the_base_salary(day: dt.date, amount: int) -> None:
    """Worked example: a death on or after 2026-07-01 gives 36 × 2,530,000 = 91,080,000."""
    assert injury(None, as_of=day, history=before(day, 96), died=True).death_allowance == amount


@pytest.mark.parametrize(("loss", "lump_sum", "monthly"), [
    (5, 37_700_000, 0),      # 5 × 2,340,000 = 11,700,000 + 26,000,000
    (30, 66_950_000, 0),     # (5 + 0.5 × 25) = 17.5 × 2,340,000 = 40,950,000 + 26,000,000
    (31, 0, 962_000),        # 30 % × 2,340,000 = 702,000 + 2.6 % × 10,000,000 = 260,000
    (100, 0, 4_191_200),     # (30 % + 2 % × 69) = 168 % × 2,340,000 = 3,931,200 + 260,000
])
def test_each_edge_of_the_loss_bands(loss: int, lump_sum: int, monthly: int) -> None:
    """5 % is the first lump sum, 30 % the last; 31 % the first monthly allowance; 100 % the top."""
    assert injury(loss).amounts() == {"lump_sum": lump_sum, "monthly": monthly, "death_allowance": 0}


def test_below_five_percent_gives_nothing_with_the_reason() -> None:
    result = injury(4)
    assert not result.eligible
    assert [reason.code for reason in result.reasons] == ["loss_below_threshold"]
    assert result.amounts() == {"lump_sum": 0, "monthly": 0, "death_allowance": 0}


@pytest.mark.parametrize(("months", "share_text", "seniority"), [
    (12, "0.5", 5_000_000),    # 1 year or less: 0.5 × 10,000,000
    (23, "0.5", 5_000_000),    # 1 whole year, odd months not counted
    (24, "0.8", 8_000_000),    # 2 years: 0.5 + 0.3 × 1
])
def test_seniority_years(months: int, share_text: str, seniority: int) -> None:
    """Loss 5 %: 11,700,000 by loss plus the seniority part on 10,000,000."""
    result = injury(5, history=before(EVENT, months))
    assert result.lump_sum == 11_700_000 + seniority
    line = next(line for line in result.explanation if line.label == "Seniority part")
    assert f"{months} months in the fund" in line.value and f"= {share_text} ×" in line.value


def test_event_in_the_first_month_uses_that_months_salary() -> None:
    """First month of contributions 2026-03, accident 2026-03-15: 0 months before, so 0.5 ×
    that month's 8,000,000 = 4,000,000; 20 % loss: 29,250,000 + 4,000,000 = 33,250,000."""
    result = injury(20, history=(WorkInjuryPeriod(D(2026, 3, 1), D(2026, 3, 1), 8_000_000),))
    assert result.lump_sum == 33_250_000


def test_return_after_a_gap_uses_the_month_of_return() -> None:
    """Back at work 2026-03 after a gap: the salary is 2026-03's 12,000,000; 2 years before the
    gap → 0.8 × 12,000,000 = 9,600,000; 20 % → 29,250,000 + 9,600,000 = 38,850,000."""
    history = (WorkInjuryPeriod(D(2023, 1, 1), D(2024, 12, 1), 10_000_000),
               WorkInjuryPeriod(D(2026, 3, 1), D(2026, 3, 1), 12_000_000))
    assert injury(20, history=history).lump_sum == 38_850_000


def test_not_insured_at_the_event() -> None:
    history = (WorkInjuryPeriod(D(2018, 3, 1), D(2025, 6, 1), 10_000_000),)
    result = injury(20, history=history)
    assert not result.eligible
    assert [reason.code for reason in result.reasons] == ["not_insured_at_event"]


def test_disease_uses_the_same_formula() -> None:
    assert injury(45, kind="disease").monthly == 1_617_200


def test_monthly_allowance_rounded_once_half_up() -> None:
    """31 %, 1 year or less, salary 5,000,100: 702,000 + 0.5 % × 5,000,100 = 25,000.5 →
    727,000.5 → 727,001 (one half-up rounding of the monthly amount)."""
    assert injury(31, history=before(EVENT, 9, 5_000_100)).monthly == 727_001


@pytest.mark.parametrize(("day", "lump_sum"), [
    (D(2025, 6, 30), 55_250_000),  # Law 58/2014 era, B = 2,340,000
    (D(2025, 7, 1), 55_250_000),   # Law 41/2024 art. 139(1) left the OSH formulas unchanged
    (D(2026, 6, 30), 55_250_000),  # B = 2,340,000
    (D(2026, 7, 1), 57_625_000),   # B = 2,530,000 (Decree 161/2026)
])
def test_the_dates_the_amounts_could_change(day: dt.date, lump_sum: int) -> None:
    """20 % loss, 8 years, 10,000,000. To 2026-06-30: 12.5 × 2,340,000 = 29,250,000 +
    26,000,000 = 55,250,000. From 2026-07-01: 12.5 × 2,530,000 = 31,625,000 + 26,000,000 =
    57,625,000."""
    assert injury(20, as_of=day, history=before(day, 96)).lump_sum == lump_sum


def test_before_the_osh_law_is_not_in_force() -> None:
    """The OSH law's benefits start 2016-07-01; an earlier event raises rather than guesses."""
    history = (WorkInjuryPeriod(D(2015, 1, 1), D(2016, 7, 1), 5_000_000),)
    with pytest.raises(ParameterNotInForce):
        injury(20, as_of=D(2016, 6, 30), history=history)
    # 2016-07-01: B = 1,210,000; 12.5 × 1,210,000 = 15,125,000; 1 year (18 months) → 0.5 × 5,000,000
    assert injury(20, as_of=D(2016, 7, 1), history=history).lump_sum == 15_125_000 + 2_500_000


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"loss": 20, "kind": "fall"}, "kind"),
    ({"loss": None}, "loss_percent"),
    ({"loss": 101}, "loss_percent"),
    ({"loss": -1}, "loss_percent"),
])
def test_bad_input_names_the_field(kwargs: dict[str, object], field: str) -> None:
    loss = kwargs.pop("loss")
    with pytest.raises(InvalidInput) as error:
        injury(loss, **kwargs)  # type: ignore[arg-type]
    assert error.value.field == field


def test_bad_history_names_the_period() -> None:
    with pytest.raises(InvalidInput) as error:
        injury(20, history=(WorkInjuryPeriod(D(2020, 1, 1), D(2026, 2, 1), -1),))
    assert error.value.field == "history.0.salary"
    with pytest.raises(InvalidInput) as error:
        injury(20, history=(WorkInjuryPeriod(D(2020, 1, 1), D(2022, 2, 1), 1), WorkInjuryPeriod(
            D(2022, 1, 1), D(2026, 2, 1), 1)))
    assert error.value.field == "history.1.from"
