"""Shape the stored knowledge base as plain dicts (for `kb export --json`, `kb list/show`).

The reading is db/queries.py's (`documents_with_records`); this module only shapes dicts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from db.models import Document

PROPOSAL_KIND_RE = re.compile(r"(提案|建议|议案)")


def document_dict(doc: Document) -> dict[str, Any]:
    """Return one document in the export shape of issue 3."""
    return {
        "id": doc.id,
        "number": doc.number,
        "issuer": doc.issuer,
        "title": doc.title,
        "addressee": doc.addressee,
        "date": doc.date.isoformat() if doc.date else None,
        "contact": doc.contact,
        "contact_phone": doc.contact_phone,
        "cc": list(doc.cc or []),
        "classification": list(doc.classification or []),
        "doc_type": doc.doc_type,
        "display_name": doc.display_name,
        "subject": doc.subject,
        "period": {"year": doc.period_year, "start": doc.period_start, "end": doc.period_end},
        "genre": doc.genre,
        "source": doc.source_name,
        "is_current": doc.is_current,
        "superseded_by": doc.superseded_by_id,
        "proposal": _proposal(doc),
        "sections": [
            {
                "id": s.sid,
                "parent": s.parent_sid,
                "level": s.level,
                "title": s.title,
                "text": s.text,
            }
            for s in doc.sections
        ],
        "indicators": [
            {
                "name": i.name,
                "value": i.value,
                "unit": i.unit,
                "period": i.period,
                "target": i.target,
                "gap": i.gap,
                "progress": i.progress,
                "qualifier": i.qualifier,
                "section": i.section_sid,
                "quote": i.quote,
                "place": i.place,
                "year": i.year,
                "months": [i.month_start, i.month_end] if i.month_start else None,
                "kind": i.kind,
            }
            for i in doc.indicators
        ],
        "items": [
            {
                "kind": i.kind,
                "section": i.section_sid,
                "title": i.title,
                "text": i.text,
                "points": list(i.points or []),
            }
            for i in doc.items
        ],
        "entities": [
            {"name": e.name, "type": e.type, "section": e.section_sid}
            for e in doc.entities
            if e.type != "document"
        ],
        "cited_documents": [e.name for e in doc.entities if e.type == "document"],
        "warnings": list(doc.warnings or []),
    }


def _proposal(doc: Document) -> dict[str, Any] | None:
    if not (doc.proposal_number or doc.proposal_title):
        return None
    kind = PROPOSAL_KIND_RE.search(doc.title or "")
    return {
        "number": doc.proposal_number,
        "title": doc.proposal_title,
        "proposer": doc.proposer,
        "session": doc.proposal_session,
        "kind": kind.group(1) if kind else None,
    }


def export_base(documents: Sequence[Document]) -> dict[str, Any]:
    """Return documents read by db.queries.documents_with_records as {"documents": [...]}."""
    return {"documents": [document_dict(doc) for doc in documents]}
