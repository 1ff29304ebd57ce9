"""Updates the library cannot read, or whose handling keeps failing, are set aside, not fatal."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

import httpx
import pytest

from bot.services import Services
from bot.telegram import app as telegram_app
from bot.telegram import poison
from bot.telegram.delivery import DeliveryPolicy
from bot.telegram.runner import BotRunner, WebhookConfig
from db import dead_letters
from db.models import DeadLetter
from devtools.fake_bot_api import (
    TOKEN,
    FakeBotAPI,
    Fault,
    callback_update,
    message_json,
    message_update,
    user_json,
)
from nlp.reply import Reply
from tests.bot.conftest import ADMIN, ALLOWED, RunningBot, until
from tests.bot.test_webhook import free_port

QUESTION = "上半年州外到位资金增长多少"
SECRET = "hook-Secret_for-poison-tests"


def malformed() -> dict[str, dict]:
    """One unreadable update of each kind, as a newer Bot API or an emulator may send them."""
    callback = callback_update(ALLOWED, "fb:1:+")
    del callback["callback_query"]["chat_instance"]
    edited = message_json(ALLOWED, "改过的问题")
    del edited["date"]
    inline = {"id": "iq1", "from": user_json(ALLOWED)}  # no query, no offset
    broken_message = {**message_json(ALLOWED, "你好"), "chat": "不是对象"}
    return {
        "message": {"message": broken_message},
        "edited_message": {"edited_message": edited},
        "callback_query": callback,
        "inline_query": {"inline_query": inline},
    }


def set_aside_rows(services: Services) -> list[DeadLetter]:
    with services.sessions() as session:
        return dead_letters.recent(session, 100)


def notices(api: FakeBotAPI) -> list[str]:
    return [c.params["text"] for c in api.sent("sendMessage", ADMIN) if "搁置" in c.params["text"]]


async def test_unreadable_updates_are_set_aside_and_the_bot_keeps_serving(
    make_services, fake_api: FakeBotAPI, db_url: str
) -> None:
    services = make_services(db_url=db_url, telegram_api_base_url=fake_api.url)
    bad_ids = {kind: fake_api.add_update(body) for kind, body in malformed().items()}
    unknown = fake_api.add_update({"brand_new_kind": {"anything": [1, 2]}})
    fake_api.add_update(message_update(ALLOWED, QUESTION))
    async with RunningBot(services):
        await until(lambda: fake_api.sent("sendMessage", ALLOWED), timeout=20)
        await until(lambda: fake_api.pending_updates() == 0)
        await until(lambda: notices(fake_api))
    assert "19.4%" in fake_api.sent("sendMessage", ALLOWED)[0].params["text"]
    rows = set_aside_rows(services)
    assert {r.update_id for r in rows} == set(bad_ids.values())  # the unknown kind is ignored
    assert unknown not in {r.update_id for r in rows}
    by_id = {r.update_id: r for r in rows}
    assert "chat_instance" in by_id[bad_ids["callback_query"]].error
    assert all(r.reason == dead_letters.UNREADABLE for r in rows)
    assert json.loads(by_id[bad_ids["edited_message"]].payload)["edited_message"]["text"]
    assert all(TOKEN.split(":")[1] not in r.error + r.payload for r in rows)
    assert len(notices(fake_api)) == 1 and "4条" in notices(fake_api)[0]


async def test_a_redelivered_poison_update_after_a_restart_is_not_counted_again(
    make_services, fake_api: FakeBotAPI
) -> None:
    services = make_services(telegram_api_base_url=fake_api.url)
    poison = {"update_id": 70, **malformed()["callback_query"]}
    fake_api.add_raw(poison)
    async with RunningBot(services):
        await until(lambda: set_aside_rows(services) and fake_api.pending_updates() == 0)
    # Telegram resends it (say the offset never reached it before a crash): nothing new.
    fake_api.add_raw(poison)
    fake_api.add_raw({"update_id": 71, **message_update(ALLOWED, QUESTION)})
    async with RunningBot(services):
        await until(lambda: fake_api.sent("sendMessage", ALLOWED), timeout=20)
        await until(lambda: fake_api.pending_updates() == 0)
    assert len(set_aside_rows(services)) == 1
    assert len(notices(fake_api)) == 1


async def test_a_handler_that_always_raises_is_tried_three_times_then_set_aside(
    make_services, fake_api: FakeBotAPI
) -> None:
    services = make_services(telegram_api_base_url=fake_api.url)
    calls: list[str] = []

    class Breakable:
        """The real assistant, broken until the test mends it (Services itself is frozen)."""

        def __init__(self, real: object) -> None:
            self.real, self.broken = real, True

        def answer(self, question: str) -> Reply:
            if not self.broken:
                return self.real.answer(question)
            calls.append(question)
            raise RuntimeError("boom inside the pipeline")

        def refresh(self) -> None:
            self.real.refresh()

    assistant = Breakable(services.assistant)
    services = replace(services, assistant=assistant)
    fake_api.add_update(message_update(ALLOWED, QUESTION))
    async with RunningBot(services):
        await until(lambda: set_aside_rows(services), timeout=20)
        await until(lambda: fake_api.sent("sendMessage", ALLOWED))
        assistant.broken = False
        fake_api.add_update(message_update(ADMIN, "/stats"))
        await until(lambda: any("近30天" in t for t in admin_texts(fake_api)), timeout=20)
    assert len(calls) == 3
    assert [c.params["text"] for c in fake_api.sent("sendMessage", ALLOWED)] == [
        telegram_app.APOLOGY
    ]
    (row,) = set_aside_rows(services)
    assert row.reason == dead_letters.FAILING and "boom" in row.error
    assert "message" in json.loads(row.payload)
    assert any("无法处理而搁置的更新：1条" in t for t in admin_texts(fake_api))


def admin_texts(api: FakeBotAPI) -> list[str]:
    return [c.params["text"] for c in api.sent("sendMessage", ADMIN)]


async def test_a_getupdates_answer_that_is_not_json_is_waited_out(
    make_services, fake_api: FakeBotAPI
) -> None:
    services = make_services(telegram_api_base_url=fake_api.url)
    fake_api.fail("getUpdates", Fault("garbage"), Fault("garbage"))
    fake_api.add_update(message_update(ALLOWED, QUESTION))
    async with RunningBot(services) as bot:
        await until(lambda: fake_api.sent("sendMessage", ALLOWED), timeout=20)
        bot.check()  # the update loop is still running


@pytest.mark.parametrize("kind", ["invalid_json", "callback_query", "inline_query"])
async def test_webhook_sets_unreadable_updates_aside_with_200(
    make_services, fake_api: FakeBotAPI, db_url: str, kind: str
) -> None:
    services = make_services(db_url=db_url, telegram_api_base_url=fake_api.url)
    port = free_port()
    url = f"http://127.0.0.1:{port}/hook"
    policy = DeliveryPolicy(poll_timeout=1, overall_max_rate=0, read_timeout=2)
    body = (
        b'{"update_id": 9, "message": '
        if kind == "invalid_json"
        else json.dumps({"update_id": 9, **malformed()[kind]}).encode()
    )
    good = {"update_id": 10, **message_update(ALLOWED, QUESTION)}
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with BotRunner(services, policy, WebhookConfig(url, "127.0.0.1", port, SECRET)):
        await until(lambda: fake_api.webhook.get("url") == url)
        async with httpx.AsyncClient() as client:
            first = await client.post(url, content=body, headers=headers)
            again = await client.post(url, content=body, headers=headers)
            answered = await client.post(url, json=good, headers=headers)
        assert (first.status_code, again.status_code, answered.status_code) == (200, 200, 200)
        await until(lambda: fake_api.sent("sendMessage", ALLOWED), timeout=20)
        await until(lambda: notices(fake_api))
        await asyncio.sleep(0.2)
    rows = set_aside_rows(services)
    # Invalid JSON has no update_id, so each copy is kept; a readable id is kept once.
    assert len(rows) == (2 if kind == "invalid_json" else 1)
    assert rows[0].payload.startswith('{"update_id": 9')
    assert len(notices(fake_api)) == len(rows)


def test_set_aside_is_idempotent_per_update_id(sessions) -> None:
    poison = dead_letters.Poison(5, '{"update_id": 5}', dead_letters.UNREADABLE, "TypeError")
    with sessions.begin() as session:
        assert dead_letters.set_aside(session, [poison]) == [poison]
    with sessions.begin() as session:
        assert dead_letters.set_aside(session, [poison]) == []
        assert dead_letters.count(session) == 1


def test_the_error_kept_has_the_token_masked() -> None:
    secret = "42:AAHsomething_Secret"
    error = RuntimeError(f"https://api/bot{secret}/getUpdates or bot42%3A{secret[3:]}")
    text = poison.error_text(error, [secret])
    assert text.startswith("RuntimeError: ") and secret[3:] not in text
