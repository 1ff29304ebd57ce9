"""What triage reads of the knowledge base: plain records derived from the answers' snapshot.

Triage fits word weights on section texts and profiles measures, planned actions and figures.
It reads them from the one snapshot the answers read (nlp/kb.py, built in the composition
root), never from SQL of its own, and names documents as every citation does (display_name).
The records are plain, so the triager can be fitted and tested without a database.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, Field

from nlp.kb import KnowledgeSnapshot
from nlp.kb_records import DocumentInfo

# Sections whose figures sum up the work (一、上半年工作成效, 总体情况 ...).
_HEADLINE_TITLE = re.compile(r"成效|成绩|总体|主要指标|完成情况|基本情况|工作情况")


class KbItem(BaseModel):
    """A measure or planned action of one document."""

    kind: str
    document_id: int
    document: str
    section: str | None
    title: str
    text: str
    points: list[str] = Field(default_factory=list)


class KbIndicator(BaseModel):
    """An indicator with the sentence it was quoted from."""

    document_id: int
    document: str
    section: str | None
    name: str
    value: float
    unit: str = ""
    period: str | None = None
    target: str | None = None
    quote: str = ""
    headline: bool = False


class KbSection(BaseModel):
    """A section's text, used to fit the IDF."""

    document_id: int
    section: str
    title: str
    text: str


class KbContact(BaseModel):
    """Who signs and who answers the phone, from the latest reply letter."""

    issuer: str | None = None
    contact: str | None = None
    phone: str | None = None
    document: str | None = None


class TriageBase(BaseModel):
    """Current documents' items, indicators and sections, as plain records."""

    items: list[KbItem] = Field(default_factory=list)
    indicators: list[KbIndicator] = Field(default_factory=list)
    sections: list[KbSection] = Field(default_factory=list)
    contact: KbContact = Field(default_factory=KbContact)


def triage_base(snapshot: KnowledgeSnapshot) -> TriageBase:
    """Derive triage's records from the snapshot, document by document in id order."""
    # Id order is the order documents were stored in: ties between equally related items
    # keep the earlier document first.
    documents = sorted(snapshot.documents, key=lambda d: d.id)
    base = TriageBase(contact=_contact(documents))
    for doc in documents:
        sections = snapshot.section_texts(doc.id)
        headline = {s.sid for s, _text in sections if _HEADLINE_TITLE.search(s.title)}
        base.sections += [
            KbSection(document_id=doc.id, section=s.sid, title=s.title, text=text)
            for s, text in sections
        ]
        base.items += [
            KbItem(
                kind=i.kind, document_id=doc.id, document=doc.label, section=i.section,
                title=i.title, text=i.text, points=list(i.points),
            )
            for i in snapshot.items_of(doc.id)
        ]
        base.indicators += [
            KbIndicator(
                document_id=doc.id, document=doc.label, section=i.section, name=i.name,
                value=i.value, unit=i.unit, period=i.period, target=i.target, quote=i.quote,
                headline=i.section in headline,
            )
            for i in snapshot.indicators_of(doc.id)
        ]
    return base


def _contact(documents: list[DocumentInfo]) -> KbContact:
    """Prefer the latest reply letter that names a contact person."""
    # An undated letter counts as the newest: it was stored after the dated ones were written.
    ranked = sorted(
        (d for d in documents if d.contact),
        key=lambda d: (d.genre == "reply", d.date or dt.date.max, d.id),
    )
    if not ranked:
        return KbContact(issuer=documents[-1].issuer if documents else None)
    doc = ranked[-1]
    return KbContact(
        issuer=doc.issuer, contact=doc.contact, phone=doc.contact_phone, document=doc.label
    )
