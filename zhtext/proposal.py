"""The one rule for "is this text a proposal (提案/建议) rather than a question"."""

from __future__ import annotations

import re

# Longer than any question staff type; shorter than any proposal's body.
TRIAGE_MIN_CHARS = 200
# Where a proposal starts: a title line "关于……的提案/建议" alone on its line, a labelled field
# ("案由：", "提案人："), or its number ("第084号提案").
_OPENING_LINE = re.compile(
    r"^\s*(?:关于[^\n]{1,80}?的(?:提案|建议|议案)\s*(?:\n|$)"
    r"|(?:案由|提案人|提案者|领衔人?|附议人?|代表|委员|建议人)\s*[:：]"
    r"|第\s*\d+\s*号(?:提案|建议)\s*(?:\n|[:：]))"
)
# A title run straight into its body on one line, as phones paste it ("关于…的建议 建议加快…").
_OPENING_TITLE = re.compile(r"^\s*(?:案由[:：]?)?关于.{2,60}?的(?:提案|建议|议案)")
# A title with a body needs this much text; "关于融资难的建议有哪些" is a question.
TITLED_MIN_CHARS = 30


def looks_like_proposal(text: str) -> bool:
    """Tell whether free text is a pasted proposal rather than a question."""
    if len(text) > TRIAGE_MIN_CHARS or _OPENING_LINE.match(text):
        return True
    return len(text) >= TITLED_MIN_CHARS and bool(_OPENING_TITLE.match(text))
