"""The saved knowledge snapshot: texts stay on disk, segments per upload, same answers."""

from __future__ import annotations

import re
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select, update

from bench.synth import make_document
from db.models import Document
from knowledge.ingest import ingest_text
from nlp import kb_store
from nlp.kb_store import Segment, SnapshotStore, compose, load_snapshot, read_head
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
# An older brief about another topic (written for this test): the base's latest document
# stays the latest, so no question about the others should change.
OLD_BRIEF = """青山县文化和旅游局
关于2009年乡村旅游发展情况的报告
青文旅〔2010〕2号
一、发展成效
2009年，全县乡村旅游接待游客86.3万人次，同比增长14.2%。新建农家客栈27家。
二、下步打算
一是打造竹林步道品牌。二是培训民宿经营户300人次。
青山县文化和旅游局
2010年1月8日
"""


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def _answers(assistant: Assistant) -> list[dict]:
    return [assistant.answer(q).model_dump() for q in QUESTIONS]


def _what_is_said(assistant: Assistant) -> list[tuple]:
    """Each reply's answer: intent, figures and citations (a decline's suggestions of what
    else to ask may name what the upload added)."""
    out = []
    for q in QUESTIONS:
        r = assistant.answer(q)
        out.append((r.intent, r.answered, r.text if r.answered else "", r.facts, r.citations))
    return out


def test_units_read_from_the_saved_store_are_the_databases_sentences(
    sessions, tmp_path: Path
) -> None:
    seed_reply_letter(sessions)
    seed_later_report(sessions)
    snapshot, _segments = SnapshotStore(tmp_path).load(sessions, "code")
    fresh = load_snapshot(sessions)  # built straight from the database, in memory
    assert len(snapshot.units) == len(fresh.units) > 10
    assert list(snapshot.units) == list(fresh.units)
    with sessions() as session:
        texts = dict(session.execute(select(Document.id, Document.text)).all())
    for unit in snapshot.units:
        assert _flat(unit.text) in _flat(texts[unit.document_id])
    # The text is read from numpy's own file mapping, not from strings held by the snapshot.
    assert isinstance(snapshot.units.table["text"].blob.base, np.memmap)


def test_opening_a_saved_snapshot_allocates_a_small_fraction_of_its_text(
    sqlite_sessions, tmp_path: Path
) -> None:
    template = next(SOURCE.glob("*.txt")).read_text(encoding="utf-8")
    for i in range(30):
        ingest_text(sqlite_sessions, make_document(template, i), f"synthetic-{i}.txt")
    snapshot, segments = SnapshotStore(tmp_path).load(sqlite_sessions, "code")
    text_bytes = sum(len(u.text.encode()) for u in snapshot.units)
    text_bytes += sum(len(i.quote.encode()) + len(i.context.encode()) for i in snapshot.indicators)
    head = read_head(sqlite_sessions)
    tracemalloc.start()
    try:
        opened = compose(head, [Segment.open(s.path) for s in segments if s.path])
        held, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(opened.units) == len(snapshot.units) > 1000
    # Held as Python strings the texts would cost more than their UTF-8 bytes; what opening
    # holds is vocabularies and per-document lookups (a fixed share that shrinks with size).
    assert held < text_bytes / 4, (held, text_bytes)


def test_an_added_document_gets_a_segment_of_its_own_and_a_removed_one_is_masked(
    sessions, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first_id = seed_reply_letter(sessions)
    second_id = seed_later_report(sessions)
    store = SnapshotStore(tmp_path)
    legacy, dead_build = tmp_path / "kb_0123", tmp_path / ".seg_0123.999999999.tmp"
    legacy.mkdir()
    dead_build.mkdir()
    first, segments = store.load(sessions, "code")
    assert not legacy.exists() and not dead_build.exists()  # old layout, a dead process's
    assert len(segments) == 1
    built: list[list[int]] = []
    real_build = kb_store.build_segment

    def counting(sessions_, documents, directory, **kwargs):
        built.append([d.id for d in documents])
        return real_build(sessions_, documents, directory, **kwargs)

    monkeypatch.setattr(kb_store, "build_segment", counting)
    again, same = store.load(sessions, "code")
    assert built == [] and [s.path for s in same] == [s.path for s in segments]
    assert list(again.units) == list(first.units)
    third_id = ingest_text(sessions, OLD_BRIEF, "old_brief.txt").document_id
    changed, grown = store.load(sessions, "code")
    assert built == [[third_id]]  # only the new document was read and written
    assert grown[0].path == segments[0].path and len(grown) == 2
    assert len(changed.documents) == 3 and len(changed.units) > len(first.units)
    assert changed.units_of_section(first_id, "一") == first.units_of_section(first_id, "一")
    with sessions.begin() as session:  # the first document is superseded
        session.execute(update(Document).where(Document.id == first_id).values(is_current=False))
    masked, kept = store.load(sessions, "code", compact=False)
    assert len(built) == 1 and len(kept) == 2  # nothing rebuilt: the first one is masked
    assert {d.id for d in masked.documents} == {second_id, third_id}
    assert masked.sections_of(first_id) == [] and masked.items_of(first_id) == []
    assert first_id not in {i.document_id for i in masked.indicators}
    assert second_id in {i.document_id for i in masked.indicators}
    assert not masked.alive[list(masked.units.rows_of(first_id))].any()
    assert masked.alive[list(masked.units.rows_of(second_id))].all()
    with sessions.begin() as session:  # the upload is withdrawn: its segment goes
        session.execute(update(Document).where(Document.id == third_id).values(is_current=False))
    _fewer, base_only = store.load(sessions, "code", compact=False)
    assert [s.path for s in base_only] == [segments[0].path] and not grown[1].path.exists()
    _other_code, rebuilt = store.load(sessions, "other code")  # other code: one fresh segment
    assert len(rebuilt) == 1 and rebuilt[0].path != segments[0].path


def test_answers_are_the_same_from_the_built_and_the_mapped_snapshot(seeded_assistant) -> None:
    expected = _answers(seeded_assistant)
    mapped = Assistant(seeded_assistant.sessions, seeded_assistant.cache_dir).load()
    assert _answers(mapped) == expected


def test_an_upload_answers_its_own_questions_and_leaves_the_others_answers_unchanged(
    sessions, tmp_path: Path, model_cache: Path
) -> None:
    seed_reply_letter(sessions)
    seed_later_report(sessions)
    cache = tmp_path / "cache"
    for name in ("jieba",):  # share the session's jieba cache; the model may retrain
        (cache / name).mkdir(parents=True)
    assistant = Assistant(sessions, cache).load()
    before = _what_is_said(assistant)
    model, tokenizer = assistant.model, assistant.tokenizer
    ingest_text(sessions, OLD_BRIEF, "old_brief.txt")
    assistant.refresh()
    assert assistant.model is model and assistant.tokenizer is tokenizer  # nothing refitted
    assert len(assistant.state.segments) == 2
    assert _what_is_said(assistant) == before
    reply = assistant.answer("乡村旅游接待游客多少人次")
    assert reply.answered and reply.facts and reply.facts[0].value == 86.3
    # A restart maps both segments and answers the same.
    restarted = Assistant(sessions, cache).load()
    assert len(restarted.state.segments) == 2
    assert _what_is_said(restarted) == before
    assert restarted.answer("乡村旅游接待游客多少人次").facts[0].value == 86.3
