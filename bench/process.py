"""Whole-process figures: cold start of `ask` and peak RSS, measured on child processes."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.timing import percentile

ROOT = Path(__file__).resolve().parents[1]


# Runs run_bot.py in this interpreter and writes the process's own peak RSS (VmHWM) at exit.
# Not ru_maxrss from wait4: Linux starts a child's ru_maxrss at its parent's RSS when it
# forks, so a child of a bench process that holds a loaded assistant and the baselines
# reported the bench's ~200 MB, not its own.
_PEAK_PROBE = """
import atexit, os, runpy, sys
def _write_peak():
    with open("/proc/self/status") as status:
        peak = next((l.split()[1] for l in status if l.startswith("VmHWM:")), "0")
    with open(os.environ["BENCH_PEAK_FILE"], "w") as out:
        out.write(peak)
atexit.register(_write_peak)
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Run `python run_bot.py ARGS`; return (seconds, its own peak RSS MB, exit status)."""
    with tempfile.TemporaryDirectory() as tmp:
        peak_file = Path(tmp) / "peak"
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", _PEAK_PROBE, "run_bot.py", *args],
            cwd=ROOT,
            env={**env, "BENCH_PEAK_FILE": str(peak_file)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        try:
            peak = int(peak_file.read_text()) / 1024
        except (OSError, ValueError):  # no /proc: the inflated figure is all there is
            peak = usage.ru_maxrss / 1024
    return seconds, peak, proc.returncode


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
