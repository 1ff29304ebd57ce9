"""At-least-once, de-duplicated update handling that survives a crash (even SIGKILL).

Every update is written to `received_updates` before it is handled and marked handled right
after its reply went out. Polling confirms an offset to Telegram only after the batch before it
was handled; a webhook answers 200 only once the update is stored. At start, stored unhandled
updates are handled first; an update_id already handled is skipped, which also de-duplicates
Telegram's redeliveries.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from telegram import Update
from telegram.ext import Application

from bot.transport.delivery import DeliveryPolicy
from db import bot_records

logger = logging.getLogger(__name__)


@dataclass
class FailureTracker:
    """Update ids whose handling hit a transient failure (set by the error handler)."""

    _failed: set[int] = field(default_factory=set)

    def fail(self, update_id: int) -> None:
        """Remember that an update must be retried."""
        self._failed.add(update_id)

    def pop(self, update_id: int) -> bool:
        """Tell whether an update failed, forgetting it."""
        if update_id in self._failed:
            self._failed.discard(update_id)
            return True
        return False


class UpdateJournal:
    """The received_updates table, through db.bot_records (blocking: call in a thread)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def store(self, items: Iterable[tuple[int, str]]) -> list[int]:
        """Store new updates in one transaction; return ids that still need handling."""
        with self.sessions.begin() as session:
            return bot_records.store_received(session, items)

    def handled(self, update_id: int) -> None:
        """Mark one update handled."""
        with self.sessions.begin() as session:
            bot_records.mark_handled(session, update_id)

    def failed(self, update_id: int) -> int:
        """Count a failed attempt; return the attempts so far."""
        with self.sessions.begin() as session:
            return bot_records.record_attempt(session, update_id)

    def unhandled(self) -> list[tuple[int, str]]:
        """Return stored updates not yet handled."""
        with self.sessions() as session:
            return bot_records.unhandled_updates(session)

    def prune(self, keep_days: int = 7) -> int:
        """Forget handled updates older than `keep_days` (Telegram never resends those)."""
        cutoff = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=keep_days)
        with self.sessions.begin() as session:
            return bot_records.prune_handled(session, cutoff)


def _chat_key(update: Update) -> int:
    chat = update.effective_chat
    user = update.effective_user
    return chat.id if chat else (user.id if user else 0)


class DurableDispatcher:
    """Store, handle (per chat in order, chats in parallel) and mark updates."""

    def __init__(
        self,
        application: Application,
        journal: UpdateJournal,
        tracker: FailureTracker,
        policy: DeliveryPolicy,
        max_attempts: int = 3,
    ) -> None:
        self.application = application
        self.journal = journal
        self.tracker = tracker
        self.policy = policy
        self.max_attempts = max_attempts
        self._in_flight: set[int] = set()
        self._chains: dict[int, asyncio.Future] = {}
        self._slots = asyncio.Semaphore(policy.concurrency)
        self._stopping = asyncio.Event()
        self.progress = asyncio.Event()

    @property
    def busy(self) -> bool:
        """Tell whether any update is being handled."""
        return bool(self._in_flight)

    def lowest_in_flight(self) -> int | None:
        """Return the smallest update_id not yet handled in this run, or None."""
        return min(self._in_flight) if self._in_flight else None

    async def accept(self, updates: list[Update]) -> list[Update]:
        """Store updates durably; return those neither handled nor already being handled."""
        if not updates:
            return []
        items = [(u.update_id, json.dumps(u.to_dict())) for u in updates]
        # Snapshot first: an update finishing while the journal is read must not look new.
        busy = set(self._in_flight)
        pending = set(await asyncio.to_thread(self.journal.store, items))
        busy |= self._in_flight
        return [u for u in updates if u.update_id in pending and u.update_id not in busy]

    async def recover(self) -> int:
        """Handle the updates stored by an earlier run but never handled; return how many."""
        await asyncio.to_thread(self.journal.prune)
        rows = await asyncio.to_thread(self.journal.unhandled)
        bot = self.application.bot
        updates = [Update.de_json(json.loads(payload), bot) for _, payload in rows]
        if updates:
            logger.info("re-processing %d updates left unhandled by the last run", len(updates))
        await self.process([u for u in updates if u is not None])
        return len(updates)

    def submit(self, update: Update) -> asyncio.Future:
        """Start handling an update after the earlier ones of its chat; return its task.

        Different chats proceed concurrently (up to policy.concurrency at once), so one slow
        chat never holds up the others.
        """
        key = _chat_key(update)
        self._in_flight.add(update.update_id)
        task = asyncio.ensure_future(self._after(self._chains.get(key), update))
        self._chains[key] = task
        task.add_done_callback(lambda t: self._done(key, t, update.update_id))
        return task

    def _done(self, key: int, task: asyncio.Future, update_id: int) -> None:
        if self._chains.get(key) is task:
            del self._chains[key]
        self._in_flight.discard(update_id)
        self.progress.set()

    async def _after(self, previous: asyncio.Future | None, update: Update) -> None:
        if previous is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await previous
        async with self._slots:
            await self.process_one(update)

    async def process(self, updates: list[Update]) -> None:
        """Handle updates and wait for them: per chat in order, chats concurrently."""
        tasks = [self.submit(u) for u in updates if u.update_id not in self._in_flight]
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    async def drain(self, timeout: float) -> None:
        """Give updates being handled up to `timeout` seconds to finish."""
        self._stopping.set()
        tasks = set(self._chains.values())
        if tasks:
            await asyncio.wait(tasks, timeout=timeout)

    async def process_one(self, update: Update) -> None:
        """Handle one update until it succeeds or its attempts run out, then mark it."""
        update_id = update.update_id
        for attempt in range(1, self.max_attempts + 1):
            await self.application.process_update(update)
            if not self.tracker.pop(update_id):
                break
            await self._journal(self.journal.failed, update_id)
            if attempt == self.max_attempts:
                logger.error("update %s still failing after %d attempts", update_id, attempt)
                break
            await asyncio.sleep(self.policy.backoff(attempt))
        await self._mark_handled(update_id)

    async def _mark_handled(self, update_id: int) -> None:
        # The reply is out; until the journal says so, a redelivery after the database returns
        # would be answered a second time. So keep trying while it is down: the update stays in
        # flight, which holds the polling offset and makes its redeliveries look busy. Only a
        # stop gives up (the update is then handled again after the restart).
        attempt = 0
        while True:
            try:
                await asyncio.to_thread(self.journal.handled, update_id)
                return
            except SQLAlchemyError as exc:
                attempt += 1
                if attempt == 1 or self._stopping.is_set():
                    logger.warning(
                        "could not mark update %s handled (%s); %s",
                        update_id,
                        type(exc).__name__,
                        "giving up at stop" if self._stopping.is_set() else "retrying",
                    )
                if self._stopping.is_set():
                    return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.policy.backoff(attempt))

    async def _journal(self, action, update_id: int) -> None:
        # The database may be locked or down: the update then stays unhandled in the journal
        # (or unconfirmed at Telegram) and is handled again later rather than crashing the loop.
        try:
            await asyncio.to_thread(action, update_id)
        except SQLAlchemyError as exc:
            logger.warning("could not record update %s: %s", update_id, type(exc).__name__)
