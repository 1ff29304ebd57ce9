"""Load -> repair -> parse -> extract -> persist, one document per transaction, idempotent.

The content hash is taken over the repaired text, so the same letter saved as UTF-8, GBK or
.docx is recognised as the same document.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from db import queries, writes
from db.models import Document
from knowledge.loaders import (
    DEFAULT_MAX_BYTES,
    SUPPORTED,
    LoadedText,
    checked,
    load_bytes,
    load_path,
)
from knowledge.parse import parse_text
from knowledge.persist import replace_extraction, save_document
from knowledge.repair import repair_text
from knowledge.version import EXTRACTOR
from zhtext.hashing import content_hash

logger = logging.getLogger(__name__)

Status = Literal["added", "unchanged", "superseded"]
OLDER_VERSION = "同文号已有更新日期的版本，本文件作为历史版本保存。"


@dataclass
class IngestResult:
    """What one ingest did: the stored document and how much was extracted."""

    document_id: int
    number: str | None
    title: str
    status: Status
    source: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    superseded_ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        """Return one Chinese line for people."""
        label = {"added": "已导入", "unchanged": "未变化", "superseded": "已更新（旧版存为历史）"}
        c = self.counts
        line = (
            f"{self.source}：{label[self.status]} {self.number or '无文号'}《{self.title}》 "
            f"章节{c.get('sections', 0)} 指标{c.get('indicators', 0)} "
            f"事项{c.get('items', 0)} 实体{c.get('entities', 0)}"
        )
        return line + (f"（注意：{'；'.join(self.warnings)}）" if self.warnings else "")


def ingest_path(
    sessions: sessionmaker[Session], path: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> IngestResult:
    """Ingest one file; raises IngestError (nothing written) when it cannot be read."""
    return _ingest_loaded(sessions, load_path(path, max_bytes=max_bytes))


def ingest_bytes(
    sessions: sessionmaker[Session],
    data: bytes,
    name: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> IngestResult:
    """Ingest an uploaded file's bytes; `name` is only a label and picks the format."""
    return _ingest_loaded(sessions, load_bytes(data, name, max_bytes=max_bytes))


def ingest_text(sessions: sessionmaker[Session], text: str, source_name: str) -> IngestResult:
    """Ingest text already in memory."""
    return _ingest_loaded(sessions, checked(LoadedText(text, source_name, "txt")))


def _ingest_loaded(sessions: sessionmaker[Session], loaded: LoadedText) -> IngestResult:
    clean = repair_text(loaded.text)
    digest = content_hash(clean)
    try:
        return _store(sessions, loaded, clean, digest)
    except IntegrityError:
        # Another process stored the same content between our check and our insert.
        with sessions() as session:
            existing = writes.find_by_hash(session, digest)
            if existing is None:
                raise
            return _result(existing, "unchanged", loaded.label)


def _store(
    sessions: sessionmaker[Session], loaded: LoadedText, clean: str, digest: str
) -> IngestResult:
    with sessions.begin() as session:
        existing = writes.find_by_hash(session, digest)
        if existing is not None:
            return _result(existing, "unchanged", loaded.label)
        parsed = parse_text(clean, repaired=True)
        document = save_document(
            session, parsed, content_hash=digest, source_name=loaded.label
        )
        older = writes.current_with_number(session, parsed.number) if parsed.number else []
        older = [doc for doc in older if doc.id != document.id]
        newer = [doc for doc in older if _dated_before(document, doc)]
        if newer:
            # An old version arriving late is kept as history, not made current.
            writes.supersede(session, document, newer[0])
            parsed.warnings.append(OLDER_VERSION)
            document.warnings = list(parsed.warnings)
            older = []
        for old in older:
            writes.supersede(session, old, document)
        status: Status = "superseded" if older else "added"
        result = _result(document, status, loaded.label)
        result.superseded_ids = [doc.id for doc in older]
    logger.info("ingested %s: %s", loaded.label, status)
    return result


def _dated_before(new: Document, old: Document) -> bool:
    """True when both carry dates and `new` is older than `old`."""
    return bool(new.date and old.date and new.date < old.date)


def _result(document: Document, status: Status, label: str) -> IngestResult:
    """Describe a stored document (its record lists are in memory for a new one)."""
    counts = {
        "sections": len(document.sections),
        "indicators": len(document.indicators),
        "items": len(document.items),
        "entities": len(document.entities),
    }
    return IngestResult(
        document_id=document.id,
        number=document.number,
        title=document.title,
        status=status,
        source=label,
        counts=counts,
        warnings=list(document.warnings or []),
    )


def reread_stale(sessions: sessionmaker[Session]) -> int:
    """Re-read documents that older extraction code read; return how many.

    One transaction: either every such document gets today's identity and figures or none.
    """
    with sessions.begin() as session:
        stale = writes.stale_documents(session, EXTRACTOR)
        for document in stale:
            replace_extraction(session, document, parse_text(document.text, repaired=True))
    if stale:
        logger.info("re-read %d documents read by older extraction code", len(stale))
    return len(stale)


def ensure_default_base(
    sessions: sessionmaker[Session], sources_dir: Path | str
) -> list[IngestResult]:
    """Ingest the shipped sources when the documents table is empty (cheap otherwise)."""
    with sessions() as session:
        if queries.has_documents(session):
            return []
    results = []
    for path in sorted(Path(sources_dir).rglob("*")):
        if path.is_file() and path.suffix.lower() in SUPPORTED:
            results.append(ingest_path(sessions, path))
    return results
