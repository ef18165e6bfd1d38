"""The contribution rules shared by the scalar and the batch calculators.

One table says who pays what into which fund on which base, and which parameter holds the
rate; both shapes read it, so the national batch and a citizen's quote cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from ansinh.core.errors import InvalidInput
from ansinh.law.params import ParameterSet


class Sector(StrEnum):
    ENTERPRISE = "enterprise"
    """Salary set by the employer."""
    STATE = "state"
    """Salary on the State's pay scale."""


class Base(StrEnum):
    SI = "si"
    HI = "hi"
    UI = "ui"


@dataclass(frozen=True)
class Share:
    """A payer's share of one fund: ``rate_key`` applied to the ``base``."""

    payer: str
    fund: str
    rate_key: str
    base: Base
    label: str
    label_vi: str


COMPULSORY_SHARES: tuple[Share, ...] = (
    Share("employer", "retirement_survivor", "si.rates.retirement_survivor.employer", Base.SI,
          "Employer, retirement and survivorship fund", "Đơn vị đóng quỹ hưu trí, tử tuất"),
    Share("employer", "sickness_maternity", "si.rates.sickness_maternity.employer", Base.SI,
          "Employer, sickness and maternity fund", "Đơn vị đóng quỹ ốm đau, thai sản"),
    Share("employer", "work_injury", "si.rates.work_injury.employer", Base.SI,
          "Employer, work injury and occupational disease fund", "Đơn vị đóng quỹ TNLĐ-BNN"),
    Share("employer", "unemployment", "ui.rates.employer", Base.UI,
          "Employer, unemployment insurance", "Đơn vị đóng bảo hiểm thất nghiệp"),
    Share("employer", "health", "hi.rates.employer", Base.HI,
          "Employer, health insurance", "Đơn vị đóng bảo hiểm y tế"),
    Share("employee", "retirement_survivor", "si.rates.retirement_survivor.employee", Base.SI,
          "Employee, retirement and survivorship fund", "Người lao động đóng quỹ hưu trí, tử tuất"),
    Share("employee", "unemployment", "ui.rates.employee", Base.UI,
          "Employee, unemployment insurance", "Người lao động đóng bảo hiểm thất nghiệp"),
    Share("employee", "health", "hi.rates.employee", Base.HI,
          "Employee, health insurance", "Người lao động đóng bảo hiểm y tế"),
    Share("state", "unemployment", "ui.rates.state", Base.UI,
          "State budget, unemployment insurance", "Ngân sách nhà nước hỗ trợ bảo hiểm thất nghiệp"),
)
REDUCED_WORK_INJURY_KEY = "si.rates.work_injury.employer_reduced"
MINIMUM_WAGE_KEY = "labour.minimum_wage.region_{region}"
BASE_SALARY_KEY = "si.base_salary"


STATE_SECTOR_KEYS = {
    "si.rates.work_injury.employer": "si.rates.work_injury.employer_state",
    "ui.rates.employer": "ui.rates.employer_state",
}
"""Rates that differ for employers paying on the State pay scale: the 2021-2022 COVID reliefs
(Resolutions 68/NQ-CP and 116/NQ-CP) did not apply to State agencies and budget-funded units."""


def rate_key(share: Share, *, reduced_work_injury: bool, sector: Sector = Sector.ENTERPRISE) -> str:
    """The parameter holding ``share``'s rate: the reduced work-injury rate when it applies, the
    State-sector rate where one exists, the general rate otherwise."""
    if share.fund == "work_injury" and reduced_work_injury:
        return REDUCED_WORK_INJURY_KEY
    if sector == Sector.STATE:
        return STATE_SECTOR_KEYS.get(share.rate_key, share.rate_key)
    return share.rate_key


def minimum_wage_key(region: int | None) -> str:
    """The regional minimum wage parameter; a region is needed and must be 1 to 4."""
    if region is None or not 1 <= region <= 4:
        raise InvalidInput(
            f"region {region!r} is not 1 to 4", code="region.invalid", field="region",
            rule="the minimum-wage region of the workplace is 1, 2, 3 or 4",
        )
    return MINIMUM_WAGE_KEY.format(region=region)


@dataclass(frozen=True)
class Limits:
    """The floor and ceilings of the contribution bases in one month, with where they come from."""

    floor: int
    floor_key: str
    si_ceiling: int
    hi_ceiling: int
    ui_ceiling: int
    ui_ceiling_key: str


def compulsory_limits(
    params: ParameterSet, month: dt.date, *, region: int | None, sector: Sector
) -> Limits:
    """Floor and ceilings for a compulsory contribution in ``month``.

    Floor: the regional minimum wage for employer-set pay until 2025-06-30 (none for the
    State pay scale, whose lowest step is set by the State), the reference level from
    2025-07-01 (Law 41/2024 art. 31(1)(đ)); the reference level equals the base salary while
    the base salary exists (art. 141(13)). Ceilings: 20 × base salary (SI, HI); 20 × the
    regional minimum wage for UI (20 × base salary for the State pay scale until 2025-12-31).
    """
    base_salary = int(params.value_at(BASE_SALARY_KEY, month))
    state_scale_ui = params.value_at("ui.base.ceiling_basis_state_scale", month)
    if sector == Sector.ENTERPRISE or state_scale_ui == "regional_minimum_wage":
        ui_key = minimum_wage_key(region)
    else:
        ui_key = BASE_SALARY_KEY
    if params.value_at("si.base.floor_basis", month) == "reference_level":
        floor_key: str | None = BASE_SALARY_KEY
    elif sector == Sector.ENTERPRISE:
        floor_key = minimum_wage_key(region)
    else:
        floor_key = None
    return Limits(
        floor=int(params.value_at(floor_key, month)) if floor_key else 0,
        floor_key=floor_key or "si.base.floor_basis",
        si_ceiling=int(params.value_at("si.base.ceiling_multiple", month)) * base_salary,
        hi_ceiling=int(params.value_at("hi.base.ceiling_multiple", month)) * base_salary,
        ui_ceiling=int(params.value_at("ui.base.ceiling_multiple", month)) * int(params.value_at(ui_key, month)),
        ui_ceiling_key=ui_key,
    )


def rate(params: ParameterSet, key: str, month: dt.date) -> Fraction:
    """A rate or factor parameter as an exact fraction."""
    value = params.value_at(key, month)
    return value if isinstance(value, Fraction) else Fraction(value)
