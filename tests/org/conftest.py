"""Databases of their own for the tests that restructure the organisation.

Restructuring writes offices, areas and successions, which the shared session database keeps
for every other test (only work items, postings and accounts are emptied between tests).
So a test that applies a plan gets a fresh copy of a template database built once per
session and backend: migrated, with the administrative map and the offices loaded, either
all the seed plans (``org_engine``) or only those up to 2025-06-30 (``pre_reform_engine``,
the three-tier structure before the reform, to apply the 2025 plan to). A copy is a file
copy on SQLite and ``CREATE DATABASE … TEMPLATE`` on PostgreSQL; both take well under a
second. Tests that only read use the shared database (the ``uow`` fixture).
"""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from ansinh.db import migrate
from ansinh.db.engine import make_engine
from ansinh.db.uow import UnitOfWork
from ansinh.org.service import load_admin_map, load_offices
from tests.databases import create_postgres_database, drop_postgres_database, postgres_admin_engine

BEFORE_REFORM = dt.date(2025, 6, 30)


class Templates:
    """Template databases of one backend, built on first use, copied per test."""

    def __init__(self, backend: str, folder: Path) -> None:
        self.backend, self.folder = backend, folder
        self.urls: dict[str, str] = {}

    def template(self, name: str, through: dt.date | None) -> str:
        if name not in self.urls:
            url = f"sqlite:///{self.folder / f'{name}.db'}" if self.backend == "sqlite" else create_postgres_database()
            migrate.upgrade(url)
            engine = make_engine(url)
            load_admin_map(uow=UnitOfWork(engine))
            load_offices(uow=UnitOfWork(engine), applied_by="tests", through=through)
            engine.dispose()
            self.urls[name] = url
        return self.urls[name]

    def copy(self, name: str, through: dt.date | None) -> str:
        source = self.template(name, through)
        if self.backend == "sqlite":
            target = self.folder / f"{name}-{uuid.uuid4().hex[:8]}.db"
            shutil.copyfile(make_url(source).database or "", target)
            return f"sqlite:///{target}"
        copy_name = f"ansinh_org_{uuid.uuid4().hex[:10]}"
        admin = postgres_admin_engine()
        try:
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{copy_name}" TEMPLATE "{make_url(source).database}"'))
        finally:
            admin.dispose()
        return make_url(source).set(database=copy_name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        if self.backend == "postgresql":
            drop_postgres_database(url)

    def close(self) -> None:
        for url in self.urls.values():
            self.drop(url)


@pytest.fixture(scope="session")
def org_templates(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    """The templates of the backend ``database_url`` runs on (it also skips when PostgreSQL is down)."""
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    templates = Templates(backend, tmp_path_factory.mktemp(f"org-{backend}"))
    yield templates
    templates.close()


def _engine(templates: Templates, name: str, through: dt.date | None) -> Iterator[Engine]:
    url = templates.copy(name, through)
    engine = make_engine(url)
    yield engine
    engine.dispose()
    templates.drop(url)


@pytest.fixture
def org_engine(org_templates: Templates) -> Iterator[Engine]:
    """A database of the test's own with the whole seeded organisation (to 2025-07-01 and after)."""
    yield from _engine(org_templates, "full", None)


@pytest.fixture
def pre_reform_engine(org_templates: Templates) -> Iterator[Engine]:
    """A database of the test's own with the offices as they stood on 2025-06-30."""
    yield from _engine(org_templates, "pre-reform", BEFORE_REFORM)


@pytest.fixture(scope="module")
def refusing_engine(org_templates: Templates) -> Iterator[Engine]:
    """One copy of the whole organisation per module, for tests of plans that must be refused.

    Shared by the module's tests because a refused plan writes nothing; each test checks so.
    """
    yield from _engine(org_templates, "full", None)
