"""The history checks every regime shares."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from ansinh.core.errors import InvalidInput
from ansinh.rules.history import check_history


@dataclass(frozen=True)
class P:
    start: dt.date
    end: dt.date
    salary: int = 5_000_000
    index: int | None = None


JAN, JUN, DEC = dt.date(2024, 1, 1), dt.date(2024, 6, 1), dt.date(2024, 12, 1)


@pytest.mark.parametrize(
    ("periods", "code", "field"),
    [
        ([P(JAN, JUN, salary=-1)], "salary.negative", "history.0.salary"),
        ([P(JUN, JAN)], "period.reversed", "history.0.to"),
        ([P(JAN, JUN), P(JUN, DEC)], "history.order", "history.1.from"),
        ([P(JUN, dt.date(2024, 9, 1)), P(JAN, JUN, index=7)], "history.order", "history.7.from"),
        ([P(JAN, DEC)], "history.after_death", "history.0.to"),
    ],
)
def test_refusals_name_the_period_and_field(periods: list[P], code: str, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_history(periods, event=dt.date(2024, 11, 30), code="history.after_death", event_name="the death")
    assert (caught.value.code, caught.value.field) == (code, field)


def test_a_history_not_bounded_by_its_event_may_go_on() -> None:
    check_history([P(JAN, JUN), P(dt.date(2024, 7, 1), dt.date(2030, 1, 1))])
