"""The one strict YAML reader every data file goes through."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from ansinh.core import strict_yaml


def test_a_key_given_twice_is_refused_naming_it_and_its_line() -> None:
    with pytest.raises(strict_yaml.DuplicateKeyError) as caught:
        strict_yaml.load("a: 1\nb:\n  c: 2\n  c: 3\n")
    assert (caught.value.key, caught.value.line) == ("c", 4)
    assert "duplicate key 'c' at line 4" in str(caught.value)
    assert isinstance(caught.value, yaml.YAMLError)


def test_dates_are_read_or_left_as_text() -> None:
    assert strict_yaml.load("day: 2026-01-01") == {"day": dt.date(2026, 1, 1)}
    assert strict_yaml.load("day: 2026-02-30", dates_as_text=True) == {"day": "2026-02-30"}


def test_only_safe_tags() -> None:
    with pytest.raises(yaml.YAMLError):
        strict_yaml.load("!!python/object/apply:os.system ['true']")
