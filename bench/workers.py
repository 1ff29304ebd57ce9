"""Several workers on one PostgreSQL, the send limiter off: does a second worker add throughput?

Two worker processes (`python -m bench.workers --serve`: BotRunner with a webhook, Telegram's
send pacing off, everything else as `serve --webhook` runs it: update claims, shared per-user
limit, journal, question log) share one PostgreSQL; the fake Bot API runs in a child process
(bench.e2e.ServerProcess) and counts the replies. This process plays Telegram: it posts every
update over kept-alive connections. The same N updates go first all to one worker (the other
idles), then half to each; updates/s is N over the time from the first post to the last reply.

On a 2-core machine the ratio can reach 2 only if each update's CPU dominates: the fake, the
poster and PostgreSQL take their share of the same cores, and any row every update locks
(a claim, a rate state, the journal) serialises the workers.

`python -m bench.workers --pg URL --workdir DIR` prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from bench.e2e import ServerProcess
from bot.telegram.webhook import SECRET_HEADER
from devtools.fake_bot_api import TOKEN, message_update

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-workers-secret"
FIRST_USER = 900_000
QUESTIONS = (
    "上半年州外到位资金增长多少",
    "2021年上半年新签约项目多少个",
    "固定资产投资完成情况",
    "招商引资工作有哪些措施",
    "你好",
)
CONNECTIONS = 16  # Telegram opens up to 40 to a webhook


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    try:
        ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0, 0.0
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    hz = os.sysconf("SC_CLK_TCK")
    return (sum(ticks) - idle) / hz, sum(ticks) / hz


def _cpu_seconds(pid: int | None) -> float:
    """User + system CPU of a process so far (Linux /proc), 0 where there is none."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class WebhookChild:
    """A worker process serving a webhook on a port of its own (the caller starts it)."""

    process: subprocess.Popen

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/hook"

    def listening(self) -> bool:
        """Tell whether the webhook accepts connections yet."""
        try:
            socket.create_connection(("127.0.0.1", self.port), 0.5).close()
            return True
        except OSError:
            return False

    def stop(self, grace: float = 20.0) -> None:
        """SIGTERM, then SIGKILL after `grace` seconds."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.kill()


class Worker(WebhookChild):
    """One bench worker process on the shared database."""

    def __init__(self, name: str, api_url: str, db_url: str, workdir: Path, users: int) -> None:
        super().__init__()
        command = [sys.executable, "-m", "bench.workers", "--serve", "--name", name,
                   "--api", api_url, "--pg", db_url, "--workdir", str(workdir),
                   "--port", str(self.port), "--users", str(users)]
        self.process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )


def post_all(
    pairs: list[tuple[str, dict[str, Any]]], secret: str, connections: int = CONNECTIONS
) -> list[int]:
    """Post each body to its webhook URL over `connections` kept-alive connections, as
    Telegram does (a new connection per update made the poster the limit); return statuses."""
    local = threading.local()
    clients: list[httpx.Client] = []

    def post(pair: tuple[str, dict[str, Any]]) -> int:
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = httpx.Client(timeout=30)
            clients.append(client)
        url, body = pair
        return client.post(url, json=body, headers={SECRET_HEADER: secret}).status_code

    try:
        with ThreadPoolExecutor(connections) as pool:
            return list(pool.map(post, pairs))
    finally:
        for client in clients:
            client.close()


def _run_once(
    server: ServerProcess, targets: list[Worker], first_id: int, updates: int, chats: int
) -> dict[str, float]:
    """Post `updates` questions from `chats` chats, spread over `targets`; time the replies."""
    server.call("reset")
    pairs = []
    for i in range(updates):
        body = {"update_id": first_id + i, **message_update(FIRST_USER + i % chats,
                                                             QUESTIONS[i % len(QUESTIONS)])}
        pairs.append((targets[i % len(targets)].url, body))
    cpu = [_cpu_seconds(w.process.pid) for w in targets]
    others = _cpu_seconds(server.pid) + time.process_time()  # the fake and the poster
    busy, total = _machine_busy()
    started = time.monotonic()
    if set(post_all(pairs, SECRET)) != {200}:
        raise RuntimeError("a webhook did not answer 200")
    while server.call("wait_replies", updates, 0.5) < updates:
        if time.monotonic() - started > 300:
            raise RuntimeError("the workers did not answer every update within 300 s")
    seconds = time.monotonic() - started
    worker_cpu = sum(_cpu_seconds(w.process.pid) - c for w, c in zip(targets, cpu, strict=True))
    others = _cpu_seconds(server.pid) + time.process_time() - others
    busy, total = _machine_busy()[0] - busy, _machine_busy()[1] - total
    return {
        "updates_per_s": updates / seconds,
        "cpu_ms_per_update": worker_cpu / updates * 1000,
        "harness_cpu_ms_per_update": others / updates * 1000,
        # Cores busy on the whole machine meanwhile (every process, other jobs included) and
        # cores there are: when busy is near all, the machine, not the bot, set the ratio.
        "machine_busy_cores": busy / seconds,
        "bench_cores": (worker_cpu + others) / seconds,  # workers, fake, poster (no PostgreSQL)
        "machine_cores": total / seconds,
    }


def compare(db_url: str | None, workdir: Path, updates: int = 600, chats: int = 200) -> dict:
    """One worker vs two on one PostgreSQL, limiter off; a reason instead when there is none."""
    if not db_url or not db_url.startswith("postgresql"):
        return {"skipped": "no PostgreSQL URL given (bench --pg URL): SQLite hosts one worker"}
    workdir.mkdir(parents=True, exist_ok=True)
    with ServerProcess(first_update_id=1) as server:
        workers = [Worker(f"bench-w{i}", server.url, db_url, workdir, chats) for i in (1, 2)]
        try:
            deadline = time.monotonic() + 180
            while not all(w.listening() for w in workers):
                if any(w.process.poll() is not None for w in workers):
                    return {"error": "a worker did not start (run it with --serve to see why)"}
                if time.monotonic() > deadline:
                    return {"error": "the workers did not start within 180 s"}
                time.sleep(0.5)
            base = int(time.time() * 1000) % 1_000_000_000  # new ids on a reused database
            _run_once(server, workers, base, 40, 40)  # warm-up: connections, caches
            one = _run_once(server, workers[:1], base + 100, updates, chats)
            two = _run_once(server, workers, base + 100 + updates, updates, chats)
        finally:
            for worker in workers:
                worker.stop()
    return {
        "updates": updates,
        "one_updates_per_s": one["updates_per_s"],
        "two_updates_per_s": two["updates_per_s"],
        "ratio": two["updates_per_s"] / one["updates_per_s"],
        # What the ratio would be if CPU were the only limit and each worker had a core of its
        # own: two workers' rate over one's, from their CPU per update alone.
        "cpu_bound_ratio": 2 * one["cpu_ms_per_update"] / two["cpu_ms_per_update"],
        **{f"one_{k}": v for k, v in one.items() if k != "updates_per_s"},
        **{f"two_{k}": v for k, v in two.items() if k != "updates_per_s"},
        "load_average": os.getloadavg()[0],
    }


def _serve(args: argparse.Namespace) -> int:
    """Child: one worker, webhook on --port, pacing off, until SIGTERM."""
    import asyncio
    import logging

    from bot.bootstrap import build_services
    from bot.settings import Settings
    from bot.telegram.delivery import DeliveryPolicy
    from bot.telegram.runner import BotRunner, WebhookConfig

    logging.basicConfig(level=logging.WARNING)
    settings = Settings(
        database_url=args.pg,
        var_dir=args.workdir,
        telegram_bot_token=TOKEN,
        telegram_api_base_url=args.api,
        allowed_user_ids=list(range(FIRST_USER, FIRST_USER + args.users)),
        admin_user_ids=[],
        user_rate_per_minute=1_000_000,  # the shared throttle still runs, but never refuses
        worker_name=args.name,
        log_level="WARNING",
    )
    services = build_services(settings)
    url = f"http://127.0.0.1:{args.port}/hook"
    webhook = WebhookConfig(url, "127.0.0.1", args.port, SECRET)

    async def run() -> None:
        runner = BotRunner(services, DeliveryPolicy(overall_max_rate=0), webhook)
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, runner.request_stop)
        await runner.start()
        try:
            await runner.wait()
        finally:
            await runner.stop()

    try:
        asyncio.run(run())
    finally:
        services.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the comparison (or, with --serve, one worker) and print JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--pg", default=None, help="PostgreSQL URL the workers share")
    parser.add_argument("--updates", type=int, default=600)
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--name", default="bench-w", help=argparse.SUPPRESS)
    parser.add_argument("--api", default="", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--users", type=int, default=200, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        return _serve(args)
    try:
        result = compare(args.pg, args.workdir, args.updates, args.chats)
    except RuntimeError as exc:
        result = {"error": str(exc)}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
