"""The bot's own records: question log, feedback, received updates (session first)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from db.models import Document, Feedback, Indicator, Item, QuestionLog, ReceivedUpdate, Section


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


def store_received(session: Session, updates: Iterable[tuple[int, str]]) -> list[int]:
    """Keep each (update_id, payload) not yet stored; return the ids that still need handling."""
    items = dict(updates)
    if not items:
        return []
    # One query for the whole batch: a getUpdates answer holds up to 100 updates.
    rows = session.execute(
        select(ReceivedUpdate.update_id, ReceivedUpdate.handled_at).where(
            ReceivedUpdate.update_id.in_(items)
        )
    ).all()
    known = {int(update_id): handled_at for update_id, handled_at in rows}
    new = [{"update_id": u, "payload": p} for u, p in items.items() if u not in known]
    if new:  # a Core executemany: a quarter of the ORM's cost for a batch of 100
        session.execute(insert(ReceivedUpdate), new)
    return [u for u in items if u not in known or known[u] is None]


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


def unhandled_updates(session: Session, limit: int = 1000) -> list[tuple[int, str, int]]:
    """Return stored updates not yet handled, oldest first, with their failed attempts."""
    rows = session.execute(
        select(ReceivedUpdate.update_id, ReceivedUpdate.payload, ReceivedUpdate.attempts)
        .where(ReceivedUpdate.handled_at.is_(None))
        .order_by(ReceivedUpdate.update_id)
        .limit(limit)
    ).all()
    return [(int(u), p, int(a or 0)) for u, p, a in rows]


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


# --- knowledge lookups by id (for button presses) ---------------------------------------------


def get_indicator(session: Session, indicator_id: int) -> Indicator | None:
    """Return one indicator of a current document, or None."""
    row = session.get(Indicator, indicator_id)
    return row if row is not None and row.document.is_current else None


def get_item(session: Session, item_id: int) -> Item | None:
    """Return one measure or planned action of a current document, or None."""
    row = session.get(Item, item_id)
    return row if row is not None and row.document.is_current else None


def get_section(session: Session, document_id: int, sid: str | None) -> Section | None:
    """Return a document's section by its id (一, 二（三） ...), or None."""
    if sid is None:
        return None
    return session.scalar(
        select(Section).where(Section.document_id == document_id, Section.sid == sid)
    )


def current_items(session: Session, kind: str) -> list[Item]:
    """Return the measures ("measure") or planned actions ("action") of current documents."""
    return list(
        session.scalars(
            select(Item)
            .join(Document)
            .where(Document.is_current.is_(True), Item.kind == kind)
            .order_by(Document.id.desc(), Item.position)
        )
    )


def current_indicators(session: Session) -> list[Indicator]:
    """Return the indicators of current documents, newest document first."""
    return list(
        session.scalars(
            select(Indicator)
            .join(Document)
            .where(Document.is_current.is_(True))
            .order_by(Document.id.desc(), Indicator.position)
        )
    )
