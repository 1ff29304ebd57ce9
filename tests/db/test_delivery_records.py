"""What several workers share through the database: update claims, rate limits, base version."""

from __future__ import annotations

import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import update

from db import bot_records, queries, rate_limits
from db.engine import make_engine
from db.models import ReceivedUpdate
from db.startup_lock import startup_lock
from knowledge.ingest import ingest_text


def _later(seconds: float = 30) -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(seconds=seconds)


def _store(sessions, worker: str, ids: list[int]) -> list[int]:
    with sessions.begin() as session:
        items = [(u, f'{{"update_id": {u}}}') for u in ids]
        return bot_records.store_received(session, items, worker, _later())


def test_an_update_is_claimed_by_one_worker_until_its_lease_expires(sessions) -> None:
    assert _store(sessions, "w1", [1, 2, 3]) == [1, 2, 3]
    assert _store(sessions, "w2", [2, 3, 4]) == [4]  # redelivered to another worker
    assert _store(sessions, "w1", [2]) == [2]  # its own claim (a restart) is its own
    with sessions.begin() as session:
        assert bot_records.claim_leftovers(session, "w2", _later(), own=False) == []
        session.execute(
            update(ReceivedUpdate)
            .where(ReceivedUpdate.update_id == 3)
            .values(lease_until=_later(-1))
        )
    with sessions.begin() as session:  # w1 died: its expired claim on 3 is w2's now
        taken = bot_records.claim_leftovers(session, "w2", _later(), own=False)
        assert [u for u, _p, _a in taken] == [3]
        bot_records.mark_handled(session, 1, 2, 3, 4)
    assert _store(sessions, "w2", [1, 2, 3, 4]) == []  # handled: nobody handles it again


def test_leases_are_renewed_only_for_unfinished_updates_of_the_worker(sessions) -> None:
    _store(sessions, "w1", [1, 2])
    _store(sessions, "w2", [3])
    with sessions.begin() as session:
        bot_records.mark_handled(session, 1)
        assert bot_records.renew_leases(session, "w1", _later(60)) == 1


def test_two_workers_storing_the_same_batch_at_once_split_it(sessions) -> None:
    ids = list(range(100, 160))
    barrier = threading.Barrier(2)

    def store(worker: str) -> list[int]:
        barrier.wait()
        return _store(sessions, worker, ids)

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(store, ["w1", "w2"])
    assert not set(first) & set(second)
    assert sorted(first + second) == ids


def test_send_slots_are_spaced_per_key(sessions) -> None:
    now = 1000.0
    with sessions.begin() as session:
        slots = [rate_limits.reserve(session, "send", 0.5, now) for _ in range(3)]
        other = rate_limits.reserve(session, "chat:7", 1.0, now)
    assert slots == [1000.0, 1000.5, 1001.0] and other == 1000.0
    with sessions.begin() as session:  # an idle key starts again from now
        assert rate_limits.reserve(session, "send", 0.5, 2000.0) == 2000.0


def test_a_bucket_is_created_full_and_kept(sessions) -> None:
    with sessions.begin() as session:
        bucket = rate_limits.load_bucket(session, "user:1", 3.0, 50.0)
        assert (bucket.tokens, bucket.stamp, bucket.notified) == (3.0, 50.0, False)
        bucket.tokens, bucket.notified = 0.5, True
        rate_limits.save_bucket(session, "user:1", bucket)
    with sessions.begin() as session:
        again = rate_limits.load_bucket(session, "user:1", 3.0, 99.0)
    assert (again.tokens, again.stamp, again.notified) == (0.5, 50.0, True)


def test_the_base_version_moves_when_a_document_is_added(sessions) -> None:
    with sessions() as session:
        before = queries.base_version(session)
    ingest_text(sessions, "关于招商工作的通知\n一、总体要求\n全年新签约项目20个。\n", "a.txt")
    with sessions() as session:
        after = queries.base_version(session)
    assert after != before and after[0] > before[0]


def test_the_sqlite_startup_lock_makes_a_second_process_wait(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'lock.db'}")
    order: list[str] = []

    def second() -> None:
        with startup_lock(engine):
            order.append("second")

    with startup_lock(engine):
        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.3)
        order.append("first done")
    thread.join(5)
    engine.dispose()
    assert order == ["first done", "second"]
