"""Read the intents training file (JSON lines {"text", "intent"}) with validation."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from nlp.normalize import normalize
from nlp.reply import INTENTS

if TYPE_CHECKING:
    from nlp.kb import KnowledgeSnapshot

INTENTS_FILE = Path(__file__).resolve().parent / "data" / "intents.jsonl"


class TrainingDataError(ValueError):
    """The training file is malformed; the message names the line."""


def load_examples(path: Path = INTENTS_FILE) -> tuple[list[str], list[str]]:
    """Return (normalised texts, labels); reject unknown intents and empty texts."""
    texts: list[str] = []
    labels: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise TrainingDataError(f"{path.name}:{number}: not JSON") from exc
        text, intent = str(row.get("text", "")).strip(), row.get("intent")
        if not text or intent not in INTENTS:
            raise TrainingDataError(f"{path.name}:{number}: need text and a known intent")
        texts.append(normalize(text))
        labels.append(intent)
    return texts, labels


def file_hash(*paths: Path) -> str:
    """Return a sha256 over the given files' bytes (for model staleness)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


# Questions staff ask about what the base itself names. Without them a newly added document's
# vocabulary ("标准厂房", "驻点招商") is unknown to the classifier and reads as out of scope.
_KB_FORMS: dict[str, tuple[str, ...]] = {
    "indicator": ("{}是多少", "{}多少", "{}有多少", "{}完成得怎么样", "{}的数据"),
    "measure": ("{}是怎么做的", "{}做了哪些工作", "{}取得了什么成效", "{}的情况"),
    "plan": ("下一步{}怎么做", "{}有什么打算", "今后如何{}", "{}下步怎么安排"),
    "entity": ("{}项目进展如何", "和{}合作得怎么样", "{}是什么情况"),
}
KB_EXAMPLES_PER_KIND = 120
_TITLE_CUT = re.compile(r"[，,。；;：:（(]")


def _short_title(title: str) -> str:
    return _TITLE_CUT.split(title.strip('“”"《》 '), maxsplit=1)[0][:16]


def kb_examples(snapshot: KnowledgeSnapshot) -> tuple[list[str], list[str]]:
    """Return (texts, labels) phrased from the base's own names, a bounded number per kind.

    Names are taken in a fixed order (by hash) so the same base always yields the same
    examples, and a large base does not make training slower than a bounded amount.
    """
    names = {
        # Read from the columns: a large base has hundreds of thousands of figures.
        "indicator": {n for n in snapshot.indicators.names() if len(n) >= 2},
        "measure": {_short_title(t) for t in snapshot.items.titles("measure")},
        "plan": {_short_title(t) for t in snapshot.items.titles("action")},
        "entity": {e.name for e in snapshot.entities if e.type == "org" and len(e.name) >= 3},
    }
    texts: list[str] = []
    labels: list[str] = []
    for label, found in names.items():
        chosen = sorted((n for n in found if len(n) >= 2), key=_stable_order)
        forms = _KB_FORMS[label]
        for n, name in enumerate(chosen[:KB_EXAMPLES_PER_KIND]):
            texts.append(normalize(forms[n % len(forms)].format(name)))
            labels.append(label)
    return texts, labels


def examples_hash(texts: list[str], labels: list[str]) -> str:
    """Return a short hash of generated examples (part of the model's staleness key)."""
    digest = hashlib.sha256()
    for text, label in zip(texts, labels, strict=True):
        digest.update(f"{label}\t{text}\n".encode())
    return digest.hexdigest()[:16]


def _stable_order(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8")).hexdigest()
