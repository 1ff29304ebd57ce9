"""One scale point, run in its own process so its memory is its own:

    python -m bot.bench.scale --docs N --workdir DIR

prints one JSON object: ingestion ms per document, index build, answer latency and RSS.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from bot.bench.synth import make_document
from bot.bench.timing import peak_rss_mb, percentile, rss_mb, summary_ms
from bot.bench.workload import build_questions

SOURCE = Path(__file__).resolve().parents[2] / "knowledge" / "sources"


def run_scale(docs: int, workdir: Path, questions: int = 1000) -> dict:
    """Build a base of `docs` generated documents and measure it."""
    from db.engine import make_engine, make_session_factory
    from db.migrate import upgrade
    from knowledge.ingest import ingest_text
    from nlp.pipeline import Assistant

    workdir.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{workdir / f'scale_{docs}.db'}"
    upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    template = next(SOURCE.glob("*.txt")).read_text(encoding="utf-8")
    ingest_s = []
    for i in range(docs):
        text = make_document(template, i)
        start = time.perf_counter()
        ingest_text(sessions, text, f"synthetic-{i:05d}.txt")
        ingest_s.append(time.perf_counter() - start)
    assistant = Assistant(sessions, workdir / "model")
    start = time.perf_counter()
    assistant.load()
    first_load = time.perf_counter() - start
    start = time.perf_counter()
    assistant.refresh()  # the model is saved now: this is the load-and-index cost at start
    reload_s = time.perf_counter() - start
    workload = build_questions(assistant.snapshot, questions)
    latencies = []
    for question in workload:
        start = time.perf_counter()
        assistant.answer(question.text)
        latencies.append(time.perf_counter() - start)
    engine.dispose()
    answer = summary_ms(latencies)
    return {
        "docs": docs,
        "units": len(assistant.snapshot.units),
        "ingest_ms_p50": percentile(ingest_s, 50) * 1000,
        "ingest_ms_p99": percentile(ingest_s, 99) * 1000,
        "first_load_s": first_load,
        "index_load_s": reload_s,
        "answer_p50_ms": answer["p50_ms"],
        "answer_p99_ms": answer["p99_ms"],
        "rss_mb": rss_mb(),
        "peak_rss_mb": peak_rss_mb(),
    }


def main(argv: list[str] | None = None) -> int:
    """Measure one scale point and print it as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, required=True)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--questions", type=int, default=1000)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    print(json.dumps(run_scale(args.docs, args.workdir, args.questions)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
