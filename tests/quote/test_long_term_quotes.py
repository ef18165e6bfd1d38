"""The ``work_injury`` and ``survivor`` regimes of the quote contract, answered by their modules."""

from __future__ import annotations

from typing import Any

import pytest

from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.quote import survivor, work_injury
from ansinh.quote.schemas import QuoteCase

WORK_INJURY: dict[str, Any] = {
    "regime": "work_injury",
    "as_of": "2026-03-15",
    "history": [{"from": "2018-03", "to": "2026-02", "salary": 10_000_000, "region": 1}],
    "loss_percent": 20,
    "kind": "accident",
}


def work_injury_quote(case: dict[str, Any]) -> dict[str, Any]:
    return work_injury.answer(QuoteCase.model_validate(case)).model_dump(mode="json")


def test_work_injury_lump_sum() -> None:
    """si.md §10: 20 % loss, 8 years, 10,000,000: 29,250,000 + 26,000,000 = 55,250,000."""
    result = work_injury_quote(WORK_INJURY)
    assert result["regime"] == "work_injury" and result["as_of"] == "2026-03-15"
    assert result["eligible"] is True and result["reasons"] == []
    assert result["amounts"] == {"lump_sum": 55_250_000, "monthly": 0, "death_allowance": 0}
    assert all({"label", "label_vi", "value", "basis"} <= set(line) for line in result["explanation"])
    assert any("84/2015/QH13" in line["basis"] for line in result["explanation"])


def test_work_injury_monthly() -> None:
    """si.md §10: 45 % loss: 58 % × 2,340,000 = 1,357,200 + 2.6 % × 10,000,000 = 260,000."""
    result = work_injury_quote({**WORK_INJURY, "loss_percent": 45, "kind": "disease"})
    assert result["amounts"] == {"lump_sum": 0, "monthly": 1_617_200, "death_allowance": 0}


def test_work_injury_death_needs_no_loss() -> None:
    """si.md §10: 36 × 2,340,000 = 84,240,000."""
    case = {key: value for key, value in WORK_INJURY.items() if key != "loss_percent"}
    result = work_injury_quote({**case, "died": True})
    assert result["amounts"] == {"lump_sum": 0, "monthly": 0, "death_allowance": 84_240_000}


def test_work_injury_below_threshold() -> None:
    result = work_injury_quote({**WORK_INJURY, "loss_percent": 4})
    assert result["eligible"] is False
    assert [reason["code"] for reason in result["reasons"]] == ["loss_below_threshold"]


def test_work_injury_skips_months_outside_the_fund() -> None:
    """Voluntary SI and periods without the work-injury fund are not counted: only 2026-02
    counts (1 year or less → 0.5 × 10,000,000 = 5,000,000); 29,250,000 + 5,000,000."""
    case = {**WORK_INJURY, "history": [
        {"from": "2018-03", "to": "2024-12", "salary": 10_000_000, "scheme": "voluntary"},
        {"from": "2025-01", "to": "2026-01", "salary": 10_000_000, "funds": ["retirement_survivor"]},
        {"from": "2026-02", "to": "2026-02", "salary": 10_000_000},
    ]}
    assert work_injury_quote(case)["amounts"]["lump_sum"] == 34_250_000


@pytest.mark.parametrize(("change", "field"), [
    ({"loss_percent": None}, "loss_percent"),
    ({"kind": "commute"}, "kind"),
])
def test_work_injury_bad_input_names_the_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        work_injury_quote({**WORK_INJURY, **change})
    assert error.value.field == field


def test_work_injury_before_the_osh_law_names_as_of() -> None:
    with pytest.raises(ParameterNotInForce) as error:
        work_injury_quote({**WORK_INJURY, "as_of": "2016-06-30",
                           "history": [{"from": "2015-01", "to": "2016-06", "salary": 5_000_000}]})
    assert error.value.field == "as_of"


SURVIVOR: dict[str, Any] = {
    "regime": "survivor",
    "as_of": "2026-03-15",
    "history": [{"from": "2011-03", "to": "2026-02", "salary": 10_000_000, "region": 1}],
    "dependants": [{"needs_support": True}, {"needs_support": False}],
}


def survivor_quote(case: dict[str, Any]) -> dict[str, Any]:
    return survivor.answer(QuoteCase.model_validate(case)).model_dump(mode="json")


def test_survivor_monthly_allowance() -> None:
    """15 years: funeral 10 × 2,340,000 = 23,400,000; 70 % × 2,340,000 = 1,638,000 and 50 % =
    1,170,000 a month, 2,808,000 in all; no lump sum."""
    result = survivor_quote(SURVIVOR)
    assert result["regime"] == "survivor" and result["eligible"] is True and result["reasons"] == []
    assert result["amounts"] == {"funeral_allowance": 23_400_000, "monthly_per_dependant": [1_638_000, 1_170_000],
                                 "monthly_total": 2_808_000, "lump_sum": 0}
    assert any("41/2024/QH15, art. 85" in line["basis"] for line in result["explanation"])


def test_survivor_from_2026_07_01() -> None:
    """10 × 2,530,000 = 25,300,000; 70 % and 50 % of 2,530,000 = 1,771,000 and 1,265,000."""
    case = {**SURVIVOR, "as_of": "2026-07-01", "history": [{"from": "2011-07", "to": "2026-06", "salary": 1}]}
    assert survivor_quote(case)["amounts"] == {"funeral_allowance": 25_300_000,
                                               "monthly_per_dependant": [1_771_000, 1_265_000],
                                               "monthly_total": 3_036_000, "lump_sum": 0}


def test_survivor_lump_sum_from_recent_months() -> None:
    """14 months 2025-01..2026-02 at 8,000,000 (coefficient 1.00, no revaluation): 1.5 years × 2
    = 3 months = the minimum → 24,000,000; funeral 23,400,000 (≥ 12 months)."""
    case = {**SURVIVOR, "history": [{"from": "2025-01", "to": "2026-02", "salary": 8_000_000}]}
    assert survivor_quote(case)["amounts"] == {"funeral_allowance": 23_400_000, "monthly_per_dependant": [],
                                               "monthly_total": 0, "lump_sum": 24_000_000}


def test_survivor_lump_sum_revalued() -> None:
    """Death 2026-03-15, 2020-01..2026-02 at 8,000,000, 2026 table (CV 340): 12 months each of
    2020 × 1.16, 2021 × 1.14, 2022 × 1.11, 2023 × 1.07, 2024 × 1.03, 2025 × 1.00 = 78.12 and 2
    months of 2026 × 1.00 → 80.12 × 8,000,000 = 640,960,000 / 74 months. 74 months = 6 years
    2 months → 6.5 years × 2 = 13 months: 13 × 640,960,000 / 74 = 112,601,081.08 → 112,601,081."""
    case = {**SURVIVOR, "history": [{"from": "2020-01", "to": "2026-02", "salary": 8_000_000}]}
    assert survivor_quote(case)["amounts"]["lump_sum"] == 112_601_081


def test_survivor_state_scale_lump_sum() -> None:
    """Pay coefficient 3.00 from 2024-07 to 2026-02 (salary 3 × 2,340,000 = 7,020,000), death
    2026-03-15: SI began 2024 (band 2020: the last 20 years, here all 20 months), after 2016, so
    revalued by the 2026 CPI table (2024 × 1.03, 2025 and 2026 × 1.00): (6 × 1.03 + 14) =
    20.18 × 7,020,000 = 141,663,600 / 20 = 7,083,180. 20 months = 1 year 8 months → 2 years × 2
    = 4 months = 28,332,720."""
    case = {**SURVIVOR, "dependants": [],
            "history": [{"from": "2024-07", "to": "2026-02", "salary": 7_020_000, "sector": "state"}]}
    assert survivor_quote(case)["amounts"]["lump_sum"] == 28_332_720


def test_survivor_voluntary_lump_sum_is_refused() -> None:
    """A career with voluntary months needing the lump sum: the voluntary survivor rules are not modelled."""
    case = {**SURVIVOR, "dependants": [],
            "history": [{"from": "2024-07", "to": "2025-06", "salary": 7_020_000},
                        {"from": "2025-07", "to": "2026-02", "salary": 3_000_000, "scheme": "voluntary"}]}
    with pytest.raises(InvalidInput) as error:
        survivor_quote(case)
    assert (error.value.code, error.value.field) == ("survivor.voluntary_not_modelled", "history.1.scheme")


@pytest.mark.parametrize(("dependants", "field"), [
    ([{"needs_support": "yes"}], "dependants.0.needs_support"),
    ([{"needs_support": True}, {}], "dependants.1.needs_support"),
    ([{"needs_support": True, "age": 12}], "dependants.0.age"),
])
def test_survivor_bad_dependants_name_the_field(dependants: list[dict[str, Any]], field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        survivor_quote({**SURVIVOR, "dependants": dependants})
    assert error.value.field == field


def test_survivor_before_law_58_names_as_of() -> None:
    with pytest.raises(ParameterNotInForce) as error:
        survivor_quote({**SURVIVOR, "as_of": "2015-12-31", "history": [{"from": "2000-01", "to": "2015-11",
                                                                          "salary": 1}]})
    assert error.value.field == "as_of"
