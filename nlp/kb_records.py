"""The knowledge base's plain record types: what a reply reads of documents, figures and text.

Shared by the snapshot (nlp/kb.py), its column tables (nlp/kb_tables.py) and its store
(nlp/kb_store.py), which import this module and never each other in a ring.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scope.labels import display_name


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
        """Return how a citation names the document: the name given at ingestion, else the
        same rule applied here (scope.labels.display_name)."""
        return self.display_name or display_name(self.number, self.title, self.issuer, self.date)


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
