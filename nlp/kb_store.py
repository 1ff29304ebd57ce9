"""Build the snapshot's tables from the database in segments; map them afterwards.

A start reads only the current documents' metadata and a stamp per document from SQL. The
documents the saved segments already hold (with the same stamp) are memory-mapped; the others
are built into one new segment by reading the base a chunk of documents at a time (plain rows,
no ORM identity map), so neither building nor answering holds the base's text as Python objects,
and an upload writes only the uploaded document's rows.
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
from sqlalchemy.orm import Session, sessionmaker

from db import queries
from nlp.columns import Table, TableWriter, concat, map_array
from nlp.kb import KnowledgeSnapshot
from nlp.kb_records import DocumentInfo, EntityInfo, IndicatorInfo, ItemInfo, SectionInfo
from nlp.kb_tables import (
    BOUNDS_FILE,
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
    spans_of,
)
from nlp.kb_units import document_units, section_kinds

logger = logging.getLogger(__name__)

STORE_FORMAT = 3  # 3: segments listed in a manifest
CHUNK_DOCUMENTS = 200  # documents read per query while building: bounds the build's memory
MANIFEST_FILE = "manifest.json"
DOC_IDS_FILE = "documents.npy"
RECORD_TABLES = ("units", "sections", "indicators", "items")
MAX_SEGMENTS = 64  # past this many segments a start compacts them into one
MAX_MASKED_SHARE = 0.25  # ... or once this share of the held documents is masked
ENTITY_KINDS = {"doc": "i4", "name": "text", "type": "code"}
_DOCUMENT_COLUMNS = (
    "id", "number", "title", "issuer", "addressee", "date", "year", "contact", "contact_phone",
    "cc", "classification", "proposal_number", "proposal_title", "proposer", "proposal_session",
    "subject", "period_year", "period_start", "period_end", "genre", "display_name",
)


class BaseHead:
    """The current documents' metadata, a stamp per document and a fingerprint of them all."""

    def __init__(
        self,
        documents: list[DocumentInfo],
        stamps: dict[int, str],
        highest: list[int],
        touched: set[int] | None,
    ) -> None:
        self.documents = documents
        self.stamps = stamps  # content hash and display name
        self.highest = highest  # the highest extracted row id per table
        self.touched = touched  # documents with rows past the `since` ids (None: all)
        digest = hashlib.sha256("\n".join(f"{d}={stamps[d]}" for d in sorted(stamps)).encode())
        digest.update(str(highest).encode())
        self.fingerprint = digest.hexdigest()[:20]


def read_head(
    sessions: sessionmaker[Session],
    since: list[int] | None = None,
    known: dict[tuple, DocumentInfo] | None = None,
) -> BaseHead:
    """Read document metadata (not texts) and which documents have rows newer than `since`.

    Extracted rows are written once per document with growing ids; a re-extraction adds rows,
    so the documents holding rows past the ids of the last build are the re-extracted ones
    (besides new documents). `known` caches DocumentInfo by row between calls.
    """
    with sessions() as session:
        rows = queries.current_document_rows(session, (*_DOCUMENT_COLUMNS, "content_hash"))
        # Two databases holding the same documents (fresh bases built by different code) have
        # the same ids and hashes: the database itself is part of what a segment mirrors.
        database = queries.database_name(session)
        highest = queries.highest_record_ids(session)
        touched: set[int] | None = None
        if since is not None and all(h >= s for h, s in zip(highest, since, strict=True)):
            touched = queries.documents_with_records_after(session, since)
    cache = known if known is not None else {}
    documents = []
    for row in rows:
        key = tuple(tuple(v) if isinstance(v, list) else v for v in row)  # JSON lists
        info = cache.get(key)
        if info is None:
            info = cache[key] = _document(row)
        documents.append(info)
    stamps = {row.id: f"{database}:{row.content_hash}:{row.display_name}" for row in rows}
    return BaseHead(documents, stamps, highest, touched)


class Segment:
    """One build's documents: their record tables (rows document by document) and entities."""

    def __init__(
        self,
        path: Path | None,
        documents: list[int],
        tables: dict[str, tuple[Table, np.ndarray]],
        entities: Table,
    ) -> None:
        self.path = path
        self.documents = documents
        self.tables = tables  # units, sections, indicators, items: (table, bounds)
        self.entities = entities
        self.units = UnitTable(tables["units"][0], spans_of(documents, tables["units"][1]))

    @classmethod
    def open(cls, path: Path) -> Segment:
        """Map a segment saved by build_segment."""
        documents = [int(d) for d in np.load(path / DOC_IDS_FILE)]
        tables = {
            name: (Table.load(path / name), map_array(path / name / BOUNDS_FILE))
            for name in RECORD_TABLES
        }
        return cls(path, documents, tables, Table.load(path / "entities"))

    def snapshot(self) -> KnowledgeSnapshot:
        """This segment alone (all its rows, no document metadata): what its names come from."""

        def spans(name: str) -> dict[int, range]:
            return spans_of(self.documents, self.tables[name][1])

        table = self.entities
        names, kinds, docs = table["name"], table["type"], table["doc"]
        return KnowledgeSnapshot(
            documents=[],
            units=self.units,
            sections=SectionTable(self.tables["sections"][0], spans("sections")),
            indicators=IndicatorTable(self.tables["indicators"][0], spans("indicators")),
            items=ItemTable(self.tables["items"][0], spans("items")),
            entities=[
                EntityInfo(int(docs[row]), names[row] or "", kinds[row] or "", None)
                for row in range(len(table))
            ],
        )

    def user_words(self) -> list[str]:
        """Names the tokenizer should keep whole (see KnowledgeSnapshot.user_words)."""
        names = self.tables["indicators"][0]["name"].vocabulary
        words = [n for n in names if n and len(n) <= 6]
        entity_names = self.entities["name"]
        words += [entity_names[row] or "" for row in range(len(self.entities))]
        return [w for w in words if w and len(w) <= 12]


class SnapshotStore:
    """The snapshot saved under `root` as segments listed in a manifest.

    The first build writes one segment with every document. Later, a document that is new
    (or re-extracted) gets a segment of its own and a removed or superseded one is masked, so
    an upload writes only the new document's rows. `compact` (start-up) rebuilds everything
    into one segment once segments pile up or masked rows pass a share.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._open: dict[str, Segment] = {}  # segments already mapped by this process
        self._known: dict[tuple, DocumentInfo] = {}  # document rows already converted

    def load(
        self, sessions: sessionmaker[Session], code_key: str, *, compact: bool = True
    ) -> tuple[KnowledgeSnapshot, list[Segment]]:
        """Return the snapshot over the saved segments (adding a segment for new documents)."""
        self.root.mkdir(parents=True, exist_ok=True)
        manifest = self._manifest(code_key)
        segments = manifest["segments"] if manifest is not None else []
        head = read_head(sessions, manifest["highest"] if manifest else None, self._known)
        if compact and _needs_compaction(segments, head):
            segments = []
        if not segments:
            logger.info("knowledge snapshot missing or compacted: building it")
        held = {int(doc): stamp for seg in segments for doc, stamp in seg["docs"].items()}
        touched = head.touched
        fresh = [
            d for d in head.documents
            if held.get(d.id) != head.stamps[d.id] or touched is None or d.id in touched
        ]
        live = set(head.stamps)
        if fresh:
            segments = [*segments, self._build(sessions, head, fresh)]
        # A segment whose documents are all gone (or rebuilt in a later one) is dropped.
        owners = _owners(segments)
        segments = [s for n, s in enumerate(segments) if any(
            int(doc) in live and owners[int(doc)] == n for doc in s["docs"])]
        self._save_manifest(code_key, segments, head.highest)
        self._remove_others({s["name"] for s in segments})
        opened = [self._segment(s["name"]) for s in segments]
        return compose(head, opened), opened

    def _build(
        self, sessions: sessionmaker[Session], head: BaseHead, documents: list[DocumentInfo]
    ) -> dict:
        stamps = {str(d.id): head.stamps[d.id] for d in documents}
        digest = hashlib.sha256(json.dumps(stamps, sort_keys=True).encode()).hexdigest()[:20]
        path = self.root / f"seg_{digest}"
        if not (path / DOC_IDS_FILE).is_file():
            tmp = self.root / f".{path.name}.{os.getpid()}.tmp"
            shutil.rmtree(tmp, ignore_errors=True)
            build_segment(sessions, documents, tmp, whole=len(documents) == len(head.documents))
            shutil.rmtree(path, ignore_errors=True)  # a torn copy
            try:
                tmp.rename(path)  # the directory appears complete or not at all
            except OSError:  # another process finished the same segment first
                shutil.rmtree(tmp, ignore_errors=True)
        return {"name": path.name, "docs": stamps}

    def _segment(self, name: str) -> Segment:
        segment = self._open.get(name)
        if segment is None:
            segment = self._open[name] = Segment.open(self.root / name)
        return segment

    def _manifest(self, code_key: str) -> dict | None:
        try:
            manifest = json.loads((self.root / MANIFEST_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if manifest.get("format") != STORE_FORMAT or manifest.get("code") != code_key:
            return None
        if not all((self.root / s["name"] / DOC_IDS_FILE).is_file() for s in manifest["segments"]):
            return None  # a segment went missing: rebuild
        return manifest

    def _save_manifest(self, code_key: str, segments: list[dict], highest: list[int]) -> None:
        manifest = {
            "format": STORE_FORMAT, "code": code_key, "segments": segments, "highest": highest,
        }
        tmp = self.root / f".{MANIFEST_FILE}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(manifest), encoding="utf-8")
        tmp.replace(self.root / MANIFEST_FILE)

    def _remove_others(self, keep: set[str]) -> None:
        # Segments no manifest lists (a process still using one keeps its mapped files until
        # it reloads), earlier layouts, and half-built copies of processes that died.
        for old in self.root.glob("*"):
            if old.name in keep or not old.is_dir():
                continue
            if old.name.startswith(("kb_", "units_", "seg_")) or _abandoned(old):
                self._open.pop(old.name, None)
                shutil.rmtree(old, ignore_errors=True)


def _owners(segments: list[dict]) -> dict[int, int]:
    """Return which segment holds each document (the latest one that built it)."""
    return {int(doc): n for n, seg in enumerate(segments) for doc in seg["docs"]}


def _needs_compaction(segments: list[dict], head: BaseHead) -> bool:
    if len(segments) > MAX_SEGMENTS:
        return True
    held = sum(len(s["docs"]) for s in segments)
    return held > 0 and held - len(set(head.stamps) & set(_owners(segments))) > (
        MAX_MASKED_SHARE * held
    )


def _abandoned(path: Path) -> bool:
    """Tell whether `path` is a build folder (.seg_<key>.<pid>.tmp) of a process now gone."""
    parts = path.name.split(".")
    if not (path.name.startswith((".kb_", ".seg_")) and len(parts) == 4 and parts[3] == "tmp"):
        return False
    try:
        os.kill(int(parts[2]), 0)
    except ProcessLookupError:
        return True
    except (ValueError, PermissionError):
        return False
    return False


def compose(head: BaseHead, segments: list[Segment]) -> KnowledgeSnapshot:
    """Join the segments' tables into one snapshot of the head's documents.

    Unit rows are never dropped (their ids are the indexes'): a document no longer current
    has its units masked. The other tables keep only current documents' rows.
    """
    live = set(head.stamps)
    owner = {doc: n for n, seg in enumerate(segments) for doc in seg.documents}
    current = {doc for doc in live if doc in owner}
    tables: dict[str, tuple[Table, dict[int, range]]] = {}
    alive = np.zeros(0, dtype=bool)
    for name in RECORD_TABLES:
        parts = [seg.tables[name] for seg in segments]
        total = sum(len(t) for t, _b in parts)
        mask = np.zeros(total, dtype=bool)  # rows of current documents
        spans, offset = {}, 0
        for n, (seg, (table, bounds)) in enumerate(zip(segments, parts, strict=True)):
            own = spans_of(seg.documents, bounds, offset)
            if all(doc in current and owner[doc] == n for doc in own):
                mask[offset : offset + len(table)] = True  # the usual case: no document gone
                spans.update(own)
            else:
                for doc, rows in own.items():
                    if doc in current and owner[doc] == n:
                        mask[rows.start : rows.stop] = True
                        spans[doc] = rows
            offset += len(table)
        if name == "units" or mask.all():
            # Units keep their ids (the indexes'): a gone document's are masked, not dropped.
            tables[name] = (concat([t for t, _b in parts]), spans)
            if name == "units":
                alive = mask
            continue
        # Other tables keep only current rows: a document's rows move to their kept places.
        place = np.cumsum(mask) - 1
        spans = {doc: range(int(place[r.start]), int(place[r.start]) + len(r))
                 for doc, r in spans.items() if r}
        tables[name] = (concat([t for t, _b in parts], np.flatnonzero(mask)), spans)
    return KnowledgeSnapshot(
        documents=head.documents,
        units=UnitTable(*tables["units"]),
        sections=SectionTable(*tables["sections"]),
        indicators=IndicatorTable(*tables["indicators"]),
        items=ItemTable(*tables["items"]),
        entities=_entities(segments, current),
        fingerprint=head.fingerprint,
        alive=alive,
    )


def build_segment(
    sessions: sessionmaker[Session],
    documents: list[DocumentInfo],
    directory: Path | None,
    *,
    whole: bool = False,
) -> Segment:
    """Read `documents` a chunk at a time and write their tables (to `directory`).

    `whole`: the documents are all current ones (their entities are read with one join).
    """

    def sub(name: str) -> Path | None:
        return directory / name if directory is not None else None

    builders = {
        "units": TableBuilder(UNIT_KINDS, sub("units")),
        "sections": TableBuilder(SECTION_KINDS, sub("sections")),
        "indicators": TableBuilder(INDICATOR_KINDS, sub("indicators")),
        "items": TableBuilder(ITEM_KINDS, sub("items")),
    }
    ids = [d.id for d in documents]
    with sessions() as session:
        for start in range(0, len(documents), CHUNK_DOCUMENTS):
            chunk = documents[start : start + CHUNK_DOCUMENTS]
            rows = _read_chunk(session, [d.id for d in chunk])
            for document in chunk:
                _write_document(document, rows, builders)
        entity_rows = queries.distinct_entities(session, None if whole else ids)
    entities = TableWriter(ENTITY_KINDS, sub("entities"))
    for name, kind, doc in entity_rows:
        entities.add(doc=doc, name=name, type=kind)
    entity_table = entities.finish()
    tables = {name: builder.finish() for name, builder in builders.items()}
    if directory is not None:
        np.save(directory / DOC_IDS_FILE, np.asarray(ids, dtype=np.int64))
    return Segment(directory, ids, tables, entity_table)


def build_snapshot(
    sessions: sessionmaker[Session], head: BaseHead, directory: Path | None = None
) -> KnowledgeSnapshot:
    """Build one segment of all the head's documents and return it as a snapshot."""
    return compose(head, [build_segment(sessions, head.documents, directory, whole=True)])


def load_snapshot(sessions: sessionmaker[Session]) -> KnowledgeSnapshot:
    """Read the current documents into an in-memory snapshot (no cache directory)."""
    return build_snapshot(sessions, read_head(sessions), None)


class _Chunk:
    """One chunk's rows grouped by document id."""

    def __init__(self) -> None:
        self.sections: dict[int, list[SectionInfo]] = defaultdict(list)
        self.items: dict[int, list[ItemInfo]] = defaultdict(list)
        self.indicators: dict[int, list[dict[str, object]]] = defaultdict(list)
        self.texts: dict[int, str] = {}


def _read_chunk(session: Session, ids: list[int]) -> _Chunk:
    chunk = _Chunk()
    for row in queries.record_rows(session, "sections", ids):
        chunk.sections[row.document_id].append(_section(row))
    for row in queries.record_rows(session, "items", ids):
        chunk.items[row.document_id].append(_item(row))
    for row in queries.record_rows(session, "indicators", ids):
        chunk.indicators[row.document_id].append(_indicator_row(row))
    chunk.texts = queries.document_texts(session, ids)
    return chunk


def _write_document(
    document: DocumentInfo, chunk: _Chunk, builders: dict[str, TableBuilder]
) -> None:
    units, sections = builders["units"], builders["sections"]
    indicators, items = builders["indicators"], builders["items"]
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
            kind=kinds.get((doc, s.sid)), text=s.text,
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


def _entities(segments: list[Segment], current: set[int]) -> list[EntityInfo]:
    """Distinct (name, type) over the segments, each with the first current document naming it.

    A segment holds its own first document per name; a name whose first document there is no
    longer current is kept only if another segment names it from a current one.
    """
    first: dict[tuple[str, str], int] = {}
    for segment in segments:
        table = segment.entities
        names, kinds, docs = table["name"], table["type"], np.asarray(table["doc"])
        for row in np.flatnonzero(np.isin(docs, list(current))):
            key = (names[int(row)] or "", kinds[int(row)] or "")
            doc = int(docs[row])
            if doc < first.get(key, doc + 1):
                first[key] = doc
    ordered = sorted(first.items(), key=lambda kv: (kv[1], kv[0]))
    return [EntityInfo(doc, name, kind, None) for (name, kind), doc in ordered]


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
