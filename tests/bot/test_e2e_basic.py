"""End to end: the real Application polling the fake Bot API, real services and database."""

from __future__ import annotations

import html

from tests.bot.conftest import ADMIN, ALLOWED, STRANGER, RunningBot, until
from tests.bot.fake_bot_api import (
    FakeBotAPI,
    callback_update,
    inline_update,
    message_update,
)


def texts(api: FakeBotAPI, chat_id: int) -> list[str]:
    return [c.params["text"] for c in api.sent("sendMessage", chat_id)]


async def test_allowed_user_gets_cited_answer_with_buttons(
    running_bot: RunningBot, fake_api: FakeBotAPI
) -> None:
    fake_api.add_update(message_update(ALLOWED, "上半年州外到位资金增长多少"))
    await until(lambda: fake_api.sent("sendMessage", ALLOWED))
    call = fake_api.sent("sendMessage", ALLOWED)[0]
    assert "19.4%" in call.params["text"]
    assert call.params["parse_mode"] == "HTML"
    labels = [b["text"] for row in call.params["reply_markup"]["inline_keyboard"] for b in row]
    assert {"出处", "相关", "👍", "👎"} <= set(labels)
    for row in call.params["reply_markup"]["inline_keyboard"]:
        for button in row:
            assert len(button["callback_data"].encode()) <= 64


async def test_stranger_is_refused_without_data(
    running_bot: RunningBot, fake_api: FakeBotAPI
) -> None:
    fake_api.add_update(message_update(STRANGER, "上半年州外到位资金增长多少"))
    await until(lambda: fake_api.sent("sendMessage", STRANGER))
    sent = texts(fake_api, STRANGER)
    assert len(sent) == 1 and "授权" in sent[0]
    assert "19.4" not in sent[0]
