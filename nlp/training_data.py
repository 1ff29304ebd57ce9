"""Read the intents training file (JSON lines {"text", "intent"}) with validation."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from nlp.normalize import normalize
from nlp.reply import INTENTS

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
