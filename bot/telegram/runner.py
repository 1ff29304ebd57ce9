"""Run the bot: start the Application, re-handle leftovers, poll (or serve a webhook), stop.

`serve` uses it until SIGTERM; tests and the benchmark use it as an async context manager.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.kb_watch import watch_base
from bot.telegram import app as telegram_app
from bot.telegram.delivery import DeliveryPolicy
from bot.telegram.polling import DurablePoller, RawUpdatesRequest, run_polling
from bot.telegram.webhook import run_webhook

if TYPE_CHECKING:
    from telegram.ext import Application

    from bot.services import Services
    from bot.telegram.durable import DurableDispatcher

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WebhookConfig:
    """Where Telegram posts updates, where we listen, and the secret it must send."""

    url: str
    host: str
    port: int
    secret: str


class BotRunner:
    """Own the Application and the update loop between start() and stop()."""

    def __init__(
        self,
        services: Services,
        policy: DeliveryPolicy | None = None,
        webhook: WebhookConfig | None = None,
    ) -> None:
        self.services = services
        self.policy = policy or DeliveryPolicy()
        self.webhook = webhook
        self.application: Application | None = None
        self._stop = asyncio.Event()
        self._task: asyncio.Future | None = None
        self._dispatcher: DurableDispatcher | None = None
        self._side_tasks: list[asyncio.Future] = []

    async def start(self) -> BotRunner:
        """Build and start the Application, handle leftovers, then start receiving."""
        settings = self.services.settings
        raw_updates = RawUpdatesRequest(self.policy) if self.webhook is None else None
        self.application = telegram_app.build_application(
            settings, self.services, self.policy, raw_updates
        )
        await telegram_app.start(self.application, self.services)
        dispatcher = telegram_app.dispatcher_for(self.application, self.services)
        self._dispatcher = dispatcher
        # Everything loaded so far (the NLP model, PTB, SQLAlchemy) lives as long as the bot:
        # freezing it keeps full collections off it. Without this a collection every few
        # seconds under load walked all of it and stalled replies for about 90 ms.
        gc.collect()
        gc.freeze()
        await dispatcher.recover()
        if self.webhook is not None:
            w = self.webhook
            telegram_app.mask_token_in_library_logs(w.secret)  # setWebhook logs it at DEBUG
            receiving = run_webhook(dispatcher, w.url, w.host, w.port, w.secret, self._stop)
        else:
            poller = DurablePoller(dispatcher, self.policy, raw_updates)
            receiving = run_polling(poller, self._stop)
        self._task = asyncio.ensure_future(receiving)
        runtime = telegram_app.runtime_of(self.application)
        self._side_tasks = [
            asyncio.ensure_future(dispatcher.watch(self._stop)),
            asyncio.ensure_future(watch_base(self.services, runtime.in_thread, self._stop)),
        ]
        return self

    async def wait(self) -> None:
        """Wait until receiving ends (after stop(), or on a fatal error such as a bad token)."""
        if self._task is not None:
            await self._task

    def check(self) -> None:
        """Raise what ended the update loop early, if it did (callers that wait elsewhere)."""
        if self._task is not None and self._task.done() and not self._stop.is_set():
            self._task.result()
            raise RuntimeError("the update loop ended without being asked to stop")

    def request_stop(self) -> None:
        """Ask the loop to finish (safe from a signal handler)."""
        self._stop.set()

    async def stop(self, timeout: float = 10.0) -> None:
        """Stop receiving, let in-flight work finish briefly, and shut the Application down."""
        self._stop.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, timeout)
            except TimeoutError:
                logger.warning("update loop did not stop within %.0fs", timeout)
        for task in self._side_tasks:
            task.cancel()
        await asyncio.gather(*self._side_tasks, return_exceptions=True)
        if self._dispatcher is not None:
            self._dispatcher.close()
        if self.application is not None:
            await telegram_app.stop(self.application)
        gc.unfreeze()  # the objects may die now (tests build many bots in one process)

    async def __aenter__(self) -> BotRunner:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
