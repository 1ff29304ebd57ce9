"""Webhook mode: a small tornado server that checks the secret token and stores before 200.

Telegram sends the secret given to setWebhook in X-Telegram-Bot-Api-Secret-Token; requests
without it (or with another) get 403 and are never handled. An update is answered 200 only
after it is stored, so a crash after that point loses nothing; a redelivered update_id that was
already handled is acknowledged and skipped.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import Any
from urllib.parse import urlparse

import tornado.web
from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from tornado.httpserver import HTTPServer

from bot.telegram.app import mask_token_in_library_logs
from bot.telegram.durable import DurableDispatcher
from bot.telegram.poison import parse_body

logger = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024


class UpdateHandler(tornado.web.RequestHandler):
    """POST one update."""

    def initialize(self, dispatcher: DurableDispatcher, secret: str, tasks: set[Any]) -> None:
        self.dispatcher = dispatcher
        self.secret = secret
        self.tasks = tasks

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            logger.warning("webhook request without the right secret token rejected")
            self.set_status(403)
            return
        # An update the library cannot read is set aside and still answered 200: a 4xx would
        # make Telegram resend it for a day.
        parsed = parse_body(self.request.body, self.dispatcher.application.bot)
        try:
            await self.dispatcher.set_aside(parsed.poison)
            pending = await self.dispatcher.accept(parsed.updates, parsed.raw)
        except SQLAlchemyError as exc:
            logger.warning("could not store an update (%s); Telegram will resend it", exc)
            self.set_status(503)
            return
        self.set_status(200)
        await self.finish()
        if pending:
            task = asyncio.ensure_future(self.dispatcher.process(pending))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)


class WebhookServer:
    """Serve `path` on host:port until stopped."""

    def __init__(self, dispatcher: DurableDispatcher, secret: str, path: str) -> None:
        self.dispatcher = dispatcher
        self.secret = secret
        self.path = "/" + path.strip("/")
        self.tasks: set[Any] = set()
        self._server: HTTPServer | None = None

    def start(self, host: str, port: int) -> None:
        """Start listening."""
        app = tornado.web.Application(
            [
                (
                    self.path,
                    UpdateHandler,
                    {
                        "dispatcher": self.dispatcher,
                        "secret": self.secret,
                        "tasks": self.tasks,
                    },
                )
            ]
        )
        self._server = HTTPServer(app, max_body_size=MAX_BODY)
        self._server.listen(port, address=host)
        logger.info("webhook listening on %s:%d%s", host, port, self.path)

    async def stop(self, grace: float = 5.0) -> None:
        """Stop accepting requests and give in-flight updates a moment to finish."""
        if self._server is not None:
            self._server.stop()
        if self.tasks:
            await asyncio.wait(set(self.tasks), timeout=grace)


async def run_webhook(
    dispatcher: DurableDispatcher,
    url: str,
    host: str,
    port: int,
    secret: str,
    stop: asyncio.Event,
) -> None:
    """Listen, register the webhook with its secret, and serve until `stop` is set."""
    mask_token_in_library_logs(secret)  # PTB logs setWebhook's parameters at DEBUG
    server = WebhookServer(dispatcher, secret, urlparse(url).path or "/")
    server.start(host, port)
    try:
        await dispatcher.application.bot.set_webhook(
            url, secret_token=secret, allowed_updates=Update.ALL_TYPES
        )
        await stop.wait()
    finally:
        await server.stop()
