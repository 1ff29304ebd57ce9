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
            {"docs": 100, "units": 3800, "ingest_ms_p50": 15.0, "ingest_ms_p99": 80.0,
             "first_load_s": 3.5, "first_build_s": 2.7, "train_s": 0.8, "index_load_s": 0.2,
             "answer_p50_ms": 0.3, "answer_p99_ms": 0.9, "uss_mb": 98.0, "rss_mb": 122.0,
             "upload_to_answer_s": 0.61},
            {"docs": 1000, "units": 38000, "base_reused": True, "ingest_ms_p50": None,
             "ingest_ms_p99": None, "first_build_s": 9.0, "train_s": 1.0, "index_load_s": 0.5,
             "answer_p50_ms": 0.4, "answer_p99_ms": 1.2, "uss_mb": 150.0, "rss_mb": 160.0,
             "upload_to_answer_s": 0.9},
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
    assert "build s" in text and "      2.7      0.8    0.20" in text
    assert "upload s" in text and "USS MB" in text
    assert "      98     122      0.61" in text  # USS, RSS, upload to answer
    assert "reused" in text  # a base kept from an earlier run: its ingestion not measured
    assert "cold start of `ask`" in text
