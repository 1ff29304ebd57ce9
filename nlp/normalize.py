"""Fold the surface variants of a typed question into one canonical form (pure functions).

Phone keyboards and copied text bring full-width letters and digits, traditional characters,
stray spaces inside figures ("19. 4 %", "23 万") and between Chinese words. Everything downstream
(tokenizer, classifier, retrieval, indicator lookup) sees only the folded text.
"""

from __future__ import annotations

import functools
import re

from zhtext.width import fold_width

# Spaces between two CJK characters carry no meaning in Chinese text ("州外 到位资金").
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
# Figure repair: "19. 4" -> "19.4", "19 .4" -> "19.4", "30 %" -> "30%", "23 万" -> "23万".
_SPACE_IN_DECIMAL = re.compile(r"(?<=\d)\s*([.．])\s*(?=\d)")
_SPACE_BEFORE_UNIT = re.compile(r"(?<=\d)\s+(?=[%‰万亿元个次项家人倍])")
_SPACE_BETWEEN_CJK_AND_DIGIT = re.compile(rf"(?<=[{_CJK}])\s+(?=\d)|(?<=\d)\s+(?=[{_CJK}])")
_MULTI_SPACE = re.compile(r"\s+")
_DASHES = str.maketrans({"—": "-", "–": "-", "－": "-", "～": "~", "〜": "~"})


@functools.cache
def _convertible_chars() -> frozenset[str]:
    """Return every character zhconv's zh-hans table can change.

    A text with none of them converts to itself, so the (slow, pure-Python) longest-match
    conversion runs only for the few questions that need it.
    """
    from zhconv import zhconv  # lazy: its conversion table costs ~70 ms to load

    chars: set[str] = set()
    for source, target in zhconv.getdict("zh-hans").items():
        if len(source) != len(target):
            chars.update(source)
        else:
            chars.update(a for a, b in zip(source, target, strict=True) if a != b)
    return frozenset(chars)


def to_simplified(text: str) -> str:
    """Convert traditional Chinese characters to simplified (character level, no phrasing)."""
    if not text or text.isascii() or _convertible_chars().isdisjoint(text):
        return text
    import zhconv

    return zhconv.convert(text, "zh-hans")


def collapse_spaces(text: str) -> str:
    """Drop spaces inside Chinese runs and figures; collapse the rest to single spaces."""
    text = _SPACE_IN_DECIMAL.sub(r".", text)
    text = _SPACE_BEFORE_UNIT.sub("", text)
    text = _SPACE_BETWEEN_CJK.sub("", text)
    text = _SPACE_BETWEEN_CJK_AND_DIGIT.sub("", text)
    return _MULTI_SPACE.sub(" ", text).strip()


def normalize(text: str) -> str:
    """Return the canonical form of a question: simplified, half-width, spaces repaired."""
    text = fold_width(text or "", punctuation=True)
    text = to_simplified(text)
    text = text.translate(_DASHES)
    return collapse_spaces(text)


def normalize_for_match(text: str) -> str:
    """Return a lower-cased, space-free form used to compare names and quotes."""
    return _MULTI_SPACE.sub("", normalize(text)).lower()


def fold_for_match(text: str) -> str:
    """Return a lower-cased, space-free, half-width form of already-simplified text (cheap)."""
    return _MULTI_SPACE.sub("", fold_width(text, punctuation=True)).lower()
