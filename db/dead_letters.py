"""Updates set aside: unreadable, or still failing after their attempts (session first)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from db.conflict import insert_ignore
from db.models import DeadLetter, ReceivedUpdate

UNREADABLE = "unreadable"
FAILING = "failing"


@dataclass(frozen=True)
class Poison:
    """One update to set aside: its id when known, what was received, and why."""

    update_id: int | None
    payload: str | None  # None: copy it from received_updates
    reason: str
    error: str


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def set_aside(session: Session, poisons: list[Poison]) -> list[Poison]:
    """Keep each update in dead_letters and close it in received_updates; return the new ones.

    An update set aside before (a redelivery, another worker) is not counted again.
    """
    fresh: list[Poison] = []
    for poison in poisons:
        payload = poison.payload
        if payload is None and poison.update_id is not None:
            payload = session.scalar(
                select(ReceivedUpdate.payload).where(ReceivedUpdate.update_id == poison.update_id)
            )
        row = {
            "update_id": poison.update_id,
            "payload": payload or "",
            "reason": poison.reason,
            "error": poison.error[:4000],
            "created_at": _now(),
        }
        if insert_ignore(session, DeadLetter, [row], ["update_id"]):
            fresh.append(poison)
    ids = [p.update_id for p in poisons if p.update_id is not None]
    if ids:
        session.execute(
            update(ReceivedUpdate)
            .where(ReceivedUpdate.update_id.in_(ids), ReceivedUpdate.handled_at.is_(None))
            .values(handled_at=_now())
        )
    return fresh


def count(session: Session) -> int:
    """Return how many updates were set aside."""
    return session.scalar(select(func.count()).select_from(DeadLetter)) or 0


def recent(session: Session, limit: int = 20) -> list[DeadLetter]:
    """Return the latest updates set aside, newest first."""
    return list(session.scalars(select(DeadLetter).order_by(DeadLetter.id.desc()).limit(limit)))
