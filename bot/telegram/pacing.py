"""Pace message sends to Telegram's limits: ~30 a second in all, 1 a second per chat.

Each send waits for its chat's turn (without holding a connection), then for an overall slot
right before it goes out; the chat's turn then moves to that moment, since the overall queue
may have delayed the send. Overall slots go in the order sends ask for them, so in a burst a
chat that asks once is served among the others, not after another chat's backlog. A chat's own
messages go out one after another (its updates are handled in order), which is what makes the
per-chat spacing hold. With several workers the slots
live in the database (db.rate_limits), since Telegram counts per bot token.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Engine

from db import rate_limits

# Calls that deliver a message count against the limits; chat actions, callback answers and
# the rest do not.
UNPACED_SENDS = frozenset({"sendChatAction"})
# Telegram measures on its side: aim a little under its limits so network jitter between two
# paced sends cannot make them look closer than allowed.
MARGIN = 1.05
LATE_RETRIES = 2


def is_paced(endpoint: str) -> bool:
    """Tell whether a Bot API method delivers a message."""
    return (
        endpoint.startswith("send") and endpoint not in UNPACED_SENDS
    ) or endpoint in ("copyMessage", "copyMessages", "forwardMessage", "forwardMessages")


@dataclass(frozen=True)
class Pace:
    """Seconds between two messages: overall, in one private chat, in one group."""

    overall: float
    private: float
    group: float
    window: int = 28  # messages one process lets out in any second (Telegram counts 30)

    @classmethod
    def of(cls, overall_per_second: float, group_per_minute: float) -> Pace:
        """Build from Telegram's published rates, with the safety margin."""
        return cls(
            overall=MARGIN / overall_per_second,
            private=MARGIN,
            group=MARGIN * 60.0 / group_per_minute if group_per_minute else MARGIN,
        )

    def chat(self, chat_id: int | str) -> float:
        """Seconds between two messages to one chat (groups and channels are slower)."""
        return self.private if isinstance(chat_id, int) and chat_id > 0 else self.group


class Pacer(Protocol):
    """Hands out send slots and waits for them."""

    async def chat_turn(self, chat_id: int | str) -> None:
        """Wait until the chat may get its next message (no connection held meanwhile)."""

    async def send_turn(self, chat_id: int | str) -> None:
        """Wait for an overall slot, right before the message goes out."""


async def _until(moment: float) -> None:
    delay = moment - time.time()
    if delay > 0:
        await asyncio.sleep(delay)


class Window:
    """Messages this process actually sent in the last second, kept under a count.

    Slots are spaced evenly, but a stalled event loop wakes several late sends at once; this
    guard, on the moments the sends really go out, keeps such a bunch under Telegram's count.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._sent: deque[float] = deque()

    async def admit(self) -> float:
        """Wait until one more send fits; record it and return its moment."""
        while True:
            now = time.time()
            while self._sent and self._sent[0] <= now - 1.0:
                self._sent.popleft()
            if len(self._sent) < self.limit:
                self._sent.append(now)
                return now
            await asyncio.sleep(self._sent[0] + 1.0 - now)


class LocalPacer:
    """Slots kept in memory: one process sends for the bot."""

    def __init__(self, pace: Pace, max_chats: int = 10_000) -> None:
        self.pace = pace
        self.max_chats = max_chats
        self._last = 0.0
        self._chats: dict[int | str, float] = {}
        self._window = Window(pace.window)
        self._order = asyncio.Lock()  # FIFO: sends go out in the order they asked

    async def chat_turn(self, chat_id: int | str) -> None:
        """Wait until the chat's previous message is `pace.chat` seconds old."""
        now = time.time()
        slot = max(self._chats.get(chat_id, 0.0) + self.pace.chat(chat_id), now)
        if len(self._chats) >= self.max_chats:
            self._chats = {k: v for k, v in self._chats.items() if v > now}
        self._chats[chat_id] = slot
        await _until(slot)

    async def send_turn(self, chat_id: int | str) -> None:
        """Wait for the next overall slot (`pace.overall` after the last), then go."""
        async with self._order:
            # Slots count from the last slot, not from when it really went: wake-up delays
            # then do not add up; after a stall the next slot is simply now.
            self._last = max(self._last + self.pace.overall, time.time())
            await _until(self._last)
            sent = await self._window.admit()
        self._chats[chat_id] = max(self._chats.get(chat_id, 0.0), sent)


class SharedPacer:
    """Slots kept in the database, shared by every worker of the bot."""

    def __init__(self, engine: Engine, pace: Pace) -> None:
        # Each reservation is one autocommitted statement: in a transaction, the shared "send"
        # row stayed locked until this process got round to committing, and a worker stalled
        # there (the GIL, a busy core) held every other worker's sends up with it.
        self.engine = engine.execution_options(isolation_level="AUTOCOMMIT")
        self.pace = pace
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="pacer")
        self._window = Window(pace.window)

    def _reserve(self, key: str, interval: float, chat_key: str | None = None) -> float:
        with self.engine.connect() as connection:
            slot = rate_limits.reserve(connection, key, interval, time.time())
            if chat_key is not None:  # the chat's next turn counts from this slot
                rate_limits.reserve(connection, chat_key, 0.0, slot)
            return slot

    async def _take(self, key: str, interval: float, chat_key: str | None = None) -> float:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._thread, functools.partial(self._reserve, key, interval, chat_key)
        )

    async def chat_turn(self, chat_id: int | str) -> None:
        """Wait for the chat's slot (shared by every worker)."""
        await _until(await self._take(f"chat:{chat_id}", self.pace.chat(chat_id)))

    async def send_turn(self, chat_id: int | str) -> None:
        """Wait for an overall slot shared by every worker; a slot missed by a stall is
        given up for a new one, so late sends never bunch with the punctual ones.

        Slots are reserved in the order sends ask (the pacer's one thread keeps it) and
        waited for apart. Holding the order across the wait, as LocalPacer may, left the
        shared budget unused during each reservation's round trip: two workers together sent
        slower than one.
        """
        for _ in range(LATE_RETRIES):
            slot = await self._take("send", self.pace.overall, f"chat:{chat_id}")
            await _until(slot)
            if time.time() - slot <= self.pace.overall:
                break
        await self._window.admit()

    def close(self) -> None:
        """Let the pacer's thread end."""
        self._thread.shutdown(wait=False)
