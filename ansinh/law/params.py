"""Load and look up effective-dated legal parameters.

One YAML file per parameter under ``law/parameters/``; its path is the dotted key
(``labour/minimum_wage/region_1.yaml`` is ``labour.minimum_wage.region_1``). Each file has a
``description``, a ``unit`` and ``values``: a map from the ISO date a value takes effect to
``{value, source: {instrument, article, note?}}``; ``value: null`` means repealed.

The loader is strict because a silently wrong rate is the worst bug a benefits system can
have: a duplicate key, an unknown key, a missing source, a bad date or a value of the
wrong unit stops the load with an error naming the file and the key. Lookups before a
parameter starts (or after it is repealed) raise :class:`ParameterNotInForce`; they never
answer 0.

>>> params = default_parameters()
>>> import datetime as dt
>>> params.value_at("labour.minimum_wage.region_1", dt.date(2026, 1, 1))
5310000
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ansinh.core import strict_yaml
from ansinh.core.errors import NotFound, ParameterLoadError, ParameterNotInForce

PARAMETERS_DIR = Path(__file__).parent / "parameters"

UNITS: dict[str, tuple[type, ...]] = {
    "vnd": (int,),
    "rate": (int, str),
    "factor": (int, str),
    "years": (int, float),
    "months": (int,),
    "days": (int,),
    "count": (int,),
    "bool": (bool,),
    "code": (str,),
}
EXACT_UNITS = frozenset({"rate", "factor"})
"""Units read as exact fractions: a rate is a share (0..1), a factor any multiplier (1.5 months)."""
_FILE_KEYS = {"description", "unit", "values", "reference"}
_VALUE_KEYS = {"value", "source"}
_SOURCE_KEYS = {"instrument", "article", "note", "url"}


@dataclass(frozen=True)
class Source:
    """Where a value comes from: the instrument, its article, and any caveat."""

    instrument: str
    article: str
    note: str | None = None


@dataclass(frozen=True)
class DatedValue:
    starts: dt.date
    value: Any
    source: Source


@dataclass(frozen=True)
class Parameter:
    """One parameter: its unit and its values over time, oldest first."""

    key: str
    description: str
    unit: str
    values: tuple[DatedValue, ...]

    def entry_at(self, as_of: dt.date) -> DatedValue:
        """The dated value in force on ``as_of``."""
        index = bisect_right([v.starts for v in self.values], as_of) - 1
        if index < 0 or self.values[index].value is None:
            raise ParameterNotInForce(
                f"{self.key} is not in force on {as_of.isoformat()}",
                code="law.parameter_not_in_force",
                field="as_of",
                rule=f"{self.key} applies from {self.values[0].starts.isoformat()}",
            )
        return self.values[index]


def _fail(path: Path, key: str, message: str) -> ParameterLoadError:
    return ParameterLoadError(f"{path}: {key}: {message}")


def _parse_source(path: Path, key: str, raw: Any) -> Source:
    if not isinstance(raw, dict) or not raw.get("instrument") or not raw.get("article"):
        raise _fail(path, key, "every value needs source.instrument and source.article")
    unknown = set(raw) - _SOURCE_KEYS
    if unknown:
        raise _fail(path, key, f"unknown source keys {sorted(unknown)}")
    return Source(str(raw["instrument"]), str(raw["article"]), raw.get("note"))


def _parse_date(path: Path, key: str, raw: Any) -> dt.date:
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError as exc:
        raise _fail(path, key, f"{raw!r} is not an ISO date") from exc


def _as_fraction(path: Path, key: str, unit: str, value: Any) -> Fraction:
    """A rate (0..1) or a factor (0 or more) written as an integer or a quoted decimal, exactly."""
    try:
        number = Fraction(value)
    except (ValueError, ZeroDivisionError) as exc:
        raise _fail(path, key, f"{unit} {value!r} is not a number") from exc
    if number < 0 or (unit == "rate" and number > 1):
        raise _fail(path, key, f"{unit} {value!r} is outside {'0..1' if unit == 'rate' else '0 or more'}")
    return number


def _check_unit(path: Path, key: str, unit: str, value: Any) -> None:
    if value is None:
        return
    if unit == "rate" and isinstance(value, float):
        raise _fail(path, key, f"rate {value!r} must be quoted (\"{value}\") so that it is exact")
    allowed = UNITS[unit]
    if isinstance(value, bool) and bool not in allowed:
        raise _fail(path, key, f"value {value!r} is not of unit {unit}")
    if not isinstance(value, allowed):
        raise _fail(path, key, f"value {value!r} is not of unit {unit}")
    if unit == "vnd" and isinstance(value, int) and value < 0:
        raise _fail(path, key, f"amount {value} is negative")


def _dated_value(path: Path, key: str, unit: str, raw_date: Any, entry: Any) -> DatedValue:
    starts = _parse_date(path, key, raw_date)
    if not isinstance(entry, dict) or "value" not in entry:
        raise _fail(path, key, f"{starts}: each date maps to {{value, source}}")
    if set(entry) - _VALUE_KEYS:
        raise _fail(path, key, f"{starts}: unknown keys {sorted(set(entry) - _VALUE_KEYS)}")
    value = entry["value"]
    _check_unit(path, key, unit, value)
    if unit in EXACT_UNITS and value is not None:
        value = _as_fraction(path, key, unit, value)
    return DatedValue(starts, value, _parse_source(path, key, entry.get("source")))


def load_parameter(path: Path, key: str) -> Parameter:
    """Parse and validate one parameter file."""
    try:
        raw = strict_yaml.load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise _fail(path, key, str(exc)) from exc
    except ValueError as exc:  # YAML's own date parsing of e.g. 2024-13-01
        raise _fail(path, key, f"a date is not a valid ISO date ({exc})") from exc
    if not isinstance(raw, dict):
        raise _fail(path, key, "the file must be a mapping")
    unknown = set(raw) - _FILE_KEYS
    if unknown:
        raise _fail(path, key, f"unknown keys {sorted(unknown)}")
    unit = raw.get("unit")
    if unit not in UNITS:
        raise _fail(path, key, f"unit {unit!r} is not one of {sorted(UNITS)}")
    values = raw.get("values")
    if not isinstance(values, dict) or not values:
        raise _fail(path, key, "values must be a non-empty map of date to value")
    dated = [_dated_value(path, key, unit, raw_date, entry) for raw_date, entry in values.items()]
    dated.sort(key=lambda v: v.starts)
    return Parameter(key, str(raw.get("description", "")), unit, tuple(dated))


@dataclass(frozen=True)
class ParameterSet:
    """All parameters, by dotted key."""

    parameters: dict[str, Parameter]

    def get(self, key: str) -> Parameter:
        try:
            return self.parameters[key]
        except KeyError:
            raise NotFound(
                f"no legal parameter {key!r}", code="law.unknown_parameter", field="key",
                rule="parameters are defined in law/parameters",
            ) from None

    def value_at(self, key: str, as_of: dt.date) -> Any:
        """The value of ``key`` in force on ``as_of``."""
        return self.get(key).entry_at(as_of).value

    def source_at(self, key: str, as_of: dt.date) -> Source:
        """The legal source of the value of ``key`` in force on ``as_of``."""
        return self.get(key).entry_at(as_of).source


def load_directory(directory: Path) -> ParameterSet:
    """Load every ``*.yaml`` under ``directory`` as a parameter."""
    parameters: dict[str, Parameter] = {}
    for path in sorted(directory.rglob("*.yaml")):
        key = ".".join(path.relative_to(directory).with_suffix("").parts)
        parameters[key] = load_parameter(path, key)
    return ParameterSet(parameters)


@lru_cache(maxsize=1)
def default_parameters() -> ParameterSet:
    """The parameters shipped with ansinh, loaded and validated once."""
    return load_directory(PARAMETERS_DIR)


def value_at(key: str, as_of: dt.date) -> Any:
    """Shorthand for ``default_parameters().value_at(key, as_of)``."""
    return default_parameters().value_at(key, as_of)
