"""Baselines run side by side with the assistant: the naive scikit-learn path and plain BM25.

Each baseline answers with the best-matching knowledge unit as it stands; its first figure is
the first number in that unit. That is what "search over the same document" gives a user.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from nlp.features import WordAnalyzer
from nlp.kb_records import Unit

FIRST_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass
class BaselineAnswer:
    """What a baseline returns for one question."""

    text: str
    answered: bool
    first_value: float | None


def _answer_from(unit: Unit | None, answered: bool = True) -> BaselineAnswer:
    if unit is None:
        return BaselineAnswer("", False, None)
    number = FIRST_NUMBER.search(unit.text)
    return BaselineAnswer(unit.text, answered, float(number.group()) if number else None)


class NaiveSklearn:
    """Pipeline.predict([q]) (word + char TF-IDF, LinearSVC) plus TF-IDF cosine over units."""

    def __init__(self, words: WordAnalyzer, units: list[Unit]) -> None:
        self.words = words
        self.units = units
        self.pipeline: Any = None
        self.vectorizer: Any = None
        self.matrix: Any = None

    def fit(self, texts: list[str], labels: list[str]) -> NaiveSklearn:
        """Fit the intent pipeline and the passage vectorizer."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import FeatureUnion, Pipeline
        from sklearn.svm import LinearSVC

        features = FeatureUnion(
            [
                (
                    "word",
                    TfidfVectorizer(tokenizer=self.words, token_pattern=None, lowercase=False),
                ),
                ("char", TfidfVectorizer(analyzer="char", ngram_range=(1, 3))),
            ]
        )
        self.pipeline = Pipeline([("features", features), ("clf", LinearSVC())])
        self.pipeline.fit(texts, labels)
        self.vectorizer = TfidfVectorizer(
            tokenizer=self.words, token_pattern=None, lowercase=False
        )
        self.matrix = self.vectorizer.fit_transform([u.text for u in self.units])
        return self

    def answer(self, question: str) -> BaselineAnswer:
        """Classify, then return the most similar unit."""
        intent = self.pipeline.predict([question])[0]
        scores = (self.vectorizer.transform([question]) @ self.matrix.T).toarray()[0]
        best = int(np.argmax(scores)) if scores.size else -1
        unit = self.units[best] if best >= 0 and scores[best] > 0 else None
        return _answer_from(unit, answered=intent not in ("out_of_scope", "help"))


class RankBM25:
    """rank-bm25's BM25Okapi over the jieba words of each unit."""

    def __init__(self, words: WordAnalyzer, units: list[Unit]) -> None:
        from rank_bm25 import BM25Okapi

        self.words = words
        self.units = units
        self.index = BM25Okapi([words(u.text) or ["_"] for u in units])

    def answer(self, question: str) -> BaselineAnswer:
        """Return the top-scoring unit."""
        scores = self.index.get_scores(self.words(question))
        best = int(np.argmax(scores)) if len(scores) else -1
        return _answer_from(self.units[best] if best >= 0 and scores[best] > 0 else None)


class BM25S:
    """bm25s (sparse-matrix BM25) over the same words."""

    def __init__(self, words: WordAnalyzer, units: list[Unit]) -> None:
        import bm25s

        self.words = words
        self.units = units
        self.index = bm25s.BM25()
        self.index.index([words(u.text) or ["_"] for u in units], show_progress=False)

    def answer(self, question: str) -> BaselineAnswer:
        """Return the top-scoring unit."""
        vocab = self.index.vocab_dict
        tokens = [t for t in self.words(question) if t in vocab]
        if not tokens:
            return _answer_from(None)
        scores = self.index.get_scores(tokens)
        best = int(np.argmax(scores))
        return _answer_from(self.units[best] if scores[best] > 0 else None)


Answerer = Callable[[str], BaselineAnswer]
