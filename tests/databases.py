"""Test databases: a throw-away PostgreSQL database per test session, or per test.

PostgreSQL is reached at ``ANSINH_TEST_POSTGRES_URL`` (default the local server). When it
is unreachable, database tests skip, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get(
    "ANSINH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() == "true"


def postgres_admin_engine() -> Engine:
    return create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")


def create_postgres_database() -> str:
    name = f"ansinh_test_{uuid.uuid4().hex[:10]}"
    admin = postgres_admin_engine()
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    name = make_url(url).database
    admin = postgres_admin_engine()
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def postgres_reachable() -> str | None:
    try:
        admin = postgres_admin_engine()
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
        admin.dispose()
    except Exception as exc:  # any failure means unreachable
        return str(exc).splitlines()[0]
    return None



def require_postgres() -> None:
    """Skip (or, in CI, fail) the calling test when PostgreSQL cannot be reached."""
    problem = postgres_reachable()
    if problem:
        message = f"PostgreSQL unreachable at {POSTGRES_URL}: {problem}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
