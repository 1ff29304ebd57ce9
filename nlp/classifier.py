"""Intent classification at answer time: the fitted Pipeline's arrays applied directly.

scikit-learn is only imported to train (nlp/training.py). What it learned — vocabularies, idf
vectors, LinearSVC coef/intercept and the per-class sigmoid calibration — is exported next to
the joblib file and applied here with numpy, on the Analysis the retriever also uses. A test
asserts this agrees with `Pipeline.predict_proba` on every training and dev question.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from nlp.features import Analysis

FAST_ARRAYS = "intent_fast.npz"
FAST_VOCAB = "intent_vocab.json"
META_FILE = "meta.json"
PIPELINE_FILE = "intent_pipeline.joblib"


@dataclass(frozen=True)
class IntentPrediction:
    """The winning intent, its calibrated confidence and the full ranking."""

    intent: str
    confidence: float
    ranking: list[tuple[str, float]] = field(default_factory=list)

    @property
    def margin(self) -> float:
        """Return the gap between the first and second intent's confidence."""
        if len(self.ranking) < 2:
            return self.confidence
        return self.ranking[0][1] - self.ranking[1][1]


def tfidf_block(
    tokens: list[str], vocabulary: dict[str, int], idf: list[float], sublinear: bool
) -> tuple[list[int], list[float]]:
    """Return an l2-normalised tf-idf vector as (indices, values), like TfidfVectorizer."""
    counts: dict[int, int] = {}
    for token in tokens:
        column = vocabulary.get(token)
        if column is not None:
            counts[column] = counts.get(column, 0) + 1
    indices = list(counts)
    values = [((1.0 + math.log(c)) if sublinear else float(c)) * idf[i] for i, c in counts.items()]
    norm = math.sqrt(sum(v * v for v in values))
    if norm > 0:
        values = [v / norm for v in values]
    return indices, values


class FastIntentModel:
    """Apply an exported linear intent model to one Analysis."""

    def __init__(self, arrays: dict[str, np.ndarray], vocab: dict[str, Any], meta: dict) -> None:
        self.classes: list[str] = list(vocab["classes"])
        self.word_vocab: dict[str, int] = vocab["word"]
        self.char_vocab: dict[str, int] = vocab["char"]
        # Python floats: indexing a list per token is several times cheaper than a numpy array.
        self.word_idf: list[float] = arrays["word_idf"].tolist()
        self.char_idf: list[float] = arrays["char_idf"].tolist()
        # Column-major copy: gathering the question's few feature columns is then contiguous.
        self.coef_t = np.ascontiguousarray(arrays["coef"].T)
        self.intercept = arrays["intercept"]
        self.cal_a = arrays["cal_a"]
        self.cal_b = arrays["cal_b"]
        self.sublinear = bool(vocab.get("sublinear_tf", True))
        self.meta = meta

    @classmethod
    def load(cls, directory: Path) -> FastIntentModel:
        """Load the exported arrays, vocabularies and meta from `directory`."""
        with np.load(directory / FAST_ARRAYS) as data:
            arrays = {key: data[key] for key in data.files}
        vocab = json.loads((directory / FAST_VOCAB).read_text(encoding="utf-8"))
        meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
        return cls(arrays, vocab, meta)

    @property
    def threshold(self) -> float:
        """Return the confidence below which the router declines."""
        return float(self.meta.get("threshold", 0.0))

    @property
    def margin(self) -> float:
        """Return the top-two gap below which the router offers both instead of guessing."""
        return float(self.meta.get("margin", 0.0))

    def decision(self, analysis: Analysis) -> np.ndarray:
        """Return the LinearSVC decision values for the question."""
        w_idx, w_val = tfidf_block(analysis.words, self.word_vocab, self.word_idf, self.sublinear)
        c_idx, c_val = tfidf_block(analysis.chars, self.char_vocab, self.char_idf, self.sublinear)
        offset = len(self.word_vocab)
        indices = w_idx + [offset + i for i in c_idx]
        if not indices:
            return self.intercept.copy()
        values = np.asarray(w_val + c_val)
        return values @ self.coef_t[indices] + self.intercept

    def probabilities(self, analysis: Analysis) -> np.ndarray:
        """Return calibrated probabilities (per-class sigmoid, then normalised)."""
        decision = self.decision(analysis)
        proba = 1.0 / (1.0 + np.exp(self.cal_a * decision + self.cal_b))
        total = proba.sum()
        if total == 0:
            return np.full_like(proba, 1.0 / len(proba))
        return proba / total

    def predict(self, analysis: Analysis) -> IntentPrediction:
        """Return the ranked intents for the question."""
        proba = self.probabilities(analysis)
        order = np.argsort(-proba)
        ranking = [(self.classes[i], float(proba[i])) for i in order]
        return IntentPrediction(ranking[0][0], ranking[0][1], ranking)
