"""The database locked (SQLite) while questions arrive: nothing lost, nothing doubled.

(PostgreSQL stopped mid-run is test_pg_outage.py.) A question caught inside its handler when
the lock is taken is told to retry once the busy timeout runs out; questions arriving during
the lock cannot be stored, stay at Telegram, and are answered once it is released.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.handlers import DB_UNAVAILABLE
from db.models import QuestionLog
from devtools.fake_bot_api import FakeBotAPI, message_update
from tests.bot.conftest import ALLOWED, ALLOWED_2, RunningBot, until
from tests.bot.faults_support import HeldAnswers, texts

CUT = ALLOWED + 50  # its question is being handled when the lock is taken
LOCK_SECONDS = 6.5  # longer than the 5 s busy timeout: every write in between fails once


async def test_locked_database_delays_but_loses_nothing(
    make_services, fake_api: FakeBotAPI, figures
) -> None:
    services = make_services(
        telegram_api_base_url=fake_api.url, allowed_user_ids=[ALLOWED, ALLOWED_2, CUT]
    )
    held = HeldAnswers(services.assistant)
    path = make_url(services.settings.resolved_database_url).database
    async with RunningBot(services):
        fake_api.add_update(message_update(CUT, "网络招商做了什么" + HeldAnswers.MARK))
        await until(held.entered.is_set)
        lock = sqlite3.connect(path, isolation_level=None)
        lock.execute("BEGIN EXCLUSIVE")  # every writer now waits, then fails after busy_timeout
        locked_at = time.monotonic()
        try:
            held.release.set()
            fake_api.add_update(message_update(ALLOWED, "外资到位多少"))
            fake_api.add_update(message_update(ALLOWED_2, "上半年州外到位资金增长多少"))
            await until(lambda: texts(fake_api, CUT), timeout=LOCK_SECONDS)
            await asyncio.sleep(max(0.0, LOCK_SECONDS - (time.monotonic() - locked_at)))
            assert texts(fake_api, CUT) == [DB_UNAVAILABLE]
            assert texts(fake_api, ALLOWED) == texts(fake_api, ALLOWED_2) == []
        finally:
            lock.execute("COMMIT")
            lock.close()
        await until(lambda: texts(fake_api, ALLOWED) and texts(fake_api, ALLOWED_2), timeout=30)
        await asyncio.sleep(1.5)  # further polls must not answer again
    assert len(texts(fake_api, ALLOWED)) == len(texts(fake_api, ALLOWED_2)) == 1
    assert texts(fake_api, CUT) == [DB_UNAVAILABLE]  # told once, never answered behind its back
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(QuestionLog)) == 2
    figures(
        "faults",
        f"SQLite locked {LOCK_SECONDS} s: 2 questions sent during the lock answered once each "
        "after release; 1 caught mid-handling told to retry; 0 duplicates",
    )
