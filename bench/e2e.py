"""End to end: the real PTB Application and our durable transport against the fake Bot API.

`end_to_end` runs BotRunner (durable polling, update journal, question log, rate limiter,
retries) in this process against devtools/fake_bot_api.py on 127.0.0.1. The fake server
runs in a child process, as Telegram is another machine: in this process it would share the GIL
with the bot and the figures would be the sum of both. First a burst (every chat sends its
questions at once), then a steady feed at a fixed rate. Replies are paired with updates per chat
in order (the dispatcher keeps each chat's order), so a latency is "update queued at the server
-> its sendMessage received by the server", both stamped by the server on one monotonic clock.

`serve_first_answer` times a real `run_bot.py serve` child from process start to its first
answer, with a question already queued, and reads the child's peak RSS.

`python -m bench.e2e --workdir DIR` runs end_to_end in a process of its own (as `serve` has
one) and prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.timing import percentile
from bot.telegram.echo_anchor import start_echo_bot, stop_echo_bot
from devtools.fake_bot_api import TOKEN, Call, FakeBotAPI, message_update

if TYPE_CHECKING:
    from bot.services import Services
    from bot.telegram.delivery import DeliveryPolicy
    from bot.telegram.runner import BotRunner

ROOT = Path(__file__).resolve().parents[1]
FIRST_USER = 700_000
WARM_UP = 20
REPLY_METHODS = ("sendMessage", "sendPhoto", "sendDocument")
FIRST_QUESTION = "上半年州外到位资金增长多少"


class TimedAPI(FakeBotAPI):
    """The fake server, also noting when each chat's updates were queued and answered."""

    def __init__(self, first_update_id: int = 1) -> None:
        super().__init__(light=True)
        self._ids = itertools.count(first_update_id)  # ids grow across runs, as Telegram's do
        self.queued: dict[int, list[float]] = defaultdict(list)
        self.replied: dict[int, list[float]] = defaultdict(list)
        self.replies = 0
        self.other_replies = 0  # photos and documents: the workload should cause none
        self.apologies = 0

    def ask(self, chat_id: int, text: str) -> None:
        """Queue one question from a private chat and note when."""
        with self._cond:  # the stamp and the queue position must agree for the pairing
            self.queued[chat_id].append(time.monotonic())
            self.add_update(message_update(chat_id, text))

    def record(self, call: Call) -> None:
        if call.ok and call.method in REPLY_METHODS:
            with self._cond:
                if call.method != "sendMessage":
                    self.other_replies += 1
                else:
                    self.replies += 1
                    self.replied[int(call.params.get("chat_id", 0))].append(call.at)
                    self.apologies += "出错了" in str(call.params.get("text", ""))
        super().record(call)

    def reset(self) -> None:
        """Forget what was queued and answered so far (after a warm-up or a phase)."""
        with self._cond:
            self.queued.clear()
            self.replied.clear()
            self.replies = self.other_replies = self.apologies = 0
            self.calls.clear()

    def feed(self, users: list[int], texts: list[str], rate: float, seconds: float) -> int:
        """Queue `rate` questions per second for `seconds`, on a fixed schedule."""
        total = int(rate * seconds)
        start = time.monotonic()
        for i in range(total):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self.ask(users[i % len(users)], texts[i % len(texts)])
        return total

    def wait_replies(self, expected: int, timeout: float) -> int:
        """Wait up to `timeout` s for `expected` replies; return how many there are."""
        self.wait_for(lambda: self.replies >= expected, timeout)
        return self.replies

    def snapshot(self) -> dict[str, Any]:
        """Return what was queued and answered, per chat."""
        with self._cond:
            return {
                "queued": {c: list(v) for c, v in self.queued.items()},
                "replied": {c: list(v) for c, v in self.replied.items()},
                "other_replies": self.other_replies,
                "apologies": self.apologies,
            }


def _server_main(conn: Connection, first_update_id: int) -> None:
    """Child process: run a TimedAPI and answer the parent's calls until told to stop."""
    with TimedAPI(first_update_id) as api:
        conn.send(api.url)
        while True:
            name, args = conn.recv()
            if name == "stop":
                conn.send(None)
                return
            if name == "ask_many":
                for chat_id, text in args[0]:
                    api.ask(chat_id, text)
                conn.send(None)
            else:
                conn.send(getattr(api, name)(*args))


class ServerProcess:
    """A TimedAPI in a child process, driven over a pipe (one call at a time)."""

    def __init__(self, first_update_id: int = 1) -> None:
        context = multiprocessing.get_context("spawn")  # no fork of a loaded, threaded parent
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_server_main, args=(child, first_update_id), daemon=True
        )
        self._process.start()
        self.url: str = self._receive()

    def _receive(self) -> Any:
        # A child that died (say, spawned from a __main__ without a guard) must not hang us.
        while not self._conn.poll(0.5):
            if not self._process.is_alive():
                raise RuntimeError("the fake Bot API process died")
        return self._conn.recv()

    @property
    def pid(self) -> int | None:
        """The child's process id."""
        return self._process.pid

    def call(self, name: str, *args: Any) -> Any:
        """Call a TimedAPI method in the child and return its result."""
        self._conn.send((name, args))
        return self._receive()

    def close(self) -> None:
        """Stop the child."""
        try:
            if self._process.is_alive():
                self.call("stop")
        finally:
            self._process.join(5)
            if self._process.is_alive():
                self._process.kill()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class Phase:
    """What one phase measured."""

    updates: int
    seconds: float
    cpu_seconds: float = 0.0  # the whole process (the fake server is another one)
    loop_cpu_seconds: float = 0.0  # the event loop's thread: PTB, HTTP, dispatching
    latencies: list[float] = field(default_factory=list)
    lost: int = 0
    doubled: int = 0
    other_replies: int = 0
    apologies: int = 0

    def check(self, name: str) -> None:
        """Every update must get exactly one reply (a text message, not an apology)."""
        assert not (self.lost or self.doubled or self.other_replies or self.apologies), (
            f"{name}: {self.lost} updates lost, {self.doubled} answered twice, "
            f"{self.other_replies} non-text replies, {self.apologies} apologies"
        )


def _pair(result: dict[str, Any], updates: int) -> Phase:
    """Pair each chat's replies with its updates in order; count lost and doubled ones."""
    queued, replied = result["queued"], result["replied"]
    first = min((t for stamps in queued.values() for t in stamps), default=0.0)
    last = max((t for stamps in replied.values() for t in stamps), default=first)
    phase = Phase(
        updates, last - first, other_replies=result["other_replies"], apologies=result["apologies"]
    )
    for chat in queued.keys() | replied.keys():
        asked, answered = queued.get(chat, []), replied.get(chat, [])
        phase.lost += max(0, len(asked) - len(answered))
        phase.doubled += max(0, len(answered) - len(asked))
        phase.latencies += [a - q for q, a in zip(asked, answered, strict=False)]
    return phase


def _questions(services: Services, count: int) -> list[str]:
    """The bench's mixed workload without pasted proposals (those are answered with a file)."""
    from bench.workload import build_questions

    assert services.assistant is not None
    questions = build_questions(services.assistant.snapshot, count * 2 + 100)
    texts = [q.text for q in questions if q.kind != "long"]
    return texts[:count]


class Driver:
    """Drive the server child from the bot's event loop without blocking it."""

    def __init__(self, server: ServerProcess, runner: BotRunner) -> None:
        self.server = server
        self.runner = runner
        # Its own thread: waiting on the server in the loop's default executor would take a
        # worker from the bot's handlers.
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="bench-driver")

    async def call(self, name: str, *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._thread, lambda: self.server.call(name, *args))

    def close(self) -> None:
        self._thread.shutdown()

    async def wait(self, expected: int, timeout: float) -> None:
        """Wait until `expected` replies arrived, failing early if the update loop died."""
        deadline = time.monotonic() + timeout
        while await self.call("wait_replies", expected, 0.2) < expected:
            self.runner.check()
            if time.monotonic() > deadline:
                return  # _pair() counts what is missing as lost

    async def settle(self, seconds: float = 0.5) -> None:
        """Give redelivered or retried updates a moment to show up as doubled replies."""
        await asyncio.sleep(seconds)

    async def burst(self, users: list[int], texts: list[str], per_chat: int) -> Phase:
        """Every chat sends `per_chat` questions at once, interleaved as many people typing."""
        asks = [
            (user, texts[(k * len(users) + i) % len(texts)])
            for k in range(per_chat)
            for i, user in enumerate(users)
        ]
        cpu, loop_cpu = time.process_time(), time.thread_time()  # this thread runs the loop
        await self.call("ask_many", asks)
        await self.wait(len(asks), timeout=120)
        cpu, loop_cpu = time.process_time() - cpu, time.thread_time() - loop_cpu
        await self.settle()
        phase = _pair(await self.call("snapshot"), len(asks))
        phase.cpu_seconds, phase.loop_cpu_seconds = cpu, loop_cpu
        return phase

    async def paced(
        self, users: list[int], texts: list[str], rate: float, seconds: float
    ) -> Phase:
        """A steady stream at `rate` updates/s (fed by the server child, so never slowed)."""
        total = await self.call("feed", users, texts, rate, seconds)
        await self.wait(total, timeout=60)
        await self.settle()
        return _pair(await self.call("snapshot"), total)


async def _run(
    workdir: Path,
    chats: int,
    per_chat: int,
    paced_rate: float,
    paced_seconds: float,
    database_url: str | None,
    policy: DeliveryPolicy | None,
) -> dict:
    from bot.bootstrap import build_services
    from bot.settings import Settings
    from bot.telegram.delivery import DeliveryPolicy
    from bot.telegram.runner import BotRunner

    users = list(range(FIRST_USER, FIRST_USER + chats))
    for old in workdir.glob("e2e.db*"):
        old.unlink()
    with ServerProcess() as server:
        settings = Settings(
            database_url=database_url or f"sqlite:///{workdir / 'e2e.db'}",
            var_dir=workdir,
            telegram_bot_token=TOKEN,
            telegram_api_base_url=server.url,
            allowed_user_ids=users,
            admin_user_ids=[],
            user_rate_per_minute=1_000_000,  # the throttle still runs, but never refuses
        )
        services = await asyncio.to_thread(build_services, settings)
        texts = _questions(services, chats * per_chat)
        # The production policy except Telegram's 30 messages/s cap (the fake server has none)
        # and a short long-poll, so that stopping is quick.
        policy = policy or DeliveryPolicy(overall_max_rate=0, poll_timeout=1)
        try:
            async with BotRunner(services, policy) as runner:
                drive = Driver(server, runner)
                try:
                    # Warm-up: connections, caches and first-call imports are not measured.
                    warm = [(u, FIRST_QUESTION) for u in users[:WARM_UP]]
                    await drive.call("ask_many", warm)
                    await drive.wait(len(warm), timeout=60)
                    await drive.call("reset")
                    burst = await drive.burst(users, texts, per_chat)
                    await drive.call("reset")
                    paced = await drive.paced(users, texts, paced_rate, paced_seconds)
                finally:
                    drive.close()
        finally:
            services.close()
        anchor = await _echo_anchor(server, users, texts, per_chat)
    burst.check("burst")
    paced.check("paced")
    ours = burst.updates / burst.seconds
    return {
        "anchor_updates_per_s": anchor["updates_per_s"],
        "anchor_cpu_ms_per_update": anchor["cpu_ms_per_update"],
        "ours_vs_anchor": ours / anchor["updates_per_s"] if anchor["updates_per_s"] else None,
        "chats": chats,
        "updates": burst.updates,
        "updates_per_s": burst.updates / burst.seconds,
        "p50_ms": percentile(burst.latencies, 50) * 1000,
        "p99_ms": percentile(burst.latencies, 99) * 1000,
        "cpu_ms_per_update": burst.cpu_seconds / burst.updates * 1000,
        "loop_cpu_ms_per_update": burst.loop_cpu_seconds / burst.updates * 1000,
        "paced_rate": paced_rate,
        "paced_updates": paced.updates,
        "paced_p50_ms": percentile(paced.latencies, 50) * 1000,
        "paced_p99_ms": percentile(paced.latencies, 99) * 1000,
        "lost": burst.lost + paced.lost,
        "doubled": burst.doubled + paced.doubled,
    }


async def _echo_anchor(
    server: ServerProcess, users: list[int], texts: list[str], per_chat: int
) -> dict[str, float]:
    """The same burst through a minimal PTB echo bot, after ours has stopped."""
    loop = asyncio.get_running_loop()

    async def call(name: str, *args: Any) -> Any:
        return await loop.run_in_executor(None, lambda: server.call(name, *args))

    asks = [
        (user, texts[(k * len(users) + i) % len(texts)])
        for k in range(per_chat)
        for i, user in enumerate(users)
    ]
    echo = await start_echo_bot(server.url, TOKEN)
    try:
        await call("reset")
        cpu, started = time.process_time(), time.monotonic()
        await call("ask_many", asks)
        while await call("wait_replies", len(asks), 0.5) < len(asks):
            if time.monotonic() - started > 120:
                break
        seconds, cpu = time.monotonic() - started, time.process_time() - cpu
    finally:
        await stop_echo_bot(echo)
    return {
        "updates_per_s": len(asks) / seconds,
        "cpu_ms_per_update": cpu / len(asks) * 1000,
    }


def end_to_end(
    workdir: Path,
    chats: int = 100,
    per_chat: int = 15,
    paced_rate: float = 100.0,
    paced_seconds: float = 10.0,
    database_url: str | None = None,
    policy: DeliveryPolicy | None = None,
) -> dict:
    """Burst and paced runs through the real Application; raise if any update is lost/doubled.

    `chats` distinct allowed users each send `per_chat` questions in the burst; the paced
    phase then feeds `paced_rate` updates/s for `paced_seconds`. Runs in its own event loop.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.WARNING)  # per-update INFO lines would be measured too
    try:
        return asyncio.run(
            _run(workdir, chats, per_chat, paced_rate, paced_seconds, database_url, policy)
        )
    finally:
        root.setLevel(level)


# --- `serve` to first answer --------------------------------------------------------------------


def _serve_once(workdir: Path, first_update_id: int) -> tuple[float, float, int]:
    """Start `serve` with one question queued; return (seconds to answer, peak RSS MB, replies).

    The fake server runs in a thread here: the bot is the child process.
    """
    with TimedAPI(first_update_id) as api:
        user = FIRST_USER
        api.ask(user, FIRST_QUESTION)
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": api.url,
            "DATABASE_URL": f"sqlite:///{workdir / 'serve.db'}",
            "VAR_DIR": str(workdir),
            "ALLOWED_USER_IDS": str(user),
            "ADMIN_USER_IDS": "",
            "LOG_LEVEL": "WARNING",
        }
        started = time.monotonic()
        child = subprocess.Popen(
            [sys.executable, "run_bot.py", "serve", "--poll-timeout", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            answered = api.wait_for(lambda: api.replies >= 1, timeout=60)
            seconds = api.replied[user][0] - started if answered else float("nan")
            time.sleep(0.3)  # a second answer to the same question would show up now
            peak = _peak_rss_mb(child.pid)
        finally:
            child.send_signal(signal.SIGTERM)
            killer = threading.Timer(20, child.kill)  # a stuck child must not hang the bench
            killer.start()
            _, status, usage = os.wait4(child.pid, 0)
            killer.cancel()
            child.returncode = os.waitstatus_to_exitcode(status)
        return seconds, peak if peak is not None else usage.ru_maxrss / 1024, api.replies


def _peak_rss_mb(pid: int) -> float | None:
    """The child's own peak RSS (VmHWM), or None where /proc has no such line.

    Not wait4's ru_maxrss: that also counts the parent's pages at the fork, so a child of a
    200 MB bench process "peaks" at 200 MB even if it never uses that much.
    """
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def serve_first_answer(workdir: Path, runs: int = 3) -> dict:
    """Median seconds from starting `serve` to its first answer, and the child's peak RSS."""
    workdir.mkdir(parents=True, exist_ok=True)
    for old in workdir.glob("serve.db*"):  # its journal knows the update ids of a last bench
        old.unlink()
    # Warm-up, not counted: builds the database, the model and jieba's cache, as a deployment
    # has them before any restart.
    _, _, replies = _serve_once(workdir, 1)
    assert replies == 1, "serve did not answer (run `python run_bot.py serve` to see why)"
    times, peaks = [], []
    for run in range(1, runs + 1):
        seconds, peak, replies = _serve_once(workdir, run * 1000 + 1)
        assert replies == 1, f"serve answered {replies} times instead of once"
        times.append(seconds)
        peaks.append(peak)
    return {
        "serve_first_answer_s": percentile(times, 50),
        "serve_peak_rss_mb": max(peaks),
        "serve_runs": runs,
    }


def main(argv: list[str] | None = None) -> int:
    """Run end_to_end and print its figures (or what failed) as one JSON line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--chats", type=int, default=100)
    parser.add_argument("--per-chat", type=int, default=15)
    parser.add_argument("--paced-rate", type=float, default=100.0)
    parser.add_argument("--paced-seconds", type=float, default=10.0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    try:
        result = end_to_end(
            args.workdir, args.chats, args.per_chat, args.paced_rate, args.paced_seconds
        )
    except AssertionError as exc:  # lost or doubled replies: the report says so
        result = {"error": f"failed: {exc}"}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
