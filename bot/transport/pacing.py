"""Pace message sends to Telegram's limits: ~30 a second in all, 1 a second per chat.

Each send takes a slot for its chat, waits for it, then takes one of the bot's overall slots
and waits again; the chat's slot then moves to that moment, since the overall queue may have
delayed the send. Overall slots are handed out in the order sends ask for them, so in a burst
a chat that asks once is served among the others, not after another chat's backlog. A chat's
own messages go out one after another (its updates are handled in order), which is what makes
the per-chat spacing hold. With several workers the slots
live in the database (db.rate_limits), since Telegram counts per bot token.
"""

from __future__ import annotations

import asyncio
import functools
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from db import rate_limits

# Calls that deliver a message count against the limits; chat actions, callback answers and
# the rest do not.
UNPACED_SENDS = frozenset({"sendChatAction"})
# Telegram measures on its side: aim a little under its limits so network jitter between two
# paced sends cannot make them look closer than allowed.
MARGIN = 1.05


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

    async def turn(self, chat_id: int | str) -> None:
        """Wait until a message to `chat_id` may go out."""


async def _until(moment: float) -> None:
    delay = moment - time.time()
    if delay > 0:
        await asyncio.sleep(delay)


class LocalPacer:
    """Slots kept in memory: one process sends for the bot."""

    def __init__(self, pace: Pace, max_chats: int = 10_000) -> None:
        self.pace = pace
        self.max_chats = max_chats
        self._last = 0.0
        self._chats: dict[int | str, float] = {}

    def _take(self, key: int | str | None, interval: float) -> float:
        now = time.time()
        last = self._last if key is None else self._chats.get(key, 0.0)
        slot = max(last + interval, now)
        if key is None:
            self._last = slot
        else:
            if len(self._chats) >= self.max_chats:
                self._chats = {k: v for k, v in self._chats.items() if v > now}
            self._chats[key] = slot
        return slot

    async def turn(self, chat_id: int | str) -> None:
        """Wait for the chat's slot, then for an overall one."""
        await _until(self._take(chat_id, self.pace.chat(chat_id)))
        slot = self._take(None, self.pace.overall)
        self._chats[chat_id] = max(self._chats.get(chat_id, 0.0), slot)
        await _until(slot)


class SharedPacer:
    """Slots kept in the database, shared by every worker of the bot."""

    def __init__(self, sessions: sessionmaker[Session], pace: Pace) -> None:
        self.sessions = sessions
        self.pace = pace
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="pacer")

    def _reserve(self, key: str, interval: float, chat_key: str | None = None) -> float:
        with self.sessions.begin() as session:
            slot = rate_limits.reserve(session, key, interval, time.time())
            if chat_key is not None:
                rate_limits.reserve(session, chat_key, 0.0, slot)
            return slot

    async def _take(self, key: str, interval: float, chat_key: str | None = None) -> float:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._thread, functools.partial(self._reserve, key, interval, chat_key)
        )

    async def turn(self, chat_id: int | str) -> None:
        """Wait for the chat's slot, then for an overall one."""
        chat_key = f"chat:{chat_id}"
        await _until(await self._take(chat_key, self.pace.chat(chat_id)))
        await _until(await self._take("send", self.pace.overall, chat_key))

    def close(self) -> None:
        """Let the pacer's thread end."""
        self._thread.shutdown(wait=False)
