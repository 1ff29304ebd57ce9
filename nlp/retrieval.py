"""TF-IDF cosine retrieval over knowledge units: an inverted index held in numpy arrays.

A unit's terms are its jieba words plus its character bigrams: words carry meaning, bigrams
survive segmentation differences between a terse question and formal document prose. Postings
are CSR arrays (term -> unit ids, weights), so a search touches only the question's terms,
memory stays compact at tens of thousands of documents, and the built index is saved and
loaded instead of re-tokenising every unit at start.
"""

from __future__ import annotations

import json
import math
import shutil
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nlp.kb import Unit

# Bigrams of question words that say nothing about the topic.
_NOISE = frozenset(
    (
        "多少",
        "几个",
        "什么",
        "哪些",
        "怎么",
        "怎样",
        "如何",
        "是否",
        "有没",
        "没有",
        "一下",
        "请问",
        "情况",
        "问题",
        "一共",
        "是怎",
        "么做",
    )
)
# A query term found in more than this share of units ranks nothing; skip it when the
# question has rarer terms (keeps latency flat as the base grows).
COMMON_TERM_SHARE = 0.2
PRUNE_MIN_POSTINGS = 5000  # small bases keep every term
MAX_QUERY_TERMS = 48


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
    """Inverted index of length-normalised tf-idf unit vectors."""

    def __init__(self, slope: float = 1.0) -> None:
        # slope < 1 is pivoted length normalisation: long points are penalised less than
        # by plain cosine (a long preamble sentence can hold the one answer).
        self.slope = slope
        self.units: list[Unit] = []
        self.vocabulary: dict[str, int] = {}
        self.idf = np.zeros(0)
        self.offsets = np.zeros(1, dtype=np.int64)
        self.unit_ids = np.zeros(0, dtype=np.int32)
        self.weights = np.zeros(0, dtype=np.float32)
        self.kind_codes: dict[str, int] = {}
        self.unit_kinds = np.zeros(0, dtype=np.int8)

    # -- building ----------------------------------------------------------------------------

    def build(self, units: Sequence[Unit], terms_of: Callable[[Unit], list[str]]) -> TfidfIndex:
        """Index `units`; `terms_of` returns each unit's terms."""
        self._set_units(units)
        vocabulary: dict[str, int] = {}
        # Compact typed buffers: a large base has tens of millions of postings.
        rows, cols, tfs = array("q"), array("i"), array("d")
        for pos, unit in enumerate(self.units):
            for term, k in Counter(terms_of(unit)).items():
                rows.append(vocabulary.setdefault(term, len(vocabulary)))
                cols.append(pos)
                tfs.append(1.0 + math.log(k))
        df = np.bincount(np.frombuffer(rows, dtype=np.int64), minlength=len(vocabulary))
        n = len(self.units)
        self.vocabulary = vocabulary
        self.idf = np.log((1 + n) / (1 + df)) + 1.0
        term_ids = np.frombuffer(rows, dtype=np.int64)
        unit_ids = np.frombuffer(cols, dtype=np.int32)
        weights = np.frombuffer(tfs, dtype=np.float64) * self.idf[term_ids]
        norms = np.sqrt(np.bincount(unit_ids, weights * weights, minlength=n))
        norms[norms == 0] = 1.0
        pivot = norms.mean() if n else 1.0
        weights /= ((1.0 - self.slope) * pivot + self.slope * norms)[unit_ids]
        order = np.argsort(term_ids, kind="stable")
        self.unit_ids = unit_ids[order]
        self.weights = weights[order].astype(np.float32)
        self.offsets = np.zeros(len(vocabulary) + 1, dtype=np.int64)
        np.cumsum(np.bincount(term_ids, minlength=len(vocabulary)), out=self.offsets[1:])
        return self

    # -- persistence -------------------------------------------------------------------------

    _ARRAYS = ("idf", "offsets", "unit_ids", "weights")

    def save(self, directory: Path) -> None:
        """Write the arrays (.npy) and vocabulary into `directory` (units come from the DB)."""
        tmp = directory.with_name(directory.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for name in self._ARRAYS:
            np.save(tmp / f"{name}.npy", getattr(self, name))
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        (tmp / "terms.json").write_text(json.dumps(terms, ensure_ascii=False), encoding="utf-8")
        shutil.rmtree(directory, ignore_errors=True)
        tmp.replace(directory)  # the directory appears complete or not at all

    @classmethod
    def load(cls, directory: Path, units: Sequence[Unit], slope: float) -> TfidfIndex:
        """Map an index saved for exactly these units (postings stay on disk until read)."""
        index = cls(slope)
        for name in cls._ARRAYS:
            # Memory-mapped: a large base's postings cost RSS only for the pages questions touch.
            setattr(index, name, np.load(directory / f"{name}.npy", mmap_mode="r"))
        terms = json.loads((directory / "terms.json").read_text(encoding="utf-8"))
        index.vocabulary = {t: i for i, t in enumerate(terms)}
        index._set_units(units)
        return index

    def _set_units(self, units: Sequence[Unit]) -> None:
        self.units = list(units)
        # Item kinds as small codes, so a kind filter is one vectorised mask, not a loop.
        self.kind_codes = {}
        codes = [self.kind_codes.setdefault(u.kind, len(self.kind_codes)) for u in self.units]
        self.unit_kinds = np.asarray(codes, dtype=np.int8)

    # -- searching ---------------------------------------------------------------------------

    def search(
        self,
        terms: Sequence[str],
        k: int = 10,
        accept: Callable[[Unit], bool] | None = None,
        span: tuple[int, int] | None = None,
        kinds: Sequence[str] | None = None,
    ) -> list[Hit]:
        """Return the `k` best units for the query terms (cosine), optionally filtered.

        `span` limits the search to unit ids [start, end): one document range (units are
        stored document by document, newest first). `kinds` keeps only units of those kinds.
        """
        start = span[0] if span else 0
        scores = self.scores(terms, span)
        if scores is None:
            return []
        if kinds is not None:
            codes = [self.kind_codes[k] for k in kinds if k in self.kind_codes]
            lo, hi = span if span else (0, len(self.units))
            scores[~np.isin(self.unit_kinds[lo:hi], codes)] = 0.0
        nonzero = int(np.count_nonzero(scores))
        want = min(nonzero, max(4 * k, 64))
        while True:
            top = np.argpartition(-scores, want - 1)[:want] if want < len(scores) else None
            order = top[np.argsort(-scores[top])] if top is not None else np.argsort(-scores)
            hits: list[Hit] = []
            for pos in order[:nonzero]:
                unit = self.units[start + int(pos)]
                if accept is None or accept(unit):
                    hits.append(Hit(unit, float(scores[pos])))
                    if len(hits) == k:
                        return hits
            if want >= nonzero:
                return hits
            want = min(nonzero, want * 4)  # the filter rejected too many: look further

    def scores(
        self, terms: Sequence[str], span: tuple[int, int] | None = None
    ) -> np.ndarray | None:
        """Return the units' scores (within `span`) for the query terms; None if none known."""
        counts = Counter(t for t in terms if t in self.vocabulary)
        if not counts:
            return None
        if len(counts) > MAX_QUERY_TERMS:
            # A pasted paragraph: its rarest terms carry the topic and bound the cost.
            rarest = sorted(counts, key=lambda t: -self.idf[self.vocabulary[t]])
            counts = Counter({t: counts[t] for t in rarest[:MAX_QUERY_TERMS]})
        ids = np.asarray([self.vocabulary[t] for t in counts])
        df = self.offsets[ids + 1] - self.offsets[ids]
        limit = max(COMMON_TERM_SHARE * len(self.units), PRUNE_MIN_POSTINGS)
        keep = [i for i, d in enumerate(df) if d <= limit] or list(range(len(ids)))
        weights = np.asarray(
            [(1.0 + math.log(c)) * self.idf[i] for c, i in zip(counts.values(), ids, strict=True)]
        )
        norm = float(np.sqrt((weights * weights).sum()))
        lo, hi = span if span else (0, len(self.units))
        scores = np.zeros(hi - lo, dtype=np.float32)
        for i in keep:
            start, end = int(self.offsets[ids[i]]), int(self.offsets[ids[i] + 1])
            units = self.unit_ids[start:end]
            if span:
                # Postings are sorted by unit id: cut the document range out by bisection.
                a, b = np.searchsorted(units, (lo, hi))
                units, start, end = units[a:b], start + a, start + b
            scores[units - lo] += np.float32(weights[i] / norm) * self.weights[start:end]
        return scores
