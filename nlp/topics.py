"""The bureau's work topics and a keyword scorer that places a text among them.

Topics and their weighted keywords live in `nlp/data/topics.json` (data, not code). Keywords
are matched as substrings of the normalised text, longest first and without overlaps, so
"招商引资" is counted once and not again as "招商". Scores are absolute (not normalised by
length), which lets a fixed threshold say "this is not the bureau's business" instead of forcing
the least-bad topic onto a text about schools or hospitals.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from nlp.normalize import normalize

TOPICS_FILE = Path(__file__).resolve().parent / "data" / "topics.json"
OUT_OF_SCOPE = "非本局业务"
# One keyword repeated many times is still one idea: cap its count.
MAX_COUNT_PER_KEYWORD = 3
# In scope needs this much weighted evidence of the bureau's field, of which at least
# MIN_STRONG_SCORE from keywords of weight >= 1 (so 企业/项目/落实 alone never suffice).
MIN_DOMAIN_SCORE = 2.0
MIN_STRONG_SCORE = 2.0
STRONG_WEIGHT = 1.0
# ... and more evidence for the bureau's field than for another department's.
OUT_OF_SCOPE_RATIO = 1.0
# Another department is named only with this much evidence, this far ahead of the next.
MIN_DEPARTMENT_SCORE = 4.0
DEPARTMENT_LEAD = 1.3
# A passage "fully" covers a topic with this much weighted evidence (two strong keywords).
SATURATION = 4.0


class TopicFileError(ValueError):
    """The topics file is missing a part or holds a bad weight."""


@dataclass(frozen=True)
class Topic:
    """One topic: a name, a short description and weighted keywords."""

    name: str
    description: str
    keywords: dict[str, float]


@dataclass(frozen=True)
class TopicScores:
    """How much a text speaks of each topic, of the field in general, and of other work."""

    topics: dict[str, float]
    domain: float
    out_of_scope: float
    hits: dict[str, int]
    strong: float = 0.0
    departments: dict[str, float] = field(default_factory=dict)

    @property
    def in_scope(self) -> bool:
        """Whether the text is the bureau's business (absolute evidence, not a ranking)."""
        return (
            self.domain >= MIN_DOMAIN_SCORE
            and self.strong >= MIN_STRONG_SCORE
            and self.domain > OUT_OF_SCOPE_RATIO * self.out_of_scope
        )

    def department(self) -> str | None:
        """Return the other department whose work the text clearly is, or None.

        Clear means enough evidence and well ahead of the runner-up (水利 vs 农业生产).
        """
        ranked = sorted(self.departments.items(), key=lambda kv: -kv[1])
        if not ranked or ranked[0][1] < MIN_DEPARTMENT_SCORE:
            return None
        if len(ranked) > 1 and ranked[0][1] < DEPARTMENT_LEAD * ranked[1][1]:
            return None
        return ranked[0][0]

    def best(self) -> str | None:
        """Return the highest-scoring topic, or None when no topic keyword occurs."""
        name, score = max(self.topics.items(), key=lambda kv: kv[1], default=("", 0.0))
        return name if score > 0 else None

    def shares(self) -> dict[str, float]:
        """Return each topic's share of the topic evidence (summing to 1, or empty)."""
        total = sum(self.topics.values())
        return {k: v / total for k, v in self.topics.items() if v} if total else {}

    def strengths(self, saturation: float = SATURATION) -> dict[str, float]:
        """Return how fully the text covers each topic: score / saturation, capped at 1.

        A short passage with one weak keyword must not look as on-topic as a paragraph
        devoted to it, which a length-free (normalised) vector would make it.
        """
        return {k: min(1.0, v / saturation) for k, v in self.topics.items() if v}


def _weights(raw: object, where: str) -> dict[str, float]:
    if not isinstance(raw, dict):
        raise TopicFileError(f"{where}: expected an object of keyword -> weight")
    weights = {}
    for word, weight in raw.items():
        if not isinstance(weight, int | float) or weight <= 0:
            raise TopicFileError(f"{where}: weight of {word!r} must be a positive number")
        weights[normalize(str(word)).lower()] = float(weight)
    return weights


@dataclass(frozen=True)
class Department:
    """Another department: its name, the area of work a return letter names, its words."""

    name: str
    area: str
    keywords: dict[str, float]


class TopicCatalog:
    """The topics plus the field's general words and other departments' words."""

    def __init__(
        self,
        topics: list[Topic],
        domain: dict[str, float],
        out_of_scope: dict[str, float],
        departments: list[Department] | None = None,
    ) -> None:
        self.topics = topics
        self.domain = domain
        self.departments = departments or []
        # A department's words are other departments' work as a whole, too.
        self.out_of_scope = dict(out_of_scope)
        for dept in self.departments:
            for word, weight in dept.keywords.items():
                self.out_of_scope[word] = max(weight, self.out_of_scope.get(word, 0.0))

    @classmethod
    def load(cls, path: Path = TOPICS_FILE) -> TopicCatalog:
        """Read the catalog from its JSON file."""
        data = json.loads(path.read_text(encoding="utf-8"))
        try:
            topics = [
                Topic(t["name"], t.get("description", ""), _weights(t["keywords"], t["name"]))
                for t in data["topics"]
            ]
            departments = [
                Department(d["name"], d.get("area", ""), _weights(d["keywords"], d["name"]))
                for d in data.get("_departments", [])
            ]
            return cls(
                topics,
                _weights(data["_domain"], "_domain"),
                _weights(data[OUT_OF_SCOPE], "out"),
                departments,
            )
        except KeyError as exc:
            raise TopicFileError(f"{path.name}: missing {exc}") from exc

    @property
    def names(self) -> list[str]:
        """Return the topic names, the out-of-scope label last."""
        return [t.name for t in self.topics] + [OUT_OF_SCOPE]

    def vocabulary(self) -> frozenset[str]:
        """Return every keyword of the bureau's field (all topics and the general words)."""
        words = set(self.domain)
        for topic in self.topics:
            words |= set(topic.keywords)
        return frozenset(words)

    def description(self, name: str) -> str:
        """Return a topic's description ('' for unknown names)."""
        return next((t.description for t in self.topics if t.name == name), "")

    def area(self, department: str) -> str:
        """Return the area of work of a department ('' for unknown names)."""
        return next((d.area for d in self.departments if d.name == department), "")

    def score(self, text: str, title: str = "") -> TopicScores:
        """Score `text` (the title counts twice more) against every topic."""
        counts = _count_keywords(self._all_keywords(), normalize(text).lower())
        if title:
            for word, n in _count_keywords(self._all_keywords(), normalize(title).lower()).items():
                counts[word] = counts.get(word, 0) + 2 * n
        topic_scores = {t.name: _weighted(counts, t.keywords) for t in self.topics}
        domain_words = dict(self.domain)
        for topic in self.topics:
            domain_words.update(topic.keywords)
        strong_words = {k: w for k, w in domain_words.items() if w >= STRONG_WEIGHT}
        return TopicScores(
            topics=topic_scores,
            domain=_weighted(counts, domain_words),
            out_of_scope=_weighted(counts, self.out_of_scope),
            hits=counts,
            strong=_weighted(counts, strong_words),
            departments={
                d.name: score
                for d in self.departments
                if (score := _weighted(counts, d.keywords)) > 0
            },
        )

    def _all_keywords(self) -> list[str]:
        words = set(self.domain) | set(self.out_of_scope)
        for topic in self.topics:
            words |= set(topic.keywords)
        return sorted(words, key=lambda w: (-len(w), w))


def _weighted(counts: dict[str, int], weights: dict[str, float]) -> float:
    return sum(w * min(counts.get(k, 0), MAX_COUNT_PER_KEYWORD) for k, w in weights.items())


def _count_keywords(keywords: list[str], text: str) -> dict[str, int]:
    """Count non-overlapping occurrences, longest keywords first (`keywords` is so sorted)."""
    taken = bytearray(len(text))
    counts: dict[str, int] = {}
    for word in keywords:
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            if not any(taken[start:end]):
                taken[start:end] = b"\x01" * len(word)
                counts[word] = counts.get(word, 0) + 1
            start = text.find(word, start + 1)
    return counts
