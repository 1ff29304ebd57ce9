"""Text -> ParsedDocument: repair, cut the layout, read metadata, build sections, extract."""

from __future__ import annotations

import re

from knowledge import metadata as meta
from knowledge.extract import extract_into
from knowledge.identity import identify
from knowledge.records import ParsedDocument, Section
from knowledge.repair import repair_text
from knowledge.sections import build_sections, paragraph_sections

PREAMBLE_ID = "引言"
HEADLINE_SEARCH = 6  # lines of page furniture tolerated above a headline
NO_STRUCTURE = "未识别到章节编号，已按自然段保存。"


def parse_text(text: str, *, repaired: bool = False) -> ParsedDocument:
    """Parse one document's text (repairing it first unless `repaired`)."""
    clean = text if repaired else repair_text(text)
    paragraphs = [line for line in clean.split("\n") if line.strip()]
    layout = meta.split_layout(paragraphs)
    _headline_as_title(layout)
    doc = _metadata(layout)
    doc.text = clean
    doc.sections = _sections(layout.body, doc)
    extract_into(doc)
    identify(doc)
    return doc


def _metadata(layout: meta.Layout) -> ParsedDocument:
    number = meta.find_number(layout.header, "\n".join(layout.header))
    title = meta.find_title(layout.header)
    addressee = meta.find_addressee(layout.header)
    contact, phone = meta.find_contact(layout.footer)
    return ParsedDocument(
        number=number,
        issuer=meta.find_issuer(layout.header, layout.footer, number, title),
        title=title,
        addressee=addressee,
        date=meta.find_date(layout.footer, layout.header)
        or meta.published_date([*layout.header, *layout.body[:4]]),
        contact=contact,
        contact_phone=phone,
        cc=meta.find_cc(layout.footer),
        classification=meta.find_classification(layout.header, layout.footer),
        doc_type=meta.doc_type(title),
        proposal=meta.find_proposal(title, layout.body, addressee),
    )


def _headline_as_title(layout: meta.Layout) -> None:
    """A brief or news page has no 公文 header: its first short line (past the page's
    navigation, which moves to the header) or its "原标题:" is the title."""
    if meta.find_title(layout.header) or not layout.body:
        return
    while layout.body and meta.PAGE_CHROME_RE.match(layout.body[0].strip()):
        if len(layout.header) >= HEADLINE_SEARCH:
            return
        layout.header.append(layout.body.pop(0).strip())
    if not layout.body:
        return
    first = layout.body[0].strip()
    original = meta.ORIGINAL_TITLE_RE.search(first)
    if original:
        layout.header.append(original.group(1).strip())
    elif len(first) <= 50 and not re.search(r"[。；，,：:]$|[。；]", first):
        layout.header.append(first)
        layout.body.pop(0)


def _sections(body: list[str], doc: ParsedDocument) -> list[Section]:
    sections, preamble = build_sections(body)
    if not sections:
        doc.warnings.append(NO_STRUCTURE)
        return paragraph_sections(body)
    if preamble:
        intro = Section(id=PREAMBLE_ID, level=1, title="", text="\n".join(preamble))
        sections.insert(0, intro)
    return sections
