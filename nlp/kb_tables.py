"""The snapshot's record tables: column storage that hands out one record at a time.

Each table keeps a document's rows together; `spans` maps a document id to its rows. A saved
table (one segment's) has `bounds[p]:bounds[p + 1]` the rows of its p-th document. Only arrays
and small vocabularies stay in RAM; a record (a Unit, a SectionInfo, ...) is built when a reply
reads it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Generic, Self, TypeVar

import numpy as np

from nlp.columns import Table, TableWriter, map_array
from nlp.kb_records import IndicatorInfo, ItemInfo, SectionInfo, Unit

R = TypeVar("R")
BOUNDS_FILE = "bounds.npy"
INDICATOR_CACHE = 4096  # materialised figures kept: the latest documents' are asked most

UNIT_KINDS = {"doc": "i4", "section": "code", "kind": "code", "text": "text"}
SECTION_KINDS = {
    "doc": "i4", "sid": "code", "parent": "code", "level": "i4", "title": "text", "kind": "code",
    "text": "text",
}
INDICATOR_KINDS = {
    "id": "i8", "doc": "i4", "name": "code", "value": "f8", "unit": "code", "period": "code",
    "target": "text", "target_value": "f8", "has_target_value": "i1", "gap": "text",
    "progress": "text", "qualifier": "code", "section": "code", "quote": "text",
    "context": "text", "place": "code", "year": "i4", "month_start": "i1", "month_end": "i1",
    "kind": "code",
}
ITEM_KINDS = {
    "doc": "i4", "kind": "code", "section": "code", "title": "text", "text": "text",
    "points": "text",
}


class RecordTable(Generic[R]):
    """Rows of one record type, grouped by document (see the module docstring)."""

    def __init__(self, table: Table, spans: dict[int, range]) -> None:
        self.table = table
        self.spans = spans
        self.doc = table["doc"]

    def __len__(self) -> int:
        return len(self.table)

    def __getitem__(self, row: int) -> R:
        return self.record(int(row))

    def __iter__(self) -> Iterator[R]:
        return (self.record(row) for row in range(len(self)))

    def record(self, row: int) -> R:
        """Build the record of one row."""
        raise NotImplementedError

    def rows_of(self, document_id: int) -> range:
        """Return the rows of one document (empty when it has none)."""
        return self.spans.get(document_id, range(0))

    @classmethod
    def open(cls, directory: Path, documents: list[int]) -> Self:
        """Map a table saved by TableBuilder for `documents` (in its row order)."""
        return cls(Table.load(directory), spans_of(documents, map_array(directory / BOUNDS_FILE)))


def spans_of(documents: list[int], bounds: np.ndarray, offset: int = 0) -> dict[int, range]:
    """Return each document's rows from a table's bounds (rows start at `offset`)."""
    edges = (np.asarray(bounds, dtype=np.int64) + offset).tolist()
    return {doc: range(edges[p], edges[p + 1]) for p, doc in enumerate(documents)}


def spans_of_column(docs: np.ndarray) -> dict[int, range]:
    """Return each document's rows from a doc column whose documents' rows are contiguous."""
    docs = np.asarray(docs)
    if not len(docs):
        return {}
    cuts = np.flatnonzero(np.diff(docs)) + 1
    starts = [0, *cuts.tolist()]
    stops = [*cuts.tolist(), len(docs)]
    return {int(docs[a]): range(a, b) for a, b in zip(starts, stops, strict=True)}


class UnitTable(RecordTable[Unit]):
    """Retrievable sentences; a unit's id is its row."""

    @property
    def kind_codes(self) -> np.ndarray:
        """Each unit's kind as a small code (see `kind_vocabulary`)."""
        return self.table["kind"].codes

    @property
    def kind_vocabulary(self) -> list[str]:
        """The kinds in code order."""
        return self.table["kind"].vocabulary

    def text(self, row: int) -> str:
        """Return one unit's text."""
        return self.table["text"][row] or ""

    def record(self, row: int) -> Unit:
        t = self.table
        return Unit(row, int(self.doc[row]), t["section"][row], t["kind"][row], self.text(row))

    def in_section(self, rows: range, sid: str | None) -> list[Unit]:
        """Return the units among `rows` (one document's) that belong to section `sid`."""
        code = self.table["section"].code(sid)
        if code < 0 or not rows:
            return []
        codes = self.table["section"].codes[rows.start : rows.stop]
        return [self.record(rows.start + int(i)) for i in np.flatnonzero(codes == code)]

    @classmethod
    def from_units(cls, units: list[Unit]) -> UnitTable:
        """Hold a list of units in memory (ids must be 0..n-1, in order)."""
        writer = TableBuilder(UNIT_KINDS)
        for unit in units:
            writer.add(doc=unit.document_id, section=unit.section, kind=unit.kind, text=unit.text)
        table, _bounds = writer.finish()
        return cls(table, spans_of_column(table["doc"]))


class SectionTable(RecordTable[SectionInfo]):
    """Numbered sections. A record leaves the text out: answers read it as units; triage,
    which weighs words over whole sections, reads it with `text`."""

    def text(self, row: int) -> str:
        """Return one section's whole text."""
        return self.table["text"][row] or ""

    def record(self, row: int) -> SectionInfo:
        t = self.table
        return SectionInfo(
            int(self.doc[row]), t["sid"][row] or "", t["parent"][row], int(t["level"][row]),
            t["title"][row] or "", "", t["kind"][row],
        )

    def find(self, rows: range, sid: str) -> SectionInfo | None:
        """Return section `sid` among `rows` (one document's)."""
        code = self.table["sid"].code(sid)
        if code < 0 or not rows:
            return None
        found = np.flatnonzero(self.table["sid"].codes[rows.start : rows.stop] == code)
        return self.record(rows.start + int(found[0])) if len(found) else None


class ItemTable(RecordTable[ItemInfo]):
    """Measures and planned actions with their points."""

    def record(self, row: int) -> ItemInfo:
        t = self.table
        points = tuple(json.loads(t["points"][row] or "[]"))
        return ItemInfo(
            int(self.doc[row]), t["kind"][row] or "", t["section"][row], t["title"][row] or "",
            t["text"][row] or "", points,
        )


    def titles(self, kind: str) -> list[str]:
        """Return the titles of the items of one kind, in row order."""
        code = self.table["kind"].code(kind)
        rows = np.flatnonzero(np.asarray(self.table["kind"].codes) == code)
        column = self.table["title"]
        return [column[int(row)] or "" for row in rows]


class IndicatorTable(RecordTable[IndicatorInfo]):
    """Extracted figures; recently read ones are kept built (figure questions repeat)."""

    def __init__(self, table: Table, spans: dict[int, range]) -> None:
        super().__init__(table, spans)
        self._cached = lru_cache(maxsize=INDICATOR_CACHE)(self._build)

    def record(self, row: int) -> IndicatorInfo:
        return self._cached(row)

    def _build(self, row: int) -> IndicatorInfo:
        t = self.table
        return IndicatorInfo(
            id=int(t["id"][row]), document_id=int(self.doc[row]), name=t["name"][row] or "",
            value=float(t["value"][row]), unit=t["unit"][row] or "", period=t["period"][row],
            target=t["target"][row],
            target_value=float(t["target_value"][row]) if t["has_target_value"][row] else None,
            gap=t["gap"][row], progress=t["progress"][row], qualifier=t["qualifier"][row],
            section=t["section"][row], quote=t["quote"][row] or "",
            context=t["context"][row] or "", place=t["place"][row],
            year=int(t["year"][row]) or None, month_start=int(t["month_start"][row]) or None,
            month_end=int(t["month_end"][row]) or None, kind=t["kind"][row] or "actual",
        )

    @classmethod
    def from_records(cls, indicators: list[IndicatorInfo]) -> IndicatorTable:
        """Hold a list of figures in memory."""
        builder = TableBuilder(INDICATOR_KINDS)
        for indicator in indicators:
            builder.add(**indicator_row(indicator))
        table, _bounds = builder.finish()
        return cls(table, spans_of_column(table["doc"]))

    def names(self) -> list[str]:
        """Return the distinct indicator names."""
        return [n for n in self.table["name"].vocabulary if n]


def indicator_row(i: IndicatorInfo) -> dict[str, object]:
    """Return an indicator as the values of one table row."""
    return {
        "id": i.id, "doc": i.document_id, "name": i.name, "value": i.value, "unit": i.unit,
        "period": i.period, "target": i.target,
        "target_value": i.target_value if i.target_value is not None else 0.0,
        "has_target_value": i.target_value is not None, "gap": i.gap, "progress": i.progress,
        "qualifier": i.qualifier, "section": i.section, "quote": i.quote, "context": i.context,
        "place": i.place, "year": i.year or 0, "month_start": i.month_start or 0,
        "month_end": i.month_end or 0, "kind": i.kind,
    }


class TableBuilder:
    """A TableWriter that also records where each document's rows start."""

    def __init__(self, kinds: dict[str, str], directory: Path | None = None) -> None:
        self.writer = TableWriter(kinds, directory)
        self.directory = directory
        self.bounds = [0]

    def add(self, **values: object) -> int:
        """Append one row."""
        return self.writer.add(**values)

    def end_document(self) -> None:
        """Close the current document's rows."""
        self.bounds.append(self.writer.length)

    def finish(self) -> tuple[Table, np.ndarray]:
        """Return the table and its document bounds (saved when writing to a directory)."""
        if self.bounds[-1] != self.writer.length:
            self.end_document()
        bounds = np.asarray(self.bounds, dtype=np.int64)
        table = self.writer.finish()
        if self.directory is None:
            return table, bounds
        np.save(self.directory / BOUNDS_FILE, bounds)
        return table, map_array(self.directory / BOUNDS_FILE)
