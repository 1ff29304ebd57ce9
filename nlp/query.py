"""The question as strategies see it, and what a strategy hands back."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.classifier import IntentPrediction
from nlp.features import Analysis
from nlp.periods import Scope
from nlp.reply import Reply


@dataclass(frozen=True)
class Query:
    """A normalised, analysed, classified question with its period/year/place scope."""

    text: str
    analysis: Analysis
    prediction: IntentPrediction
    scope: Scope


# Evidence enough to overrule a confident out-of-scope: the asked figure is named in the base.
NEAR_VERBATIM = 0.85


@dataclass(frozen=True)
class Candidate:
    """A strategy's reply and how strong its evidence is (0..1)."""

    reply: Reply
    evidence: float


# Question and filler words: what remains names the topic.
GENERIC_WORDS = re.compile(
    r"下一步|下步|今后|接下来|下阶段|重点|工作|什么|哪些|是|的|有|主要|打算|计划|做了|情况|成效|"
    r"措施|怎么|如何|开展|取得|吗|呢|了|啥|咋|都|哪|些|还|要|上半年|今年|以来|下半年|明年|后续|"
    r"未来|将来|准备|安排|做|干"
)


def content_words(query: Query) -> list[str]:
    """Return the question's words minus question words (whole-word, so 工作机制 stays)."""
    return [w for w in query.analysis.words if core_text(w)]


def core_text(text: str) -> str:
    """Return `text` without question and filler words (empty when it names no topic)."""
    return GENERIC_WORDS.sub("", text)
