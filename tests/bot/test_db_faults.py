"""The database locked (SQLite) while questions arrive: nothing lost, nothing doubled."""

from __future__ import annotations

import asyncio
import sqlite3

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.devtools.fake_bot_api import FakeBotAPI, message_update
from db.models import QuestionLog
from tests.bot.conftest import ALLOWED, ALLOWED_2, RunningBot, until


async def test_locked_database_delays_but_loses_nothing(
    make_services, fake_api: FakeBotAPI, figures
) -> None:
    services = make_services(telegram_api_base_url=fake_api.url)
    path = make_url(services.settings.resolved_database_url).database
    async with RunningBot(services):
        lock = sqlite3.connect(path, isolation_level=None)
        lock.execute("BEGIN EXCLUSIVE")  # every writer now waits, then fails after busy_timeout
        try:
            fake_api.add_update(message_update(ALLOWED, "外资到位多少"))
            fake_api.add_update(message_update(ALLOWED_2, "上半年州外到位资金增长多少"))
            await asyncio.sleep(6.5)  # longer than the 5 s busy timeout: storing failed once
            assert fake_api.sent("sendMessage") == []
        finally:
            lock.execute("COMMIT")
            lock.close()
        await until(lambda: len(fake_api.sent("sendMessage")) >= 2, timeout=30)
        await asyncio.sleep(1.5)  # further polls must not answer again
    assert len(fake_api.sent("sendMessage", ALLOWED)) == 1
    assert len(fake_api.sent("sendMessage", ALLOWED_2)) == 1
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(QuestionLog)) == 2
    figures("faults", "SQLite locked 6.5 s: 2 questions answered once each after release")
