"""The declarative base every area's models derive from.

A naming convention gives every constraint a stable name, so that Alembic migrations read
the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Money is integer đồng; BigInteger holds any amount the funds will ever see.
Money = BigInteger


class Base(DeclarativeBase):
    """Base class of all ansinh tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
