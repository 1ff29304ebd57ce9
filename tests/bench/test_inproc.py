"""The bench's own parts: workload mix, the judge, percentiles, round-robin and accuracy."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from bench.inproc import (
    STAGES,
    TIMING_ONLY,
    build_contenders,
    dev_accuracy,
    round_robin,
    stage_latencies,
)
from bench.timing import percentile, summary_ms
from bench.workload import build_questions, judge


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile(values, 100) == 100.0
    assert summary_ms([0.001, 0.003])["p50_ms"] == 1.0


def test_workload_mixes_every_kind_and_is_reproducible(seeded_assistant) -> None:
    questions = build_questions(seeded_assistant.snapshot, 600)
    kinds = Counter(q.kind for q in questions)
    assert set(kinds) == {
        "indicator",
        "item",
        "entity",
        "document",
        "help",
        "out_of_scope",
        "long",
    }
    assert kinds["indicator"] > kinds["help"]
    assert max(len(q.text) for q in questions) > 100  # long pasted texts are in the mix
    assert [q.text for q in build_questions(seeded_assistant.snapshot, 50)] == [
        q.text for q in questions[:50]
    ]


def test_judge_follows_the_dev_set_rules() -> None:
    row = {"question": "q", "any": ["19.4%"], "value": 19.4}
    assert judge(row, "增长 19.4%", True, 19.4)
    assert not judge(row, "增长 19.4%", True, 60.2)  # a neighbouring figure first
    assert not judge(row, "增长 19.4%", False, 19.4)
    assert judge({"question": "q", "answered": False}, "不知道", False, None)
    assert not judge({"question": "q", "answered": False}, "19.4%", True, 19.4)
    assert judge({"question": "q", "answered": None}, "上半年增长", True, None)


def test_stage_latencies_cover_every_stage(seeded_assistant) -> None:
    questions = build_questions(seeded_assistant.snapshot, 200)
    result = stage_latencies(seeded_assistant, questions)
    assert result["count"] == 200
    assert set(result["stages_us"]) == set(STAGES)
    assert all(v >= 0 for v in result["stages_us"].values())
    assert 0 < result["p50_ms"] <= result["p99_ms"] <= result["max_ms"]
    # The timer it wraps around the index is removed again.
    assert "search" not in vars(seeded_assistant.router.index)


def test_round_robin_and_accuracy_rank_ours_above_plain_bm25(
    seeded_assistant, tmp_path: Path
) -> None:
    contenders = build_contenders(seeded_assistant)
    assert {"ours", "ours core", "naive sklearn", "rank-bm25", "bm25s"} <= set(contenders)
    timed = round_robin(contenders, build_questions(seeded_assistant.snapshot, 60))
    assert set(timed) == set(contenders)
    assert all(stats["p50_ms"] > 0 for stats in timed.values())

    dev = tmp_path / "dev.jsonl"
    rows = [
        {"question": "上半年县外到位资金增长多少", "value": 12.5},
        {"question": "今天天气怎么样", "answered": False},
    ]
    dev.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    accuracy = dev_accuracy(contenders, dev)
    assert not TIMING_ONLY & set(accuracy)
    assert accuracy["ours"] == 1.0
    # BM25 always returns its best unit: it cannot decline the weather question.
    assert accuracy["rank-bm25"] < accuracy["ours"]
