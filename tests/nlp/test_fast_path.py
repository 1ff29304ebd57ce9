"""The exported arrays must reproduce scikit-learn's Pipeline on every question we have."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import joblib
import numpy as np

from nlp.classifier import PIPELINE_FILE
from nlp.normalize import normalize
from nlp.training_data import load_examples

DEV_FILE = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev_questions.jsonl"
OWN_PARAPHRASES = ["州外资金涨了几个点", "外资到位情况", "融资难咋整", "你好呀", "联系电话"]


def _questions() -> list[str]:
    texts, _labels = load_examples()
    if DEV_FILE.exists():
        rows = [json.loads(line) for line in DEV_FILE.read_text(encoding="utf-8").splitlines()]
        texts += [normalize(r["question"]) for r in rows if r.get("question")]
    return texts + [normalize(q) for q in OWN_PARAPHRASES]


def test_fast_path_agrees_with_sklearn_on_every_question(seeded_assistant):
    pipeline = joblib.load(seeded_assistant.model_dir / PIPELINE_FILE)
    questions = _questions()
    expected = pipeline.predict_proba(questions)
    classes = list(pipeline.classes_)
    for question, proba in zip(questions, expected, strict=True):
        prediction = seeded_assistant.classify(seeded_assistant.analyze(question))
        fast = dict(prediction.ranking)
        assert prediction.intent == classes[int(np.argmax(proba))], question
        assert np.allclose([fast[c] for c in classes], proba, atol=1e-9), question


def test_answer_path_modules_do_not_import_sklearn():
    import subprocess

    probe = "import nlp.pipeline, nlp.router, sys; print('sklearn' in sys.modules)"
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert proc.stdout.strip() == "False"
