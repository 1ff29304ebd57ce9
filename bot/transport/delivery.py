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
    concurrency: int = 16

    def backoff(self, attempt: int) -> float:
        """Return the wait before retry number `attempt` (1-based)."""
        return min(self.backoff_max, self.backoff_base * 2 ** (attempt - 1))


class RetryingRateLimiter(AIORateLimiter):
    """AIORateLimiter that also retries transient network failures with backoff."""

    def __init__(self, policy: DeliveryPolicy) -> None:
        super().__init__(
            overall_max_rate=policy.overall_max_rate,
            group_max_rate=policy.group_max_rate,
            max_retries=policy.max_retries,
        )
        self.policy = policy

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        attempt = 0
        while True:
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
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
