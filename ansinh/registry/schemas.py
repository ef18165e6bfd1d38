"""Pydantic types at the registry's edge: API bodies, CLI input and what services return.

Input types validate form only (types, lengths, ranges, dates in order); the service
checks what needs the database or the law (identity against the population register,
communes, overlaps) and the identifier rules, so that the CLI, the API and bulk files all
pass the same checks.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator
from pydantic_core import PydanticCustomError

from ansinh.registry.models import HouseholdRole, OwnershipSector, Scheme, Sex

MAX_SALARY = 999_999_999_999
"""Below a trillion đồng a month: far above any real salary, and totals of it fit 64-bit integers."""
Salary = Annotated[StrictInt, Field(ge=0, le=MAX_SALARY, description="Monthly amount in integer đồng.")]
Month = Annotated[str, Field(pattern=r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])$", examples=["2026-03"])]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*")
    @classmethod
    def _no_nul_characters(cls, value: object) -> object:
        """Text never holds NUL characters (PostgreSQL cannot store them)."""
        if isinstance(value, str) and "\x00" in value:
            raise PydanticCustomError("string_nul", "text must not contain NUL characters")
        return value


class PersonCreate(_Input):
    citizen_id: str = Field(description="12-digit personal identification number.")
    full_name: str = Field(min_length=1, max_length=120)
    birth_date: dt.date
    sex: Sex
    residence_commune_code: str = Field(description="Commune (xã/phường/đặc khu) code in force today.")
    si_number: str | None = Field(default=None, description="Legacy 10-digit SI number, if one was issued.")
    household_code: str | None = Field(default=None, min_length=1, max_length=20)
    household_role: HouseholdRole | None = None


class PersonUpdate(_Input):
    full_name: str | None = Field(default=None, min_length=1, max_length=120)
    residence_commune_code: str | None = None


class EmployerCreate(_Input):
    tax_code: str
    name: str = Field(min_length=1, max_length=200)
    address_commune_code: str
    wage_region: int = Field(ge=1, le=4, description="Minimum-wage region 1-4 of the workplace.")
    wage_region_source: str = Field(
        default="Decree 293/2025/ND-CP, annex",
        max_length=200,
        description="The decree (and annex) that places the workplace in its region.",
    )
    ownership_sector: OwnershipSector
    industry_code: str = Field(pattern=r"^[A-U]$", description="VSIC 2018 section letter A-U.")
    unit_code: str | None = Field(default=None, description="Issued by ansinh when omitted.")


class ParticipationCreate(_Input):
    employer_unit_code: str | None = Field(default=None, description="Omitted for voluntary and HI-only schemes.")
    scheme: Scheme
    hi_group_code: str = Field(pattern=r"^[A-Z]{2}$")
    start_month: Month
    end_month: Month | None = None
    monthly_salary: Salary


class CommuneRef(BaseModel):
    code: str
    name: str
    province_code: str
    province_name: str


class PersonPublic(BaseModel):
    citizen_id: str
    si_number: str | None
    full_name: str
    birth_date: dt.date
    sex: Sex
    birth_province_code: str
    residence: CommuneRef
    household_code: str | None
    household_role: HouseholdRole | None
    death_date: dt.date | None
    registered_on: dt.date


class PersonSummary(BaseModel):
    citizen_id: str
    si_number: str | None
    full_name: str
    birth_date: dt.date
    sex: Sex
    province_name: str


class PersonList(BaseModel):
    items: list[PersonSummary]
    count: int


class EmployerPublic(BaseModel):
    unit_code: str
    tax_code: str
    name: str
    address: CommuneRef
    wage_region: int
    wage_region_source: str
    ownership_sector: OwnershipSector
    industry_code: str
    registered_on: dt.date


class EmployerList(BaseModel):
    items: list[EmployerPublic]
    count: int


class ParticipationPublic(BaseModel):
    id: int
    employer_unit_code: str | None
    employer_name: str | None
    scheme: Scheme
    hi_group_code: str
    start_month: str
    end_month: str | None
    monthly_salary: int
    months: int


class HistoryMonth(BaseModel):
    """One month of a person's participation, per employer or scheme."""

    month: str
    employer_unit_code: str | None
    employer_name: str | None
    scheme: Scheme
    hi_group_code: str
    monthly_salary: int


class PersonFile(BaseModel):
    """What an officer sees of a person: identity, employers and month-by-month history."""

    person: PersonPublic
    employers: list[EmployerPublic]
    participations: list[ParticipationPublic]
    history: list[HistoryMonth]
    total_months: int
    possible_duplicates: list[PersonSummary]


class DuplicateFlagPublic(BaseModel):
    id: int
    person: PersonSummary
    candidate: PersonSummary
    reason: str
    status: str
    raised_on: dt.date


class DeathNoticeIn(_Input):
    citizen_id: str
    death_date: dt.date


class RegistrationResult(BaseModel):
    person: PersonPublic
    duplicate_flags: list[int] = Field(description="Ids of likely-duplicate flags raised for an officer.")
