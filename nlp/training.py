"""Train the intent Pipeline with scikit-learn and export its arrays for the fast path.

Imported only when the saved model is missing or stale (and by `evaluate`), so answering
questions never pays scikit-learn's ~2 s import.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import numpy as np

from nlp.classifier import FAST_ARRAYS, FAST_VOCAB, META_FILE, PIPELINE_FILE, FastIntentModel
from nlp.features import CHAR_NGRAMS, WordAnalyzer

logger = logging.getLogger(__name__)

CV_FOLDS = 5
# A wrong answer costs more than an honest "don't know": this weight sets the thresholds.
WRONG_ANSWER_COST = 2.0


def build_pipeline(words: WordAnalyzer, seed: int = 0) -> Any:
    """Return the unfitted Pipeline: word + char TF-IDF -> sigmoid-calibrated LinearSVC."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.svm import LinearSVC

    features = FeatureUnion(
        [
            (
                "word",
                TfidfVectorizer(
                    tokenizer=words, token_pattern=None, lowercase=False, sublinear_tf=True
                ),
            ),
            ("char", TfidfVectorizer(analyzer="char", ngram_range=CHAR_NGRAMS, sublinear_tf=True)),
        ]
    )
    svc = LinearSVC(C=1.0, class_weight="balanced", random_state=seed)
    clf = CalibratedClassifierCV(svc, method="sigmoid", cv=CV_FOLDS, ensemble=False)
    return Pipeline([("features", features), ("clf", clf)])


def out_of_fold_proba(
    texts: list[str], labels: list[str], words: WordAnalyzer, seed: int = 0
) -> tuple[np.ndarray, list[str]]:
    """Return held-out-fold probabilities for every training text, and the class order."""
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    folds = StratifiedKFold(n_splits=CV_FOLDS, shuffle=True, random_state=seed)
    proba = cross_val_predict(
        build_pipeline(words, seed), texts, labels, cv=folds, method="predict_proba"
    )
    return proba, sorted(set(labels))


def choose_thresholds(proba: np.ndarray, classes: list[str], labels: list[str]) -> dict:
    """Pick the confidence threshold and ambiguity margin that maximise held-out utility."""
    top = proba.argmax(axis=1)
    confidence = proba.max(axis=1)
    second = np.sort(proba, axis=1)[:, -2]
    correct = np.array([classes[i] == y for i, y in zip(top, labels, strict=True)])

    def utility(answered: np.ndarray) -> float:
        return float(correct[answered].sum() - WRONG_ANSWER_COST * (~correct[answered]).sum())

    candidates = np.unique(np.concatenate([[0.0], confidence]))
    threshold = max(candidates, key=lambda t: (utility(confidence >= t), -t))
    gaps = confidence - second
    margins = np.unique(np.concatenate([[0.0], gaps]))
    margin = max(margins, key=lambda m: (utility((confidence >= threshold) & (gaps >= m)), -m))
    return {
        "threshold": float(threshold),
        "margin": float(margin),
        "heldout_accuracy": float(correct.mean()),
    }


def export_fast(pipeline: Any, words_vocab_extra: dict | None = None) -> tuple[dict, dict]:
    """Return (arrays, vocab) holding what the fitted Pipeline needs to predict."""
    union = pipeline.named_steps["features"]
    word_vec = dict(union.transformer_list)["word"]
    char_vec = dict(union.transformer_list)["char"]
    calibrated = pipeline.named_steps["clf"].calibrated_classifiers_[0]
    svc = calibrated.estimator
    arrays = {
        "word_idf": word_vec.idf_,
        "char_idf": char_vec.idf_,
        "coef": svc.coef_,
        "intercept": svc.intercept_,
        "cal_a": np.array([c.a_ for c in calibrated.calibrators]),
        "cal_b": np.array([c.b_ for c in calibrated.calibrators]),
    }
    vocab = {
        "classes": [str(c) for c in pipeline.classes_],
        "word": {k: int(v) for k, v in word_vec.vocabulary_.items()},
        "char": {k: int(v) for k, v in char_vec.vocabulary_.items()},
        "sublinear_tf": True,
        **(words_vocab_extra or {}),
    }
    return arrays, vocab


def train_and_save(
    texts: list[str], labels: list[str], words: WordAnalyzer, directory: Path, data_hash: str
) -> FastIntentModel:
    """Fit, choose thresholds on held-out folds, and save joblib + fast arrays + meta.json."""
    import joblib
    import sklearn

    directory.mkdir(parents=True, exist_ok=True)
    proba, classes = out_of_fold_proba(texts, labels, words)
    meta = choose_thresholds(proba, classes, labels)
    pipeline = build_pipeline(words).fit(texts, labels)
    arrays, vocab = export_fast(pipeline)
    meta.update(
        {
            "data_hash": data_hash,
            "sklearn_version": sklearn.__version__,
            "examples": len(texts),
            "classes": vocab["classes"],
        }
    )
    joblib.dump(pipeline, directory / PIPELINE_FILE)
    np.savez(directory / FAST_ARRAYS, **arrays)
    (directory / FAST_VOCAB).write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    # meta.json last: its data_hash marks the whole set as complete and fresh.
    (directory / META_FILE).write_text(json.dumps(meta, indent=2), encoding="utf-8")
    logger.info("trained intent model on %d examples: %s", len(texts), meta)
    return FastIntentModel(arrays, vocab, meta)
