"""Columnar extracts of the registry for other areas' batch runs.

A national run (the monthly assessment) reads millions of participations: it gets them here
as one Polars frame per partition, read with one query, so that no other area reads the
registry's tables and no run builds a Python object per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl
from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session

from ansinh.registry.models import Employer, Participation, ParticipationSuspension, Scheme

IN_FORCE_SCHEMA = {"participation_id": pl.Int64, "person_id": pl.Int64, "employer_id": pl.Int64,
                   "unit_code": pl.Utf8, "salary": pl.Int64, "region": pl.Int8, "ownership_sector": pl.Utf8}
"""The columns of :func:`compulsory_in_force`: the salary is the declared contribution base,
the region the employer's minimum-wage region."""


def _suspended(month: dt.date) -> ColumnElement[bool]:
    """The participation has a suspension (months without contributions) covering ``month``."""
    return exists().where(
        ParticipationSuspension.participation_id == Participation.id,
        ParticipationSuspension.start_month <= month,
        or_(ParticipationSuspension.end_month.is_(None), ParticipationSuspension.end_month >= month))


def compulsory_in_force(session: Session, *, month: dt.date, partition: int = 0, partitions: int = 1,
                        employer_id: int | None = None) -> pl.DataFrame:
    """Compulsory participations with an employer in force in ``month`` (its first day) and not
    suspended in it, of the employers with ``employer_id % partitions == partition`` (or of the
    one ``employer_id``), by participation id."""
    which = (Participation.employer_id == employer_id if employer_id is not None
             else Participation.employer_id % partitions == partition)
    query = (select(Participation.id, Participation.person_id, Participation.employer_id, Employer.unit_code,
                    Participation.monthly_salary, Employer.wage_region, Employer.ownership_sector)
             .join(Employer, Employer.id == Participation.employer_id)
             .where(and_(Participation.scheme == Scheme.COMPULSORY.value,
                         Participation.start_month <= month,
                         or_(Participation.end_month.is_(None), Participation.end_month >= month),
                         which, ~_suspended(month)))
             .order_by(Participation.id))
    return pl.DataFrame(session.execute(query).all(), schema=IN_FORCE_SCHEMA, orient="row")


EMPLOYER_SCHEMA = {"employer_id": pl.Int64, "unit_code": pl.Utf8, "name": pl.Utf8, "tax_code": pl.Utf8,
                   "industry_code": pl.Utf8, "wage_region": pl.Int64, "address_commune_id": pl.Int64}
"""The columns of :func:`employers`: what orders, reports and the risk score show of an employer."""


def employers(session: Session, *, employer_ids: Sequence[int] | None = None,
              unit_codes: Sequence[str] | None = None) -> pl.DataFrame:
    """Employers (all, or those with the given ids or unit codes) as one frame, read with one query."""
    query = select(Employer.id, Employer.unit_code, Employer.name, Employer.tax_code, Employer.industry_code,
                   Employer.wage_region, Employer.address_commune_id)
    if employer_ids is not None:
        query = query.where(Employer.id.in_(list(employer_ids)))
    if unit_codes is not None:
        query = query.where(Employer.unit_code.in_(list(unit_codes)))
    return pl.DataFrame(session.execute(query.order_by(Employer.id)).all(), schema=EMPLOYER_SCHEMA, orient="row")
