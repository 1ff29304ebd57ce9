"""Read queries over the knowledge base; each takes `session` first and never commits."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from db.models import Document, Indicator


def list_documents(session: Session, *, current_only: bool = True) -> list[Document]:
    """Return documents, newest first (current versions only unless asked)."""
    stmt = select(Document).order_by(Document.date.desc().nulls_last(), Document.id.desc())
    if current_only:
        stmt = stmt.where(Document.is_current.is_(True))
    return list(session.scalars(stmt))


def documents_with_records(session: Session, *, include_history: bool = False) -> list[Document]:
    """Return documents with their sections, figures, items and entities loaded, oldest first."""
    stmt = (
        select(Document)
        .options(
            selectinload(Document.sections),
            selectinload(Document.indicators),
            selectinload(Document.items),
            selectinload(Document.entities),
        )
        .order_by(Document.id)
    )
    if not include_history:
        stmt = stmt.where(Document.is_current.is_(True))
    return list(session.scalars(stmt))


def find_indicators(session: Session, name: str, period: str | None = None) -> list[Indicator]:
    """Return current indicators whose name contains `name` (and period, when given)."""
    stmt = (
        select(Indicator)
        .join(Document)
        .where(Document.is_current.is_(True), Indicator.name.contains(name))
        .order_by(Indicator.document_id.desc(), Indicator.position)
    )
    if period:
        stmt = stmt.where(Indicator.period.contains(period))
    return list(session.scalars(stmt))


def base_version(session: Session) -> tuple[int, int]:
    """Return a cheap fingerprint of the base: (highest document id, current documents).

    Ingestion only adds documents and supersedes old versions, so any change moves one of the
    two; workers poll this instead of reloading, and only reload when it moves.
    """
    newest = session.scalar(select(func.coalesce(func.max(Document.id), 0))) or 0
    current = session.scalar(
        select(func.count(Document.id)).where(Document.is_current.is_(True))
    )
    return int(newest), int(current or 0)
