"""Ingestion stores each document's identity and each figure's scope (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import select, update

from db.models import Document, Indicator
from knowledge.ingest import ingest_text, reread_stale
from knowledge.version import EXTRACTOR

BRIEF = """牟定县2023年1-9月招商引资工作情况

1-9月，全县实现州外到位资金27.3亿元，同比增长10.6%。其中，省外到位资金15.2亿元。
"""


def _scopes(sessions) -> set[tuple]:
    with sessions() as session:
        rows = session.execute(
            select(Indicator.place, Indicator.year, Indicator.month_start, Indicator.month_end,
                   Indicator.kind, Indicator.value)
        ).all()
    return {tuple(row) for row in rows}


def test_identity_and_scope_are_stored(sessions) -> None:
    ingest_text(sessions, BRIEF, "brief.txt")
    with sessions() as session:
        doc = session.scalars(select(Document)).one()
        assert (doc.subject, doc.period_year, doc.period_start, doc.period_end) == (
            "牟定县", 2023, 1, 9,
        )
        assert doc.genre == "brief" and doc.display_name == "牟定县2023年1-9月招商引资工作情况"
    assert ("牟定县", 2023, 1, 9, "actual", 27.3) in _scopes(sessions)
    assert ("牟定县", 2023, 1, 9, "growth", 10.6) in _scopes(sessions)


def test_documents_stored_before_scope_are_re_read_once(sessions) -> None:
    ingest_text(sessions, BRIEF, "brief.txt")
    before = _scopes(sessions)
    with sessions.begin() as session:  # what a base stored by the previous version looks like
        session.execute(update(Document).values(display_name="", subject=None))
        session.execute(update(Indicator).values(place=None, year=None, month_start=None))
    assert reread_stale(sessions) == 1
    assert _scopes(sessions) == before
    assert reread_stale(sessions) == 0  # nothing left to re-read: start-up stays cheap


def test_documents_read_by_older_extraction_code_are_re_read_once(sessions) -> None:
    ingest_text(sessions, BRIEF, "brief.txt")
    with sessions.begin() as session:  # an older extractor named the figure differently
        session.execute(update(Document).values(extractor="older-code"))
        session.execute(update(Indicator).values(name="旧名称"))
    assert reread_stale(sessions) == 1
    with sessions() as session:
        names = set(session.scalars(select(Indicator.name)))
        assert "州外到位资金" in names and "旧名称" not in names
        assert session.scalars(select(Document.extractor)).one() == EXTRACTOR
    assert reread_stale(sessions) == 0
