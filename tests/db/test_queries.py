"""The knowledge base's read queries: what export and the answers' snapshot are built from."""

from __future__ import annotations

from db import queries
from knowledge.ingest import ingest_text

FIRST = (
    "楚雄州投资促进局文件\n州投促字〔2024〕5号\n关于一季度招商工作的报告\n"
    "一、主要成效\n一季度全州新签约项目12个，协议投资额30亿元。\n"
    "二、下步打算\n（一）加强产业链招商。围绕绿色硅光伏补链延链，引进配套企业。\n"
)
# The same 文号 again: a new version that supersedes the first.
SECOND = FIRST.replace("12个", "15个").replace("30亿元", "36亿元")
OTHER = "南华县招商工作简报\n一、工作进展\n1-3月南华县新签约项目4个。\n"


def test_an_empty_base_has_no_documents_and_no_records(sessions) -> None:
    with sessions() as session:
        assert not queries.has_documents(session)
        assert queries.highest_record_ids(session) == [0, 0, 0, 0]
        assert queries.documents_with_records(session) == []


def test_export_reads_current_documents_with_their_records_or_every_version(sessions) -> None:
    ingest_text(sessions, FIRST, "first.txt")
    ingest_text(sessions, SECOND, "second.txt")
    with sessions() as session:
        assert queries.has_documents(session)
        current = queries.documents_with_records(session)
        every = queries.documents_with_records(session, include_history=True)
        assert [d.is_current for d in every] == [False, True]  # oldest first
        assert [d.id for d in current] == [every[1].id]
        values = [i.value for i in current[0].indicators]
        assert 15 in values and 12 not in values
        assert current[0].sections and current[0].items


def test_the_snapshot_sees_which_documents_got_new_records(sessions) -> None:
    ingest_text(sessions, FIRST, "first.txt")
    with sessions() as session:
        since = queries.highest_record_ids(session)
        first = queries.current_document_rows(session, ("id", "display_name"))
    ingest_text(sessions, OTHER, "other.txt")
    with sessions() as session:
        rows = queries.current_document_rows(session, ("id", "display_name"))
        newer = queries.documents_with_records_after(session, since)
        added = {row.id for row in rows} - {row.id for row in first}
        assert newer == added and len(added) == 1
        texts = queries.document_texts(session, sorted(added))
        assert "南华县新签约项目4个" in texts[added.pop()]
        sections = list(queries.record_rows(session, "sections", [r.id for r in rows]))
        assert [s.document_id for s in sections] == sorted(s.document_id for s in sections)
