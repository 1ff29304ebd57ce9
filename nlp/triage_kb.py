"""What triage reads from the knowledge base: a plain snapshot of current documents.

The snapshot is read once per knowledge-base version (see `fingerprint`) and holds only plain
records, so the triager can be fitted and tested without a database.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Document, Indicator, Item, Section

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


class KnowledgeSnapshot(BaseModel):
    """Current documents' items, indicators and sections, as plain records."""

    items: list[KbItem] = Field(default_factory=list)
    indicators: list[KbIndicator] = Field(default_factory=list)
    sections: list[KbSection] = Field(default_factory=list)
    contact: KbContact = Field(default_factory=KbContact)


def document_label(doc: Document) -> str:
    """Name a document as a citation would: its 文号, else its title, else its id."""
    return doc.number or (doc.title[:30] if doc.title else f"文档{doc.id}")


def fingerprint(session: Session) -> tuple[int, int]:
    """Return a cheap key that changes whenever a document is added or superseded."""
    row = session.execute(
        select(func.count(Document.id), func.coalesce(func.max(Document.id), 0)).where(
            Document.is_current.is_(True)
        )
    ).one()
    return int(row[0]), int(row[1])


def load_snapshot(session: Session) -> KnowledgeSnapshot:
    """Read the current documents into a snapshot."""
    docs = session.scalars(
        select(Document).where(Document.is_current.is_(True)).order_by(Document.id)
    ).all()
    labels = {d.id: document_label(d) for d in docs}
    if not docs:
        return KnowledgeSnapshot()
    ids = list(labels)
    sections = session.scalars(
        select(Section).where(Section.document_id.in_(ids)).order_by(Section.position)
    ).all()
    headline = {(s.document_id, s.sid) for s in sections if _HEADLINE_TITLE.search(s.title or "")}
    items = session.scalars(
        select(Item).where(Item.document_id.in_(ids)).order_by(Item.document_id, Item.position)
    ).all()
    indicators = session.scalars(
        select(Indicator)
        .where(Indicator.document_id.in_(ids))
        .order_by(Indicator.document_id, Indicator.position)
    ).all()
    return KnowledgeSnapshot(
        items=[_item(i, labels) for i in items],
        indicators=[_indicator(i, labels, headline) for i in indicators],
        sections=[
            KbSection(document_id=s.document_id, section=s.sid, title=s.title, text=s.text)
            for s in sections
        ],
        contact=_contact(docs),
    )


def _item(item: Item, labels: dict[int, str]) -> KbItem:
    return KbItem(
        kind=item.kind,
        document_id=item.document_id,
        document=labels[item.document_id],
        section=item.section_sid,
        title=item.title or "",
        text=item.text or "",
        points=list(item.points or []),
    )


def _indicator(ind: Indicator, labels: dict[int, str], headline: set) -> KbIndicator:
    return KbIndicator(
        document_id=ind.document_id,
        document=labels[ind.document_id],
        section=ind.section_sid,
        name=ind.name,
        value=ind.value,
        unit=ind.unit or "",
        period=ind.period,
        target=ind.target,
        quote=ind.quote or "",
        headline=(ind.document_id, ind.section_sid) in headline,
    )


def _contact(docs: list[Document]) -> KbContact:
    """Prefer the latest reply letter that names a contact person."""
    ranked = sorted(
        (d for d in docs if d.contact),
        key=lambda d: (d.doc_type == "reply", d.date or d.created_at.date(), d.id),
    )
    if not ranked:
        return KbContact(issuer=docs[-1].issuer if docs else None)
    doc = ranked[-1]
    return KbContact(
        issuer=doc.issuer,
        contact=doc.contact,
        phone=doc.contact_phone,
        document=document_label(doc),
    )
