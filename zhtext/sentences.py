"""Sentences and enumerated points (一是/二是, 首先/其次, （1）/①) of Chinese prose.

Two kinds of text come in. Document text (knowledge/, then the answer snapshot) comes from
extraction, where a line break inside a sentence is layout, not meaning. Pasted text (a
proposal typed or copied on a phone) keeps its line breaks as sentence ends, and a space between
two Chinese characters is a line break the paste lost. Hence the `pasted` switch below.
"""

from __future__ import annotations

import re

_NUMERAL = "一二三四五六七八九十"
# Every way a point of an enumeration opens: 一是/二要/三是要/一则, 首先…最后, 第一，, （1）, ①.
POINT_MARKER = (
    rf"(?:[{_NUMERAL}]+(?:是要|是|要|则)|首先|其次|再次|最后"
    rf"|第[{_NUMERAL}]+[，,、]|[（(]\d{{1,2}}[）)]|[①-⑳])"
)
_END = "。；;！？!?"
_SENTENCE_END = re.compile(rf"(?<=[{_END}])|\n+")
_PASTED_SENTENCE_END = re.compile(
    rf"(?<=[{_END}])|\n+"
    r"|(?<=[\u4e00-\u9fff。！？；：:、）)])[ \t\u3000]+(?=[\u4e00-\u9fff（(])"
)
# A line break not after end punctuation is a page or layout break inside a sentence.
_SOFT_BREAK = re.compile(r"(?<=[^。；;！？!?：:\n])\s*\n+\s*(?=\S)")
# Stored points: an enumeration runs on inside one sentence ("推动电商，一是建站；二是培训"),
# so a marker after a comma or colon opens a point too.
_POINT_IN_CLAUSE = re.compile(
    rf"(?:(?<=^)|(?<=[。；;！？，,：:\n]))\s*(?={POINT_MARKER}[，,：:]?)"
)
_POINT_MARK = re.compile(rf"^{POINT_MARKER}[，,：:]?")
# Answer units: a unit must read on its own, so only a marker that opens a sentence starts one
# (a marker after a comma stays with its lead-in).
_POINT_OPENS_SENTENCE = re.compile(rf"(?<![^。；;\n])(?={POINT_MARKER})")


def join_soft_breaks(text: str) -> str:
    """Join lines broken inside a sentence (a break not after end punctuation)."""
    return _SOFT_BREAK.sub("", text or "")


def split_sentences(text: str, *, pasted: bool = False) -> list[str]:
    """Split Chinese prose into trimmed sentences, keeping their end punctuation.

    Document text has its layout breaks joined first. Pasted text keeps every line break as a
    sentence end (a heading such as "一、加强部门联动" ends at it) and reads a space between
    Chinese characters as a lost line break.
    """
    if pasted:
        return [s.strip() for s in _PASTED_SENTENCE_END.split(text or "") if s and s.strip()]
    return [s.strip() for s in _SENTENCE_END.split(join_soft_breaks(text)) if s and s.strip()]


def split_points(text: str) -> list[str]:
    """Split a paragraph where a point opens a sentence; without two points, into sentences.

    Pieces keep their markers and the lead-in before the first point, so each one reads on its
    own as a passage to cite.
    """
    text = join_soft_breaks(text)
    parts = [p.strip() for p in _POINT_OPENS_SENTENCE.split(text) if p and p.strip()]
    if len(parts) >= 2:
        return [q for p in parts for q in (p.split("\n") if "\n" in p else [p]) if q.strip()]
    return split_sentences(text)


def point_bodies(text: str) -> list[str]:
    """Return the enumerated points without markers or closing punctuation; [] under two."""
    parts = [p.strip() for p in _POINT_IN_CLAUSE.split(text) if p.strip()]
    points = [
        _POINT_MARK.sub("", p, count=1).strip().rstrip("；;，,。")
        for p in parts
        if _POINT_MARK.match(p)
    ]
    return points if len(points) >= 2 else []
