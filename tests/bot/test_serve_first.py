"""Serve first, decorate later: failing menu/description calls never hold the first answer."""

from __future__ import annotations

import time

from bot.telegram.delivery import DeliveryPolicy
from bot.telegram.runner import BotRunner
from devtools.fake_bot_api import FakeBotAPI, message_update
from tests.bot.conftest import ALLOWED, until

DECORATIONS = ("setMyCommands", "setMyDescription", "setMyShortDescription")


async def test_first_answer_within_two_seconds_while_decorations_fail(
    make_services, fake_api: FakeBotAPI, figures
) -> None:
    services = make_services(telegram_api_base_url=fake_api.url)
    for method in DECORATIONS:
        fake_api.break_method(method)
    fake_api.add_update(message_update(ALLOWED, "上半年州外到位资金增长多少"))
    # The production retry policy (six retries, backoff from 0.5 s): about 31 s per call.
    policy = DeliveryPolicy(poll_timeout=1)
    started = time.monotonic()
    async with BotRunner(services, policy):
        await until(lambda: fake_api.sent("sendMessage", ALLOWED), timeout=10)
        first_answer = time.monotonic() - started
        await until(lambda: all(_tried(fake_api, m) for m in DECORATIONS[:1]), timeout=5)
    assert "19.4%" in fake_api.sent("sendMessage", ALLOWED)[0].params["text"]
    assert first_answer <= 2.0, first_answer
    assert fake_api.commands == []  # still failing, still being retried in the background
    figures("startup", f"first answer {first_answer:.2f} s with menu/description calls failing")


async def test_decorations_are_published_when_the_api_accepts_them(
    make_services, fake_api: FakeBotAPI
) -> None:
    services = make_services(telegram_api_base_url=fake_api.url)
    async with BotRunner(services, DeliveryPolicy(poll_timeout=1)):
        await until(lambda: fake_api.commands and fake_api.short_description)
    assert "楚雄州投资促进局" in fake_api.description
    assert any(c["command"] == "help" for c in fake_api.commands)


def _tried(api: FakeBotAPI, method: str) -> bool:
    return any(c.method == method for c in api.calls)
