"""The input and output of the contribution calculator."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ansinh.rules.contribution_law import Sector
from ansinh.rules.explain import Line

PAYERS = ("employer", "employee", "state")


@dataclass(frozen=True)
class ContributionCase:
    """One person's month. ``month`` is the first day of the month contributed for."""

    month: dt.date
    salary: int
    scheme: str = "compulsory"
    region: int | None = None
    sector: Sector = Sector.ENTERPRISE
    reduced_work_injury_rate: bool = False
    household_member_index: int | None = None
    support_group: str = "other"


@dataclass
class ContributionResult:
    bases: dict[str, int]
    shares: dict[str, dict[str, int]]
    explanation: list[Line] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(sum(amounts.values()) for amounts in self.shares.values())

    def amounts(self) -> dict[str, object]:
        """The amounts as ``ansinh quote`` publishes them (each payer with its total)."""
        result: dict[str, object] = {"bases": dict(self.bases)}
        for payer in PAYERS:
            amounts = dict(self.shares.get(payer, {}))
            if payer != "state":
                amounts["total"] = sum(amounts.values())
            result[payer] = amounts
        result["total"] = self.total
        return result
