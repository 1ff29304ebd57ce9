"""Document rows: find and supersede; functions take `session` first and never commit.

Turning a parsed document into rows is knowledge/persist.py's job: the database layer knows
nothing of the parser's records, so imports run one way (knowledge -> db).
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.models import Document


def find_by_hash(session: Session, content_hash: str) -> Document | None:
    """Return the document stored with this content hash, if any."""
    return session.scalars(select(Document).where(Document.content_hash == content_hash)).first()


def current_with_number(session: Session, number: str) -> list[Document]:
    """Return the current documents that carry this 文号."""
    stmt = select(Document).where(Document.number == number, Document.is_current.is_(True))
    return list(session.scalars(stmt))


def supersede(session: Session, old: Document, new: Document) -> None:
    """Mark `old` as history, replaced by `new`."""
    old.is_current = False
    old.superseded_by_id = new.id
    session.flush()


def stale_documents(session: Session, extractor: str) -> list[Document]:
    """Return current documents read by other extraction code than `extractor` (or none)."""
    stmt = select(Document).where(
        Document.is_current.is_(True),
        or_(Document.extractor != extractor, Document.display_name == ""),
    )
    return list(session.scalars(stmt))
