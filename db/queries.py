"""Read queries over the knowledge base; each takes `session` first and never commits."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Document, Entity, Indicator, Item, Section


def list_documents(session: Session, *, current_only: bool = True) -> list[Document]:
    """Return documents, newest first (current versions only unless asked)."""
    stmt = select(Document).order_by(Document.date.desc().nulls_last(), Document.id.desc())
    if current_only:
        stmt = stmt.where(Document.is_current.is_(True))
    return list(session.scalars(stmt))


def sections_of(session: Session, document_ids: Sequence[int]) -> list[Section]:
    """Return the sections of the given documents in reading order."""
    stmt = (
        select(Section)
        .where(Section.document_id.in_(document_ids))
        .order_by(Section.document_id, Section.position)
    )
    return list(session.scalars(stmt))


def indicators_of(session: Session, document_ids: Sequence[int]) -> list[Indicator]:
    """Return the indicators of the given documents in reading order."""
    stmt = (
        select(Indicator)
        .where(Indicator.document_id.in_(document_ids))
        .order_by(Indicator.document_id, Indicator.position)
    )
    return list(session.scalars(stmt))


def items_of(session: Session, document_ids: Sequence[int]) -> list[Item]:
    """Return the measures and planned actions of the given documents in reading order."""
    stmt = (
        select(Item)
        .where(Item.document_id.in_(document_ids))
        .order_by(Item.document_id, Item.position)
    )
    return list(session.scalars(stmt))


def entities_of(session: Session, document_ids: Sequence[int]) -> list[Entity]:
    """Return the named entities of the given documents."""
    stmt = select(Entity).where(Entity.document_id.in_(document_ids)).order_by(Entity.id)
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


def knowledge_fingerprint(session: Session) -> str:
    """Return a short hash that changes whenever the set of current documents changes."""
    # The display name changes when a stored document is re-read (its rows keep their ids).
    rows = session.execute(
        select(Document.id, Document.content_hash, Document.display_name)
        .where(Document.is_current.is_(True))
        .order_by(Document.id)
    ).all()
    digest = hashlib.sha256("\n".join(f"{i}:{h}:{n}" for i, h, n in rows).encode())
    return digest.hexdigest()[:16]


def current_rows(session: Session, model: type, order: tuple = ()) -> list:
    """Return plain rows (no ORM objects) of a per-document table for current documents.

    Loading tens of thousands of sections or indicators as Row tuples is several times faster
    and lighter than as ORM instances; the columns keep their model attribute names.
    """
    table = model.__table__
    stmt = (
        select(table)
        .join(Document.__table__, Document.__table__.c.id == table.c.document_id)
        .where(Document.__table__.c.is_current.is_(True))
        .order_by(table.c.document_id, *order)
    )
    return list(session.execute(stmt))


def current_document_rows(session: Session) -> list:
    """Return plain rows of the current documents, newest first."""
    table = Document.__table__
    stmt = (
        select(table)
        .where(table.c.is_current.is_(True))
        .order_by(table.c.date.desc().nulls_last(), table.c.id.desc())
    )
    return list(session.execute(stmt))


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
