"""The bot's own records: question log, feedback, received updates (session first)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.orm import Session

from db.conflict import insert_ignore_all
from db.models import Feedback, QuestionLog, ReceivedUpdate


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class QuestionEntry:
    """What is logged for one question."""

    user_id: int | None
    chat_id: int | None
    text: str
    intent: str | None
    confidence: float | None
    answered: bool
    latency_ms: float | None
    update_id: int | None = None
    source: str = "telegram"


def record_question(session: Session, entry: QuestionEntry) -> int:
    """Log a question and return its id; an update already logged returns the existing id."""
    if entry.update_id is not None:
        existing = session.scalar(
            select(QuestionLog.id).where(QuestionLog.update_id == entry.update_id)
        )
        if existing is not None:
            return existing
    row = QuestionLog(
        user_id=entry.user_id,
        chat_id=entry.chat_id,
        update_id=entry.update_id,
        source=entry.source,
        text=entry.text,
        intent=entry.intent,
        confidence=entry.confidence,
        answered=entry.answered,
        latency_ms=entry.latency_ms,
    )
    session.add(row)
    session.flush()
    return row.id


def get_question(session: Session, question_id: int) -> QuestionLog | None:
    """Return one logged question, or None."""
    return session.get(QuestionLog, question_id)


def record_feedback(session: Session, question_id: int, user_id: int, value: int) -> bool:
    """Store a 👍 (+1) or 👎 (-1); a second vote by the same user replaces the first.

    Returns False when the question does not exist.
    """
    if session.get(QuestionLog, question_id) is None:
        return False
    value = 1 if value > 0 else -1
    row = session.scalar(
        select(Feedback).where(Feedback.question_id == question_id, Feedback.user_id == user_id)
    )
    if row is None:
        session.add(Feedback(question_id=question_id, user_id=user_id, value=value))
    else:
        row.value = value
    session.flush()
    return True


# --- received updates (at-least-once delivery) ------------------------------------------------


def store_received(
    session: Session,
    updates: Iterable[tuple[int, str]],
    worker: str = "",
    lease_until: dt.datetime | None = None,
) -> list[int]:
    """Keep each (update_id, payload) not yet stored and claim it; return the ids claimed.

    An update is claimed when it is not handled and free: never claimed, claimed by this
    worker, or its lease expired. Between workers the database decides (a conflicting insert
    is skipped, the claiming UPDATE re-checks its condition on a row another one just took),
    so an update delivered to two workers at once is handled by one.
    """
    items = dict(updates)
    if not items:
        return []
    now = _now()
    rows = [
        {"update_id": u, "payload": p, "received_at": now, "attempts": 0}
        for u, p in items.items()
    ]
    insert_ignore_all(session, ReceivedUpdate, rows, ["update_id"])
    claimed = claim(session, list(items), worker, lease_until)
    return [u for u in items if u in claimed]


def _free(worker: str | None, now: dt.datetime) -> ColumnElement[bool]:
    """Unhandled and unclaimed, or its lease expired, or (unless None) claimed by `worker`."""
    free = [ReceivedUpdate.claimed_by.is_(None), ReceivedUpdate.lease_until < now]
    if worker is not None:
        free.append(ReceivedUpdate.claimed_by == worker)
    return and_(ReceivedUpdate.handled_at.is_(None), or_(*free))


def claim(
    session: Session, update_ids: list[int], worker: str, lease_until: dt.datetime | None
) -> set[int]:
    """Claim the free ones among `update_ids` for `worker` until `lease_until`."""
    statement = (
        update(ReceivedUpdate)
        .where(ReceivedUpdate.update_id.in_(update_ids), _free(worker, _now()))
        .values(claimed_by=worker, lease_until=lease_until)
        .returning(ReceivedUpdate.update_id)
        .execution_options(synchronize_session=False)
    )
    return {int(u) for u in session.scalars(statement)}


def claim_leftovers(
    session: Session,
    worker: str,
    lease_until: dt.datetime | None,
    limit: int = 1000,
    own: bool = True,
) -> list[tuple[int, str, int]]:
    """Claim stored updates left unhandled (by a crash, or a worker whose lease expired).

    `own`: also those this worker claimed (at start: left by its previous run). Returns
    (update_id, payload, failed attempts), oldest first.
    """
    ids = list(
        session.scalars(
            select(ReceivedUpdate.update_id)
            .where(_free(worker if own else None, _now()))
            .order_by(ReceivedUpdate.update_id)
            .limit(limit)
        )
    )
    if not ids:
        return []
    claimed = claim(session, ids, worker, lease_until)
    rows = session.execute(
        select(ReceivedUpdate.update_id, ReceivedUpdate.payload, ReceivedUpdate.attempts)
        .where(ReceivedUpdate.update_id.in_(claimed))
        .order_by(ReceivedUpdate.update_id)
    ).all()
    return [(int(u), p, int(a or 0)) for u, p, a in rows]


def renew_leases(session: Session, worker: str, lease_until: dt.datetime) -> int:
    """Extend the lease on every unfinished update this worker holds; return how many."""
    result = session.execute(
        update(ReceivedUpdate)
        .where(ReceivedUpdate.claimed_by == worker, ReceivedUpdate.handled_at.is_(None))
        .values(lease_until=lease_until)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)


def mark_handled(session: Session, *update_ids: int) -> None:
    """Record that updates were handled, so they are never handled again."""
    session.execute(
        update(ReceivedUpdate)
        .where(ReceivedUpdate.update_id.in_(update_ids))
        .values(handled_at=_now(), attempts=ReceivedUpdate.attempts + 1)
    )


def record_attempt(session: Session, update_id: int) -> int:
    """Count one failed attempt at an update and return the total so far."""
    session.execute(
        update(ReceivedUpdate)
        .where(ReceivedUpdate.update_id == update_id)
        .values(attempts=ReceivedUpdate.attempts + 1)
    )
    return (
        session.scalar(
            select(ReceivedUpdate.attempts).where(ReceivedUpdate.update_id == update_id)
        )
        or 0
    )


def is_handled(session: Session, update_id: int) -> bool:
    """Tell whether an update was already handled."""
    handled = session.scalar(
        select(ReceivedUpdate.handled_at).where(ReceivedUpdate.update_id == update_id)
    )
    return handled is not None


def prune_handled(session: Session, older_than: dt.datetime) -> int:
    """Forget handled updates older than a date; return how many were removed."""
    rows = session.scalars(
        select(ReceivedUpdate.update_id).where(
            ReceivedUpdate.handled_at.is_not(None), ReceivedUpdate.handled_at < older_than
        )
    ).all()
    for update_id in rows:
        session.delete(session.get(ReceivedUpdate, update_id))
    return len(rows)


# --- statistics -------------------------------------------------------------------------------


@dataclass
class Stats:
    """Usage figures for /stats."""

    per_day: list[tuple[str, int]] = field(default_factory=list)
    intents: list[tuple[str, int]] = field(default_factory=list)
    total: int = 0
    declined: int = 0
    thumbs_up: int = 0
    thumbs_down: int = 0
    median_latency_ms: float | None = None


def usage_stats(session: Session, since: dt.datetime) -> Stats:
    """Return questions per day, intents, declines and feedback since a moment."""
    logged = QuestionLog.created_at >= since
    stats = Stats()
    days = session.execute(
        select(func.date(QuestionLog.created_at), func.count())
        .where(logged)
        .group_by(func.date(QuestionLog.created_at))
        .order_by(func.date(QuestionLog.created_at))
    ).all()
    stats.per_day = [(str(day), int(n)) for day, n in days]
    intents = session.execute(
        select(QuestionLog.intent, func.count())
        .where(logged)
        .group_by(QuestionLog.intent)
        .order_by(func.count().desc())
    ).all()
    stats.intents = [(intent or "?", int(n)) for intent, n in intents]
    stats.total = sum(n for _, n in stats.intents)
    stats.declined = (
        session.scalar(
            select(func.count())
            .select_from(QuestionLog)
            .where(logged, QuestionLog.answered.is_(False))
        )
        or 0
    )
    votes = session.execute(
        select(Feedback.value, func.count())
        .where(Feedback.created_at >= since)
        .group_by(Feedback.value)
    ).all()
    counts = {int(v): int(n) for v, n in votes}
    stats.thumbs_up, stats.thumbs_down = counts.get(1, 0), counts.get(-1, 0)
    stats.median_latency_ms = _median(
        session.scalars(
            select(QuestionLog.latency_ms).where(logged, QuestionLog.latency_ms.is_not(None))
        ).all()
    )
    return stats


def _median(values: Sequence[float | None]) -> float | None:
    clean = sorted(v for v in values if v is not None)
    if not clean:
        return None
    return clean[len(clean) // 2]
