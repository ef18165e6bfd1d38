"""Test fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL is reached at ``ANSINH_TEST_POSTGRES_URL`` (default the local server). Each test
session creates a database of its own there and drops it at the end. When the server is
unreachable the PostgreSQL runs are skipped, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from ansinh.db import migrate
from ansinh.db.engine import make_engine
from ansinh.db.uow import UnitOfWork

POSTGRES_URL = os.environ.get(
    "ANSINH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() == "true"
BACKENDS = ["sqlite", "postgresql"]

# Tables that tests may fill; emptied between tests in child-first order. The
# administrative map is loaded once per session and kept.
MUTABLE_TABLES = (
    "duplicate_flag",
    "death_notice",
    "participation",
    "person",
    "household",
    "employer",
    "population_record",
)


def _postgres_admin_engine() -> Engine:
    return create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")


def _create_postgres_database() -> str:
    name = f"ansinh_test_{uuid.uuid4().hex[:10]}"
    admin = _postgres_admin_engine()
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(url: str) -> None:
    name = make_url(url).database
    admin = _postgres_admin_engine()
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _postgres_reachable() -> str | None:
    try:
        admin = _postgres_admin_engine()
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
        admin.dispose()
    except Exception as exc:  # any failure means unreachable
        return str(exc).splitlines()[0]
    return None


@pytest.fixture(scope="session")
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database with the administrative map loaded, per backend."""
    backend = request.param
    if backend == "sqlite":
        url = f"sqlite:///{Path(tmp_path_factory.mktemp('db')) / 'ansinh.db'}"
    else:
        problem = _postgres_reachable()
        if problem:
            message = f"PostgreSQL unreachable at {POSTGRES_URL}: {problem}"
            if IN_CI:
                pytest.fail(message)
            pytest.skip(message)
        url = _create_postgres_database()
    migrate.upgrade(url)
    engine = make_engine(url)
    from ansinh.org.service import load_admin_map

    with UnitOfWork(engine) as uow:
        load_admin_map(uow=uow)
    engine.dispose()
    yield url
    if backend == "postgresql":
        _drop_postgres_database(url)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Engine]:
    """The session's engine with the registry emptied before the test."""
    with engine.begin() as connection:
        for table in MUTABLE_TABLES:
            connection.execute(text(f"DELETE FROM {table}"))
    yield engine


@pytest.fixture
def uow(db: Engine) -> UnitOfWork:
    """A fresh (unopened) unit of work on the emptied database."""
    return UnitOfWork(db)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that touches the database once per backend."""
    if "database_url" in metafunc.fixturenames:
        metafunc.parametrize("database_url", BACKENDS, indirect=True, scope="session")
