"""HI participant group codes (the first two letters of the legacy HI card).

The list and the category of each code follow Decision 1351/QD-BHXH (2015) as summarised in
the team's law sheet; the full lists for some categories are not verified (see
``data/hi_groups.csv``). A participation's scheme must fit its group's category: an
employee-and-employer group is covered by the compulsory scheme, and no other group is.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from ansinh.core.errors import InvalidInput
from ansinh.registry.models import Scheme

EMPLOYEE_EMPLOYER = "employee_employer"


@lru_cache(maxsize=1)
def hi_group_categories() -> dict[str, str]:
    """Each known group code with its category."""
    path = Path(__file__).parent / "data" / "hi_groups.csv"
    with path.open(encoding="utf-8") as handle:
        return {row["code"]: row["category"] for row in csv.DictReader(handle)}


def validate_hi_group(code: str, scheme: Scheme, *, field: str = "hi_group_code") -> str:
    """Check the group code exists and fits the scheme."""
    categories = hi_group_categories()
    if code not in categories:
        raise InvalidInput(
            f"{code!r} is not an HI participant group code", code="hi_group.unknown", field=field,
            rule="group codes follow Decision 1351/QD-BHXH",
        )
    is_employee = categories[code] == EMPLOYEE_EMPLOYER
    if (scheme == Scheme.COMPULSORY) != is_employee:
        raise InvalidInput(
            f"group {code} ({categories[code]}) does not fit the {scheme.value} scheme",
            code="hi_group.scheme", field=field,
            rule="employee-and-employer groups are exactly the compulsory scheme's",
        )
    return code
