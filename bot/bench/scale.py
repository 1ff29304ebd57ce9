"""One scale point, run in its own process so its memory is its own:

    python -m bot.bench.scale --docs N --workdir DIR

prints one JSON object: ingestion ms per document, the first load (which builds the knowledge
snapshot and its indexes, and trains the intent model when missing: `first_build_s` is the
load without the training, `train_s` the training), then — in a fresh child process, as a
restarted bot would — the start with everything saved, answer latency, private memory (USS:
the mapped snapshot's pages are the OS's file cache) and `upload_to_answer_s`: an admin
uploads one new document through the real upload path (ingest, then refresh) and a question
only that document answers is answered.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

START = time.perf_counter()  # before the heavy imports: a child's start-up includes them

from bot.bench.synth import make_document  # noqa: E402
from bot.bench.timing import (  # noqa: E402
    peak_rss_mb,
    percentile,
    rss_mb,
    rss_split_mb,
    summary_ms,
    uss_mb,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from nlp.pipeline import Assistant

SOURCE = Path(__file__).resolve().parents[2] / "knowledge" / "sources"


def _sessions(docs: int, workdir: Path) -> tuple[Engine, sessionmaker[Session]]:
    from db.engine import make_engine, make_session_factory
    from db.migrate import upgrade

    url = f"sqlite:///{workdir / f'scale_{docs}.db'}"
    upgrade(url)
    engine = make_engine(url)
    return engine, make_session_factory(engine)


def run_scale(docs: int, workdir: Path, questions: int = 1000) -> dict:
    """Build a base of `docs` generated documents, load it once, then measure a restart."""
    from knowledge.ingest import ingest_text
    from nlp.pipeline import Assistant

    workdir.mkdir(parents=True, exist_ok=True)
    engine, sessions = _sessions(docs, workdir)
    template = next(SOURCE.glob("*.txt")).read_text(encoding="utf-8")
    ingest_s = []
    for i in range(docs):
        text = make_document(template, i)
        start = time.perf_counter()
        ingest_text(sessions, text, f"synthetic-{i:05d}.txt")
        ingest_s.append(time.perf_counter() - start)
    start = time.perf_counter()
    first = Assistant(sessions, workdir / "model").load()
    first_load = time.perf_counter() - start
    engine.dispose()
    serve = _serve_in_child(docs, workdir, questions)
    return {
        "docs": docs,
        "ingest_ms_p50": percentile(ingest_s, 50) * 1000,
        "ingest_ms_p99": percentile(ingest_s, 99) * 1000,
        "first_load_s": first_load,
        "first_build_s": first_load - first.train_s,
        "train_s": first.train_s,
        "build_peak_rss_mb": peak_rss_mb(),
        **serve,
    }


def _serve_in_child(docs: int, workdir: Path, questions: int) -> dict:
    """Measure the restart in a fresh process: its memory is then the serving process's."""
    proc = subprocess.run(
        [sys.executable, "-m", "bot.bench.scale", "--docs", str(docs), "--workdir",
         str(workdir), "--questions", str(questions), "--serve"],
        capture_output=True, text=True, check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def serve(docs: int, workdir: Path, questions: int = 1000) -> dict:
    """Load the saved base (as a restart does), answer the workload, read the memory."""
    from bot.bench.workload import build_questions
    from nlp.pipeline import Assistant

    engine, sessions = _sessions(docs, workdir)
    start = time.perf_counter()
    assistant = Assistant(sessions, workdir / "model").load()
    index_load = time.perf_counter() - start
    started = time.perf_counter() - START
    rss_loaded = rss_mb()
    workload = build_questions(assistant.snapshot, questions)
    latencies = []
    for question in workload:
        start = time.perf_counter()
        assistant.answer(question.text)
        latencies.append(time.perf_counter() - start)
    answer = summary_ms(latencies)
    uss = uss_mb()
    upload = upload_to_answer(assistant, sessions, workdir)
    engine.dispose()
    return {
        "units": len(assistant.snapshot.units),
        "index_load_s": index_load,  # Assistant.load() with the snapshot and index saved
        "start_s": started,  # process start to ready, imports included
        "answer_p50_ms": answer["p50_ms"],
        "answer_p99_ms": answer["p99_ms"],
        "uss_mb": uss,  # private memory after the workload
        **upload,
        "rss_loaded_mb": rss_loaded,
        "rss_mb": rss_mb(),  # after the workload: includes the index pages questions read
        **rss_split_mb(),
        "peak_rss_mb": peak_rss_mb(),
    }


UPLOAD_YEAR = "2040"  # no generated document has it: only the upload answers for it


def upload_to_answer(assistant: Assistant, sessions: sessionmaker[Session], workdir: Path) -> dict:
    """Upload one new document as an admin would, then ask what only it answers."""
    from bot.admin import ingest_upload
    from bot.incoming import Incoming
    from bot.services import Services
    from bot.settings import Settings

    template = next(SOURCE.glob("*.txt")).read_text(encoding="utf-8")
    path = workdir / "upload" / "uploaded_brief.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(make_document(template.replace("2021", UPLOAD_YEAR), 99_999), "utf-8")
    settings = Settings(database_url=str(sessions.kw["bind"].url), var_dir=workdir)
    services = Services(settings, sessions.kw["bind"], sessions, assistant)
    admin = Incoming(user_id=1, chat_id=1, is_admin=True)
    start = time.perf_counter()
    uploaded = ingest_upload(admin, services, path)
    reply = assistant.answer(f"{UPLOAD_YEAR}年州外到位资金增长了多少")
    elapsed = time.perf_counter() - start
    years = {d.id: d.year for d in assistant.snapshot.documents}
    cited = [c.document_id for c in reply.citations if c.document_id is not None]
    return {
        "upload_to_answer_s": elapsed,
        "upload_answered": uploaded.answered and reply.answered
        and any(str(years.get(d)) == UPLOAD_YEAR for d in cited),
        "uss_after_upload_mb": uss_mb(),
    }


def main(argv: list[str] | None = None) -> int:
    """Measure one scale point (or, with --serve, only its restart) and print it as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, required=True)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--serve", action="store_true", help="only the restart (child)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    run = serve if args.serve else run_scale
    print(json.dumps(run(args.docs, args.workdir, args.questions)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
