"""The chart of accounts and the funds, read once from ``data/chart.yaml``.

The chart is data, like the law: a new account or a corrected code is a change to the YAML
file, with its source. The reader is strict: a key given twice, an unknown key, a missing
field, an unknown fund or kind, or a code listed twice stops the load with an error naming
the file and the key, so a wrong chart never ships.

>>> default_chart()["112"].kind
<AccountKind.ASSET: 'asset'>
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ansinh.core import strict_yaml

CHART_FILE = Path(__file__).parent / "data" / "chart.yaml"
ALL_FUNDS = "all"


class Fund(StrEnum):
    """The component funds, each with books that balance on their own (Luật BHXH 2024, Điều 116)."""

    RETIREMENT_SURVIVOR = "retirement_survivor"
    """Quỹ hưu trí và tử tuất."""
    SICKNESS_MATERNITY = "sickness_maternity"
    """Quỹ ốm đau và thai sản."""
    WORK_INJURY = "work_injury"
    """Quỹ bảo hiểm tai nạn lao động, bệnh nghề nghiệp."""
    UNEMPLOYMENT = "unemployment"
    """Quỹ bảo hiểm thất nghiệp."""
    HEALTH = "health"
    """Quỹ bảo hiểm y tế."""
    COLLECTION = "collection"
    """Tài khoản chuyên thu: money received from payers and not yet allocated to a fund.

    Not a fund of the law but the collection account in front of them; its books balance on
    their own like a fund's, and allocation moves money out of it into the funds."""


INSURANCE_FUNDS = tuple(f for f in Fund if f is not Fund.COLLECTION)
"""The funds of the law (what ``all`` means in the chart)."""


class AccountKind(StrEnum):
    """Where an account stands in the statements; debit-normal for assets and expenses."""

    ASSET = "asset"
    LIABILITY = "liability"
    NET_ASSETS = "net_assets"
    REVENUE = "revenue"
    EXPENSE = "expense"


class Account(BaseModel):
    """One account of the chart and the funds it may be used with."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[0-9]{3,6}$")
    name_vi: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    kind: AccountKind
    funds: tuple[Fund, ...]
    source: str = Field(min_length=1)
    unverified: bool = False

    @field_validator("funds", mode="before")
    @classmethod
    def _expand_all(cls, value: Any) -> Any:
        if isinstance(value, list) and not value:
            raise ValueError("an account is used with at least one fund")
        if isinstance(value, list) and ALL_FUNDS in value:
            return (*INSURANCE_FUNDS, *(v for v in value if v != ALL_FUNDS))
        return value

    def allows(self, fund: Fund) -> bool:
        """Whether lines of this account may carry ``fund``."""
        return fund in self.funds


class ChartLoadError(Exception):
    """The chart file is malformed; raised at load so a wrong chart never ships."""


def _invalid(path: Path, index: int, exc: ValidationError) -> ChartLoadError:
    first = exc.errors()[0]
    key = ".".join(str(part) for part in first["loc"]) or "(entry)"
    kind = "unknown key" if first["type"] == "extra_forbidden" else first["msg"]
    return ChartLoadError(f"{path}: accounts.{index}.{key}: {kind}")


def load_chart(path: Path = CHART_FILE) -> dict[str, Account]:
    """Read and check the chart; the accounts by code, in file order."""
    try:
        raw = strict_yaml.load(path.read_text(encoding="utf-8"), dates_as_text=True)
    except yaml.YAMLError as exc:
        raise ChartLoadError(f"{path}: {exc}") from None
    if not isinstance(raw, dict) or set(raw) != {"accounts"} or not isinstance(raw["accounts"], list):
        raise ChartLoadError(f"{path}: accounts: the file holds one key, accounts, a list")
    chart: dict[str, Account] = {}
    for index, item in enumerate(raw["accounts"]):
        try:
            account = Account.model_validate(item)
        except ValidationError as exc:
            raise _invalid(path, index, exc) from None
        if account.code in chart:
            raise ChartLoadError(f"{path}: accounts.{index}.code: {account.code!r} is given twice")
        chart[account.code] = account
    if not chart:
        raise ChartLoadError(f"{path}: accounts: the chart has no accounts")
    return chart


@lru_cache(maxsize=1)
def default_chart() -> dict[str, Account]:
    """The chart shipped with ansinh, read once."""
    return load_chart()
