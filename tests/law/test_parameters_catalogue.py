"""The contribution parameters: every key exists, every dated value is right on both edges.

OpenFisca-style edge cases: for every dated value, the day before it starts and the day it
starts. Rates are quoted decimal strings, compared as exact fractions.
"""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction
from typing import Any

import pytest
import yaml

from ansinh.core.errors import ParameterNotInForce
from ansinh.law import default_parameters
from ansinh.law.params import PARAMETERS_DIR

D = dt.date
ONE_DAY = dt.timedelta(days=1)


class _NotInForce:
    def __repr__(self) -> str:
        return "NOT_IN_FORCE"


NOT_IN_FORCE: Any = _NotInForce()

# key -> [(date the value starts, value the day before, value from that day)]
EDGES: dict[str, list[tuple[dt.date, Any, Any]]] = {
    "si.rates.retirement_survivor.employer": [
        (D(2016, 1, 1), NOT_IN_FORCE, "0.14"),
        (D(2025, 7, 1), "0.14", "0.14"),
    ],
    "si.rates.retirement_survivor.employee": [
        (D(2016, 1, 1), NOT_IN_FORCE, "0.08"),
        (D(2025, 7, 1), "0.08", "0.08"),
    ],
    "si.rates.sickness_maternity.employer": [
        (D(2016, 1, 1), NOT_IN_FORCE, "0.03"),
        (D(2025, 7, 1), "0.03", "0.03"),
    ],
    "si.rates.work_injury.employer": [
        (D(2016, 1, 1), NOT_IN_FORCE, "0.01"),
        (D(2017, 6, 1), "0.01", "0.005"),
        (D(2020, 7, 15), "0.005", "0.005"),
        (D(2021, 7, 1), "0.005", "0"),
        (D(2022, 7, 1), "0", "0.005"),
        (D(2025, 7, 1), "0.005", "0.005"),
    ],
    "si.rates.work_injury.employer_reduced": [
        (D(2020, 7, 15), NOT_IN_FORCE, "0.003"),
        (D(2021, 7, 1), "0.003", "0"),
        (D(2022, 7, 1), "0", "0.003"),
        (D(2025, 7, 1), "0.003", "0.003"),
    ],
    "ui.rates.employer": [
        (D(2015, 1, 1), NOT_IN_FORCE, "0.01"),
        (D(2021, 10, 1), "0.01", "0"),
        (D(2022, 10, 1), "0", "0.01"),
        (D(2026, 1, 1), "0.01", "0.01"),
    ],
    "ui.rates.employee": [
        (D(2015, 1, 1), NOT_IN_FORCE, "0.01"),
        (D(2026, 1, 1), "0.01", "0.01"),
    ],
    "ui.rates.state": [
        (D(2015, 1, 1), NOT_IN_FORCE, "0.01"),
        (D(2026, 1, 1), "0.01", "0.01"),
    ],
    "hi.rates.total": [
        (D(2015, 1, 1), NOT_IN_FORCE, "0.045"),
        (D(2018, 12, 1), "0.045", "0.045"),
        (D(2025, 8, 15), "0.045", "0.045"),
    ],
    "hi.rates.employer": [
        (D(2015, 1, 1), NOT_IN_FORCE, "0.03"),
        (D(2018, 12, 1), "0.03", "0.03"),
        (D(2025, 8, 15), "0.03", "0.03"),
    ],
    "hi.rates.employee": [
        (D(2015, 1, 1), NOT_IN_FORCE, "0.015"),
        (D(2018, 12, 1), "0.015", "0.015"),
        (D(2025, 8, 15), "0.015", "0.015"),
    ],
    "si.base.ceiling_multiple": [
        (D(2016, 1, 1), NOT_IN_FORCE, 20),
        (D(2025, 7, 1), 20, 20),
    ],
    "hi.base.ceiling_multiple": [
        (D(2016, 1, 1), NOT_IN_FORCE, 20),
        (D(2025, 7, 1), 20, 20),
    ],
    "ui.base.ceiling_multiple": [
        (D(2015, 1, 1), NOT_IN_FORCE, 20),
        (D(2026, 1, 1), 20, 20),
    ],
    "ui.base.ceiling_basis_state_scale": [
        (D(2015, 1, 1), NOT_IN_FORCE, "base_salary"),
        (D(2026, 1, 1), "base_salary", "regional_minimum_wage"),
    ],
    "si.base.floor_basis": [
        (D(2016, 1, 1), NOT_IN_FORCE, "regional_minimum_wage"),
        (D(2025, 7, 1), "regional_minimum_wage", "reference_level"),
    ],
    "si.base.trained_worker_uplift": [
        (D(2016, 1, 1), NOT_IN_FORCE, "0.07"),
        (D(2017, 1, 1), "0.07", "0.07"),
        (D(2018, 1, 1), "0.07", "0.07"),
        (D(2019, 1, 1), "0.07", "0.07"),
        (D(2020, 1, 1), "0.07", "0.07"),
        (D(2022, 7, 1), "0.07", NOT_IN_FORCE),
    ],
    "si.reference_level_equals_base_salary": [
        (D(2025, 7, 1), NOT_IN_FORCE, True),
    ],
    "si.voluntary.rate": [
        (D(2016, 1, 1), NOT_IN_FORCE, "0.22"),
        (D(2025, 7, 1), "0.22", "0.22"),
    ],
    "si.voluntary.base.ceiling_multiple": [
        (D(2016, 1, 1), NOT_IN_FORCE, 20),
        (D(2025, 7, 1), 20, 20),
    ],
    "si.voluntary.base.floor_basis": [
        (D(2016, 1, 1), NOT_IN_FORCE, "rural_poverty_line"),
        (D(2025, 7, 1), "rural_poverty_line", "rural_poverty_line"),
    ],
    "si.voluntary.support.poor": [
        (D(2018, 1, 1), NOT_IN_FORCE, "0.3"),
        (D(2025, 7, 1), "0.3", "0.5"),
    ],
    "si.voluntary.support.near_poor": [
        (D(2018, 1, 1), NOT_IN_FORCE, "0.25"),
        (D(2025, 7, 1), "0.25", "0.4"),
    ],
    "si.voluntary.support.ethnic_minority": [
        (D(2025, 7, 1), NOT_IN_FORCE, "0.3"),
    ],
    "si.voluntary.support.other": [
        (D(2018, 1, 1), NOT_IN_FORCE, "0.1"),
        (D(2025, 7, 1), "0.1", "0.2"),
    ],
    "si.voluntary.support.max_months": [
        (D(2018, 1, 1), NOT_IN_FORCE, 120),
        (D(2025, 7, 1), 120, 120),
    ],
    "social.poverty_line.rural": [
        (D(2016, 1, 1), NOT_IN_FORCE, 700_000),
        (D(2021, 1, 1), 700_000, 700_000),
        (D(2022, 1, 1), 700_000, 1_500_000),
        (D(2026, 1, 1), 1_500_000, 1_500_000),
        (D(2027, 1, 1), 1_500_000, 2_200_000),
    ],
    "hi.household.base_basis": [
        (D(2018, 12, 1), NOT_IN_FORCE, "base_salary"),
        (D(2025, 8, 15), "base_salary", "base_salary"),
    ],
    "si.late_payment.daily_interest_rate": [
        (D(2025, 7, 1), NOT_IN_FORCE, "0.0003"),
    ],
}
for _member, _factor in {"1": "1", "2": "0.7", "3": "0.6", "4": "0.5", "5_plus": "0.4"}.items():
    EDGES[f"hi.household.factor.member_{_member}"] = [
        (D(2018, 12, 1), NOT_IN_FORCE, _factor),
        (D(2025, 8, 15), _factor, _factor),
    ]

CASES = [
    pytest.param(key, day, expected, id=f"{key}@{day.isoformat()}")
    for key, edges in EDGES.items()
    for starts, before, after in edges
    for day, expected in ((starts - ONE_DAY, before), (starts, after))
]

TAG = re.compile(r"\[(V:|SECONDARY|UNVERIFIED)")


def same(unit: str, actual: Any, expected: Any) -> bool:
    if unit == "rate":
        return Fraction(actual) == Fraction(expected)
    return bool(actual == expected) and type(actual) is type(expected)


def test_the_whole_directory_loads_with_every_key() -> None:
    params = default_parameters()
    missing = sorted(set(EDGES) - set(params.parameters))
    assert missing == []


@pytest.mark.parametrize(("key", "day", "expected"), CASES)
def test_value_on_the_day_before_and_the_day_it_starts(key: str, day: dt.date, expected: Any) -> None:
    params = default_parameters()
    if expected is NOT_IN_FORCE:
        with pytest.raises(ParameterNotInForce):
            params.value_at(key, day)
        return
    actual = params.value_at(key, day)
    assert same(params.get(key).unit, actual, expected), (key, day, actual, expected)


@pytest.mark.parametrize("key", sorted(EDGES))
def test_every_dated_value_has_its_edge_cases(key: str) -> None:
    starts = [dated.starts for dated in default_parameters().get(key).values]
    assert starts == [edge[0] for edge in EDGES[key]]


@pytest.mark.parametrize("key", sorted(EDGES))
def test_every_dated_value_names_its_source_and_how_it_was_checked(key: str) -> None:
    for dated in default_parameters().get(key).values:
        assert dated.source.instrument.strip(), (key, dated.starts)
        assert dated.source.article.strip(), (key, dated.starts)
        assert dated.source.note and TAG.search(dated.source.note), (key, dated.starts)


def test_rates_are_written_as_quoted_decimals() -> None:
    """The files hold rates as strings ("0.14"), which the loader reads as exact fractions."""
    params = default_parameters()
    for key in EDGES:
        if params.get(key).unit != "rate":
            continue
        path = PARAMETERS_DIR.joinpath(*key.split(".")).with_suffix(".yaml")
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        for starts, entry in raw["values"].items():
            value = entry["value"]
            if value is None:
                continue
            assert isinstance(value, str), (key, starts, value)
            assert re.fullmatch(r"\d+(\.\d+)?", value), (key, starts, value)
            assert params.value_at(key, starts) == Fraction(value), (key, starts)


@pytest.mark.parametrize("day", [D(2015, 1, 1), D(2018, 11, 30), D(2018, 12, 1), D(2025, 8, 15)])
def test_hi_shares_add_up_to_the_total(day: dt.date) -> None:
    params = default_parameters()
    employer = Fraction(params.value_at("hi.rates.employer", day))
    employee = Fraction(params.value_at("hi.rates.employee", day))
    total = Fraction(params.value_at("hi.rates.total", day))
    assert employer + employee == total
    assert employer == total * Fraction(2, 3)


def test_the_reference_level_is_derived_not_stored() -> None:
    params = default_parameters()
    assert "si.reference_level" not in params.parameters
    assert "hi.rates.employer_share" not in params.parameters
    assert params.value_at("si.reference_level_equals_base_salary", D(2026, 7, 1)) is True


@pytest.mark.parametrize(
    ("day", "amount"),
    [
        (D(2024, 6, 30), 1_800_000),
        (D(2024, 7, 1), 2_340_000),
        (D(2026, 6, 30), 2_340_000),
        (D(2026, 7, 1), 2_530_000),
    ],
)
def test_the_base_salary_that_the_multiples_apply_to(day: dt.date, amount: int) -> None:
    assert default_parameters().value_at("si.base_salary", day) == amount


@pytest.mark.parametrize(
    ("day", "ceiling"),
    [
        (D(2024, 6, 30), 36_000_000),
        (D(2024, 7, 1), 46_800_000),
        (D(2026, 6, 30), 46_800_000),
        (D(2026, 7, 1), 50_600_000),
    ],
)
def test_the_si_ceiling_moves_with_the_base_salary(day: dt.date, ceiling: int) -> None:
    params = default_parameters()
    multiple = params.value_at("si.base.ceiling_multiple", day)
    assert multiple * params.value_at("si.base_salary", day) == ceiling


@pytest.mark.parametrize(
    ("day", "ceiling"),
    [(D(2025, 12, 31), 99_200_000), (D(2026, 1, 1), 106_200_000)],
)
def test_the_ui_ceiling_moves_with_the_regional_minimum_wage(day: dt.date, ceiling: int) -> None:
    params = default_parameters()
    multiple = params.value_at("ui.base.ceiling_multiple", day)
    assert multiple * params.value_at("labour.minimum_wage.region_1", day) == ceiling


@pytest.mark.parametrize(
    ("day", "support"),
    [(D(2018, 1, 1), 46_200), (D(2025, 6, 30), 99_000), (D(2025, 7, 1), 165_000), (D(2027, 1, 1), 242_000)],
)
def test_voluntary_support_for_the_poor_is_a_share_of_22_percent_of_the_poverty_line(
    day: dt.date, support: int
) -> None:
    params = default_parameters()
    amount = (
        Fraction(params.value_at("si.voluntary.support.poor", day))
        * Fraction(params.value_at("si.voluntary.rate", day))
        * params.value_at("social.poverty_line.rural", day)
    )
    assert amount == support
