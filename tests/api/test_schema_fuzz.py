"""Property-based tests of the whole API from its OpenAPI schema (schemathesis, in-process).

Every operation is called with data generated from the schema, valid and invalid, on SQLite
and PostgreSQL, with a person and an employer registered so that reads and writes reach real
records some of the time, by an officer of a central office signed in with a bearer token (so
protected operations are exercised beyond their 401). Each response must not be a server error and must match the
schema: a documented status, the documented content type and a body of the documented shape.
Generation is derandomized, so a run sends the same requests every time.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine, create_engine

from ansinh.api.app import API_PREFIX, create_app
from ansinh.api.errors import PROBLEM_JSON
from ansinh.db.uow import UnitOfWork
from tests.factories import register_employer, register_person
from tests.signin import officer_headers

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# The schema is read from the document an app serves; that app's database is never used.
# Each test calls an app on the test database instead (schemathesis.pytest.from_fixture
# would load it from a fixture, but does not run under pytest 9.2).
schema = schemathesis.openapi.from_asgi(f"{API_PREFIX}/openapi.json", create_app(create_engine("sqlite://")))

PERSON_KEYS = ("001185004321", "0123456789")  # the registered person's citizen ID and SI number
EMPLOYER_KEYS = ("0100233488",)  # the registered employer's tax code
AREA_CODES = ("01", "74", "79", "00070")  # Hà Nội, Bình Dương (to 2025-06-30), Hồ Chí Minh City, Hoàn Kiếm


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Now and then ask for a record that exists instead of a generated key."""
    path = context.operation.path
    name = "key" if "{key}" in path else "code" if "{code}" in path else None
    if name is None:
        return st.just(path_parameters)
    known = PERSON_KEYS if "/people/" in path else EMPLOYER_KEYS if "/employers/" in path else AREA_CODES
    return st.one_of(st.just(path_parameters), st.sampled_from(known).map(lambda k: {**path_parameters, name: k}))


@pytest.fixture
def signed_in(db: Engine) -> dict[str, str]:
    """Bearer headers of a central-office officer."""
    return officer_headers(db)


@pytest.fixture
def app(db: Engine) -> FastAPI:
    """The API on the emptied test database, with one person and one employer registered."""
    register_person(UnitOfWork(db))
    register_employer(UnitOfWork(db))
    return create_app(db)


@schema.parametrize()
@settings(max_examples=40, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_every_operation_conforms(case: schemathesis.Case, app: FastAPI, signed_in: dict[str, str]) -> None:
    case.call_and_validate(app=app, checks=CHECKS, headers=signed_in)


def test_every_operation_documents_its_errors_as_problems() -> None:
    document = create_app(create_engine("sqlite://")).openapi()
    assert "HTTPValidationError" not in document["components"]["schemas"]
    problem = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    operations = [op for methods in document["paths"].values() for op in methods.values()]
    assert operations
    for operation in operations:
        for status in ("400", "401", "403", "404", "409", "422"):
            assert operation["responses"][status]["content"] == problem, (operation["operationId"], status)
