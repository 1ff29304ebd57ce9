"""One worker vs two on one PostgreSQL (limiter off): both measured, the ratio printed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.report import render_table
from bench.workers import compare
from tests.conftest import IN_CI, PG_URL, _drop_postgres_db, _fresh_postgres_db, _pg_reachable


@pytest.fixture
def scratch_pg() -> Iterator[str]:
    if not PG_URL or not _pg_reachable(PG_URL):
        if IN_CI:
            pytest.fail("CI=true but PostgreSQL (TEST_DATABASE_URL) is not reachable")
        pytest.skip("PostgreSQL not available: set TEST_DATABASE_URL to run this test")
    url, name = _fresh_postgres_db()
    try:
        yield url
    finally:
        _drop_postgres_db(name)


def test_without_postgresql_the_run_is_skipped_with_a_reason(tmp_path: Path) -> None:
    assert "PostgreSQL" in compare(None, tmp_path)["skipped"]
    assert "PostgreSQL" in compare("sqlite:///x.db", tmp_path)["skipped"]


def test_one_and_two_workers_answer_every_update(scratch_pg: str, model_dir: Path) -> None:
    result = compare(scratch_pg, model_dir / "bench-workers", updates=40, chats=20)
    assert "error" not in result, result
    assert result["one_updates_per_s"] > 0 and result["two_updates_per_s"] > 0
    assert result["ratio"] == pytest.approx(result["two_updates_per_s"]
                                            / result["one_updates_per_s"])
    assert result["one_cpu_ms_per_update"] > 0 and result["two_cpu_ms_per_update"] > 0
    assert 0 < result["two_machine_busy_cores"] <= result["two_machine_cores"] + 0.1
    assert result["two_bench_cores"] > 0 and result["cpu_bound_ratio"] > 0


def _table(workers: dict) -> str:
    return render_table({
        "calibration_ms": 9.0,
        "in_process": {"count": 1, "p50_ms": 0.3, "p99_ms": 1.0, "max_ms": 2.0, "per_s": 3000,
                       "stages_us": {}},
        "rss_default_mb": 100.0, "units": 38, "compare": {}, "dev_accuracy": {},
        "e2e": {"chats": 10, "updates": 100, "updates_per_s": 50.0, "p50_ms": 1.0,
                "p99_ms": 2.0, "anchor_updates_per_s": 300.0, "ours_vs_anchor": 0.17,
                "workers": workers},
    })


def test_report_prints_both_rates_and_the_ratio_or_why_not() -> None:
    text = _table({
        "updates": 600, "one_updates_per_s": 60.0, "two_updates_per_s": 105.0, "ratio": 1.75,
        "one_cpu_ms_per_update": 11.0, "two_cpu_ms_per_update": 12.0,
        "one_harness_cpu_ms_per_update": 2.4, "two_harness_cpu_ms_per_update": 2.9,
        "one_machine_busy_cores": 1.2, "two_machine_busy_cores": 2.0, "one_machine_cores": 2.0,
        "two_machine_cores": 2.0, "load_average": 3.0, "one_bench_cores": 0.9,
        "two_bench_cores": 1.4, "cpu_bound_ratio": 1.83,
    })
    assert "minimal PTB echo bot" in text  # the anchor, in the same block
    assert "60 vs 105 updates/s, ratio 1.75x (target 1.7x)" in text
    assert "busy 1.2 / 2.0 of 2 cores, of which these processes 0.9 / 1.4" in text
    assert "CPU-bound ratio (a core per worker; 2 x CPU per update one / two): 1.83x" in text
    skipped = _table({"skipped": "no PostgreSQL URL given"})
    assert "one vs two workers: no PostgreSQL URL given" in skipped
