"""The scale bench: a first build, a restart, and an upload answered through the real path."""

from __future__ import annotations

from pathlib import Path

from bench.scale import run_scale


def test_scale_point_reports_upload_to_answer_and_private_memory(tmp_path: Path) -> None:
    result = run_scale(3, tmp_path, questions=20)
    assert result["upload_answered"] is True  # the question only the upload answers
    assert 0 < result["upload_to_answer_s"] < 60
    assert 0 < result["first_build_s"] <= result["first_load_s"]
    assert 0 < result["uss_mb"] < result["peak_rss_mb"] * 2
    assert result["answer_p99_ms"] >= result["answer_p50_ms"] > 0
    # The generated base is kept for the next run, without the upload.
    again = run_scale(3, tmp_path, questions=20)
    assert again["base_reused"] is True and again["units"] == result["units"]
    assert again["upload_answered"] is True
