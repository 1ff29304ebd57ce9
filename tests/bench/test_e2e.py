"""The end-to-end bench at small sizes: every update answered once, figures that add up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.e2e import Phase, _pair, end_to_end, serve_first_answer
from bench.report import render_table


def test_end_to_end_small_run(model_dir: Path) -> None:
    result = end_to_end(model_dir, chats=6, per_chat=4, paced_rate=40, paced_seconds=1.0)
    assert (result["chats"], result["updates"], result["paced_updates"]) == (6, 24, 40)
    assert (result["lost"], result["doubled"]) == (0, 0)
    burst_ms = result["updates"] / result["updates_per_s"] * 1000
    # A reply's latency lies within the burst, which spans first queued -> last answered.
    assert 0 < result["p50_ms"] <= result["p99_ms"] <= burst_ms + 1
    assert 0 < result["paced_p50_ms"] <= result["paced_p99_ms"] < 1000
    assert result["cpu_ms_per_update"] >= result["loop_cpu_ms_per_update"] > 0
    assert result["paced_rate"] == 40
    # The minimal PTB echo bot ran the same burst in the same run, as the yardstick.
    assert result["anchor_updates_per_s"] > 0 and result["anchor_cpu_ms_per_update"] > 0
    assert result["ours_vs_anchor"] > 0


def test_module_runs_in_its_own_process_and_prints_json(model_dir: Path) -> None:
    """The bench runs `python -m bench.e2e` (its fake server is spawned from __main__)."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.e2e", "--workdir", str(model_dir), "--chats", "3",
         "--per-chat", "2", "--paced-seconds", "0.5"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert (result["updates"], result["lost"], result["doubled"]) == (6, 0, 0)


def test_pairing_counts_lost_doubled_and_stray_replies() -> None:
    phase = _pair(
        {
            "queued": {1: [0.0, 1.0], 2: [0.5, 0.6]},
            "replied": {1: [0.1, 1.2, 1.3], 2: [0.9], 3: [2.0]},
            "other_replies": 1,
            "apologies": 0,
        },
        updates=4,
    )
    assert (phase.lost, phase.doubled, phase.other_replies) == (1, 2, 1)
    assert sorted(round(x, 1) for x in phase.latencies) == [0.1, 0.2, 0.4]
    assert phase.seconds == 2.0
    with pytest.raises(AssertionError, match="1 updates lost, 2 answered twice"):
        phase.check("burst")
    Phase(updates=1, seconds=1.0).check("clean")  # nothing missing: no error


def test_serve_first_answer_measures_a_real_child(model_dir: Path) -> None:
    result = serve_first_answer(model_dir, runs=1)
    assert 0 < result["serve_first_answer_s"] < 30
    assert result["serve_peak_rss_mb"] > 30  # Python, PTB and the NLP model at least
    assert result["serve_runs"] == 1


def test_report_shows_the_end_to_end_and_serve_lines() -> None:
    results = {
        "calibration_ms": 9.0,
        "in_process": {"count": 1, "p50_ms": 0.3, "p99_ms": 1.0, "max_ms": 2.0, "per_s": 3000,
                       "stages_us": {}},
        "rss_default_mb": 100.0,
        "units": 38,
        "compare": {},
        "dev_accuracy": {},
        "process": {"ask_cold_s": 1.1, "ask_peak_rss_mb": 190.0, "serve_first_answer_s": 0.9,
                    "serve_peak_rss_mb": 130.0, "serve_runs": 3},
        "e2e": {"chats": 100, "updates": 1500, "updates_per_s": 320.4, "p50_ms": 2500.0,
                "p99_ms": 4700.0, "cpu_ms_per_update": 3.1, "loop_cpu_ms_per_update": 1.6,
                "lost": 0, "doubled": 0, "paced_rate": 100.0, "paced_p50_ms": 5.0,
                "paced_p99_ms": 8.5},
    }
    text = render_table(results)
    assert "`serve` to first answer (median of 3, question queued before start): 0.90 s" in text
    assert "100 chats, 1500 updates: 320 updates/s" in text
    assert "lost 0, answered twice 0" in text
    assert "paced at 100 updates/s: reply p50 5.0 ms, p99 8.5 ms" in text
    failed = render_table({**results, "e2e": {"error": "failed: 3 updates lost"}})
    assert "End to end: failed: 3 updates lost" in failed
