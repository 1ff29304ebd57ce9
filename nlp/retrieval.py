"""TF-IDF cosine retrieval over knowledge units with an inverted index (no scikit-learn).

A unit's terms are its jieba words plus its character bigrams: words carry meaning, bigrams
survive segmentation differences between a terse question and formal document prose.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from nlp.kb import Unit

# Bigrams of question words that say nothing about the topic.
_NOISE = frozenset(
    (
        "多少", "几个", "什么", "哪些", "怎么", "怎样", "如何", "是否", "有没", "没有",
        "一下", "请问", "情况", "问题", "一共", "是怎", "么做",
    )
)


def unit_terms(words: Iterable[str], text: str) -> list[str]:
    """Return retrieval terms: words and "#"-prefixed character bigrams of the text."""
    bigrams = []
    for piece in text.lower().split():
        compact = "".join(ch for ch in piece if ch.isalnum())
        bigrams += ["#" + compact[i : i + 2] for i in range(len(compact) - 1)]
    return [w for w in words if w not in _NOISE] + [b for b in bigrams if b[1:] not in _NOISE]


@dataclass(frozen=True)
class Hit:
    """A retrieved unit and its cosine score."""

    unit: Unit
    score: float


class TfidfIndex:
    """Inverted index of l2-normalised tf-idf unit vectors."""

    def __init__(self, slope: float = 1.0) -> None:
        # slope < 1 is pivoted length normalisation: long points are penalised less than
        # by plain cosine (a long preamble sentence can hold the one answer).
        self.slope = slope
        self.units: list[Unit] = []
        self.idf: dict[str, float] = {}
        self.postings: dict[str, list[tuple[int, float]]] = {}

    def build(self, units: Sequence[Unit], terms_of: Callable[[Unit], list[str]]) -> TfidfIndex:
        """Index `units`; `terms_of` returns each unit's terms."""
        self.units = list(units)
        counts = [Counter(terms_of(u)) for u in self.units]
        df: Counter[str] = Counter()
        for c in counts:
            df.update(c.keys())
        n = len(self.units)
        self.idf = {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items()}
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        vectors = [{t: (1.0 + math.log(k)) * self.idf[t] for t, k in c.items()} for c in counts]
        norms = [math.sqrt(sum(w * w for w in v.values())) or 1.0 for v in vectors]
        pivot = sum(norms) / len(norms) if norms else 1.0
        for pos, (weights, norm) in enumerate(zip(vectors, norms, strict=True)):
            divisor = (1.0 - self.slope) * pivot + self.slope * norm
            for t, w in weights.items():
                postings[t].append((pos, w / divisor))
        self.postings = dict(postings)
        return self

    def search(
        self, terms: Sequence[str], k: int = 10, accept: Callable[[Unit], bool] | None = None
    ) -> list[Hit]:
        """Return the `k` best units for the query terms (cosine), optionally filtered."""
        idf = self.idf
        weights = {t: (1.0 + math.log(c)) * idf[t] for t, c in Counter(terms).items() if t in idf}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        if norm == 0:
            return []
        scores: dict[int, float] = defaultdict(float)
        for t, w in weights.items():
            qw = w / norm
            for pos, uw in self.postings[t]:
                scores[pos] += qw * uw
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        hits: list[Hit] = []
        for pos, score in ranked:
            unit = self.units[pos]
            if accept is None or accept(unit):
                hits.append(Hit(unit, score))
                if len(hits) == k:
                    break
        return hits
