"""Dates typed into the pages' forms."""

from __future__ import annotations

import datetime as dt

import pytest

from ansinh.core.errors import InvalidInput
from ansinh.web.forms import form_date

TODAY = dt.date(2026, 11, 24)


def test_an_empty_field_takes_the_default_and_a_date_is_read() -> None:
    assert form_date("  ", default=TODAY, field="start") == TODAY
    assert form_date(" 2026-01-31 ", default=TODAY, field="start") == dt.date(2026, 1, 31)


@pytest.mark.parametrize("text", ["31/01/2026", "2026-02-30", "yesterday"])
def test_anything_else_names_the_field(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        form_date(text, default=TODAY, field="end")
    assert (refused.value.code, refused.value.field) == ("date.format", "end")
