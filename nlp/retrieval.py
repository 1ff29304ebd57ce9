"""TF-IDF cosine retrieval over knowledge units: an inverted index held in numpy arrays.

A unit's terms are its jieba words plus its character bigrams: words carry meaning, bigrams
survive segmentation differences between a terse question and formal document prose. Postings
are CSR arrays (term -> unit ids, weights), so a search touches only the question's terms,
memory stays compact at tens of thousands of documents, and the built index is saved and
loaded instead of re-tokenising every unit at start.

A snapshot made of segments has one TfidfIndex per segment; `SearchIndex` searches them as one.
A later segment is weighed with the first segment's idf and length pivot (its own terms get an
idf on the first segment's unit count), so adding a document leaves every other unit's weights,
and so the other documents' answers, as they were.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np

from nlp.columns import map_array
from nlp.kb_records import Unit
from nlp.kb_tables import UnitTable

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
BUILD_MEMO = 50_000  # distinct unit texts whose terms a build remembers (bounds its memory)
POSTINGS_PER_SLICE = 1_000_000
# What a bigram skips: re's \w is str.isalnum() plus "_" (an index build runs this on every
# new sentence, so a C-level pass instead of a per-character test).
_NOT_ALNUM = re.compile(r"[\W_]+")


def unit_terms(words: Iterable[str], text: str) -> list[str]:
    """Return retrieval terms: words and "#"-prefixed character bigrams of the text."""
    terms = [w for w in words if w not in _NOISE]
    for piece in text.lower().split():
        compact = _NOT_ALNUM.sub("", piece)
        grams = [compact[i : i + 2] for i in range(len(compact) - 1)]
        terms += ["#" + g for g in grams if g not in _NOISE]
    return terms


def _unit_slices(starts: np.ndarray, postings: int) -> list[tuple[int, int]]:
    """Cut units 0..n into consecutive [a, b) slices holding about `postings` postings each."""
    n = len(starts) - 1
    bounds = np.searchsorted(starts, np.arange(0, int(starts[-1]), postings), side="right") - 1
    cuts = sorted({0, *(int(x) for x in bounds if 0 < x < n), n})
    return list(pairwise(cuts)) if n else []


@dataclass(frozen=True)
class Hit:
    """A retrieved unit and its cosine score."""

    unit: Unit
    score: float


class TfidfIndex:
    """Inverted index of length-normalised tf-idf unit vectors (one segment's units)."""

    def __init__(self, slope: float = 1.0) -> None:
        # slope < 1 is pivoted length normalisation: long points are penalised less than
        # by plain cosine (a long preamble sentence can hold the one answer).
        self.slope = slope
        self.units: UnitTable = UnitTable.from_units([])
        self.size = 0  # units indexed
        self.pivot = 1.0  # mean unit norm the length normalisation pivots on
        self.vocabulary: dict[str, int] = {}
        self.idf = np.zeros(0)
        self.offsets = np.zeros(1, dtype=np.int64)
        self.unit_ids = np.zeros(0, dtype=np.int32)
        self.weights = np.zeros(0, dtype=np.float32)

    # -- building ----------------------------------------------------------------------------

    def build(
        self,
        units: UnitTable | Sequence[Unit],
        terms_of: Callable[[str], list[str]],
        text_of: Callable[[Unit], str] | None = None,
        reference: TfidfIndex | None = None,
    ) -> TfidfIndex:
        """Index `units`: `text_of` gives the text to index, `terms_of` that text's terms.

        With a `reference` (the first segment's index), its idf and pivot are used.
        """
        self._set_units(units)
        text_of = text_of or (lambda unit: unit.text)
        vocabulary: dict[str, int] = {}
        # Each unit's distinct terms (ids) and their counts, flat; a large base has tens of
        # millions of postings, so no Python object per posting (and 2-byte counts).
        term_ids, counts, lengths = array("i"), array("H"), array("i")
        memo: dict[str, tuple[array, array]] = {}
        for unit in self.units:
            text = text_of(unit)
            known = memo.get(text)
            if known is None:
                # Reports repeat boilerplate sentences year after year: analyse each once.
                tally = Counter(terms_of(text))
                ids = array("i", [vocabulary.setdefault(t, len(vocabulary)) for t in tally])
                try:
                    tf = array(counts.typecode, tally.values())
                except OverflowError:  # a term repeated 65,536+ times in one unit
                    counts, tf = array("I", counts), array("I", tally.values())
                    memo.clear()  # its entries hold the narrower counts
                known = (ids, tf)
                if len(memo) >= BUILD_MEMO:
                    memo.clear()
                memo[text] = known
            term_ids.extend(known[0])
            counts.extend(known[1])
            lengths.append(len(known[0]))
        # Drop the analysers' memos before the postings' arrays are built.
        memo.clear()
        del terms_of, text_of
        self.vocabulary = vocabulary
        self._postings(
            np.frombuffer(term_ids, dtype=np.int32),
            np.frombuffer(counts, dtype=np.uint16 if counts.typecode == "H" else np.uint32),
            np.frombuffer(lengths, dtype=np.int32),
            reference,
        )
        return self

    def _idf(self, df: np.ndarray, reference: TfidfIndex | None) -> np.ndarray:
        if reference is None:
            return np.log((1 + self.size) / (1 + df)) + 1.0
        idf = np.log((1 + reference.size) / (1 + df)) + 1.0
        for term, local in self.vocabulary.items():
            known = reference.vocabulary.get(term)
            if known is not None:
                idf[local] = reference.idf[known]
        return idf

    def _postings(
        self,
        term_ids: np.ndarray,
        counts: np.ndarray,
        lengths: np.ndarray,
        reference: TfidfIndex | None = None,
    ) -> None:
        """Weigh the postings and sort them by term, a slice of units at a time.

        Whole-array temporaries (weights, an argsort) would cost several times the index;
        slices keep the peak near the index itself, with the same arithmetic in the same order
        as one whole-array pass.
        """
        n, size = len(lengths), len(self.vocabulary)
        self.size = n
        df = np.bincount(term_ids, minlength=size)
        self.idf = self._idf(df, reference)
        tf = np.asarray(
            [0.0] + [1.0 + math.log(k) for k in range(1, int(counts.max(initial=0)) + 1)]
        )
        starts = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        slices = _unit_slices(starts, POSTINGS_PER_SLICE)

        def weights(a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
            lo, hi = starts[a], starts[b]
            local = np.repeat(np.arange(b - a, dtype=np.int32), lengths[a:b])
            return local, tf[counts[lo:hi]] * self.idf[term_ids[lo:hi]]

        squares = np.zeros(n)
        for a, b in slices:
            local, w = weights(a, b)
            squares[a:b] = np.bincount(local, w * w, minlength=b - a)
        norms = np.sqrt(squares)
        norms[norms == 0] = 1.0
        if reference is not None:
            self.pivot = reference.pivot
        else:
            self.pivot = float(norms.mean()) if n else 1.0
        scale = (1.0 - self.slope) * self.pivot + self.slope * norms
        self.offsets = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(df, out=self.offsets[1:])
        self.unit_ids = np.empty(len(term_ids), dtype=np.int32)
        self.weights = np.empty(len(term_ids), dtype=np.float32)
        cursor = self.offsets[:-1].copy()  # next free place in each term's postings
        for a, b in slices:
            local, w = weights(a, b)
            w /= scale[a:b][local]
            terms = term_ids[starts[a] : starts[b]]
            order = np.argsort(terms, kind="stable")
            ordered = terms[order]
            rank = np.arange(len(ordered)) - np.searchsorted(ordered, ordered)
            place = cursor[ordered] + rank
            self.unit_ids[place] = local[order] + a
            self.weights[place] = w[order]
            cursor += np.bincount(terms, minlength=size)

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
        meta = {"size": self.size, "pivot": self.pivot}
        (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        shutil.rmtree(directory, ignore_errors=True)
        tmp.replace(directory)  # the directory appears complete or not at all

    @classmethod
    def load(
        cls, directory: Path, units: UnitTable | Sequence[Unit], slope: float
    ) -> TfidfIndex:
        """Map an index saved for exactly these units (postings stay on disk until read)."""
        index = cls(slope)
        for name in cls._ARRAYS:
            # Memory-mapped: a large base's postings are the OS's file cache, not private
            # memory of this process.
            setattr(index, name, map_array(directory / f"{name}.npy"))
        terms = json.loads((directory / "terms.json").read_text(encoding="utf-8"))
        index.vocabulary = {t: i for i, t in enumerate(terms)}
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
        index.size, index.pivot = int(meta["size"]), float(meta["pivot"])
        index._set_units(units)
        if len(index.units) != index.size:
            raise ValueError(f"index of {index.size} units, {len(index.units)} given")
        return index

    def _set_units(self, units: UnitTable | Sequence[Unit]) -> None:
        # A table builds a unit only when a search returns it; a list (tests) is wrapped.
        self.units = units if isinstance(units, UnitTable) else UnitTable.from_units(list(units))
        self.size = len(self.units)

    # -- searching ---------------------------------------------------------------------------

    def search(
        self,
        terms: Sequence[str],
        k: int = 10,
        accept: Callable[[Unit], bool] | None = None,
        kinds: Sequence[str] | None = None,
    ) -> list[Hit]:
        """Search this index alone (see SearchIndex.search)."""
        return SearchIndex([self], self.units).search(terms, k, accept, None, kinds)


class SearchIndex:
    """The segments' indexes searched as one; unit ids run on from segment to segment."""

    def __init__(
        self,
        parts: Sequence[TfidfIndex],
        units: UnitTable,
        alive: np.ndarray | None = None,
    ) -> None:
        self.parts = list(parts)
        self.starts = np.cumsum([0, *(p.size for p in self.parts)]).tolist()
        self.units = units
        if self.starts[-1] != len(units):
            raise ValueError(f"indexes of {self.starts[-1]} units, {len(units)} units given")
        self.alive = alive
        # Item kinds as small codes, so a kind filter is one vectorised mask, not a loop.
        self.kind_codes = {kind: code for code, kind in enumerate(units.kind_vocabulary)}
        # A byte per unit, in RAM: every kind-filtered search reads all of it (0.4 MB at
        # 380,000 units).
        small = len(self.kind_codes) <= np.iinfo(np.int8).max
        self.unit_kinds = np.asarray(units.kind_codes, dtype=np.int8 if small else np.int32)

    def search(
        self,
        terms: Sequence[str],
        k: int = 10,
        accept: Callable[[Unit], bool] | None = None,
        spans: Sequence[tuple[int, int]] | None = None,
        kinds: Sequence[str] | None = None,
    ) -> list[Hit]:
        """Return the `k` best units for the query terms (cosine), optionally filtered.

        `spans` limits the search to unit id ranges [start, end) (documents' units; see
        KnowledgeSnapshot.unit_spans). `kinds` keeps only units of those kinds.
        """
        found = self.scores(terms, spans)
        if found is None:
            return []
        start, scores = found
        stop = start + len(scores)
        if kinds is not None:
            wanted = np.zeros(max(len(self.kind_codes), 1), dtype=bool)
            wanted[[self.kind_codes[k] for k in kinds if k in self.kind_codes]] = True
            scores[~wanted[self.unit_kinds[start:stop]]] = 0.0
        if self.alive is not None:
            scores[~self.alive[start:stop]] = 0.0
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

    def _term(self, term: str) -> list[tuple[int, int]]:
        """Return (part, term id) of every part holding the term, first part first."""
        return [(p, part.vocabulary[term]) for p, part in enumerate(self.parts)
                if term in part.vocabulary]

    def scores(
        self, terms: Sequence[str], spans: Sequence[tuple[int, int]] | None = None
    ) -> tuple[int, np.ndarray] | None:
        """Return (first unit id, scores) over the spans' envelope; None if no term is known."""
        holders = {t: h for t in dict.fromkeys(terms) if (h := self._term(t))}
        counts = Counter(t for t in terms if t in holders)
        if not counts:
            return None
        # A term's idf is the first segment's that holds it (later ones were weighed with it).
        idf = {t: float(self.parts[h[0][0]].idf[h[0][1]]) for t, h in holders.items()}
        if len(counts) > MAX_QUERY_TERMS:
            # A pasted paragraph: its rarest terms carry the topic and bound the cost.
            rarest = sorted(counts, key=lambda t: -idf[t])
            counts = Counter({t: counts[t] for t in rarest[:MAX_QUERY_TERMS]})
        df = {
            t: sum(int(self.parts[p].offsets[i + 1] - self.parts[p].offsets[i])
                   for p, i in holders[t])
            for t in counts
        }
        limit = max(COMMON_TERM_SHARE * len(self.units), PRUNE_MIN_POSTINGS)
        keep = [t for t in counts if df[t] <= limit] or list(counts)
        weights = {t: (1.0 + math.log(c)) * idf[t] for t, c in counts.items()}
        norm = float(np.sqrt(sum(w * w for w in weights.values())))
        ranges = list(spans) if spans else [(0, len(self.units))]
        lo, hi = min(a for a, _ in ranges), max(b for _, b in ranges)
        scores = np.zeros(hi - lo, dtype=np.float32)
        for term in keep:
            factor = np.float32(weights[term] / norm)
            for p, i in holders[term]:
                part, base = self.parts[p], self.starts[p]
                start, end = int(part.offsets[i]), int(part.offsets[i + 1])
                units = part.unit_ids[start:end]
                for a, b in ranges:
                    if spans is None:
                        cut = units
                        weight = part.weights[start:end]
                    else:
                        # Postings are sorted by unit id: cut each range out by bisection.
                        x, y = np.searchsorted(units, (a - base, b - base))
                        if x == y:
                            continue
                        cut, weight = units[x:y], part.weights[start + x : start + y]
                    scores[cut + (base - lo)] += factor * weight
        return lo, scores
