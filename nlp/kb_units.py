"""How a document is cut into answerable units: section kinds, then sentences and points.

Units are sentences of each section (and of the text outside numbered sections, e.g. the
preamble), tagged with the kind of the item their section holds (measure / action / problem).
"""

from __future__ import annotations

import re

from nlp.kb_records import DocumentInfo, ItemInfo, SectionInfo
from zhtext.sentences import split_points, split_sentences

_HEADING = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)")

_ACTION_TITLE = re.compile(r"下步|下一步|下阶段|今后|计划|打算|思路|安排")
_PROBLEM_TITLE = re.compile(r"存在问题|存在的问题|困难|不足|短板")
_MEASURE_TITLE = re.compile(r"工作开展|主要工作|主要做法|措施|成效|进展|情况")


def section_kinds(
    sections: list[SectionInfo], items: list[ItemInfo]
) -> dict[tuple[int, str], str]:
    """Return each section's kind: from its item, else from its own or ancestor's title."""
    kinds = {(i.document_id, i.section): i.kind for i in items if i.section}
    by_key = {(s.document_id, s.sid): s for s in sections}
    for section in sections:
        key = (section.document_id, section.sid)
        node: SectionInfo | None = section
        while key not in kinds and node is not None:
            if _PROBLEM_TITLE.search(node.title):
                kinds[key] = "problem"
            elif _ACTION_TITLE.search(node.title):
                kinds[key] = "action"
            elif _MEASURE_TITLE.search(node.title) and node.level == 1:
                kinds[key] = "measure"
            parent = node.parent_sid
            node = by_key.get((section.document_id, parent)) if parent else None
            if node is not None and (node.document_id, node.sid) in kinds:
                kinds[key] = kinds[(node.document_id, node.sid)]
    return kinds


def document_units(
    document: DocumentInfo,
    sections: list[SectionInfo],
    items: list[ItemInfo],
    text: str,
    kinds: dict[tuple[int, str], str],
) -> list[tuple[str | None, str, str]]:
    """Cut one document's sections (and text outside them) into (section, kind, sentence)."""
    units: list[tuple[str | None, str, str]] = []
    covered: list[str] = []
    title = _key(document.proposal_title) if document.proposal_title else None
    doc_id = document.id

    held = ""  # the covered keys joined by NUL: "inside one of them" is one search

    def add(section: str | None, kind: str, sentence: str) -> None:
        nonlocal held
        key = _key(sentence)
        if title and title in key:
            return  # "您委《…》已交我局办理": the letter's formula, not its content
        # Skip text already held, either way round: a layout-joined line may contain it.
        if len(key) < 4 or _inside(key, held, covered) or any(map(key.__contains__, covered)):
            return
        covered.append(key)
        held += "\0" + key
        units.append((section, kind, sentence))

    # Deepest sections first: a parent's text may repeat its children's, and the child is the
    # more precise citation.
    for section in sorted(sections, key=lambda s: -s.level):
        kind = kinds.get((doc_id, section.sid))
        for point in split_points(section.text):
            add(section.sid, kind or "other", point)
    for item in items:
        for point in item.points:
            add(item.section, item.kind, point)
    for sentence in split_sentences(text):
        if len(sentence) >= 12 and not _HEADING.match(sentence):
            add(None, "other", sentence)
    return units


def _key(text: str) -> str:
    # str.split() and re's \s both split on str.isspace(): the text without its whitespace.
    return "".join(text.split())


def _inside(key: str, held: str, covered: list[str]) -> bool:
    """True when `key` lies inside one of the `covered` keys (`held`: them joined by NUL)."""
    if "\0" in key:  # a match could span two joined keys: search them one by one
        return any(key in c for c in covered)
    return key in held
