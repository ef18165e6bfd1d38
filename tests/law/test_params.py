"""The strict parameter loader: bad law data stops the load, lookups never answer 0."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest

from ansinh.core.errors import NotFound, ParameterLoadError, ParameterNotInForce
from ansinh.law import default_parameters
from ansinh.law.params import load_directory

GOOD = """\
description: A test amount
unit: vnd
values:
  2020-01-01:
    value: 100
    source: {instrument: Decree 1/2020/ND-CP, article: "art. 1"}
  2024-07-01:
    value: 200
    source: {instrument: Decree 2/2024/ND-CP, article: "art. 2"}
  2026-01-01:
    value: null
    source: {instrument: Decree 3/2025/ND-CP, article: "art. 3", note: repealed}
"""


def write(tmp_path: Path, text: str, name: str = "fund/amount.yaml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return tmp_path


def test_values_apply_from_their_date_to_the_next(tmp_path: Path) -> None:
    params = load_directory(write(tmp_path, GOOD))
    assert params.value_at("fund.amount", dt.date(2024, 6, 30)) == 100
    assert params.value_at("fund.amount", dt.date(2024, 7, 1)) == 200
    assert params.source_at("fund.amount", dt.date(2024, 7, 1)).instrument == "Decree 2/2024/ND-CP"


@pytest.mark.parametrize("day", [dt.date(2019, 12, 31), dt.date(2026, 1, 1)])
def test_before_the_start_or_after_repeal_raises(tmp_path: Path, day: dt.date) -> None:
    params = load_directory(write(tmp_path, GOOD))
    with pytest.raises(ParameterNotInForce) as caught:
        params.value_at("fund.amount", day)
    assert caught.value.code == "law.parameter_not_in_force"


def test_rates_are_exact_fractions(tmp_path: Path) -> None:
    text = GOOD.replace("unit: vnd", "unit: rate").replace("value: 100", 'value: "0.14"').replace(
        "value: 200", 'value: "0.015"')
    params = load_directory(write(tmp_path, text))
    assert params.value_at("fund.amount", dt.date(2020, 1, 1)) == Fraction(14, 100)
    assert params.value_at("fund.amount", dt.date(2025, 1, 1)) * 2_000_000 == 30_000


def test_factors_are_exact_and_may_exceed_one(tmp_path: Path) -> None:
    text = GOOD.replace("unit: vnd", "unit: factor").replace("value: 100", 'value: "4.78"').replace(
        "value: 200", 'value: "1.5"')
    params = load_directory(write(tmp_path, text))
    assert params.value_at("fund.amount", dt.date(2020, 1, 1)) == Fraction(478, 100)
    negative = GOOD.replace("unit: vnd", "unit: factor").replace("value: 100", 'value: "-1"')
    with pytest.raises(ParameterLoadError, match="0 or more"):
        load_directory(write(tmp_path, negative))


def test_unknown_parameter(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no legal parameter"):
        load_directory(write(tmp_path, GOOD)).value_at("fund.other", dt.date(2024, 1, 1))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace("  2024-07-01:", "  2020-01-01:"), "duplicate key"),
        (lambda t: t.replace("unit: vnd", "unit: euros"), "unit"),
        (lambda t: t.replace("value: 200", "value: 2.5"), "not of unit vnd"),
        (lambda t: t.replace("value: 200", "value: -5"), "negative"),
        (lambda t: t.replace('{instrument: Decree 2/2024/ND-CP, article: "art. 2"}', "{}"), "source"),
        (lambda t: t.replace("  2024-07-01:", "  2024-13-01:"), "ISO date"),
        (lambda t: t + "extra: 1\n", "unknown keys"),
        (lambda t: t.replace("    value: 200\n", "    value: 200\n    amount: 3\n"), "unknown keys"),
        (lambda _: "values: [", "amount"),
        (lambda t: t.replace("unit: vnd", "unit: rate").replace("value: 100", 'value: "0.1"')
         .replace("value: 200", "value: 0.2"), "must be quoted"),
        (lambda t: t.replace("unit: vnd", "unit: rate").replace("value: 100", 'value: "1.5"')
         .replace("value: 200", 'value: "0.2"'), "outside 0..1"),
        (lambda t: t.replace("unit: vnd", "unit: rate").replace("value: 100", 'value: "a"'), "not a number"),
    ],
)
def test_bad_files_name_the_file_and_the_key(tmp_path: Path, change: object, message: str) -> None:
    text = change(GOOD)  # type: ignore[operator]
    with pytest.raises(ParameterLoadError, match=message) as caught:
        load_directory(write(tmp_path, text))
    assert "fund.amount" in str(caught.value)
    assert "amount.yaml" in str(caught.value)


def test_shipped_parameters_load_and_have_sources() -> None:
    params = default_parameters()
    for key, parameter in params.parameters.items():
        for dated in parameter.values:
            assert dated.source.instrument, key
    assert params.value_at("labour.minimum_wage.region_1", dt.date(2025, 12, 31)) == 4_960_000
    assert params.value_at("labour.minimum_wage.region_4", dt.date(2026, 1, 1)) == 3_700_000
    assert params.value_at("si.base_salary", dt.date(2026, 6, 30)) == 2_340_000
    assert params.value_at("si.base_salary", dt.date(2026, 7, 1)) == 2_530_000
