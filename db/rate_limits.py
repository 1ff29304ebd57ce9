"""Rate limits every worker shares: send slots and token buckets in rate_states.

Telegram's limits are per bot token and the per-user budget is per user, whichever worker
handles the update, so their state lives in the database. Each call is one short transaction;
the row lock (PostgreSQL) or the writer lock (SQLite) orders workers that race.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select, update
from sqlalchemy.orm import Session

from db.conflict import dialect_name, insert_ignore_all
from db.models import RateState

# Core, not ORM-enabled, statements on the table: a send slot is taken for every message, and
# the ORM's bulk-update path cost several times the round trip itself.
_STATES = RateState.__table__


@dataclass
class Bucket:
    """A token bucket's state: tokens left at `stamp` (seconds since the epoch)."""

    tokens: float
    stamp: float
    notified: bool = False


def _greatest(db: Session | Connection, a: Any, b: Any) -> Any:
    # SQLite's two-argument max() is its scalar greatest().
    if dialect_name(db) == "postgresql":
        return func.greatest(a, b)
    return func.max(a, b)


def _ensure(db: Session | Connection, key: str, stamp: float, tokens: float) -> None:
    row = {"key": key, "stamp": stamp, "tokens": tokens, "notified": False}
    insert_ignore_all(db, RateState, [row], ["key"])


def reserve(db: Session | Connection, key: str, interval: float, now: float) -> float:
    """Take the next slot of `key` (at most one per `interval` seconds); return its time.

    On an autocommit connection this is one statement, so the row is locked only while the
    server runs it (workers asking at once wait microseconds, not for each other's commits).
    """
    statement = (
        update(_STATES)
        .where(_STATES.c.key == key)
        .values(stamp=_greatest(db, _STATES.c.stamp + interval, now))
        .returning(_STATES.c.stamp)
    )
    slot = db.scalar(statement)
    if slot is None:  # a new key: create it (another worker may just have), then take
        _ensure(db, key, 0.0, 0.0)
        slot = db.scalar(statement)
    return float(slot if slot is not None else now)


def load_bucket(session: Session, key: str, full: float, now: float) -> Bucket:
    """Return a bucket (full when new), locked until the transaction ends."""
    query = (
        select(RateState.tokens, RateState.stamp, RateState.notified)
        .where(RateState.key == key)
        .with_for_update()
    )
    row = session.execute(query).one_or_none()
    if row is None:
        _ensure(session, key, now, full)
        row = session.execute(query).one()
    return Bucket(float(row.tokens), float(row.stamp), bool(row.notified))


def save_bucket(session: Session, key: str, bucket: Bucket) -> None:
    """Store a bucket's new state."""
    session.execute(
        update(RateState)
        .where(RateState.key == key)
        .values(tokens=bucket.tokens, stamp=bucket.stamp, notified=bucket.notified)
        .execution_options(synchronize_session=False)
    )
