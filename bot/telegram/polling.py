"""Long polling that confirms an offset only once the updates before it are stored.

Stored is enough: a crash from then on is covered by the journal (DurableDispatcher.recover at
the next start), as for a webhook's 200. Waiting for the replies instead would keep Telegram
resending the same window of up to 100 updates, which the bot parses and looks up again on
every poll while one slow chat holds the window, and would cap the updates in flight at 100.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest

from bot.telegram.delivery import DeliveryPolicy
from bot.telegram.durable import DurableDispatcher
from bot.telegram.poison import Parsed, parse_items

logger = logging.getLogger(__name__)


class RawUpdatesRequest(HTTPXRequest):
    """The getUpdates request; it keeps the last answer's updates as Telegram sent them.

    PTB then sees an empty list: the poller parses each update on its own (one the library
    cannot read must not sink the batch), and the journal stores the raw JSON instead of
    PTB's Update.to_dict(), which took about a tenth of the event loop's time under load.
    """

    def __init__(self, policy: DeliveryPolicy) -> None:
        super().__init__(
            connection_pool_size=1,
            connect_timeout=policy.connect_timeout,
            read_timeout=policy.read_timeout,
        )
        self.items: list[Any] = []

    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:  # type: ignore[override]
        data = BaseRequest.parse_json_payload(payload)
        result = data.get("result") if isinstance(data, dict) else None
        if isinstance(result, list):
            self.items = result
            data["result"] = []
        return data


class DurablePoller:
    """Fetch with getUpdates, store, hand to the dispatcher, confirm what is stored."""

    def __init__(
        self,
        dispatcher: DurableDispatcher,
        policy: DeliveryPolicy,
        request: RawUpdatesRequest | None = None,
    ) -> None:
        self.dispatcher = dispatcher
        self.policy = policy
        self.request = request  # the Application's getUpdates request, if it is ours
        self.offset: int | None = None

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until `stop` is set; network trouble is waited out with backoff."""
        bot = self.dispatcher.application.bot
        failures = 0
        while not stop.is_set():
            try:
                batch = await self._fetch(bot, stop)
            except RetryAfter as exc:
                await _sleep(stop, retry_after_seconds(exc))
                continue
            except TimedOut:
                continue
            except (InvalidToken, Conflict):
                raise
            except TelegramError as exc:
                # NetworkError, or an answer that is not JSON at all: wait and ask again.
                failures += 1
                wait = self.policy.backoff(failures)
                logger.warning("getUpdates failed (%s); retrying in %.1fs", exc, wait)
                await _sleep(stop, wait)
                continue
            failures = 0
            if batch is None:
                break
            if batch.last_id is not None:
                await self._handle(batch, stop)
        await self.dispatcher.drain(self.policy.read_timeout)

    async def _handle(self, batch: Parsed, stop: asyncio.Event) -> None:
        """Store and start handling a batch, confirm it, and wait if too much is in flight."""
        dispatcher = self.dispatcher
        try:
            await dispatcher.set_aside(batch.poison)
            fresh = await dispatcher.accept(batch.updates, batch.raw)
        except SQLAlchemyError as exc:
            # Database locked or down: keep the offset so Telegram redelivers, and back off.
            logger.warning("could not store updates (%s); will fetch them again", exc)
            await _sleep(stop, self.policy.backoff(3))
            return
        for update in fresh:
            dispatcher.submit(update)
        assert batch.last_id is not None
        self.offset = batch.last_id + 1
        # Backpressure: a backlog waits at Telegram (and in the journal), not in memory.
        await dispatcher.room(self.policy.max_in_flight, stop)

    async def _fetch(self, bot, stop: asyncio.Event) -> Parsed | None:
        if self.request is not None:
            self.request.items = []  # an answer without a result list must not replay the last
        fetch = asyncio.ensure_future(
            bot.get_updates(
                offset=self.offset,
                timeout=self.policy.poll_timeout,
                read_timeout=self.policy.poll_timeout + self.policy.read_timeout,
                allowed_updates=Update.ALL_TYPES,
            )
        )
        stopper = asyncio.ensure_future(stop.wait())
        done, _ = await asyncio.wait({fetch, stopper}, return_when=asyncio.FIRST_COMPLETED)
        stopper.cancel()
        if fetch not in done:
            fetch.cancel()
            return None
        updates = list(fetch.result())
        if self.request is None:  # PTB parsed the batch itself (and raises on poison)
            parsed = Parsed(updates=updates)
            parsed.last_id = updates[-1].update_id if updates else None
            return parsed
        return parse_items(self.request.items, bot)


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    """Sleep, waking early when asked to stop."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


def retry_after_seconds(exc: RetryAfter) -> float:
    """Return a RetryAfter's wait in seconds (PTB gives an int or a timedelta)."""
    value = exc.retry_after
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)


async def run_polling(poller: DurablePoller, stop: asyncio.Event) -> None:
    """Drop any webhook (getUpdates refuses to work with one) and poll until stopped."""
    await poller.dispatcher.application.bot.delete_webhook(drop_pending_updates=False)
    await poller.run(stop)
