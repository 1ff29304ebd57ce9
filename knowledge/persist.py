"""Store a parsed document as database rows, in the caller's transaction (never commits)."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from db.models import Document, Entity, Indicator, Item, Section
from knowledge.records import ParsedDocument


def save_document(
    session: Session, parsed: ParsedDocument, *, content_hash: str, source_name: str
) -> Document:
    """Add the document with all its records; the caller's transaction commits or rolls back."""
    document = _document_row(parsed, content_hash, source_name)
    document.sections = [
        Section(
            sid=s.id, parent_sid=s.parent_id, level=s.level, title=s.title, text=s.text, position=n
        )
        for n, s in enumerate(parsed.sections)
    ]
    document.indicators = [
        Indicator(
            section_sid=i.section,
            name=i.name[:300],
            value=i.value,
            unit=i.unit,
            period=i.period,
            target=i.target,
            target_value=i.target_value,
            gap=i.gap,
            progress=i.progress,
            qualifier=i.qualifier,
            quote=i.quote,
            position=n,
        )
        for n, i in enumerate(parsed.indicators)
    ]
    document.items = [
        Item(
            kind=i.kind,
            section_sid=i.section,
            title=i.title,
            text=i.text,
            points=list(i.points),
            position=n,
        )
        for n, i in enumerate(parsed.items)
    ]
    document.entities = [
        Entity(name=e.name[:300], type=e.type, section_sid=e.section) for e in parsed.entities
    ]
    session.add(document)
    session.flush()
    return document


def _document_row(parsed: ParsedDocument, content_hash: str, source_name: str) -> Document:
    proposal = parsed.proposal
    return Document(
        number=parsed.number,
        content_hash=content_hash,
        title=parsed.title,
        issuer=parsed.issuer,
        addressee=parsed.addressee,
        date=parsed.date,
        # An undated document still needs a year for "2022年…" questions: the 文号 carries the
        # year it was issued (州投促字〔2021〕3号), else the title often names it.
        year=parsed.year or _year_of_number(parsed.number) or _year_of_title(parsed.title),
        contact=parsed.contact,
        contact_phone=parsed.contact_phone,
        cc=list(parsed.cc),
        classification=list(parsed.classification),
        doc_type=parsed.doc_type,
        proposal_number=proposal.number if proposal else None,
        proposal_title=proposal.title if proposal else None,
        proposer=proposal.proposer if proposal else None,
        proposal_session=proposal.session if proposal else None,
        source_name=source_name[:300],
        text=parsed.text,
        warnings=list(parsed.warnings),
        is_current=True,
    )


def _year_of_title(title: str) -> int | None:
    match = re.search(r"(?<!\d)(20\d{2}|19\d{2})年", title)
    return int(match.group(1)) if match else None


def _year_of_number(number: str | None) -> int | None:
    if number and "〔" in number:
        digits = number.split("〔", 1)[1][:4]
        return int(digits) if digits.isdigit() else None
    return None
