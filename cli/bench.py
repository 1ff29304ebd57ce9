"""`run_bot.py bench`: measure the assistant and print a calibration figure and a table."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from bot.settings import Settings

DEV_SET = Path("../shared/eval/dev_questions.jsonl")
MISSING_EXTRA = "bench 需要可选依赖：.venv/bin/pip install -e '.[bench]'（make test 已安装）。"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this subcommand's options."""
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--questions", type=int, default=5000, help="in-process workload size")
    parser.add_argument("--compare", type=int, default=2000,
                        help="questions for the round-robin comparison with baselines")
    parser.add_argument("--scales", default="1,100,1000,10000",
                        help="comma-separated base sizes in documents ('' to skip)")
    parser.add_argument("--dev", type=Path, default=DEV_SET, help="dev set for accuracy")
    parser.add_argument("--skip-process", action="store_true", help="skip cold-start runs")
    parser.add_argument("--skip-e2e", action="store_true", help="skip the end-to-end run")
    parser.add_argument("--e2e-chats", type=int, default=100, help="end to end: chats")
    parser.add_argument("--e2e-per-chat", type=int, default=15,
                        help="end to end: questions each chat sends in the burst")
    parser.add_argument("--e2e-paced-seconds", type=float, default=10.0,
                        help="end to end: seconds of the paced feed (100 updates/s)")
    parser.add_argument("--pg", metavar="URL", default=None,
                        help="PostgreSQL for the one-vs-two-workers run (a scratch database: "
                             "the workers write to it); skipped without it")
    parser.add_argument("--workers-updates", type=int, default=600,
                        help="one vs two workers: updates in each run")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run every measurement and print the table (or JSON)."""
    import logging

    from bench.report import render_table
    from bench.timing import calibration_ms

    # The baselines are an optional extra (the bot never needs them): say so in one line
    # instead of failing half-way through the run.
    try:
        import bm25s  # noqa: F401
        import rank_bm25  # noqa: F401
    except ImportError:
        print(MISSING_EXTRA, file=sys.stderr)
        return 2
    logging.getLogger().setLevel(logging.WARNING)  # declines are logged at INFO per question

    workdir = settings.var_dir / "bench"
    workdir.mkdir(parents=True, exist_ok=True)
    results: dict = {"calibration_ms": calibration_ms()}
    _progress(args, f"calibration: {results['calibration_ms']:.1f} ms")
    results.update(_in_process(args, settings, workdir))
    results["scales"] = [_scale(int(n), workdir) for n in args.scales.split(",") if n.strip()]
    if not args.skip_process:
        from bench.process import cold_start_ask

        _progress(args, "cold starts ...")
        results["process"] = cold_start_ask(f"sqlite:///{workdir / 'process.db'}")
        _progress(args, "serve to first answer ...")
        results["process"].update(_serve_first_answer(workdir))
    if not args.skip_e2e:
        _progress(args, "end to end ...")
        results["e2e"] = _end_to_end(args, workdir)
        _progress(args, "one worker vs two on PostgreSQL ...")
        results["e2e"]["workers"] = _workers(args, workdir)
    print(json.dumps(results, ensure_ascii=False, indent=1) if args.json
          else render_table(results))
    return 0


def _progress(args: argparse.Namespace, message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _in_process(args: argparse.Namespace, settings: Settings, workdir: Path) -> dict:
    from bench.inproc import build_contenders, dev_accuracy, round_robin, stage_latencies
    from bench.timing import rss_mb
    from bench.workload import build_questions
    from bot.bootstrap import build_services

    url = f"sqlite:///{workdir / 'bench.db'}"
    # A first start trains the intent model (scikit-learn stays loaded afterwards): do that in
    # a throwaway process so the RSS below is that of a bot starting from saved files.
    subprocess.run(
        [sys.executable, "run_bot.py", "--db", url, "ask", "你好"],
        capture_output=True, check=False, cwd=Path(__file__).resolve().parents[1],
    )
    services = build_services(settings.model_copy(update={"database_url": url}))
    assistant = services.assistant
    assert assistant is not None
    rss_default = rss_mb()
    questions = build_questions(assistant.snapshot, args.questions)
    _progress(args, f"in process: {len(questions)} questions ...")
    latency = stage_latencies(assistant, questions)
    _progress(args, "baselines ...")
    contenders = build_contenders(assistant)
    compared = round_robin(contenders, questions[: args.compare])
    accuracy = dev_accuracy(contenders, args.dev)
    services.close()
    return {
        "in_process": latency,
        "rss_default_mb": rss_default,
        "units": len(assistant.snapshot.units),
        "compare": compared,
        "dev_accuracy": accuracy,
    }


def _scale(docs: int, workdir: Path) -> dict:
    print(f"scale {docs} documents ...", file=sys.stderr, flush=True)
    target = workdir / f"scale_{docs}"
    proc = subprocess.run(
        [sys.executable, "-m", "bench.scale", "--docs", str(docs), "--workdir", str(target)],
        capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        return {"docs": docs, "error": proc.stderr.strip().splitlines()[-1:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _serve_first_answer(workdir: Path) -> dict:
    from bench.e2e import serve_first_answer

    try:
        return serve_first_answer(workdir)
    except AssertionError as exc:  # the table says what failed instead of a traceback
        return {"serve_first_answer_s": f"failed: {exc}"}


def _end_to_end(args: argparse.Namespace, workdir: Path) -> dict:
    """Run the end-to-end bench in a process of its own, as `serve` has (not in this one,
    which by now holds the in-process sections' objects)."""
    proc = subprocess.run(
        [sys.executable, "-m", "bench.e2e", "--workdir", str(workdir),
         "--chats", str(args.e2e_chats), "--per-chat", str(args.e2e_per_chat),
         "--paced-seconds", str(args.e2e_paced_seconds)],
        capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        return {"error": " ".join(proc.stderr.strip().splitlines()[-1:]) or "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _workers(args: argparse.Namespace, workdir: Path) -> dict:
    """One worker vs two on one PostgreSQL, limiter off (bench.workers), in processes of
    their own; the reason when there is no PostgreSQL to run them on."""
    command = [sys.executable, "-m", "bench.workers", "--workdir", str(workdir / "workers"),
               "--updates", str(args.workers_updates)]
    proc = subprocess.run(
        command + (["--pg", args.pg] if args.pg else []),
        capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        return {"error": " ".join(proc.stderr.strip().splitlines()[-1:]) or "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])
