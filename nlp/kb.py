"""A read-only snapshot of the current knowledge base, split into answerable units.

Built from the database in segments (nlp/kb_store.py: the first build holds every document,
each upload adds a segment of its own) and memory-mapped after that; answering never touches
SQL. Units are sentences of each section (and of the text outside numbered sections, e.g. the
preamble), tagged with the kind of the item their section holds (measure / action). Only
document metadata and small vocabularies are Python objects; units, sections, items and
figures live in column tables (nlp/kb_tables.py) and a record is built when a reply reads it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from zhtext.sentences import split_points, split_sentences

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from nlp.kb_tables import IndicatorTable, ItemTable, SectionTable, UnitTable

_HEADING = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)")


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """Metadata of one current document."""

    id: int
    number: str | None
    title: str
    issuer: str | None
    addressee: str | None
    date: dt.date | None
    year: int | None
    contact: str | None
    contact_phone: str | None
    cc: tuple[str, ...]
    classification: tuple[str, ...]
    proposal_number: str | None
    proposal_title: str | None
    proposer: str | None
    proposal_session: str | None
    subject: str | None = None  # the place or organisation the document reports on
    period_year: int | None = None
    period_start: int | None = None
    period_end: int | None = None
    genre: str = "other"
    display_name: str = ""  # named at ingestion (knowledge/identity.display_name)

    @property
    def label(self) -> str:
        """Return how a citation names the document (文号, else title, else issuer + date)."""
        if self.display_name:
            return self.display_name
        stamp = f"{self.date:%Y年%m月%d日}" if self.date else ""
        return self.number or self.title or f"{self.issuer or '未署名单位'}{stamp}文件"


@dataclass(frozen=True, slots=True)
class IndicatorInfo:
    """One extracted figure."""

    id: int
    document_id: int
    name: str
    value: float
    unit: str
    period: str | None
    target: str | None
    target_value: float | None
    gap: str | None
    progress: str | None
    qualifier: str | None
    section: str | None
    quote: str
    context: str = ""  # quote plus section title: what the figure is about
    place: str | None = None  # None: the document's subject
    year: int | None = None  # None: the document's year
    month_start: int | None = None
    month_end: int | None = None
    kind: str = "actual"


@dataclass(frozen=True, slots=True)
class SectionInfo:
    """One numbered section."""

    document_id: int
    sid: str
    parent_sid: str | None
    level: int
    title: str
    text: str
    kind: str | None = None  # measure | action | problem, from its item or its title


@dataclass(frozen=True, slots=True)
class ItemInfo:
    """A measure or planned action with its points."""

    document_id: int
    kind: str
    section: str | None
    title: str
    text: str
    points: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EntityInfo:
    """A named company, place, programme or cited document."""

    document_id: int
    name: str
    type: str
    section: str | None


@dataclass(frozen=True, slots=True)
class Unit:
    """A retrievable sentence with where it comes from."""

    id: int
    document_id: int
    section: str | None
    kind: str  # measure | action | problem | other
    text: str


class KnowledgeSnapshot:
    """Everything the assistant reads: document metadata in RAM, the rest in column tables."""

    def __init__(
        self,
        documents: list[DocumentInfo],
        units: UnitTable,
        sections: SectionTable,
        indicators: IndicatorTable,
        items: ItemTable,
        entities: list[EntityInfo],
        fingerprint: str = "",
        alive: np.ndarray | None = None,
    ) -> None:
        self.documents = documents  # newest first; every table follows this order
        self.units = units
        self.sections = sections
        self.indicators = indicators
        self.items = items
        self.entities = entities  # one per distinct (name, type)
        self.fingerprint = fingerprint
        # Which units belong to current documents: a superseded document's units stay in their
        # segment (unit ids are the index's) and are masked instead.
        self.alive = alive if alive is not None else np.ones(len(units), dtype=bool)
        self._documents = {d.id: d for d in documents}

    def document(self, document_id: int) -> DocumentInfo | None:
        """Return the document with this id, if current."""
        return self._documents.get(document_id)

    def section(self, document_id: int, sid: str | None) -> SectionInfo | None:
        """Return one section by document and sid."""
        if sid is None:
            return None
        return self.sections.find(self.sections.rows_of(document_id), sid)

    def sections_of(self, document_id: int) -> list[SectionInfo]:
        """Return the sections of one document in reading order."""
        rows = self.sections.rows_of(document_id)
        return [self.sections.record(row) for row in rows]

    def units_of_section(self, document_id: int, sid: str | None) -> list[Unit]:
        """Return the units of one section in reading order."""
        return self.units.in_section(self.units.rows_of(document_id), sid)

    def unit_spans(self, document_ids: list[int]) -> list[tuple[int, int]]:
        """Return the unit id ranges of these documents, adjacent ones merged."""
        ranges = sorted(
            (r.start, r.stop) for d in document_ids if (r := self.units.rows_of(d))
        )
        merged: list[tuple[int, int]] = []
        for start, stop in ranges:
            if merged and merged[-1][1] == start:
                merged[-1] = (merged[-1][0], stop)
            else:
                merged.append((start, stop))
        return merged

    def items_of(self, document_id: int) -> list[ItemInfo]:
        """Return the measures and planned actions of one document."""
        rows = self.items.rows_of(document_id)
        return [self.items.record(row) for row in rows]

    def first_indicators(self, count: int) -> list[IndicatorInfo]:
        """Return the first figures in storage order of the database (lowest document id)."""
        out: list[IndicatorInfo] = []
        for doc in sorted(self._documents):
            rows = self.indicators.rows_of(doc)
            out += [self.indicators.record(row) for row in rows[: count - len(out)]]
            if len(out) >= count:
                break
        return out

    def user_words(self) -> list[str]:
        """Return names the tokenizer should keep whole (entities, short indicator names)."""
        # Only real names: a phrase made one token (a section title, a long indicator name)
        # would stop matching the words a question uses for it.
        words = [name for name in self.indicators.names() if len(name) <= 6]
        words += [e.name for e in self.entities if len(e.name) <= 12]
        return words


def load_snapshot(sessions: sessionmaker[Session]) -> KnowledgeSnapshot:
    """Read the current documents into an in-memory snapshot (no cache directory)."""
    from nlp.kb_store import build_snapshot, read_head

    return build_snapshot(sessions, read_head(sessions), None)


_ACTION_TITLE = re.compile(r"下步|下一步|下阶段|今后|计划|打算|思路|安排")
_PROBLEM_TITLE = re.compile(r"存在问题|存在的问题|困难|不足|短板")
_MEASURE_TITLE = re.compile(r"工作开展|主要工作|主要做法|措施|成效|进展|情况")


def section_kinds(
    sections: list[SectionInfo], items: list[ItemInfo]
) -> dict[tuple[int, str], str]:
    """Return each section's kind: from its item, else from its own or ancestor's title."""
    kinds = {(i.document_id, i.section): i.kind for i in items if i.section}
    by_key = {(s.document_id, s.sid): s for s in sections}
    for section in sections:
        key = (section.document_id, section.sid)
        node: SectionInfo | None = section
        while key not in kinds and node is not None:
            if _PROBLEM_TITLE.search(node.title):
                kinds[key] = "problem"
            elif _ACTION_TITLE.search(node.title):
                kinds[key] = "action"
            elif _MEASURE_TITLE.search(node.title) and node.level == 1:
                kinds[key] = "measure"
            parent = node.parent_sid
            node = by_key.get((section.document_id, parent)) if parent else None
            if node is not None and (node.document_id, node.sid) in kinds:
                kinds[key] = kinds[(node.document_id, node.sid)]
    return kinds


def document_units(
    document: DocumentInfo,
    sections: list[SectionInfo],
    items: list[ItemInfo],
    text: str,
    kinds: dict[tuple[int, str], str],
) -> list[tuple[str | None, str, str]]:
    """Cut one document's sections (and text outside them) into (section, kind, sentence)."""
    units: list[tuple[str | None, str, str]] = []
    covered: list[str] = []
    title = _key(document.proposal_title) if document.proposal_title else None
    doc_id = document.id

    held = ""  # the covered keys joined by NUL: "inside one of them" is one search

    def add(section: str | None, kind: str, sentence: str) -> None:
        nonlocal held
        key = _key(sentence)
        if title and title in key:
            return  # "您委《…》已交我局办理": the letter's formula, not its content
        # Skip text already held, either way round: a layout-joined line may contain it.
        if len(key) < 4 or _inside(key, held, covered) or any(map(key.__contains__, covered)):
            return
        covered.append(key)
        held += "\0" + key
        units.append((section, kind, sentence))

    # Deepest sections first: a parent's text may repeat its children's, and the child is the
    # more precise citation.
    for section in sorted(sections, key=lambda s: -s.level):
        kind = kinds.get((doc_id, section.sid))
        for point in split_points(section.text):
            add(section.sid, kind or "other", point)
    for item in items:
        for point in item.points:
            add(item.section, item.kind, point)
    for sentence in split_sentences(text):
        if len(sentence) >= 12 and not _HEADING.match(sentence):
            add(None, "other", sentence)
    return units


def _key(text: str) -> str:
    # str.split() and re's \s both split on str.isspace(): the text without its whitespace.
    return "".join(text.split())


def _inside(key: str, held: str, covered: list[str]) -> bool:
    """True when `key` lies inside one of the `covered` keys (`held`: them joined by NUL)."""
    if "\0" in key:  # a match could span two joined keys: search them one by one
        return any(key in c for c in covered)
    return key in held
