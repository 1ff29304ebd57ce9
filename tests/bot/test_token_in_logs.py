"""The bot token appears in no log record, even at DEBUG with httpx left talkative."""

from __future__ import annotations

import logging

import pytest

from devtools.fake_bot_api import TOKEN, FakeBotAPI, Fault, message_update
from tests.bot.conftest import ALLOWED, RunningBot, until


async def test_no_token_in_debug_logs(
    make_services, fake_api: FakeBotAPI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "telegram"):
        caplog.set_level(logging.DEBUG, logger=name)  # restored after the test
    services = make_services(telegram_api_base_url=fake_api.url)
    fake_api.fail("sendMessage", Fault("502"))
    async with RunningBot(services):
        fake_api.add_update(message_update(ALLOWED, "外资到位多少"))
        await until(lambda: fake_api.sent("sendMessage", ALLOWED))
    assert "HTTP Request" in caplog.text or "Set Bot API URL" in caplog.text  # URLs were logged
    secret = TOKEN.split(":", 1)[1]
    assert secret not in caplog.text
    assert all(secret not in r.getMessage() for r in caplog.records)
