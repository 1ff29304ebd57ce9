"""The saved knowledge snapshot: texts stay on disk, reused per base version, same answers."""

from __future__ import annotations

import mmap
import re
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from bench.synth import make_document
from db.models import Document
from nlp import kb_store
from nlp.columns import map_array
from nlp.kb import load_snapshot
from nlp.kb_store import SnapshotStore, open_snapshot, read_head
from nlp.pages import PageBudget
from nlp.pipeline import Assistant
from tests.nlp.kb_seed import seed_later_report, seed_reply_letter

SOURCE = Path(__file__).resolve().parents[2] / "knowledge" / "sources"
QUESTIONS = (
    "县外到位资金增长多少",
    "县外到位资金全年目标是多少",
    "网络招商是怎么做的",
    "融资难怎么解决",
    "下一步工作打算",
    "华光新材料",
    "文号",
    "联系人是谁",
    "外資多少",
    "今天天气怎么样",
    "你好",
)


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def test_units_read_from_the_saved_store_are_the_databases_sentences(
    sessions, tmp_path: Path
) -> None:
    seed_reply_letter(sessions)
    seed_later_report(sessions)
    snapshot, _path = SnapshotStore(tmp_path).load(sessions, "code")
    fresh = load_snapshot(sessions)  # built straight from the database, in memory
    assert len(snapshot.units) == len(fresh.units) > 10
    assert list(snapshot.units) == list(fresh.units)
    with sessions() as session:
        texts = dict(session.execute(select(Document.id, Document.text)).all())
    for unit in snapshot.units:
        assert _flat(unit.text) in _flat(texts[unit.document_id])
    # The text is read from a file mapping, not from Python strings held by the snapshot.
    assert isinstance(snapshot.units.table["text"].blob.base.obj, mmap.mmap)


def test_opening_a_saved_snapshot_allocates_a_small_fraction_of_its_text(
    sqlite_sessions, tmp_path: Path
) -> None:
    from knowledge.ingest import ingest_text

    template = next(SOURCE.glob("*.txt")).read_text(encoding="utf-8")
    for i in range(30):
        ingest_text(sqlite_sessions, make_document(template, i), f"synthetic-{i}.txt")
    snapshot, path = SnapshotStore(tmp_path).load(sqlite_sessions, "code")
    text_bytes = sum(len(u.text.encode()) for u in snapshot.units)
    text_bytes += sum(len(i.quote.encode()) + len(i.context.encode()) for i in snapshot.indicators)
    head = read_head(sqlite_sessions)
    tracemalloc.start()
    try:
        opened = open_snapshot(path, head)
        held, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(opened.units) == len(snapshot.units) > 1000
    # Held as Python strings the texts would cost more than their UTF-8 bytes; what opening
    # holds is vocabularies and per-document lookups (a fixed share that shrinks with size).
    assert held < text_bytes / 4, (held, text_bytes)


def test_saved_snapshot_is_reused_until_the_base_changes(
    sessions, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_reply_letter(sessions)
    store = SnapshotStore(tmp_path)
    legacy, dead_build = tmp_path / "units_0123", tmp_path / ".kb_0123.999999999.tmp"
    legacy.mkdir()
    dead_build.mkdir()
    first, path = store.load(sessions, "code")
    assert not legacy.exists() and not dead_build.exists()  # old layout, a dead process's
    stamp = (path / kb_store.META_FILE).stat().st_mtime_ns

    def no_build(*_args, **_kwargs):
        raise AssertionError("rebuilt a snapshot saved for this base")

    with monkeypatch.context() as patch:
        patch.setattr(kb_store, "build_snapshot", no_build)
        again, same = store.load(sessions, "code")
    assert same == path and (path / kb_store.META_FILE).stat().st_mtime_ns == stamp
    assert list(again.units) == list(first.units)
    seed_later_report(sessions)  # the base changed: a new snapshot replaces the old one
    changed, new_path = store.load(sessions, "code")
    assert new_path != path and not path.exists()
    assert len(changed.documents) == 2 and len(changed.units) > len(first.units)
    _other_code, code_path = store.load(sessions, "other code")
    assert code_path != new_path


def test_answers_are_the_same_from_the_built_the_mapped_and_a_released_snapshot(
    seeded_assistant,
) -> None:
    expected = [seeded_assistant.answer(q).model_dump() for q in QUESTIONS]
    mapped = Assistant(seeded_assistant.sessions, seeded_assistant.cache_dir).load()
    assert [mapped.answer(q).model_dump() for q in QUESTIONS] == expected
    pages = mapped.snapshot.pages
    assert pages is not None and pages.maps
    pages.limit, pages.check_every = 0, 1  # hand every page back after each read
    assert [mapped.answer(q).model_dump() for q in QUESTIONS] == expected


def test_page_budget_releases_and_reads_stay_correct(tmp_path: Path) -> None:
    values = np.arange(3_000_000, dtype=np.int32)
    np.save(tmp_path / "values.npy", values)
    released = []

    class Counting(PageBudget):
        def release(self) -> None:
            released.append(True)
            super().release()

    pages = Counting(limit=0, check_every=1)
    mapped = map_array(tmp_path / "values.npy", pages)
    for start in range(0, len(values), 250_000):
        chunk = mapped[start : start + 1000]
        pages.charge(chunk.nbytes)
        assert np.array_equal(chunk, values[start : start + 1000])
    assert len(released) >= 10
