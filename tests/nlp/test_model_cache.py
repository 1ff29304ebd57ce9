from __future__ import annotations

import json
import shutil
from pathlib import Path

from nlp.classifier import META_FILE
from nlp.pipeline import Assistant


def test_saved_model_is_loaded_not_retrained(seeded_assistant) -> None:
    meta = seeded_assistant.model_dir / META_FILE
    before = meta.stat().st_mtime_ns
    again = Assistant(seeded_assistant.sessions, seeded_assistant.cache_dir).load()
    assert meta.stat().st_mtime_ns == before
    assert again.answer("县外到位资金增长多少").facts[0].value == 12.5


def test_stale_model_is_retrained_with_thresholds_from_heldout_folds(
    seeded_assistant, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    shutil.copytree(seeded_assistant.cache_dir, cache)
    meta_path = cache / seeded_assistant.model_dir.name / META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta_path.write_text(json.dumps({**meta, "data_hash": "stale"}), encoding="utf-8")
    fresh = Assistant(seeded_assistant.sessions, cache).load()
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    assert meta["data_hash"] == fresh.data_hash()
    assert 0.0 <= meta["threshold"] <= 1.0 and 0.0 <= meta["margin"] <= 1.0
    assert meta["heldout_accuracy"] > 0.8
