"""In-process answer latency by stage, and the round-robin comparison with the baselines."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from bench.baselines import BM25S, BaselineAnswer, NaiveSklearn, RankBM25
from bench.timing import summary_ms
from bench.workload import Question, judge
from nlp.features import analyze
from nlp.normalize import normalize
from nlp.pipeline import Assistant
from nlp.training_data import load_examples

STAGES = ("normalise", "tokenise", "classify", "retrieve", "compose")


class _SearchTimer:
    """Wrap the index's search to split retrieval time from the rest of routing."""

    def __init__(self, search: Callable) -> None:
        self.search = search
        self.seconds = 0.0

    def __call__(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return self.search(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - start


def stage_latencies(assistant: Assistant, questions: list[Question]) -> dict:
    """Answer every question stage by stage; return overall and per-stage figures."""
    router, model, words = assistant.router, assistant.model, assistant.words
    assert router is not None and model is not None and words is not None
    timer = _SearchTimer(router.index.search)
    router.index.search = timer
    totals: list[float] = []
    stage_sum = dict.fromkeys(STAGES, 0.0)
    try:
        for question in questions:
            t0 = time.perf_counter()
            text = normalize(question.text)
            t1 = time.perf_counter()
            analysis = analyze(text, words)
            t2 = time.perf_counter()
            if analysis.text and analysis.chars:
                prediction = model.predict(analysis)
                t3 = time.perf_counter()
                before = timer.seconds
                router.route(router.query(analysis.text, analysis, prediction))
                t4 = time.perf_counter()
                searched = timer.seconds - before
            else:
                t3 = t4 = t2
                searched = 0.0
            totals.append(t4 - t0)
            for stage, seconds in zip(
                STAGES, (t1 - t0, t2 - t1, t3 - t2, searched, t4 - t3 - searched), strict=True
            ):
                stage_sum[stage] += seconds
    finally:
        del router.index.search
    result = summary_ms(totals)
    result["count"] = len(totals)
    result["stages_us"] = {s: stage_sum[s] / len(totals) * 1e6 for s in STAGES}
    return result


def _ours(assistant: Assistant) -> Callable[[str], BaselineAnswer]:
    def answer(question: str) -> BaselineAnswer:
        reply = assistant.answer(question)
        first = reply.facts[0].value if reply.facts else None
        return BaselineAnswer(reply.text, reply.answered, first)

    return answer


def _ours_core(assistant: Assistant) -> Callable[[str], BaselineAnswer]:
    """Only the work the naive path does: normalise, tokenise once, classify, retrieve.

    The naive path stops at "the best unit"; ours also ranks figures and composes a cited
    reply. This row times the like-for-like part (timing only: it composes no answer).
    """
    router, model, words = assistant.router, assistant.model, assistant.words
    assert router is not None and model is not None and words is not None

    def answer(question: str) -> BaselineAnswer:
        analysis = analyze(normalize(question), words)
        if analysis.chars:
            query = router.query(analysis.text, analysis, model.predict(analysis))
            router.search(query, None)
        return BaselineAnswer("", False, None)

    return answer


TIMING_ONLY = frozenset({"ours core"})


def build_contenders(assistant: Assistant) -> dict:
    """Return name -> answer function for ours and each baseline, over the same units."""
    assert assistant.words is not None
    units = assistant.snapshot.units
    texts, labels = load_examples()
    return {
        "ours": _ours(assistant),
        "ours core": _ours_core(assistant),
        "naive sklearn": NaiveSklearn(assistant.words, units).fit(texts, labels).answer,
        "rank-bm25": RankBM25(assistant.words, units).answer,
        "bm25s": BM25S(assistant.words, units).answer,
    }


def round_robin(contenders: dict, questions: list[Question]) -> dict[str, dict]:
    """Time every contender on the same questions, rotating who goes first."""
    names = list(contenders)
    seconds: dict[str, list[float]] = {n: [] for n in names}
    for i, question in enumerate(questions):
        order = names[i % len(names) :] + names[: i % len(names)]
        for name in order:
            start = time.perf_counter()
            contenders[name](question.text)
            seconds[name].append(time.perf_counter() - start)
    return {name: summary_ms(values) for name, values in seconds.items()}


def dev_accuracy(contenders: dict, dev_path: Path | None) -> dict[str, float]:
    """Return each contender's share of dev questions passed (score.py's rules)."""
    if dev_path is None or not dev_path.exists():
        return {}
    rows = [json.loads(x) for x in dev_path.read_text(encoding="utf-8").splitlines() if x.strip()]
    scores = {}
    for name, answer in contenders.items():
        if name in TIMING_ONLY:
            continue
        passed = 0
        for row in rows:
            got = answer(row["question"])
            passed += judge(row, got.text, got.answered, got.first_value)
        scores[name] = passed / len(rows)
    return scores
