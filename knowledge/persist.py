"""Store a parsed document as database rows, in the caller's transaction (never commits)."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from db.models import Document, Entity, Indicator, Item, Section
from knowledge.records import ParsedDocument
from knowledge.version import EXTRACTOR


def save_document(
    session: Session, parsed: ParsedDocument, *, content_hash: str, source_name: str
) -> Document:
    """Add the document with all its records; the caller's transaction commits or rolls back."""
    document = _document_row(parsed, content_hash, source_name)
    _attach_records(document, parsed)
    session.add(document)
    session.flush()
    return document


def replace_extraction(session: Session, document: Document, parsed: ParsedDocument) -> None:
    """Replace a stored document's identity and extracted records with a fresh parse's."""
    for column, value in _identity(parsed).items():
        setattr(document, column, value)
    document.sections, document.indicators, document.items, document.entities = [], [], [], []
    session.flush()  # the old rows go before the new ones (unique section ids per document)
    _attach_records(document, parsed)
    session.flush()


def _attach_records(document: Document, parsed: ParsedDocument) -> None:
    """Give `document` the parsed sections, indicators (with their scope), items, entities."""
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
            place=i.place,
            year=i.year,
            month_start=i.month_start,
            month_end=i.month_end,
            kind=i.kind,
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


def _document_row(parsed: ParsedDocument, content_hash: str, source_name: str) -> Document:
    proposal = parsed.proposal
    return Document(
        number=parsed.number,
        content_hash=content_hash,
        title=parsed.title,
        issuer=parsed.issuer,
        addressee=parsed.addressee,
        date=parsed.date,
        contact=parsed.contact,
        contact_phone=parsed.contact_phone,
        cc=list(parsed.cc),
        classification=list(parsed.classification),
        doc_type=parsed.doc_type,
        proposal_number=proposal.number if proposal else None,
        proposal_title=proposal.title if proposal else None,
        proposer=proposal.proposer if proposal else None,
        proposal_session=proposal.session if proposal else None,
        **_identity(parsed),
        source_name=source_name[:300],
        text=parsed.text,
        warnings=list(parsed.warnings),
        is_current=True,
    )


def _identity(parsed: ParsedDocument) -> dict[str, object]:
    """The document columns that say what it reports on and how it is named."""
    # An undated document still needs a year for "2022年…" questions: the period it reports
    # on, else the 文号's year (州投促字〔2021〕3号), else a year its title names.
    year = parsed.period_year or parsed.year
    return {
        "subject": parsed.subject,
        "period_year": parsed.period_year,
        "period_start": parsed.period_start,
        "period_end": parsed.period_end,
        "genre": parsed.genre,
        "display_name": parsed.display_name[:300],
        "extractor": EXTRACTOR,
        "year": year or _year_of_number(parsed.number) or _year_of_title(parsed.title),
    }


def _year_of_title(title: str) -> int | None:
    match = re.search(r"(?<!\d)(20\d{2}|19\d{2})年", title)
    return int(match.group(1)) if match else None


def _year_of_number(number: str | None) -> int | None:
    if number and "〔" in number:
        digits = number.split("〔", 1)[1][:4]
        return int(digits) if digits.isdigit() else None
    return None
