"""Test fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL is reached at ``ANSINH_TEST_POSTGRES_URL`` (default the local server). Each test
session creates a database of its own there and drops it at the end. When the server is
unreachable the PostgreSQL runs are skipped, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from ansinh.core.settings import get_settings
from ansinh.db import migrate
from ansinh.db.engine import dispose_engines, make_engine
from ansinh.db.uow import UnitOfWork
from tests.databases import create_postgres_database, drop_postgres_database, require_postgres

# The test client speaks plain http, which would not carry a Secure cookie.
os.environ.setdefault("ANSINH_COOKIE_SECURE", "false")

BACKENDS = ["sqlite", "postgresql"]

# Tables that tests may fill; emptied between tests in child-first order. The
# administrative map is loaded once per session and kept.
MUTABLE_TABLES = (
    "write_off",
    "interest_charge",
    "interest_run",
    "reminder",
    "inspection_finding",
    "inspection_case",
    "allocation",
    "bank_transaction",
    "bank_statement",
    "payment_order",
    "assessment_adjustment",
    "declaration_line",
    "declaration",
    "assessment",
    "assessment_partition",
    "assessment_run",
    "ledger_line",
    "ledger_entry",
    "outbox_message",
    "dossier_document",
    "dossier_event",
    "dossier",
    "audit_event",
    "audit_head",
    "approval",
    "credential",
    "work_item",
    "posting",
    "account",
    "duplicate_flag",
    "death_notice",
    "participation_suspension",
    "participation",
    "person",
    "household",
    "employer",
    "population_record",
)


@pytest.fixture(scope="session")
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database with the administrative map loaded, per backend."""
    backend = request.param
    if backend == "sqlite":
        url = f"sqlite:///{Path(tmp_path_factory.mktemp('db')) / 'ansinh.db'}"
    else:
        require_postgres()
        url = create_postgres_database()
    migrate.upgrade(url)
    engine = make_engine(url)
    from ansinh.org.service import load_admin_map, load_offices

    with UnitOfWork(engine) as uow:
        load_admin_map(uow=uow)
    load_offices(uow=UnitOfWork(engine), applied_by="tests")
    engine.dispose()
    yield url
    if backend == "postgresql":
        drop_postgres_database(url)


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
def cli_env(db: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """Point the CLI (settings and shared engines are cached) at the emptied test database."""
    monkeypatch.setenv("ANSINH_DATABASE_URL", database_url)
    get_settings.cache_clear()
    dispose_engines()
    yield db
    get_settings.cache_clear()
    dispose_engines()


@pytest.fixture
def uow(db: Engine) -> UnitOfWork:
    """A fresh (unopened) unit of work on the emptied database."""
    return UnitOfWork(db)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that touches the database once per backend."""
    if "database_url" in metafunc.fixturenames:
        metafunc.parametrize("database_url", BACKENDS, indirect=True, scope="session")
