"""Whole-process figures: cold start of `ask` and peak RSS, measured on child processes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bot.bench.timing import percentile

ROOT = Path(__file__).resolve().parents[2]


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Run `python run_bot.py ARGS`; return (seconds, peak RSS MB, exit status)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "run_bot.py", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024, proc.returncode


def cold_start_ask(
    db_url: str, question: str = "上半年州外到位资金增长多少", runs: int = 5
) -> dict:
    """Median wall time of a fresh `ask` process (after one warm-up that builds caches)."""
    env = {**os.environ, "DATABASE_URL": db_url}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    run_child(["ask", question], env)  # builds the base, the model and jieba's cache once
    times, peaks, codes = [], [], []
    for _ in range(runs):
        seconds, peak, code = run_child(["ask", question], env)
        times.append(seconds)
        peaks.append(peak)
        codes.append(code)
    return {
        "ask_cold_s": percentile(times, 50),
        "ask_peak_rss_mb": max(peaks),
        "ok": all(c == 0 for c in codes),
    }
