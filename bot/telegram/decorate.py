"""Calls that dress the bot up but decide no answer: command menu, descriptions.

They run in the background once serving has started: the Bot API answering 500 to
setMyCommands, retried with backoff for half a minute, must not hold the first answer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import Bot, BotCommand
from telegram.error import TelegramError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Decorations:
    """What the bot shows about itself in Telegram's interface."""

    commands: list[tuple[str, str]]
    description: str
    short_description: str


async def decorate(bot: Bot, decorations: Decorations) -> None:
    """Publish each decoration; one that fails is logged and the next is still tried."""
    calls: list[tuple[str, Callable[[], Awaitable[object]]]] = [
        (
            "command menu",
            lambda: bot.set_my_commands([BotCommand(n, d) for n, d in decorations.commands]),
        ),
        ("description", lambda: bot.set_my_description(decorations.description)),
        (
            "short description",
            lambda: bot.set_my_short_description(decorations.short_description),
        ),
    ]
    for name, call in calls:
        try:
            await call()
        except TelegramError as exc:
            logger.warning("could not publish the %s: %s", name, exc)


def start_decorating(bot: Bot, decorations: Decorations) -> asyncio.Task[None]:
    """Start publishing in the background; cancel the task at stop."""
    return asyncio.ensure_future(decorate(bot, decorations))
