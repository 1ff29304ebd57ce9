"""Persistence: one transaction per document, idempotent, supersession kept as history."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import select

from db import writes
from db.models import Document, Indicator
from knowledge.ingest import ensure_default_base, ingest_bytes, ingest_path, ingest_text
from tests.conftest import SOURCE_DOC
from tests.knowledge.conftest import BUREAU_SUMMARY, COUNTY_REPLY


def test_same_file_twice_adds_nothing(sessions, snapshot, tmp_path: Path) -> None:
    path = tmp_path / "reply.txt"
    path.write_text(COUNTY_REPLY, encoding="utf-8")
    first = ingest_path(sessions, path)
    after_first = snapshot(sessions)
    second = ingest_path(sessions, path)
    assert (first.status, second.status) == ("added", "unchanged")
    assert second.document_id == first.document_id
    assert second.counts == first.counts
    assert snapshot(sessions) == after_first


def test_same_text_in_another_encoding_is_the_same_document(sessions) -> None:
    first = ingest_bytes(sessions, COUNTY_REPLY.encode("utf-8"), "a.txt")
    again = ingest_bytes(sessions, COUNTY_REPLY.encode("gbk"), "b.txt")
    assert again.status == "unchanged" and again.document_id == first.document_id


def test_new_version_with_same_number_supersedes(sessions) -> None:
    old = ingest_text(sessions, COUNTY_REPLY, "v1.txt")
    new = ingest_text(sessions, COUNTY_REPLY.replace("45.6亿元", "46.0亿元"), "v2.txt")
    assert new.status == "superseded"
    assert new.superseded_ids == [old.document_id]
    with sessions() as session:
        docs = {d.id: d for d in session.scalars(select(Document))}
        assert docs[old.document_id].is_current is False
        assert docs[old.document_id].superseded_by_id == new.document_id
        assert docs[new.document_id].is_current is True
        history = session.scalars(
            select(Indicator.value).where(
                Indicator.document_id == old.document_id, Indicator.name == "社会消费品零售总额"
            )
        ).all()
        assert history == [45.6]  # the old figures stay queryable


def test_different_numbers_do_not_supersede(sessions) -> None:
    ingest_text(sessions, COUNTY_REPLY, "reply.txt")
    result = ingest_text(sessions, BUREAU_SUMMARY, "summary.txt")
    assert result.status == "added"
    with sessions() as session:
        assert all(session.scalars(select(Document.is_current)))


def test_failure_mid_persist_leaves_no_partial_document(sessions, snapshot, monkeypatch) -> None:
    ingest_text(sessions, BUREAU_SUMMARY, "summary.txt")
    before = snapshot(sessions)

    def explode(*_args, **_kwargs):
        raise RuntimeError("disk full")

    # save_document has already flushed rows when supersession runs; they must roll back.
    monkeypatch.setattr(writes, "current_with_number", explode)
    with pytest.raises(RuntimeError):
        ingest_text(sessions, COUNTY_REPLY, "reply.txt")
    assert snapshot(sessions) == before


def test_stored_records_match_the_parse(sessions) -> None:
    result = ingest_text(sessions, COUNTY_REPLY, "reply.txt")
    with sessions() as session:
        doc = session.get(Document, result.document_id)
        assert doc is not None
        assert doc.number == "禄商复〔2022〕第12号" and doc.year == 2022
        assert doc.proposal_number == "35" and doc.proposer == "李明代表"
        assert len(doc.sections) == result.counts["sections"]
        assert len(doc.indicators) == result.counts["indicators"]
        assert {i.kind for i in doc.items} == {"measure", "action"}
        assert [s.sid for s in doc.sections][:2] == ["引言", "一"]


def test_default_base_only_when_empty(sessions, tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "a.txt").write_text(COUNTY_REPLY, encoding="utf-8")
    (sources / "notes.md").write_text("ignored", encoding="utf-8")
    first = ensure_default_base(sessions, sources)
    assert [r.status for r in first] == ["added"]
    (sources / "b.txt").write_text(BUREAU_SUMMARY, encoding="utf-8")
    assert ensure_default_base(sessions, sources) == []  # not empty: nothing re-read


def test_summary_line_names_counts() -> None:
    from knowledge.ingest import IngestResult

    line = IngestResult(
        1,
        "X〔2021〕1号",
        "标题",
        "added",
        "a.txt",
        {"sections": 3, "indicators": 4, "items": 2, "entities": 5},
    ).summary()
    assert "已导入" in line and "指标4" in line and "a.txt" in line


def test_source_sized_document_ingests_fast(sqlite_sessions) -> None:
    text = SOURCE_DOC.read_text(encoding="utf-8")
    ingest_text(sqlite_sessions, text, "warm.txt")  # warm imports and the connection
    timings = []
    for n in range(5):
        variant = text.replace("3号", f"{100 + n}号").replace("19.4%", f"{19 + n}.5%")
        start = time.perf_counter()
        ingest_text(sqlite_sessions, variant, f"v{n}.txt")
        timings.append(time.perf_counter() - start)
    assert sorted(timings)[2] < 0.1  # median; the target on a quiet machine is 30 ms


def test_an_older_version_arriving_late_is_stored_as_history(sessions) -> None:
    newer = COUNTY_REPLY.replace("二〇二二年十月十八日", "二〇二二年十一月一日")
    current = ingest_text(sessions, newer, "new.txt")
    late = ingest_text(sessions, COUNTY_REPLY, "old.txt")
    assert late.status == "added" and late.warnings
    with sessions() as session:
        docs = {d.id: d for d in session.scalars(select(Document))}
        assert docs[current.document_id].is_current is True
        assert docs[late.document_id].is_current is False
        assert docs[late.document_id].superseded_by_id == current.document_id


def test_two_processes_racing_on_the_same_content(sessions, monkeypatch) -> None:
    first = ingest_text(sessions, COUNTY_REPLY, "a.txt")
    # Simulate the race: the hash check misses, the insert then hits the unique constraint.
    monkeypatch.setattr(writes, "find_by_hash", _miss_once(writes.find_by_hash))
    again = ingest_text(sessions, COUNTY_REPLY, "b.txt")
    assert again.status == "unchanged" and again.document_id == first.document_id


def _miss_once(real):
    calls = {"n": 0}

    def find(session, digest):
        calls["n"] += 1
        return None if calls["n"] == 1 else real(session, digest)

    return find
