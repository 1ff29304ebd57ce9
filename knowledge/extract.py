"""Fill a ParsedDocument's indicators, items, entities and cited documents from its sections."""

from __future__ import annotations

from knowledge.entities import extract_entities
from knowledge.figures import period_in
from knowledge.indicators import section_indicators
from knowledge.items import extract_items
from knowledge.records import Entity, ParsedDocument, Section


def extract_into(doc: ParsedDocument) -> None:
    """Extract every record kind from `doc.sections` into `doc`."""
    by_id = {s.id: s for s in doc.sections}
    for section in doc.sections:
        period = _section_period(section, by_id) or period_in(doc.title)
        doc.indicators.extend(section_indicators(section, period))
    doc.items = extract_items(doc.sections, doc.doc_type)
    answered = {doc.proposal.title} if doc.proposal and doc.proposal.title else set()
    doc.entities, doc.cited_documents = extract_entities(doc.sections, answered, doc.issuer)
    if doc.contact:
        doc.entities.append(Entity(name=doc.contact, type="person"))


def _section_period(section: Section, by_id: dict[str, Section]) -> str | None:
    current: Section | None = section
    while current is not None:
        found = period_in(current.title)
        if found:
            return found
        current = by_id.get(current.parent_id) if current.parent_id else None
    return None
