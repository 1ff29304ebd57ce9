"""Read queries over the knowledge base; each takes `session` first and never commits."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Literal

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session, selectinload

from db.models import Document, Entity, Indicator, Item, Section

# The extracted records, in the order `highest_record_ids` and `documents_with_records_after`
# use.
RECORD_MODELS = (Section, Indicator, Item, Entity)
_READ_IN_ORDER = {"sections": Section, "items": Item, "indicators": Indicator}


def has_documents(session: Session) -> bool:
    """Tell whether any document is stored (one indexed row read, however large the base)."""
    return session.scalar(select(Document.id).limit(1)) is not None


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


def base_version(session: Session) -> tuple[int, int]:
    """Return a cheap fingerprint of the base: (highest document id, current documents).

    Ingestion only adds documents and supersedes old versions, so any change moves one of the
    two; workers poll this instead of reloading, and only reload when it moves.
    """
    # The snapshot's own fingerprint (nlp/kb_store.BaseHead) stamps every document instead:
    # it must also see a re-extraction, which keeps ids and counts; too dear to poll.
    newest = session.scalar(select(func.coalesce(func.max(Document.id), 0))) or 0
    current = session.scalar(
        select(func.count(Document.id)).where(Document.is_current.is_(True))
    )
    return int(newest), int(current or 0)



# -- what browsing, buttons and the bare /chart read (bot/browse.py, callbacks.py, admin.py) ---


def list_documents(session: Session, *, current_only: bool = True) -> list[Document]:
    """Return documents, newest first (current versions only unless asked)."""
    stmt = select(Document).order_by(Document.date.desc().nulls_last(), Document.id.desc())
    if current_only:
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


# -- what the answers' snapshot is built from (nlp/kb_store.py) --------------------------------


def current_document_rows(session: Session, columns: Sequence[str]) -> list[Row[Any]]:
    """Return plain rows of these columns of the current documents, newest first."""
    table = Document.__table__
    stmt = (
        select(*(table.c[name] for name in columns))
        .where(table.c.is_current.is_(True))
        .order_by(table.c.date.desc().nulls_last(), table.c.id.desc())
    )
    return list(session.execute(stmt).all())


def database_name(session: Session) -> str:
    """Return the URL of the database the session reads."""
    return str(session.get_bind().url)


def highest_record_ids(session: Session) -> list[int]:
    """Return the highest id of each extracted-record table (RECORD_MODELS' order)."""
    tables = [m.__table__ for m in RECORD_MODELS]
    stmt = select(*(select(func.max(t.c.id)).scalar_subquery() for t in tables))
    return [int(h or 0) for h in session.execute(stmt).one()]


def documents_with_records_after(session: Session, since: Sequence[int]) -> set[int]:
    """Return the documents holding extracted records with ids past `since` (one per table)."""
    touched: set[int] = set()
    for model, old in zip(RECORD_MODELS, since, strict=True):
        table = model.__table__
        newer = select(table.c.document_id).where(table.c.id > old).distinct()
        touched.update(session.execute(newer).scalars())
    return touched


def record_rows(
    session: Session, kind: Literal["sections", "items", "indicators"], ids: Sequence[int]
) -> Iterator[Row[Any]]:
    """Yield plain rows of one kind of record of these documents, each document in order."""
    table = _READ_IN_ORDER[kind].__table__
    stmt = (
        select(table)
        .where(table.c.document_id.in_(ids))
        .order_by(table.c.document_id, table.c.position)
    )
    # Core rows through the connection: the ORM's identity map and result processing would
    # cost several times the time and memory over tens of thousands of rows.
    yield from session.connection().execute(stmt)


def document_texts(session: Session, ids: Sequence[int]) -> dict[int, str]:
    """Return the whole text of each of these documents."""
    stmt = select(Document.id, Document.text).where(Document.id.in_(ids))
    return {doc_id: text or "" for doc_id, text in session.connection().execute(stmt)}


def distinct_entities(session: Session, ids: Sequence[int] | None) -> list[tuple[str, str, int]]:
    """Return distinct (name, type, first document naming it) over these documents' entities
    (all current documents' when `ids` is None), in order of that first document."""
    entity, document = Entity.__table__, Document.__table__
    first = func.min(entity.c.document_id)
    stmt = select(entity.c.name, entity.c.type, first)
    if ids is None:
        stmt = stmt.join(document, document.c.id == entity.c.document_id).where(
            document.c.is_current.is_(True)
        )
    else:
        stmt = stmt.where(entity.c.document_id.in_(ids))
    stmt = stmt.group_by(entity.c.name, entity.c.type).order_by(
        first, entity.c.name, entity.c.type
    )
    return [(name, kind, doc) for name, kind, doc in session.execute(stmt)]
