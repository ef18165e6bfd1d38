"""W1's alternatives agree to the đồng on a small run (no timing is asserted here)."""

from __future__ import annotations

import os

import numpy as np
import pytest

from benchmarks import w1_contributions as w1

ROWS = 20_000
EMPLOYERS = 2_000


@pytest.fixture(scope="module")
def setup() -> tuple[w1.Data, w1.Law, w1.Totals]:
    params = w1.default_parameters()
    data = w1.generate(ROWS, seed=7, employers=EMPLOYERS, params=params)
    law = w1.build_law(params)
    return data, law, w1.run_numpy(data, law, EMPLOYERS)


def assert_same(result: w1.Totals, exact: w1.Totals) -> None:
    np.testing.assert_array_equal(result.employer, exact.employer)
    np.testing.assert_array_equal(result.month, exact.month)
    for total in w1.TOTALS:
        np.testing.assert_array_equal(result.amounts[total], exact.amounts[total])


def test_data_is_reproducible_and_shaped_like_the_workload(setup: tuple[w1.Data, w1.Law, w1.Totals]) -> None:
    data, law, _ = setup
    again = w1.generate(ROWS, seed=7, employers=EMPLOYERS)
    np.testing.assert_array_equal(again.salary, data.salary)
    k = w1.combination_index(data.month, data.region, data.state, data.reduced)
    assert (data.salary < law.floor[k]).any()
    assert (data.salary > law.ceiling["si"][k]).any()
    assert (data.salary > law.ceiling["ui"][k]).any()
    assert 0.05 < data.state.mean() < 0.15
    assert 0.02 < data.reduced.mean() < 0.09
    assert set(np.unique(data.region)) == {1, 2, 3, 4}


def test_ours_equals_numpy_and_the_scalar_calculator(setup: tuple[w1.Data, w1.Law, w1.Totals]) -> None:
    data, _, exact = setup
    params = w1.default_parameters()
    frame = w1.prepare_ours(data)
    assert_same(w1.ours_totals(w1.run_ours(frame, params)), exact)
    detail = w1.compute_batch(frame, params)
    assert w1.scalar_check(data, params, detail, sample=300, seed=1) == 0


def test_postgresql_equals_numpy(setup: tuple[w1.Data, w1.Law, w1.Totals]) -> None:
    url = os.environ.get("ANSINH_BENCH_PG_URL", w1.DEFAULT_PG_URL)
    if not w1.postgres_reachable(url):
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is not reachable at {url}")
        pytest.skip("PostgreSQL is not reachable")
    import psycopg

    data, law, exact = setup
    with w1.scratch_database(url) as scratch, psycopg.connect(scratch) as connection:
        w1.sql_load(connection, w1.prepare_ours(data), law)
        w1.sql_assess(connection)
        assert_same(w1.sql_totals(connection), exact)


def test_duckdb_equals_numpy(setup: tuple[w1.Data, w1.Law, w1.Totals]) -> None:
    if not w1.duckdb_available():
        pytest.skip("duckdb is not installed (extra 'bench')")
    data, law, exact = setup
    connection = w1.prepare_duckdb(w1.prepare_ours(data), law)
    try:
        assert_same(w1.duckdb_totals(w1.run_duckdb(connection)), exact)
    finally:
        connection.close()


def test_openfisca_with_integer_amounts_is_exact_and_float32_is_reported(
    setup: tuple[w1.Data, w1.Law, w1.Totals],
) -> None:
    pytest.importorskip("openfisca_core")
    data, _, exact = setup
    params = w1.default_parameters()
    prepared = w1.prepare_openfisca(data)
    exact_system = w1.openfisca_system(params, exact=True)
    assert w1.compare(w1.openfisca_totals(w1.run_openfisca(exact_system, prepared)), exact)["differing"] == 0
    default = w1.compare(w1.openfisca_totals(w1.run_openfisca(w1.openfisca_system(params, exact=False), prepared)),
                         exact)
    assert default["same_groups"]
    assert default["differing"] is not None


def test_polars_sketch_equals_numpy(setup: tuple[w1.Data, w1.Law, w1.Totals]) -> None:
    data, _, exact = setup
    assert_same(w1.ours_totals(w1.run_polars_sketch(w1.prepare_ours(data), w1.default_parameters())), exact)
