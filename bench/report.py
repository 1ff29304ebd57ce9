"""Render bench results as the plain-text table the README keeps."""

from __future__ import annotations


def _f(value: object, digits: int = 2) -> str:
    return f"{value:.{digits}f}" if isinstance(value, int | float) else str(value)


def render_table(r: dict) -> str:
    """Return the whole report as text."""
    lines = [f"calibration (fixed Python loop): {_f(r['calibration_ms'], 1)} ms", ""]
    ip = r["in_process"]
    lines += [
        f"In process, {ip['count']} mixed questions, {r['units']} knowledge units:",
        f"  p50 {_f(ip['p50_ms'], 3)} ms  p99 {_f(ip['p99_ms'], 3)} ms  "
        f"max {_f(ip['max_ms'], 2)} ms  {_f(ip['per_s'], 0)} questions/s (one core)",
        "  by stage (mean µs): "
        + "  ".join(f"{k} {_f(v, 1)}" for k, v in ip["stages_us"].items()),
        f"  RSS with the default base loaded: {_f(r['rss_default_mb'], 0)} MB",
        "",
        "Side by side (round-robin, same questions and units):",
        f"  {'path':<15}{'p50 ms':>9}{'p99 ms':>9}{'ours faster':>13}{'dev acc':>9}",
    ]
    ours = r["compare"].get("ours", {})
    for name, stats in r["compare"].items():
        if name == "ours core":
            continue
        ratio = stats["p50_ms"] / ours["p50_ms"] if ours.get("p50_ms") else float("nan")
        acc = r["dev_accuracy"].get(name)
        lines.append(
            f"  {name:<15}{_f(stats['p50_ms'], 3):>9}{_f(stats['p99_ms'], 3):>9}"
            f"{_f(ratio, 1) + '×':>13}{(_f(acc * 100, 0) + '%') if acc is not None else '-':>9}"
        )
    core, naive = r["compare"].get("ours core"), r["compare"].get("naive sklearn")
    if core and naive:
        lines.append(
            f"  like for like (normalise, tokenise, classify, retrieve; no reply composed): "
            f"ours {_f(core['p50_ms'], 3)} ms vs naive {_f(naive['p50_ms'], 3)} ms p50 = "
            f"{_f(naive['p50_ms'] / core['p50_ms'], 1)}× faster"
        )
    lines += ["", "Scale (generated documents):",
              f"  {'docs':>6}{'units':>9}{'ingest p50':>12}{'ingest p99':>12}{'build s':>9}"
              f"{'train s':>9}{'load s':>8}"
              f"{'ans p50':>9}{'ans p99':>9}{'USS MB':>8}{'RSS MB':>8}{'upload s':>10}"]
    for s in r.get("scales", []):
        if "error" in s:
            lines.append(f"  {s['docs']:>6}  failed: {s['error']}")
            continue
        lines.append(
            f"  {s['docs']:>6}{s['units']:>9}{_f(s['ingest_ms_p50'] or 'reused', 1):>12}"
            f"{_f(s['ingest_ms_p99'] or 'reused', 1):>12}{_f(s.get('first_build_s', '-'), 1):>9}"
            f"{_f(s.get('train_s', '-'), 1):>9}{_f(s['index_load_s'], 2):>8}"
            f"{_f(s['answer_p50_ms'], 3):>9}{_f(s['answer_p99_ms'], 3):>9}"
            f"{_f(s.get('uss_mb', '-'), 0):>8}{_f(s['rss_mb'], 0):>8}"
            f"{_f(s.get('upload_to_answer_s', '-'), 2):>10}"
        )
    if "process" in r:
        p = r["process"]
        lines += [
            "",
            "Whole process:",
            f"  cold start of `ask` (median of 5): {_f(p.get('ask_cold_s'))} s, "
            f"peak RSS {_f(p.get('ask_peak_rss_mb'), 0)} MB",
        ]
        if "serve_first_answer_s" in p:
            lines.append(
                f"  `serve` to first answer (median of {p.get('serve_runs', '?')}, "
                f"question queued before start): {_f(p['serve_first_answer_s'])} s, "
                f"peak RSS {_f(p.get('serve_peak_rss_mb'), 0)} MB"
            )
    if "e2e" in r:
        e = r["e2e"]
        if "error" in e:
            lines += ["", f"End to end: {e['error']}"]
        else:
            lines += [
                "",
                "End to end (real PTB Application, fake Bot API on 127.0.0.1):",
                f"  {e['chats']} chats, {e['updates']} updates: "
                f"{_f(e['updates_per_s'], 0)} updates/s, reply p50 "
                f"{_f(e['p50_ms'], 1)} ms, p99 {_f(e['p99_ms'], 1)} ms",
            ]
            if "cpu_ms_per_update" in e:
                lines.append(f"  CPU per update {_f(e['cpu_ms_per_update'])} ms (event loop "
                             f"{_f(e.get('loop_cpu_ms_per_update'))} ms); lost "
                             f"{e.get('lost', '?')}, answered twice {e.get('doubled', '?')}")
            if e.get("anchor_updates_per_s"):
                lines.append(f"  minimal PTB echo bot, same burst, same run: "
                             f"{_f(e['anchor_updates_per_s'], 0)} updates/s, CPU "
                             f"{_f(e.get('anchor_cpu_ms_per_update'))} ms per update; ours "
                             f"{_f(e.get('ours_vs_anchor'), 2)}x its rate")
            lines += _workers_lines(e.get("workers"))
            if "paced_p99_ms" in e:
                p50 = f"p50 {_f(e['paced_p50_ms'], 1)} ms, " if "paced_p50_ms" in e else ""
                lines.append(
                    f"  paced at {_f(e['paced_rate'], 0)} updates/s: reply "
                    f"{p50}p99 {_f(e['paced_p99_ms'], 1)} ms"
                )
    return "\n".join(lines)


def _workers_lines(w: dict | None) -> list[str]:
    """One worker vs two on one PostgreSQL (bench.workers), or why it did not run."""
    if not w:
        return []
    if "skipped" in w or "error" in w:
        return [f"  one vs two workers: {w.get('skipped') or w.get('error')}"]
    return [
        f"  one vs two workers (webhook, one PostgreSQL, limiter off, {w['updates']} updates "
        f"each): {_f(w['one_updates_per_s'], 0)} vs {_f(w['two_updates_per_s'], 0)} updates/s, "
        f"ratio {_f(w['ratio'])}x (target 1.7x)",
        f"    CPU per update {_f(w['one_cpu_ms_per_update'], 1)} vs "
        f"{_f(w['two_cpu_ms_per_update'], 1)} ms in the workers, "
        f"{_f(w['one_harness_cpu_ms_per_update'], 1)} vs "
        f"{_f(w['two_harness_cpu_ms_per_update'], 1)} ms in the fake and the poster; machine "
        f"busy {_f(w['one_machine_busy_cores'], 1)} / {_f(w['two_machine_busy_cores'], 1)} "
        f"of {_f(w['one_machine_cores'], 0)} cores, of which these processes "
        f"{_f(w.get('one_bench_cores'), 1)} / {_f(w.get('two_bench_cores'), 1)} "
        f"(load average {_f(w['load_average'], 1)})",
        f"    CPU-bound ratio (a core per worker; 2 x CPU per update one / two): "
        f"{_f(w.get('cpu_bound_ratio'))}x",
    ]
