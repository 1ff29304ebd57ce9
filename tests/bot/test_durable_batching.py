"""The throughput changes keep the journal's promises: stored before confirmed, all marked."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import func, select

from bot.telegram import app as telegram_app
from bot.telegram.delivery import DeliveryPolicy
from bot.telegram.durable import UpdateJournal
from db.models import ReceivedUpdate
from devtools.fake_bot_api import FakeBotAPI, message_update
from tests.bot.conftest import ALLOWED, RunningBot, until

QUESTION = "外资到位多少"


def _count(services, *where) -> int:
    with services.sessions() as session:
        return session.scalar(select(func.count()).select_from(ReceivedUpdate).where(*where))


async def test_offset_moves_once_stored_not_once_answered(
    make_services, fake_api: FakeBotAPI, db_url: str
) -> None:
    """Telegram may forget an update as soon as it is in the journal, before its reply."""
    services = make_services(db_url=db_url, telegram_api_base_url=fake_api.url)
    fake_api.hold["sendMessage"] = 0.6  # below the test policy's 1 s read timeout
    async with RunningBot(services):
        for _ in range(3):
            fake_api.add_update(message_update(ALLOWED, QUESTION))
        await until(lambda: fake_api.pending_updates() == 0, timeout=10)
        assert fake_api.sent("sendMessage") == []  # confirmed while every reply was held
        assert _count(services) == 3
        await until(lambda: len(fake_api.sent("sendMessage")) == 3, timeout=20)
        await until(lambda: _count(services, ReceivedUpdate.handled_at.is_(None)) == 0)
        await asyncio.sleep(1.2)  # a few more polls: nothing is fetched or answered again
    assert len(fake_api.sent("sendMessage", ALLOWED)) == 3


async def test_a_burst_is_marked_handled_in_few_transactions(
    make_services, fake_api: FakeBotAPI, db_url: str, monkeypatch
) -> None:
    """Marks share transactions under load, and every update ends up marked exactly once."""
    transactions: list[int] = []
    real = UpdateJournal.handled

    def counted(self: UpdateJournal, *update_ids: int) -> None:
        transactions.append(len(update_ids))
        real(self, *update_ids)

    monkeypatch.setattr(UpdateJournal, "handled", counted)
    # Twenty chats asking once each: sends are paced one a second per chat, so two chats
    # asking ten times would spread the replies (and their marks) over ten seconds.
    users = tuple(range(9001, 9021))
    services = make_services(
        db_url=db_url, telegram_api_base_url=fake_api.url, allowed_user_ids=list(users)
    )
    async with RunningBot(services):
        for k in range(20):
            fake_api.add_update(message_update(users[k], QUESTION))
        await until(lambda: len(fake_api.sent("sendMessage")) == 20, timeout=30)
        await until(lambda: _count(services, ReceivedUpdate.handled_at.is_(None)) == 0)
        await asyncio.sleep(1.2)
    assert sum(transactions) == 20  # each update marked once
    assert len(transactions) < 20
    with services.sessions() as session:
        attempts = session.scalars(select(ReceivedUpdate.attempts)).all()
    assert sorted(set(attempts)) == [1]
    assert {u: len(fake_api.sent("sendMessage", u)) for u in users} == {u: 1 for u in users}


async def test_recover_pages_through_every_unhandled_update(
    make_services, fake_api: FakeBotAPI
) -> None:
    """More updates left unhandled than one page: all are answered, once, oldest first."""
    services = make_services(telegram_api_base_url=fake_api.url)
    ids = list(range(9001, 9008))
    # Stored by this worker's previous run (same name): taken back at once, no lease to wait.
    journal = UpdateJournal(services.sessions, services.settings.resolved_worker_name)
    journal.store(
        (u, json.dumps({"update_id": u, **message_update(ALLOWED, f"{QUESTION}{u}")})) for u in ids
    )
    policy = DeliveryPolicy(poll_timeout=1, overall_max_rate=0)
    application = telegram_app.build_application(services.settings, services, policy)
    await telegram_app.start(application, services)
    dispatcher = telegram_app.dispatcher_for(application, services)
    try:
        assert await dispatcher.recover(page=3) == len(ids)
    finally:
        dispatcher.close()
        await telegram_app.stop(application)
    assert len(fake_api.sent("sendMessage", ALLOWED)) == len(ids)
    assert _count(services, ReceivedUpdate.handled_at.is_(None)) == 0
