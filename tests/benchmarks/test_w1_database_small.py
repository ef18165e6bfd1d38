"""W1 end to end on a small run: ``assess_month`` and the set-based SQL charge the same amounts.

2 000 employee-months loaded into a temporary SQLite file (and a scratch PostgreSQL database
when the server is reachable). No timing is asserted here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from benchmarks import w1_database as w1
from benchmarks.w1_contributions import DEFAULT_PG_URL, postgres_reachable

ROWS = 2_000


def _check(entry: dict[str, Any], dialect: str) -> None:
    assert entry["dialect"] == dialect
    assert entry["rows"] == ROWS
    load = entry["load"]
    assert load["participations"] > ROWS  # some periods that must not be charged are loaded too
    assert entry["ours"]["rows_written"] == ROWS
    assert entry["set_based_sql"]["rows_written"] == ROWS
    agreement = entry["agreement"]
    assert agreement["totals_ours"] == agreement["totals_sql"]
    assert agreement["totals_differing"] == []
    assert (agreement["differing_rows"], agreement["rows_in_one_only"]) == (0, 0)
    assert agreement["totals_ours"]["total"] > 0
    assert set(entry["ours"]["phases"]) == {f"{p}_seconds" for p in (*w1.PHASES, "other")}
    assert 0 < entry["ours"]["ledger_entries"] <= load["employers"]
    extrapolated = w1.extrapolate(entry)
    assert {"assumption", "ours_seconds", "meets_10_minutes", "meets_4_gb", "set_based_sql_seconds"} <= set(
        extrapolated)


def test_sqlite_ours_and_set_based_sql_agree() -> None:
    with w1.scratch_sqlite() as url:
        entry = w1.measure(url, ROWS, seed=7, partitions=4)
    _check(entry, "sqlite")


def test_postgresql_ours_and_set_based_sql_agree() -> None:
    url = os.environ.get("ANSINH_BENCH_PG_URL", DEFAULT_PG_URL)
    if not postgres_reachable(url):
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is not reachable at {url}")
        pytest.skip("PostgreSQL is not reachable")
    with w1.scratch_postgres(url) as scratch:
        entry = w1.measure(scratch, ROWS, seed=7, partitions=4)
    _check(entry, "postgresql")


def test_the_command_merges_its_runs_into_the_w1_results_file(tmp_path: Path) -> None:
    output = tmp_path / "W1.json"
    output.write_text(json.dumps({"workload": "W1", "timing": {"ours": 1.0}}))  # the in-memory W1's
    assert w1.main(["--rows", str(ROWS), "--backend", "sqlite", "--output", str(output)]) == 0
    whole = json.loads(output.read_text())
    assert whole["timing"] == {"ours": 1.0}  # left as it was
    report = whole["end_to_end"]
    assert {"workload", "month", "machine", "national_rows", "targets", "runs"} <= set(report)
    entry = report["runs"][f"sqlite_{ROWS}"]
    assert {"load", "ours", "set_based_sql", "agreement", "ratio_ours_to_sql", "extrapolated_to_national"} <= set(
        entry)
    assert entry["agreement"]["differing_rows"] == 0
