"""A read-only snapshot of the current knowledge base, split into answerable units.

Loaded once per (re)index from the database; answering then never touches SQL. Units are
sentences of each section (and of the text outside numbered sections, e.g. the preamble),
tagged with the kind of the item their section holds (measure / action).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session, sessionmaker

from db import queries

_SENTENCE_END = re.compile(r"(?<=[。；;！？!?])|\n+")
# A line break not after end punctuation is a page or layout break inside a sentence.
_SOFT_BREAK = re.compile(r"(?<=[^。；;！？!?：:\n])\s*\n+\s*(?=\S)")
# 一是 / 二是 / 一要 / 第一，... start the points of a genre paragraph.
_NUMERAL = "[一二三四五六七八九十]+"
_POINT_START = re.compile(rf"(?<![^。；;\n])(?=(?:{_NUMERAL}[是要]|第{_NUMERAL}[，,、]))")
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

    @property
    def label(self) -> str:
        """Return how a citation names the document (its 文号, else its title)."""
        return self.number or self.title or f"文件{self.id}"


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


@dataclass(frozen=True, slots=True)
class SectionInfo:
    """One numbered section."""

    document_id: int
    sid: str
    parent_sid: str | None
    level: int
    title: str
    text: str


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


@dataclass
class KnowledgeSnapshot:
    """Everything the assistant reads, held in memory."""

    documents: list[DocumentInfo] = field(default_factory=list)
    sections: list[SectionInfo] = field(default_factory=list)
    indicators: list[IndicatorInfo] = field(default_factory=list)
    items: list[ItemInfo] = field(default_factory=list)
    entities: list[EntityInfo] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    kinds: dict[tuple[int, str], str] = field(default_factory=dict)
    fingerprint: str = ""

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        """Build the id lookups (called once after loading)."""
        self._documents = {d.id: d for d in self.documents}
        self._sections = {(s.document_id, s.sid): s for s in self.sections}
        self._units_by_section: dict[tuple[int, str | None], list[Unit]] = {}
        for unit in self.units:
            self._units_by_section.setdefault((unit.document_id, unit.section), []).append(unit)
        self._unit_range: dict[int, tuple[int, int]] = {}
        for unit in self.units:
            start, _end = self._unit_range.get(unit.document_id, (unit.id, unit.id))
            self._unit_range[unit.document_id] = (start, unit.id + 1)
        self._items_by_document: dict[int, list[ItemInfo]] = {}
        for item in self.items:
            self._items_by_document.setdefault(item.document_id, []).append(item)

    def document(self, document_id: int) -> DocumentInfo | None:
        """Return the document with this id, if current."""
        return self._documents.get(document_id)

    def section(self, document_id: int, sid: str | None) -> SectionInfo | None:
        """Return one section by document and sid."""
        return self._sections.get((document_id, sid)) if sid is not None else None

    def units_of_section(self, document_id: int, sid: str | None) -> list[Unit]:
        """Return the units of one section in reading order."""
        return self._units_by_section.get((document_id, sid), [])

    def unit_range(self, document_ids: list[int]) -> tuple[int, int] | None:
        """Return the unit id span covering these documents (contiguous when adjacent)."""
        spans = [self._unit_range[d] for d in document_ids if d in self._unit_range]
        if not spans:
            return None
        return min(a for a, _ in spans), max(b for _, b in spans)

    def items_of(self, document_id: int) -> list[ItemInfo]:
        """Return the measures and planned actions of one document."""
        return self._items_by_document.get(document_id, [])

    def user_words(self) -> list[str]:
        """Return names the tokenizer should keep whole (entities, short indicator names)."""
        # Only real names: a phrase made one token (a section title, a long indicator name)
        # would stop matching the words a question uses for it.
        words = [i.name for i in self.indicators if len(i.name) <= 6]
        words += [e.name for e in self.entities if len(e.name) <= 12]
        return words


def split_sentences(text: str) -> list[str]:
    """Split Chinese prose into sentences, keeping their end punctuation."""
    text = _SOFT_BREAK.sub("", text or "")
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def split_points(text: str) -> list[str]:
    """Split a paragraph at 一是/二是... into points; without markers, into sentences."""
    text = _SOFT_BREAK.sub("", text or "")
    parts = [p.strip() for p in _POINT_START.split(text) if p and p.strip()]
    if len(parts) >= 2:
        return [q for p in parts for q in (p.split("\n") if "\n" in p else [p]) if q.strip()]
    return split_sentences(text)


def load_snapshot(sessions: sessionmaker[Session]) -> KnowledgeSnapshot:
    """Read the current documents and everything extracted from them."""
    from db.models import Entity, Indicator, Item, Section

    with sessions() as session:
        docs = queries.current_document_rows(session)
        snapshot = KnowledgeSnapshot(
            documents=[_document(d) for d in docs],
            sections=[
                _section(s) for s in queries.current_rows(session, Section, ("position",))
            ],
            indicators=[
                _indicator(i) for i in queries.current_rows(session, Indicator, ("position",))
            ],
            items=[_item(i) for i in queries.current_rows(session, Item, ("position",))],
            entities=[
                EntityInfo(e.document_id, e.name, e.type, e.section_sid)
                for e in queries.current_rows(session, Entity, ("id",))
            ],
            fingerprint=queries.knowledge_fingerprint(session),
        )
        texts = {d.id: d.text or "" for d in docs}
    titles = {(s.document_id, s.sid): s.title for s in snapshot.sections}
    snapshot.indicators = [
        replace(i, context=f"{titles.get((i.document_id, i.section), '')} {i.quote}")
        for i in snapshot.indicators
    ]
    snapshot.kinds = section_kinds(snapshot)
    snapshot.units = build_units(snapshot, texts)
    # The units now hold the section texts; keep one copy (a large base is mostly text).
    snapshot.sections = [replace(s, text="") for s in snapshot.sections]
    snapshot.reindex()
    return snapshot


_ACTION_TITLE = re.compile(r"下步|下一步|下阶段|今后|计划|打算|思路|安排")
_PROBLEM_TITLE = re.compile(r"存在问题|存在的问题|困难|不足|短板")
_MEASURE_TITLE = re.compile(r"工作开展|主要工作|主要做法|措施|成效|进展|情况")


def section_kinds(snapshot: KnowledgeSnapshot) -> dict[tuple[int, str], str]:
    """Return each section's kind: from its item, else from its own or ancestor's title."""
    kinds = {(i.document_id, i.section): i.kind for i in snapshot.items if i.section}
    by_key = {(s.document_id, s.sid): s for s in snapshot.sections}
    for section in snapshot.sections:
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


def build_units(snapshot: KnowledgeSnapshot, texts: dict[int, str]) -> list[Unit]:
    """Cut sections (and text outside them) into sentence units tagged with the item kind."""
    kinds = section_kinds(snapshot)
    units: list[Unit] = []
    covered: dict[int, list[str]] = {}

    proposal_titles = {
        d.id: _key(d.proposal_title) for d in snapshot.documents if d.proposal_title
    }

    def add(document_id: int, section: str | None, kind: str, sentence: str) -> None:
        key = _key(sentence)
        title = proposal_titles.get(document_id)
        if title and title in key:
            return  # "您委《…》已交我局办理": the letter's formula, not its content
        done = covered.setdefault(document_id, [])
        # Skip text already held, either way round: a layout-joined line may contain it.
        if len(key) < 4 or any(key in c or c in key for c in done):
            return
        done.append(key)
        units.append(Unit(len(units), document_id, section, kind, sentence))

    sections: dict[int, list[SectionInfo]] = {}
    for section in snapshot.sections:
        sections.setdefault(section.document_id, []).append(section)
    items: dict[int, list[ItemInfo]] = {}
    for item in snapshot.items:
        items.setdefault(item.document_id, []).append(item)
    # Document by document, newest first: a document's units are one contiguous id range, so
    # retrieval can look at the latest (or the asked year's) documents first.
    for document in snapshot.documents:
        doc_id = document.id
        # Deepest sections first: a parent's text may repeat its children's, and the child is
        # the more precise citation.
        for section in sorted(sections.get(doc_id, ()), key=lambda s: -s.level):
            kind = kinds.get((doc_id, section.sid))
            for point in split_points(section.text):
                add(doc_id, section.sid, kind or "other", point)
        for item in items.get(doc_id, ()):
            for point in item.points:
                add(doc_id, item.section, item.kind, point)
        for sentence in split_sentences(texts.get(doc_id, "")):
            if len(sentence) >= 12 and not _HEADING.match(sentence):
                add(doc_id, None, "other", sentence)
    return units


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _document(d) -> DocumentInfo:
    return DocumentInfo(
        id=d.id, number=d.number, title=d.title or "", issuer=d.issuer, addressee=d.addressee,
        date=d.date, year=d.year or (d.date.year if d.date else None), contact=d.contact,
        contact_phone=d.contact_phone, cc=tuple(d.cc or ()),
        classification=tuple(d.classification or ()), proposal_number=d.proposal_number,
        proposal_title=d.proposal_title, proposer=d.proposer,
        proposal_session=d.proposal_session,
    )


def _section(s) -> SectionInfo:
    return SectionInfo(s.document_id, s.sid, s.parent_sid, s.level, s.title or "", s.text or "")


def _indicator(i) -> IndicatorInfo:
    return IndicatorInfo(
        id=i.id, document_id=i.document_id, name=i.name, value=i.value, unit=i.unit or "",
        period=i.period, target=i.target, target_value=i.target_value, gap=i.gap,
        progress=i.progress, qualifier=i.qualifier, section=i.section_sid, quote=i.quote or "",
    )


def _item(i) -> ItemInfo:
    return ItemInfo(
        i.document_id, i.kind, i.section_sid, i.title or "", i.text or "", tuple(i.points or ())
    )
