"""The public contract of ``ansinh quote`` (QUOTE.md): one JSON case in, one JSON result out.

Names and meanings here are a published contract: add fields, never rename them. Unknown
fields are refused, so that a misspelt field is an error rather than a silently ignored one.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator, model_validator

from ansinh.core.periods import parse_month

MonthText = Annotated[str, Field(pattern=r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])$", examples=["2026-03"])]
Amount = Annotated[StrictInt, Field(ge=0, le=999_999_999_999)]


class Regime(StrEnum):
    CONTRIBUTION = "contribution"
    PENSION = "pension"
    LUMP_SUM_WITHDRAWAL = "lump_sum_withdrawal"
    SICKNESS = "sickness"
    MATERNITY = "maternity"
    WORK_INJURY = "work_injury"
    SURVIVOR = "survivor"
    UNEMPLOYMENT = "unemployment"
    HI_COST_SHARE = "hi_cost_share"
    SOCIAL_PENSION = "social_pension"
    RETIREMENT_ALLOWANCE = "retirement_allowance"
    PENSION_INDEXATION = "pension_indexation"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Person(_Strict):
    sex: Literal["male", "female"]
    birth_date: dt.date


class HistoryPeriod(_Strict):
    """Contribution months, inclusive, at one monthly salary."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    start: MonthText = Field(alias="from")
    end: MonthText = Field(alias="to")
    salary: Amount
    scheme: Literal["compulsory", "voluntary"] = "compulsory"
    sector: Literal["enterprise", "state"] = "enterprise"
    region: Annotated[int, Field(ge=1, le=4)] | None = None
    hazardous: bool = False
    funds: list[str] | None = None

    @model_validator(mode="after")
    def _in_order(self) -> HistoryPeriod:
        if parse_month(self.end) < parse_month(self.start):
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")
        return self


class QuoteCase(_Strict):
    """A case: the regime, the date it arises, the person, the history, the regime's fields."""

    regime: Regime
    as_of: dt.date
    person: Person | None = None
    history: list[HistoryPeriod] = Field(default_factory=list)
    # contribution
    month: MonthText | None = None
    salary: Amount | None = None
    scheme: Literal["compulsory", "voluntary"] | None = None
    region: Annotated[int, Field(ge=1, le=4)] | None = None
    sector: Literal["enterprise", "state"] | None = None
    reduced_work_injury_rate: bool = False
    household_member_index: Annotated[int, Field(ge=1, le=50)] | None = None
    support_group: Literal["poor", "near_poor", "ethnic_minority", "other"] | None = None
    # other regimes' fields, validated by their calculators
    early_reason: Literal["none", "reduced_capacity", "hazardous"] | None = None
    days: Annotated[int, Field(ge=0, le=366)] | None = None
    days_used_this_year: Annotated[int, Field(ge=0, le=366)] | None = None
    kind: str | None = None
    child_age_months: Annotated[int, Field(ge=0, le=216)] | None = None
    event: Literal["childbirth", "paternity", "miscarriage", "prenatal"] | None = None
    children: Annotated[int, Field(ge=1, le=10)] | None = None
    loss_percent: Annotated[int, Field(ge=0, le=100)] | None = None
    died: bool | None = None
    dependants: list[dict[str, Any]] | None = None
    total_cost: Amount | None = None
    benefit_level: Annotated[int, Field(ge=1, le=5)] | None = None
    route: Literal["correct", "referral", "self"] | None = None
    facility_level: Literal["central", "provincial", "basic", "primary"] | None = None
    inpatient: bool | None = None
    five_years_continuous: bool | None = None
    copay_paid_this_year: Amount | None = None
    # maternity: weeks of pregnancy at a miscarriage, abortion or stillbirth
    pregnancy_weeks: Annotated[int, Field(ge=1, le=45)] | None = None
    # survivor: who died and of what; for a pensioner or a monthly work-injury recipient,
    # the monthly amount they received and for how many months
    deceased: Literal["contributor", "pensioner", "work_injury_recipient"] | None = None
    work_related_death: bool | None = None
    monthly_received: Amount | None = None
    months_received: Annotated[int, Field(ge=0, le=1200)] | None = None
    lump_sum_chosen: bool | None = None
    # social pension, retirement allowance, pension indexation
    poor_household: bool | None = None
    monthly_pension: Amount | None = None
    pension_start: dt.date | None = None

    @field_validator("history")
    @classmethod
    def _history_in_order(cls, history: list[HistoryPeriod]) -> list[HistoryPeriod]:
        previous: HistoryPeriod | None = None
        for index, period in enumerate(history):
            if previous is not None and parse_month(period.start) <= parse_month(previous.end):
                raise ValueError(
                    f"history[{index}] starts {period.start}, not after the previous period's end {previous.end}"
                    " (periods are oldest first and do not overlap)"
                )
            previous = period
        return history


class Reason(BaseModel):
    code: str
    message: str


class ExplanationLine(BaseModel):
    label: str
    label_vi: str
    value: str
    basis: str


class QuoteResult(BaseModel):
    regime: Regime
    as_of: dt.date
    eligible: bool
    reasons: list[Reason]
    amounts: dict[str, Any]
    explanation: list[ExplanationLine]
