"""Types at the edge of arrears and compliance: ageing, interest runs, reminders, risk scores, cases.

Amounts are integer đồng; dates are ISO dates; every decision (a status, a score, a charge)
carries its reason and the article of the law it rests on, so a page, the CLI and the API
can each say *why* without recomputing anything.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from ansinh.collection.compliance_models import CaseStatus, FindingKind

# ----------------------------------------------------------------------------- arrears


class AgeingRow(BaseModel):
    """One employer's unpaid dues by age, its unpaid interest and its status."""

    employer_id: int
    unit_code: str
    name: str
    not_yet_due: int
    """Unpaid dues whose deadline has not passed."""
    days_1_30: int
    days_31_60: int
    days_61_90: int
    days_91_180: int
    over_180: int
    unpaid: int
    """All unpaid dues, due or not yet due."""
    overdue: int
    """Unpaid dues past their deadline (the sum of the five age buckets)."""
    interest_unpaid: int
    oldest_unpaid_month: dt.date | None
    max_days_overdue: int
    last_reminder: dt.date | None
    """The last written reminder sent before ``as_of`` (one sent on the day counts from the next)."""
    status: str
    """``current``, ``late`` (chậm đóng) or ``evasion`` (trốn đóng)."""
    reason: str
    legal_basis: str


class AgeingReport(BaseModel):
    """Every employer with something unpaid on ``as_of``, most overdue first, and the totals."""

    as_of: dt.date
    evasion_days: int | None
    """Days after the deadline after which unpaid dues with a reminder are evasion (None before the rule)."""
    employers: int
    rows: list[AgeingRow]
    totals: dict[str, int]


class InterestRunSummary(BaseModel):
    """An interest run: what it charged, in total and per fund; whether it was run before."""

    key: str
    through: dt.date
    rows: int
    """Interest charges written (one per employer, month and fund with a positive difference)."""
    employers: int
    total: int
    funds: dict[str, int]
    ran_at: dt.datetime
    actor: str
    already_run: bool = False
    """The run existed before this call, which wrote nothing."""
    note: str | None = None
    """What the run did not charge and why (days before the daily rate is in force)."""


class ReminderSent(BaseModel):
    """One reminder written: to whom, for how much, and the outbox message that carries it."""

    unit_code: str
    name: str
    sent_on: dt.date
    oldest_month: dt.date
    unpaid: int
    interest: int
    outbox_key: str


class ReminderSummary(BaseModel):
    on: dt.date
    sent: list[ReminderSent]
    skipped_recent: int
    """Employers in arrears that had a reminder in the last ``every_days`` days."""


# ----------------------------------------------------------------------------- risk


class RiskReason(BaseModel):
    """One factor of a score: its points, the figure behind them, and a sentence saying why."""

    model_config = ConfigDict(frozen=True)

    factor: str
    points: float
    figure: float | int | str | None
    sentence: str
    """In Vietnamese, the language the agency writes in."""
    sentence_en: str


class RiskRow(BaseModel):
    employer_id: int
    unit_code: str
    name: str
    industry_code: str
    wage_region: int
    score: int
    unpaid: int
    overdue: int
    status: str
    open_case_id: int | None
    reasons: list[RiskReason]


class RiskList(BaseModel):
    """Employers ranked by score, highest first (ties by unpaid dues, then unit code)."""

    as_of: dt.date
    total: int
    limit: int
    offset: int
    rows: list[RiskRow]


# ----------------------------------------------------------------------------- inspection cases


class FindingIn(BaseModel):
    """A finding as an inspector records it."""

    model_config = ConfigDict(extra="forbid")

    kind: FindingKind
    person_key: str = Field(min_length=1, max_length=20)
    from_month: str = Field(pattern=r"^[0-9]{4}-[0-9]{2}$")
    salary: int = Field(gt=0)
    note: str = Field(default="", max_length=1000)
    version: int | None = None
    """The case's version the inspector saw; a different one is a Conflict (someone else changed it)."""


class CaseOpen(BaseModel):
    model_config = ConfigDict(extra="forbid")

    employer_unit_code: str = Field(min_length=1, max_length=14)


class CaseClose(BaseModel):
    model_config = ConfigDict(extra="forbid")

    conclusion: str = Field(min_length=1, max_length=2000)
    version: int | None = None


class FindingPublic(BaseModel):
    id: int
    kind: FindingKind
    person_id: int
    citizen_id: str
    full_name: str
    from_month: dt.date
    salary: int
    note: str
    recorded_on: dt.date
    recorded_by: str


class ExtraDues(BaseModel):
    """What a closed case's declaration added to one month's dues (all payers), per fund."""

    month: dt.date
    total: int
    funds: dict[str, int]


class CasePublic(BaseModel):
    id: int
    employer_id: int
    unit_code: str
    employer_name: str
    status: CaseStatus
    opened_on: dt.date
    opened_by: str
    risk_score: int
    risk_reasons: list[dict[str, object]]
    closed_on: dt.date | None
    closed_by: str | None
    conclusion: str | None
    declaration_id: int | None
    version: int
    findings: list[FindingPublic] = []
    extra_dues: list[ExtraDues] = []
    extra_total: int = 0


class CaseSummary(BaseModel):
    id: int
    unit_code: str
    employer_name: str
    status: CaseStatus
    opened_on: dt.date
    opened_by: str
    risk_score: int
    findings: int
    closed_on: dt.date | None
    declaration_id: int | None
