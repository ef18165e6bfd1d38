"""Tables of compliance inspection: cases and their findings.

An inspector opens a case on an employer (usually from the top of the risk list, whose
score and reasons are kept on the case as they were that day), records findings (a worker
not declared, a salary declared below what was paid), and closes it. Closing declares the
findings on the employer's behalf as one declaration (source ``inspection``): the same
checks and the same re-assessment as any back-dated declaration, so the extra dues, the
ledger entries and the interest follow from the original months' deadlines.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ansinh.db.base import Base, UtcDateTime


class CaseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class FindingKind(StrEnum):
    UNDECLARED_WORKER = "undeclared_worker"
    """A worker who should have been declared from ``from_month``."""
    UNDER_DECLARED_SALARY = "under_declared_salary"
    """A salary declared below what was paid, from ``from_month``."""


class InspectionCase(Base):
    __tablename__ = "inspection_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    status: Mapped[CaseStatus] = mapped_column(String(8))
    opened_on: Mapped[dt.date] = mapped_column(Date)
    opened_by: Mapped[str] = mapped_column(String(64))
    risk_score: Mapped[int] = mapped_column(Integer)
    risk_reasons: Mapped[list[dict[str, object]]] = mapped_column(JSON)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_by: Mapped[str | None] = mapped_column(String(64))
    conclusion: Mapped[str | None] = mapped_column(String(2000))
    declaration_id: Mapped[int | None] = mapped_column(ForeignKey("declaration.id"))
    """The declaration that carried the findings into the registry when the case closed."""
    version: Mapped[int] = mapped_column(Integer, default=1)
    opened_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class InspectionFinding(Base):
    __tablename__ = "inspection_finding"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("inspection_case.id"), index=True)
    kind: Mapped[FindingKind] = mapped_column(String(24))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    from_month: Mapped[dt.date] = mapped_column(Date)
    salary: Mapped[int] = mapped_column(BigInteger)
    """The salary that should have been declared."""
    note: Mapped[str] = mapped_column(String(1000))
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(64))
