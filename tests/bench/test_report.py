"""The bench table: every section the README keeps, and the like-for-like ratio."""

from __future__ import annotations

from bench.report import render_table


def _results() -> dict:
    stats = {"p50_ms": 0.3, "p99_ms": 0.9, "max_ms": 2.0, "per_s": 3000.0}
    return {
        "calibration_ms": 9.0,
        "in_process": {**stats, "count": 100, "stages_us": {"normalise": 10.0}},
        "rss_default_mb": 110.0,
        "units": 38,
        "compare": {
            "ours": stats,
            "ours core": {**stats, "p50_ms": 0.2},
            "naive sklearn": {**stats, "p50_ms": 1.5},
        },
        "dev_accuracy": {"ours": 1.0, "naive sklearn": 0.44},
        "scales": [
            {"docs": 10, "error": ["boom"]},
            {
                "docs": 100,
                "units": 3800,
                "ingest_ms_p50": 15.0,
                "ingest_ms_p99": 80.0,
                "first_load_s": 2.7,
                "index_load_s": 0.2,
                "answer_p50_ms": 0.3,
                "answer_p99_ms": 0.9,
                "rss_mb": 122.0,
            },
        ],
        "process": {"ask_cold_s": 1.0, "ask_peak_rss_mb": 110.0},
    }


def test_table_has_each_section_and_the_like_for_like_ratio() -> None:
    text = render_table(_results())
    assert "p50 0.300 ms" in text and "110 MB" in text
    assert "naive sklearn" in text and "5.0×" in text  # 1.5 / 0.3, whole answers
    assert "= 7.5× faster" in text  # 1.5 / 0.2, the same work only
    assert "ours core" not in text.split("like for like")[0]
    assert "failed: ['boom']" in text
    assert "build s" in text and "    2.7    0.20" in text
    assert "cold start of `ask`" in text
