"""`run_bot.py evaluate`: cross-validated intent report and the dev-set score."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.settings import Settings

DEV_FILE = Path("..") / "shared" / "eval" / "dev_questions.jsonl"
CATEGORY_INTENT = {"project": "entity", "decline": "out_of_scope"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this subcommand's options."""
    parser.add_argument("--dev", type=Path, default=DEV_FILE, help="dev questions (JSON lines)")


def _cross_validation(assistant) -> float:
    from sklearn.metrics import classification_report, confusion_matrix, f1_score

    from nlp.training import out_of_fold_proba
    from nlp.training_data import load_examples

    texts, labels = load_examples()
    proba, classes = out_of_fold_proba(texts, labels, assistant.words)
    predicted = [classes[i] for i in proba.argmax(axis=1)]
    print(f"交叉验证（5折）: {len(texts)} 条训练问题")
    print(classification_report(labels, predicted, digits=3, zero_division=0))
    print("混淆矩阵（行=真实, 列=预测）:", " ".join(classes))
    matrix = confusion_matrix(labels, predicted, labels=classes)
    for name, row in zip(classes, matrix, strict=True):
        print(f"{name:>13} " + " ".join(f"{v:4d}" for v in row))
    macro = f1_score(labels, predicted, average="macro")
    print(f"macro-F1 = {macro:.3f}\n")
    return macro


def _dev_score(assistant, path: Path) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    right = answered_ok = 0
    for row in rows:
        reply = assistant.answer(row["question"])
        want = CATEGORY_INTENT.get(row.get("category", ""), row.get("category"))
        right += reply.intent == want or (want == "out_of_scope" and not reply.answered)
        expect = row.get("answered", True)
        answered_ok += expect is None or reply.answered == expect
    print(f"开发集 {path}: 意图正确 {right}/{len(rows)}，应答/拒答正确 {answered_ok}/{len(rows)}")
    print(f"（完整评分：python ../shared/eval/score.py questions {path}）")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print the NLU report."""
    from bot.bootstrap import build_services

    services = build_services(settings)
    try:
        assistant = services.assistant
        assert assistant is not None
        _cross_validation(assistant)
        if args.dev.exists():
            _dev_score(assistant, args.dev)
        else:
            print(f"未找到开发集 {args.dev}", file=sys.stderr)
        return 0
    finally:
        services.close()
