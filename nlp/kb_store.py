"""Build the snapshot's tables from the database once per base version; map them afterwards.

A start reads only the current documents' metadata and a fingerprint from SQL. When a store
saved for that fingerprint (and this code) exists, its tables are memory-mapped; else they are
built by reading the base a chunk of documents at a time (plain rows, no ORM identity map), so
neither building nor answering holds the base's text as Python objects.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections import defaultdict
from pathlib import Path

import numpy as np
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, sessionmaker

from db import queries
from db.models import Document, Entity, Indicator, Item, Section
from nlp.columns import Table, TableWriter
from nlp.kb import (
    DocumentInfo,
    EntityInfo,
    IndicatorInfo,
    ItemInfo,
    KnowledgeSnapshot,
    SectionInfo,
    document_units,
    section_kinds,
)
from nlp.kb_tables import (
    INDICATOR_KINDS,
    ITEM_KINDS,
    SECTION_KINDS,
    UNIT_KINDS,
    IndicatorTable,
    ItemTable,
    SectionTable,
    TableBuilder,
    UnitTable,
    indicator_row,
)
from nlp.pages import PageBudget

logger = logging.getLogger(__name__)

STORE_FORMAT = 2  # 2: figures carry place, year, months and kind
CHUNK_DOCUMENTS = 200  # documents read per query while building: bounds the build's memory
META_FILE = "meta.json"
DOC_IDS_FILE = "documents.npy"
ENTITY_KINDS = {"doc": "i4", "name": "text", "type": "code"}
_DOCUMENT_COLUMNS = (
    "id", "number", "title", "issuer", "addressee", "date", "year", "contact", "contact_phone",
    "cc", "classification", "proposal_number", "proposal_title", "proposer", "proposal_session",
    "subject", "period_year", "period_start", "period_end", "genre", "display_name",
)


class BaseHead:
    """The current documents' metadata and a fingerprint of everything extracted from them."""

    def __init__(self, documents: list[DocumentInfo], fingerprint: str) -> None:
        self.documents = documents
        self.fingerprint = fingerprint


def read_head(sessions: sessionmaker[Session]) -> BaseHead:
    """Read document metadata (not texts) and the base's fingerprint in one session."""
    table = Document.__table__
    stmt = (
        select(*(table.c[name] for name in _DOCUMENT_COLUMNS))
        .where(table.c.is_current.is_(True))
        .order_by(table.c.date.desc().nulls_last(), table.c.id.desc())
    )
    with sessions() as session:
        documents = [_document(row) for row in session.execute(stmt)]
        content = queries.knowledge_fingerprint(session)
        # Extracted rows are written once per document; a re-extraction would add rows, so the
        # highest ids change with it even when the documents' content hashes do not.
        tables = (Section, Indicator, Item, Entity)
        highest = session.execute(
            select(*(select(func.max(m.id)).scalar_subquery() for m in tables))
        ).one()
        # Two databases holding the same documents (fresh bases built by different code) have
        # the same ids and hashes: the database itself is part of what the snapshot mirrors.
        database = str(session.get_bind().url)
    return BaseHead(documents, f"{database}:{content}:{':'.join(str(h) for h in highest)}")


class SnapshotStore:
    """Snapshots saved under `root`, one directory per base version and code version."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def load(
        self, sessions: sessionmaker[Session], code_key: str
    ) -> tuple[KnowledgeSnapshot, Path]:
        """Return the snapshot (mapped, built first when missing) and its directory."""
        head = read_head(sessions)
        digest = hashlib.sha256(f"{STORE_FORMAT}:{head.fingerprint}:{code_key}".encode())
        path = self.root / f"kb_{digest.hexdigest()[:20]}"
        snapshot = self._open(path, head)
        if snapshot is not None:
            return snapshot, path
        logger.info("knowledge snapshot %s missing: building it", path.name)
        tmp = self.root / f".{path.name}.{os.getpid()}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        build_snapshot(sessions, head, tmp)
        (tmp / META_FILE).write_text(
            json.dumps({"format": STORE_FORMAT, "fingerprint": head.fingerprint}),
            encoding="utf-8",
        )
        shutil.rmtree(path, ignore_errors=True)  # a torn or unreadable copy
        try:
            tmp.rename(path)  # the directory appears complete or not at all
        except OSError:  # another process finished the same snapshot first
            shutil.rmtree(tmp, ignore_errors=True)
        self._remove_others(path)
        snapshot = self._open(path, head)
        if snapshot is None:
            raise RuntimeError(f"knowledge snapshot {path} unreadable right after building it")
        return snapshot, path

    def _open(self, path: Path, head: BaseHead) -> KnowledgeSnapshot | None:
        if not (path / META_FILE).is_file():
            return None
        try:
            return open_snapshot(path, head)
        except (OSError, ValueError, KeyError) as exc:  # a torn or old copy: rebuild
            logger.warning("knowledge snapshot %s unreadable (%s): rebuilding", path.name, exc)
            return None

    def _remove_others(self, keep: Path) -> None:
        # Earlier versions (and the old per-unit index folders): a process still using one
        # keeps its mapped files until it reloads. Half-built copies of processes that died.
        for old in self.root.glob("*"):
            if old == keep or not old.is_dir():
                continue
            if old.name.startswith(("kb_", "units_")) or _abandoned(old):
                shutil.rmtree(old, ignore_errors=True)


def _abandoned(path: Path) -> bool:
    """Tell whether `path` is a build folder (.kb_<key>.<pid>.tmp) of a process now gone."""
    parts = path.name.split(".")
    if not (path.name.startswith(".kb_") and len(parts) == 4 and parts[3] == "tmp"):
        return False
    try:
        os.kill(int(parts[2]), 0)
    except ProcessLookupError:
        return True
    except (ValueError, PermissionError):
        return False
    return False


def open_snapshot(path: Path, head: BaseHead) -> KnowledgeSnapshot:
    """Map a saved snapshot; it must hold exactly the head's documents, in the same order."""
    ids = np.load(path / DOC_IDS_FILE)
    if ids.tolist() != [d.id for d in head.documents]:
        raise ValueError("saved documents differ from the database's")
    pages = PageBudget()
    snapshot = KnowledgeSnapshot(
        documents=head.documents,
        units=UnitTable.open(path / "units", pages),
        sections=SectionTable.open(path / "sections", pages),
        indicators=IndicatorTable.open(path / "indicators", pages),
        items=ItemTable.open(path / "items", pages),
        entities=_entities(Table.load(path / "entities")),
        fingerprint=head.fingerprint,
    )
    snapshot.pages = pages
    return snapshot


def build_snapshot(
    sessions: sessionmaker[Session], head: BaseHead, directory: Path | None
) -> KnowledgeSnapshot:
    """Read the base a chunk of documents at a time and write the tables (to `directory`)."""

    def sub(name: str) -> Path | None:
        return directory / name if directory is not None else None

    units = TableBuilder(UNIT_KINDS, sub("units"))
    sections = TableBuilder(SECTION_KINDS, sub("sections"))
    indicators = TableBuilder(INDICATOR_KINDS, sub("indicators"))
    items = TableBuilder(ITEM_KINDS, sub("items"))
    documents = head.documents
    with sessions() as session:
        for start in range(0, len(documents), CHUNK_DOCUMENTS):
            chunk = documents[start : start + CHUNK_DOCUMENTS]
            rows = _read_chunk(session, [d.id for d in chunk])
            for document in chunk:
                _write_document(document, rows, units, sections, indicators, items)
        entity_rows = list(session.execute(_entity_query()))
    entities = TableWriter(ENTITY_KINDS, sub("entities"))
    for name, kind, doc in entity_rows:
        entities.add(doc=doc, name=name, type=kind)
    entity_table = entities.finish()
    if directory is not None:
        np.save(directory / DOC_IDS_FILE, np.asarray([d.id for d in documents], dtype=np.int64))
    return KnowledgeSnapshot(
        documents=documents,
        units=UnitTable(*units.finish()),
        sections=SectionTable(*sections.finish()),
        indicators=IndicatorTable(*indicators.finish()),
        items=ItemTable(*items.finish()),
        entities=_entities(entity_table),
        fingerprint=head.fingerprint,
    )


class _Chunk:
    """One chunk's rows grouped by document id."""

    def __init__(self) -> None:
        self.sections: dict[int, list[SectionInfo]] = defaultdict(list)
        self.items: dict[int, list[ItemInfo]] = defaultdict(list)
        self.indicators: dict[int, list[dict[str, object]]] = defaultdict(list)
        self.texts: dict[int, str] = {}


def _read_chunk(session: Session, ids: list[int]) -> _Chunk:
    chunk, connection = _Chunk(), session.connection()
    for model, order, into, convert in (
        (Section, Section.position, chunk.sections, _section),
        (Item, Item.position, chunk.items, _item),
        (Indicator, Indicator.position, chunk.indicators, _indicator_row),
    ):
        table = model.__table__
        stmt = (
            select(table)
            .where(table.c.document_id.in_(ids))
            .order_by(table.c.document_id, order)
        )
        # Core rows through the connection: the ORM's result processing is not needed here.
        for row in connection.execute(stmt):
            into[row.document_id].append(convert(row))
    text_stmt = select(Document.id, Document.text).where(Document.id.in_(ids))
    chunk.texts = {doc_id: text or "" for doc_id, text in connection.execute(text_stmt)}
    return chunk


def _write_document(
    document: DocumentInfo,
    chunk: _Chunk,
    units: TableBuilder,
    sections: TableBuilder,
    indicators: TableBuilder,
    items: TableBuilder,
) -> None:
    doc = document.id
    own_sections, own_items = chunk.sections.pop(doc, []), chunk.items.pop(doc, [])
    kinds = section_kinds(own_sections, own_items)
    for section, kind, text in document_units(
        document, own_sections, own_items, chunk.texts.pop(doc, ""), kinds
    ):
        units.add(doc=doc, section=section, kind=kind, text=text)
    titles = {}
    for s in own_sections:
        titles[s.sid] = s.title
        sections.add(
            doc=doc, sid=s.sid, parent=s.parent_sid, level=s.level, title=s.title,
            kind=kinds.get((doc, s.sid)),
        )
    for i in own_items:
        items.add(
            doc=doc, kind=i.kind, section=i.section, title=i.title, text=i.text,
            points=json.dumps(i.points, ensure_ascii=False),
        )
    for row in chunk.indicators.pop(doc, []):
        # What the figure is about: its section's title and its quote.
        section = row["section"]
        title = titles.get(section, "") if section is not None else ""
        indicators.add(**row, context=f"{title} {row['quote']}")
    for table in (units, sections, indicators, items):
        table.end_document()


def _entity_query() -> Select:
    """Distinct (name, type) of current documents' entities, with the first document naming it."""
    entity, document = Entity.__table__, Document.__table__
    first = func.min(entity.c.document_id)
    return (
        select(entity.c.name, entity.c.type, first)
        .join(document, document.c.id == entity.c.document_id)
        .where(document.c.is_current.is_(True))
        .group_by(entity.c.name, entity.c.type)
        .order_by(first, entity.c.name, entity.c.type)
    )


def _entities(table: Table) -> list[EntityInfo]:
    names, kinds, docs = table["name"], table["type"], table["doc"]
    return [
        EntityInfo(int(docs[row]), names[row] or "", kinds[row] or "", None)
        for row in range(len(table))
    ]


def _document(d) -> DocumentInfo:
    return DocumentInfo(
        id=d.id, number=d.number, title=d.title or "", issuer=d.issuer, addressee=d.addressee,
        date=d.date, year=d.year or (d.date.year if d.date else None), contact=d.contact,
        contact_phone=d.contact_phone, cc=tuple(d.cc or ()),
        classification=tuple(d.classification or ()), proposal_number=d.proposal_number,
        proposal_title=d.proposal_title, proposer=d.proposer,
        proposal_session=d.proposal_session, subject=d.subject, period_year=d.period_year,
        period_start=d.period_start, period_end=d.period_end, genre=d.genre or "other",
        display_name=d.display_name or "",
    )


def _section(s) -> SectionInfo:
    return SectionInfo(s.document_id, s.sid, s.parent_sid, s.level, s.title or "", s.text or "")


def _indicator_row(i) -> dict[str, object]:
    """An indicator row as table values (IndicatorInfo's fields; context added per document)."""
    row = indicator_row(
        IndicatorInfo(
            id=i.id, document_id=i.document_id, name=i.name, value=i.value, unit=i.unit or "",
            period=i.period, target=i.target, target_value=i.target_value, gap=i.gap,
            progress=i.progress, qualifier=i.qualifier, section=i.section_sid,
            quote=i.quote or "", place=i.place, year=i.year, month_start=i.month_start,
            month_end=i.month_end, kind=i.kind or "actual",
        )
    )
    del row["context"]
    return row


def _item(i) -> ItemInfo:
    return ItemInfo(
        i.document_id, i.kind, i.section_sid, i.title or "", i.text or "", tuple(i.points or ())
    )
