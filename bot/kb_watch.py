"""Keep a worker's knowledge base in step with uploads made through other workers.

An upload reloads the assistant of the worker that ingested it; the others poll a cheap
fingerprint of the base (db.queries.base_version, two index lookups) every second or so and
reload when it moves, so every worker answers from the new document within a few seconds,
without a database read per question. The triager follows the assistant's snapshot, so a reload
has it refitted in the background too (bot/proposal_service.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError

from bot.proposal_service import refresh_triager
from db import queries

if TYPE_CHECKING:
    from bot.services import Services

logger = logging.getLogger(__name__)
InThread = Callable[..., Awaitable[Any]]


def read_version(services: Services) -> tuple[int, int]:
    """Return the base's current fingerprint (blocking)."""
    with services.sessions() as session:
        return queries.base_version(session)


def reload_if_changed(services: Services, unknown_is_stale: bool = False) -> bool:
    """Reload the assistant if the base moved since it was loaded; return whether it did.

    Blocking. The upload handler and the watcher both call it: one reload per change, never
    two at once (a reload may retrain the intent model, which costs seconds). Before any
    version was recorded, the watcher's first look just records it; an upload
    (`unknown_is_stale`) reloads.
    """
    mark = services.base
    with mark.lock:
        version = read_version(services)
        seen, mark.version = mark.version, version
        if seen == version or services.assistant is None:
            return False
        if seen is None and not unknown_is_stale:
            return False  # the watcher's first look records what was loaded at start
        logger.info("knowledge base changed (%s -> %s); reloading", seen, version)
        services.assistant.refresh()
        refresh_triager(services)  # off the request: triage keeps the previous fit meanwhile
        return True


async def watch_base(
    services: Services, in_thread: InThread, stop: asyncio.Event, every: float = 1.0
) -> None:
    """Reload the assistant whenever the base's fingerprint moves, until `stop` is set."""
    if services.assistant is None:
        return
    while not stop.is_set():
        try:
            await in_thread(reload_if_changed, services)
        except SQLAlchemyError as exc:
            logger.warning("could not check the knowledge base version: %s", type(exc).__name__)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)
