"""The normal retirement age by birth date and sex, on the Decree 135/2020/ND-CP roadmap.

Labour Code 45/2019/QH14 art. 169(2) and Decree 135/2020 art. 4(1): from the roadmap's first
year (``si.retirement_age.start_year``) the age is ``start_age_months`` and grows by
``step_months`` each calendar year up to ``final_age_months``, each by sex. Before the first
year the age was one step lower (60 for men, 55 for women). The age that applies is the one
of the calendar year in which the worker reaches it (si.md §4, Decree 135 Appendix I); the
worker is of retirement age from the month in which it is reached (the retirement point is
the end of that month, Decree 135 art. 3).

Nothing here is a typed table: the table of si.md §4 is what these parameters produce.

>>> import datetime as dt
>>> from ansinh.law import default_parameters
>>> age = normal_retirement_age(default_parameters(), "male", dt.date(1964, 10, 5), dt.date(2026, 5, 1))
>>> format_age(age.months), age.reached.isoformat()
('61y6m', '2026-04-01')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from ansinh.core.errors import InvalidInput
from ansinh.core.periods import add_months, month_start
from ansinh.law.params import ParameterSet
from ansinh.rules.explain import basis

Sex = Literal["male", "female"]
START_YEAR_KEY = "si.retirement_age.start_year"


def _key(sex: Sex, name: str) -> str:
    return f"si.retirement_age.{sex}.{name}"


@dataclass(frozen=True)
class RetirementAge:
    """The normal retirement age in months and the month in which it is reached."""

    months: int
    reached: dt.date
    basis: str


def format_age(months: int) -> str:
    """An age or a duration in months as ``61y6m``."""
    return f"{months // 12}y{months % 12}m"


def age_for_year(params: ParameterSet, sex: Sex, year: int, day: dt.date) -> int:
    """The normal retirement age, in months, for workers reaching it in calendar ``year``."""
    start_year = int(params.value_at(START_YEAR_KEY, day))
    start = int(params.value_at(_key(sex, "start_age_months"), day))
    step = int(params.value_at(_key(sex, "step_months"), day))
    final = int(params.value_at(_key(sex, "final_age_months"), day))
    if year < start_year:
        return start - step
    return min(start + step * (year - start_year), final)


def normal_retirement_age(params: ParameterSet, sex: Sex, birth_date: dt.date, day: dt.date) -> RetirementAge:
    """The normal retirement age of a worker born on ``birth_date``, by the law in force on ``day``.

    The year it applies is the first calendar year ``y`` in which ``birth + age(y)`` falls; since
    the age grows by less than a year each year, ``year(birth + age(y)) - y`` never rises and
    falls by at most one, so that first year exists and is found by walking forward from the
    first year the lowest age could be reached.
    """
    if sex not in ("male", "female"):
        raise InvalidInput(f"sex {sex!r} is not male or female", code="sex.invalid", field="person.sex",
                           rule="sex is male or female")
    if birth_date > day:
        raise InvalidInput(f"born {birth_date.isoformat()}, after {day.isoformat()}", code="birth_date.future",
                           field="person.birth_date", rule="a worker is born before the case arises")
    birth_month = month_start(birth_date)
    lowest = age_for_year(params, sex, 0, day)  # the age before the roadmap, the lowest it has been
    year = birth_date.year + lowest // 12  # no earlier year can be reached: birth + lowest is later
    while True:
        months = age_for_year(params, sex, year, day)
        reached = add_months(birth_month, months)
        if reached.year <= year:
            keys = (START_YEAR_KEY, _key(sex, "start_age_months"))
            return RetirementAge(months, reached, "; ".join(dict.fromkeys(basis(params, k, day) for k in keys)))
        year += 1


def age_in_months(birth_date: dt.date, day: dt.date) -> int:
    """Whole months of age on ``day``."""
    months = (day.year - birth_date.year) * 12 + day.month - birth_date.month
    return months - (1 if day.day < birth_date.day else 0)


__all__ = ["RetirementAge", "Sex", "age_for_year", "age_in_months", "format_age", "normal_retirement_age"]
