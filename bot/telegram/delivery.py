"""Delivery that survives faults: Telegram's rate limits plus retries on transient errors.

AIORateLimiter waits out a 429 `retry_after` (it retries only when max_retries > 0, and its
default is 0). On top of it, 5xx answers, timeouts and connection resets (PTB raises
NetworkError or TimedOut for these) are retried with exponential backoff, so a reply is not lost
to a hiccup. Client errors (BadRequest, Forbidden, InvalidToken) are never retried.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import AIORateLimiter

from bot.telegram.pacing import Pacer, is_paced

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeliveryPolicy:
    """How hard and how fast the bot talks to the Bot API."""

    overall_max_rate: float = 30.0  # Telegram: about 30 messages per second in total
    group_max_rate: float = 20.0  # and 20 per minute in one group
    max_retries: int = 6
    backoff_base: float = 0.5
    backoff_max: float = 20.0
    read_timeout: float = 10.0
    connect_timeout: float = 5.0
    poll_timeout: int = 25
    concurrency: int = 16  # updates handled at once (different chats)
    # Bot API calls in flight at once (getUpdates aside). httpcore walks its whole pool, with a
    # quadratic idle count, at every request and response, so a pool grown to 16 connections
    # cost about a fifth of the event loop's time; 8 still carry 40 calls/s at a 200 ms round
    # trip, above Telegram's 30 messages/s.
    connections: int = 8
    max_in_flight: int = 1000  # accepted but unfinished updates before polling pauses
    # Threads for handlers' blocking work (NLP, SQL). Few on purpose: they share one GIL with
    # the event loop, and with six (asyncio's default here) the switching cost a third of the
    # throughput; two still let a slow job (a long triage) leave room for everyone else.
    workers: int = 2
    # Under load, handled marks wait this long to share one transaction. A crash in that
    # window re-sends those replies after the restart (as in the instant before any mark).
    mark_delay: float = 0.005

    @property
    def paced(self) -> bool:
        """Tell whether sends are paced (an overall rate of 0 turns pacing off)."""
        return self.overall_max_rate > 0

    def backoff(self, attempt: int) -> float:
        """Return the wait before retry number `attempt` (1-based)."""
        return min(self.backoff_max, self.backoff_base * 2 ** (attempt - 1))


class RetryingRateLimiter(AIORateLimiter):
    """Paces sends, waits out 429s (AIORateLimiter) and retries transient failures.

    The pacing is ours (bot.telegram.pacing), not AIORateLimiter's: it also keeps to one
    message a second per chat, and can share its budget with other workers.
    """

    def __init__(self, policy: DeliveryPolicy, pacer: Pacer | None = None) -> None:
        super().__init__(overall_max_rate=0, group_max_rate=0, max_retries=policy.max_retries)
        self.policy = policy
        self.pacer = pacer
        self._calls = asyncio.Semaphore(policy.connections)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat_id = data.get("chat_id")
        paced = self.pacer is not None and chat_id is not None and is_paced(endpoint)

        async def call(*call_args: Any, **call_kwargs: Any) -> Any:
            if paced:
                assert self.pacer is not None and chat_id is not None
                await self.pacer.chat_turn(chat_id)
            # Only the HTTP call takes a slot: waits for a 429 or a backoff do not. The overall
            # pace is kept inside it, so no queue for a connection bunches paced sends.
            async with self._calls:
                if paced:
                    await self.pacer.send_turn(chat_id)
                return await callback(*call_args, **call_kwargs)

        attempt = 0
        while True:
            try:
                return await super().process_request(
                    call, args, kwargs, endpoint, data, rate_limit_args
                )
            except (BadRequest, RetryAfter):
                raise  # a client error will not heal; 429s were already retried above
            except NetworkError as exc:
                attempt += 1
                if attempt > self.policy.max_retries:
                    raise
                wait = self.policy.backoff(attempt)
                logger.warning(
                    "%s failed (%s); retry %d/%d in %.1fs",
                    endpoint,
                    type(exc).__name__,
                    attempt,
                    self.policy.max_retries,
                    wait,
                )
                await asyncio.sleep(wait)
