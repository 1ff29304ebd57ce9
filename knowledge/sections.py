"""Build the section tree from Chinese numbering (一、/（一）/1./（1）) and split 一是 points."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.records import Section
from zhtext.sentences import point_bodies

CN_NUM = "一二三四五六七八九十百"
# (level, pattern) — the marker is group 1, the rest of the line group 2.
MARKERS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^([{CN_NUM}]+)[、.．]\s*(.*)$")),
    (2, re.compile(rf"^[（(]([{CN_NUM}]+)[）)]\s*(.*)$")),
    (3, re.compile(r"^(\d{1,2})[.．、](?!\d)\s*(.*)$")),
    (4, re.compile(r"^[（(](\d{1,2})[）)]\s*(.*)$")),
    (4, re.compile(r"^([①-⑳])\s*(.*)$")),
)
TITLE_MAX = 60
CONTENT_RE = re.compile(
    r"(?<![\d.])\d+(?:\.\d+)?\s*(?:%|个|项|次|家|场|亿|万|吨|座|人|户|批|件|条|台|套|GW|MW)|一是|；"
)


@dataclass
class _Open:
    """A section being filled while lines are read."""

    section: Section
    lines: list[str] = field(default_factory=list)


def heading_of(line: str) -> tuple[int, str, str] | None:
    """Return (level, marker, rest) when `line` starts with a section number."""
    for level, pattern in MARKERS:
        match = pattern.match(line)
        if match:
            return level, match.group(1), match.group(2)
    return None


def split_title(rest: str) -> tuple[str, str]:
    """Split a heading line into title and the body text that follows on the same line."""
    if CONTENT_RE.search(re.split(r"[。！？]", rest, maxsplit=1)[0]):
        # "（1）新建商贸中心6个，…" is content, not a title: keep it all as text.
        cut = re.search(r"[，,；;。：:]", rest)
        head = rest[: cut.start()] if cut and cut.start() <= TITLE_MAX else rest[:TITLE_MAX]
        return head.strip(), rest.strip()
    match = re.search(r"[。！？]", rest)
    if match and match.start() <= TITLE_MAX:
        return rest[: match.start()].strip(), rest[match.end() :].strip()
    if len(rest) <= TITLE_MAX and not re.search(r"[；;]", rest):
        return rest.strip(), ""
    cut = re.search(r"[，,；;：:]", rest)
    title = rest[: cut.start()] if cut and cut.start() <= TITLE_MAX else rest[:TITLE_MAX]
    return title.strip(), rest.strip()


def build_sections(paragraphs: list[str]) -> tuple[list[Section], list[str]]:
    """Return the sections of the body and the paragraphs that came before the first heading."""
    preamble: list[str] = []
    opened: list[_Open] = []
    stack: list[tuple[int, str]] = []  # (level, sid) of the open ancestors
    taken: set[str] = set()
    for paragraph in paragraphs:
        heading = heading_of(paragraph)
        if heading is None or not _plausible_heading(heading, stack):
            if opened:
                opened[-1].lines.append(paragraph)
            else:
                preamble.append(paragraph)
            continue
        level, marker, rest = heading
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent = stack[-1][1] if stack else None
        sid = _child_id(parent, level, marker)
        title, body = split_title(rest)
        title = title.rstrip("：:，,；;")
        section = Section(id=_unique(sid, taken), parent_id=parent, level=level, title=title)
        taken.add(section.id)
        opened.append(_Open(section, [body] if body else []))
        stack.append((level, section.id))
    return [_close(item) for item in opened], preamble


def _plausible_heading(heading: tuple[int, str, str], stack: list[tuple[int, str]]) -> bool:
    """A numbered line is a heading unless it is a figure ("1.5") or has no text."""
    level, _marker, rest = heading
    if level == 1 and re.match(r"^[一二三四]季度|^[一二三四五六七八九十]+月", rest):
        return False  # "一、二季度…" is a range of quarters, not a heading
    return bool(rest.strip())


def _child_id(parent: str | None, level: int, marker: str) -> str:
    if level == 1:
        return marker
    if level in (2, 4) and not marker.startswith(tuple("①②③④⑤⑥⑦⑧⑨⑩")):
        own = f"（{marker}）"
    else:
        own = marker
    return f"{parent}{own}" if parent else own


def _unique(sid: str, taken: set[str]) -> str:
    if sid not in taken:
        return sid
    n = 2
    while f"{sid}#{n}" in taken:
        n += 1
    return f"{sid}#{n}"


def _close(item: _Open) -> Section:
    text = "\n".join(line for line in item.lines if line)
    item.section.text = text
    item.section.points = point_bodies(text)
    return item.section


def paragraph_sections(paragraphs: list[str]) -> list[Section]:
    """Store an unnumbered text as plain paragraph sections (第1段, 第2段 ...)."""
    return [
        Section(id=f"第{n}段", level=1, title=p[:20], text=p)
        for n, p in enumerate(paragraphs, start=1)
    ]
