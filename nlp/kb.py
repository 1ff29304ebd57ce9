"""A read-only snapshot of the current knowledge base, split into answerable units.

Built from the database in segments (nlp/kb_store.py: the first build holds every document,
each upload adds a segment of its own) and memory-mapped after that; answering never touches
SQL. Units are cut from each document by nlp/kb_units.py. Only document metadata and small
vocabularies are Python objects; units, sections, items and figures live in column tables
(nlp/kb_tables.py) and a record (nlp/kb_records.py) is built when a reply reads it.
"""

from __future__ import annotations

import numpy as np

from nlp.kb_records import DocumentInfo, EntityInfo, IndicatorInfo, ItemInfo, SectionInfo, Unit
from nlp.kb_tables import IndicatorTable, ItemTable, SectionTable, UnitTable


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

    def section_texts(self, document_id: int) -> list[tuple[SectionInfo, str]]:
        """Return the sections of one document with their whole texts (triage's word weights;
        answers read the units instead)."""
        rows = self.sections.rows_of(document_id)
        return [(self.sections.record(row), self.sections.text(row)) for row in rows]

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

    def indicators_of(self, document_id: int) -> list[IndicatorInfo]:
        """Return the figures of one document in reading order."""
        rows = self.indicators.rows_of(document_id)
        return [self.indicators.record(row) for row in rows]

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
