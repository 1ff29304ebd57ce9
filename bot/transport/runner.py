"""Run the bot: start the Application, re-handle leftovers, poll (or serve a webhook), stop.

`serve` uses it until SIGTERM; tests and the benchmark use it as an async context manager.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot import telegram_app
from bot.transport.delivery import DeliveryPolicy
from bot.transport.polling import DurablePoller, run_polling
from bot.transport.webhook import run_webhook

if TYPE_CHECKING:
    from telegram.ext import Application

    from bot.services import Services

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

    async def start(self) -> BotRunner:
        """Build and start the Application, handle leftovers, then start receiving."""
        settings = self.services.settings
        self.application = telegram_app.build_application(settings, self.services, self.policy)
        await telegram_app.start(self.application, self.services)
        dispatcher = telegram_app.dispatcher_for(self.application, self.services)
        await dispatcher.recover()
        if self.webhook is not None:
            w = self.webhook
            telegram_app.mask_token_in_library_logs(w.secret)  # setWebhook logs it at DEBUG
            receiving = run_webhook(dispatcher, w.url, w.host, w.port, w.secret, self._stop)
        else:
            receiving = run_polling(DurablePoller(dispatcher, self.policy), self._stop)
        self._task = asyncio.ensure_future(receiving)
        return self

    async def wait(self) -> None:
        """Wait until receiving ends (after stop(), or on a fatal error such as a bad token)."""
        if self._task is not None:
            await self._task

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
        if self.application is not None:
            await telegram_app.stop(self.application)

    async def __aenter__(self) -> BotRunner:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
