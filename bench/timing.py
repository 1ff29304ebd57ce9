"""Timers, percentiles, a calibration figure and memory readings."""

from __future__ import annotations

import math
import os
import resource
import time
from collections.abc import Callable, Sequence

import psutil


def percentile(values: Sequence[float], q: float) -> float:
    """Return the q-th percentile (0-100) by nearest rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))
    return ordered[rank]


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    """Return p50/p99/max in milliseconds and the rate per second."""
    total = sum(seconds)
    return {
        "p50_ms": percentile(seconds, 50) * 1000,
        "p99_ms": percentile(seconds, 99) * 1000,
        "max_ms": max(seconds) * 1000 if seconds else float("nan"),
        "per_s": len(seconds) / total if total else float("nan"),
    }


def calibration_ms(repeats: int = 5) -> float:
    """Time a fixed pure-Python workload; compare other figures only within one run."""

    def work() -> int:
        acc = 0
        for i in range(200_000):
            acc = (acc + i * i) % 1_000_003
        return acc

    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return percentile(timings, 50) * 1000


def rss_mb() -> float:
    """Return this process's resident set size now, in MB."""
    try:
        with open(f"/proc/{os.getpid()}/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        return peak_rss_mb()


def uss_mb() -> float:
    """Return this process's private memory (USS) in MB: what it alone holds, not counting
    file pages it maps (the OS's cache, shared and reclaimable)."""
    return psutil.Process().memory_full_info().uss / 1e6


def peak_rss_mb() -> float:
    """Return this process's peak resident set size, in MB.

    VmHWM, not ru_maxrss: Linux starts a child's ru_maxrss at its parent's RSS when it forks,
    so a child of a large bench process would report the parent's size.
    """
    return _status_mb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_split_mb() -> dict[str, float]:
    """Return this process's resident memory now, split: anonymous (heap) and mapped files."""
    return {"rss_anon_mb": _status_mb("RssAnon"), "rss_file_mb": _status_mb("RssFile")}


def _status_mb(field: str) -> float:
    """Read one kB field of /proc/self/status as MB (0.0 where there is no /proc)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def time_call(fn: Callable[[], object]) -> float:
    """Return the seconds one call of `fn` takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start
