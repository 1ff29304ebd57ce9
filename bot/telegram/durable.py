"""At-least-once, de-duplicated update handling that survives a crash (even SIGKILL).

Every update is written to `received_updates` before it is handled and marked handled right
after its reply went out. Telegram is told it may forget an update only once it is stored:
polling confirms the offset past a stored batch, a webhook answers 200 after storing. At start,
stored unhandled updates are handled first; an update_id already handled is skipped, which also
de-duplicates Telegram's redeliveries.

Handled marks are group-committed: every update finishing while one mark transaction runs goes
into the next, so a burst costs a few transactions instead of one per update, and an idle bot
still marks each update at once. An update counts as finished only when its mark is committed.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from telegram import Update
from telegram.ext import Application

from bot.telegram import poison
from bot.telegram.delivery import DeliveryPolicy
from db import bot_records, dead_letters
from db.dead_letters import Poison

logger = logging.getLogger(__name__)
T = TypeVar("T")
MARK_BATCH = 100


@dataclass
class FailureTracker:
    """Update ids whose handling failed, with the error (set by the error handler)."""

    _failed: dict[int, BaseException] = field(default_factory=dict)

    def fail(self, update_id: int, error: BaseException) -> None:
        """Remember that an update must be retried, and why."""
        self._failed[update_id] = error

    def pop(self, update_id: int) -> BaseException | None:
        """Return the error an update failed with (None if it did not), forgetting it."""
        return self._failed.pop(update_id, None)


# Called once per batch of updates newly set aside (to tell the admins), and once per update
# whose handling kept failing (to tell its user); both are given by the Telegram edge.
SetAsideHook = Callable[[list[Poison]], Awaitable[None]]
GiveUpHook = Callable[[Update, BaseException | None], Awaitable[None]]


async def _nothing(*_: Any) -> None:
    return None


class UpdateJournal:
    """The received_updates table, through db.bot_records (blocking: call in a thread).

    `worker` names this process among those sharing the database; what it stores it claims
    for `lease` seconds, renewed while it works (see DurableDispatcher.watch).
    """

    def __init__(
        self, sessions: sessionmaker[Session], worker: str = "", lease: float = 30.0
    ) -> None:
        self.sessions = sessions
        self.worker = worker
        self.lease = lease

    def _lease_until(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(seconds=self.lease)

    def store(self, items: Iterable[tuple[int, str]]) -> list[int]:
        """Store new updates in one transaction; return the ids this worker claimed."""
        with self.sessions.begin() as session:
            return bot_records.store_received(session, items, self.worker, self._lease_until())

    def renew(self) -> int:
        """Extend this worker's leases on its unfinished updates."""
        with self.sessions.begin() as session:
            return bot_records.renew_leases(session, self.worker, self._lease_until())

    def handled(self, *update_ids: int) -> None:
        """Mark updates handled, in one transaction."""
        with self.sessions.begin() as session:
            bot_records.mark_handled(session, *update_ids)

    def failed(self, update_id: int) -> int:
        """Count a failed attempt; return the attempts so far."""
        with self.sessions.begin() as session:
            return bot_records.record_attempt(session, update_id)

    def set_aside(self, poisons: list[Poison]) -> list[Poison]:
        """Keep updates in the dead letters; return those not set aside before."""
        with self.sessions.begin() as session:
            return dead_letters.set_aside(session, poisons)

    def unhandled(self, limit: int = 1000, own: bool = True) -> list[tuple[int, str, int]]:
        """Claim stored updates left unhandled, oldest first, with their failed attempts.

        `own`: include those this worker claimed before (its previous run's).
        """
        with self.sessions.begin() as session:
            return bot_records.claim_leftovers(
                session, self.worker, self._lease_until(), limit, own
            )

    def prune(self, keep_days: int = 7) -> int:
        """Forget handled updates older than `keep_days` (Telegram never resends those)."""
        cutoff = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=keep_days)
        with self.sessions.begin() as session:
            return bot_records.prune_handled(session, cutoff)


def _loads(payload: str) -> Any:
    try:
        return json.loads(payload)
    except ValueError:
        return payload  # parse_items sets it aside as unreadable


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
        on_set_aside: SetAsideHook = _nothing,
        on_give_up: GiveUpHook = _nothing,
    ) -> None:
        self.application = application
        self.journal = journal
        self.tracker = tracker
        self.policy = policy
        self.max_attempts = max_attempts
        self.on_set_aside = on_set_aside
        self.on_give_up = on_give_up
        self._in_flight: set[int] = set()
        self._chains: dict[int, asyncio.Future] = {}  # chat -> its last update's turn
        self._tasks: set[asyncio.Future] = set()
        self._handling = 0  # updates between their turn and their reply
        self._slots = asyncio.Semaphore(policy.concurrency)
        self._stopping = asyncio.Event()
        self.progress = asyncio.Event()
        self._marks: list[int] = []  # handled, waiting for the next mark transaction
        self._marked: asyncio.Future | None = None  # resolves when _marks are committed
        self._marking: asyncio.Future | None = None
        self._to_store: list[tuple[list[tuple[int, str]], asyncio.Future]] = []
        self._storing: asyncio.Future | None = None
        # The journal's own thread: storing and marking never queue behind a slow handler.
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="journal")

    async def _io(self, func: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._thread, functools.partial(func, *args))

    def close(self) -> None:
        """Let the journal thread end after its current job (never blocks the loop)."""
        self._thread.shutdown(wait=False)

    @property
    def busy(self) -> bool:
        """Tell whether any update is being handled."""
        return bool(self._in_flight)

    @property
    def in_flight(self) -> int:
        """Return how many updates are accepted but not yet finished."""
        return len(self._in_flight)

    async def accept(
        self, updates: list[Update], raw: Mapping[int, dict[str, Any]] | None = None
    ) -> list[Update]:
        """Store updates durably; return those neither handled nor already being handled.

        `raw` maps update ids to the JSON Telegram sent, stored as is when present (PTB's
        to_dict() rebuilds the same thing at a high cost).
        """
        if not updates:
            return []
        raw = raw or {}
        items = [(u.update_id, json.dumps(raw.get(u.update_id) or u.to_dict())) for u in updates]
        # Snapshot first: an update finishing while the journal is read must not look new.
        busy = set(self._in_flight)
        pending = set(await self._store(items))
        busy |= self._in_flight
        return [u for u in updates if u.update_id in pending and u.update_id not in busy]

    async def _store(self, items: list[tuple[int, str]]) -> list[int]:
        """Store (and claim) items together with whatever else arrives meanwhile.

        A webhook brings one update per request: storing each in its own transaction capped
        intake at the journal thread's commit rate, so requests arriving while one store
        runs share the next transaction (as handled marks do).
        """
        done = asyncio.get_running_loop().create_future()
        self._to_store.append((items, done))
        if self._storing is None or self._storing.done():
            self._storing = asyncio.ensure_future(self._store_queued())
        return await asyncio.shield(done)

    async def _store_queued(self) -> None:
        while self._to_store:
            batch, self._to_store = self._to_store, []
            try:
                claimed = set(
                    await self._io(self.journal.store, [i for items, _ in batch for i in items])
                )
            except Exception as exc:  # each waiting caller decides (a webhook answers 503)
                for _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
                continue
            for items, done in batch:
                if not done.done():
                    done.set_result([u for u, _ in items if u in claimed])

    async def set_aside(self, poisons: list[Poison]) -> None:
        """Store updates that cannot be handled in the dead letters (durably), then tell admins.

        Raises SQLAlchemyError when they cannot be stored: the caller must then not let
        Telegram forget them.
        """
        if not poisons:
            return
        for item in poisons:
            logger.warning("update %s set aside (%s): %s", item.update_id, item.reason, item.error)
        fresh = await self._io(self.journal.set_aside, poisons)
        if fresh:
            with contextlib.suppress(Exception):  # a failed notice must not undo the set-aside
                await self.on_set_aside(fresh)

    async def recover(self, page: int = 1000) -> int:
        """Handle the updates stored by an earlier run but never handled; return how many.

        One that cannot be parsed, or that already used up its attempts, is set aside instead.
        """
        await self._io(self.journal.prune)
        total, first = 0, None
        while True:
            rows = await self._io(self.journal.unhandled, page)
            if not rows or rows[0][0] == first:  # nothing left, or marks are not being saved
                return total
            first = rows[0][0]
            logger.info("re-processing %d updates left unhandled by the last run", len(rows))
            await self.process(await self._readable(rows))
            total += len(rows)
            if len(rows) < page:
                return total

    async def _readable(self, rows: list[tuple[int, str, int]]) -> list[Update]:
        """Parse stored updates; set aside those unreadable or out of attempts."""
        bot = self.application.bot
        spent = [
            poison.failing(u, None, [bot.token])
            for u, _, attempts in rows
            if attempts >= self.max_attempts
        ]
        parsed = poison.parse_items(
            [_loads(p) for _, p, attempts in rows if attempts < self.max_attempts], bot
        )
        await self.set_aside(spent + parsed.poison)
        return parsed.updates

    async def watch(self, stop: asyncio.Event) -> None:
        """Renew this worker's leases and take over updates whose worker's lease expired.

        A worker killed after storing (its webhook already answered 200) leaves claimed,
        unfinished updates that Telegram will not resend: the others pick them up here.
        """
        lease = self.journal.lease
        tick = min(2.0, lease / 3)
        renewed = time.monotonic()
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), tick)
            if stop.is_set():
                return
            try:
                if time.monotonic() - renewed >= lease / 3:
                    await self._io(self.journal.renew)
                    renewed = time.monotonic()
                rows = await self._io(self.journal.unhandled, 100, False)
                updates = await self._readable(rows) if rows else []
            except SQLAlchemyError as exc:
                logger.warning("could not check for abandoned updates: %s", type(exc).__name__)
                continue
            if updates:
                logger.info("taking over %d updates another worker left", len(updates))
            for update in updates:
                if update.update_id not in self._in_flight:
                    self.submit(update)

    def submit(self, update: Update) -> asyncio.Future:
        """Start handling an update after the earlier ones of its chat; return its task.

        Different chats proceed concurrently (up to policy.concurrency at once), so one slow
        chat never holds up the others. The task ends once the update is marked handled.
        """
        key = _chat_key(update)
        self._in_flight.add(update.update_id)
        previous = self._chains.get(key)
        # The chat's next update may start as soon as this one's reply is out; it need not wait
        # for the mark, which is only about never handling this one again.
        turn = asyncio.get_running_loop().create_future()
        self._chains[key] = turn
        task = asyncio.ensure_future(self._run(previous, turn, update))
        self._tasks.add(task)
        task.add_done_callback(lambda t: self._done(key, turn, t, update.update_id))
        return task

    def _done(self, key: int, turn: asyncio.Future, task: asyncio.Future, update_id: int) -> None:
        if self._chains.get(key) is turn:
            del self._chains[key]
        if not turn.done():
            turn.cancel()  # cancelled before its turn: the chat's next update need not wait
        self._tasks.discard(task)
        self._in_flight.discard(update_id)
        self.progress.set()

    async def _run(
        self, previous: asyncio.Future | None, turn: asyncio.Future, update: Update
    ) -> None:
        if previous is not None:
            # asyncio.wait, not await: the earlier update's outcome does not matter here, and
            # cancelling this task must neither be swallowed nor cancel the earlier update.
            await asyncio.wait({previous})
        async with self._slots:
            self._handling += 1
            try:
                await self.process_one(update)
            finally:
                self._handling -= 1
                turn.set_result(None)
        await self._mark_handled(update.update_id)

    async def process(self, updates: list[Update]) -> None:
        """Handle updates and wait for them: per chat in order, chats concurrently."""
        tasks = [self.submit(u) for u in updates if u.update_id not in self._in_flight]
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    async def drain(self, timeout: float) -> None:
        """Give updates being handled up to `timeout` seconds to finish, then cancel the rest.

        What is cancelled stays unhandled in the journal and is handled at the next start.
        """
        self._stopping.set()
        tasks = set(self._tasks)
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=timeout)
            for task in late:
                task.cancel()

    async def room(self, limit: int, stop: asyncio.Event) -> None:
        """Wait while `limit` updates or more are in flight (or until `stop` is set)."""
        while len(self._in_flight) >= limit and not stop.is_set():
            self.progress.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.progress.wait(), timeout=1.0)

    async def process_one(self, update: Update) -> None:
        """Handle one update until it succeeds or its attempts run out (marking is separate).

        One still failing after its attempts is set aside in the dead letters.
        """
        update_id = update.update_id
        for attempt in range(1, self.max_attempts + 1):
            await self.application.process_update(update)
            error = self.tracker.pop(update_id)
            if error is None:
                return
            await self._journal(self.journal.failed, update_id)
            if attempt == self.max_attempts:
                logger.error("update %s still failing after %d attempts", update_id, attempt)
                await self._give_up(update, error)
                return
            await asyncio.sleep(self.policy.backoff(attempt))

    async def _give_up(self, update: Update, error: BaseException) -> None:
        record = poison.failing(update.update_id, error, [self.application.bot.token])
        with contextlib.suppress(SQLAlchemyError):
            await self.set_aside([record])
        with contextlib.suppress(Exception):  # telling the user is a courtesy, never fatal
            await self.on_give_up(update, error)

    async def _mark_handled(self, update_id: int) -> None:
        """Add an update to the next mark transaction and wait until that is committed."""
        if self._marked is None:
            self._marked = asyncio.get_running_loop().create_future()
        committed = self._marked
        self._marks.append(update_id)
        if self._marking is None or self._marking.done():
            self._marking = asyncio.ensure_future(self._commit_marks())
        # Shielded: a cancelled update must not cancel the commit its neighbours wait for.
        await asyncio.shield(committed)

    async def _commit_marks(self) -> None:
        while self._marks:
            if self._handling and len(self._marks) < MARK_BATCH:
                # Busy: let a few more replies finish and mark them in the same transaction
                # (a commit costs the same for 1 id or 100). Idle, an update is marked at once.
                await asyncio.sleep(self.policy.mark_delay)
            ids, committed = self._marks, self._marked
            self._marks, self._marked = [], None
            try:
                await self._mark_until_stored(ids)
            finally:
                if committed is not None and not committed.done():
                    committed.set_result(None)

    async def _mark_until_stored(self, ids: list[int]) -> None:
        # The replies are out; until the journal says so, a redelivery after the database
        # returns would be answered a second time. So keep trying while it is down: the updates
        # stay in flight, which makes their redeliveries look busy. Only a stop gives up (they
        # are then handled again after the restart).
        attempt = 0
        while True:
            try:
                await self._io(self.journal.handled, *ids)
                return
            except SQLAlchemyError as exc:
                attempt += 1
                if attempt == 1 or self._stopping.is_set():
                    logger.warning(
                        "could not mark updates %s handled (%s); %s",
                        ids,
                        type(exc).__name__,
                        "giving up at stop" if self._stopping.is_set() else "retrying",
                    )
                if self._stopping.is_set():
                    return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.policy.backoff(attempt))

    async def _journal(self, action, *update_ids: int) -> None:
        # The database may be locked or down: the update then stays unhandled in the journal
        # and is handled again at the next start rather than crashing the loop.
        try:
            await self._io(action, *update_ids)
        except SQLAlchemyError as exc:
            logger.warning("could not record updates %s: %s", update_ids, type(exc).__name__)
