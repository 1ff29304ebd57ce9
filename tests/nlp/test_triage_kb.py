"""Triage's records come from the answers' snapshot: same documents, same names, whole texts."""

from __future__ import annotations

from knowledge.ingest import ingest_text
from nlp.kb_store import load_snapshot
from nlp.triage_kb import triage_base

# No 文号 and a title longer than 30 characters: the name a citation uses is the whole title.
REPORT = (
    "关于二〇二四年一季度全州招商引资和重点项目建设工作推进情况的报告\n"
    "现将一季度工作情况报告如下。\n"
    "一、主要成效\n一季度全州新签约项目12个，协议投资额30亿元。\n"
    "二、下步打算\n（一）加强产业链招商。围绕绿色硅光伏补链延链，引进配套企业。\n"
    "（二）优化营商环境。推行项目代办帮办，压缩审批时限。\n"
)
REPLY = (
    "楚雄州投资促进局\n关于州政协十二届二次会议第45号提案的答复\n"
    "您提出的关于加强招商引资的提案收悉，现答复如下。\n"
    "一、已开展的工作\n我局建立了重点项目台账，实行挂图作战。\n"
    "联系人：李四\n联系电话：0878-1234567\n楚雄州投资促进局\n2024年6月1日\n"
)


def test_records_follow_the_snapshot_and_cite_display_names(sessions) -> None:
    ingest_text(sessions, REPORT, "report.txt")
    ingest_text(sessions, REPLY, "reply.txt")
    snapshot = load_snapshot(sessions)
    names = {d.id: d.display_name for d in snapshot.documents}
    base = triage_base(snapshot)

    assert {i.document for i in base.items} == set(names.values())
    assert all(i.document == names[i.document_id] for i in base.indicators)
    assert max(len(n) for n in names.values()) > 30  # never cut to a short label
    # Documents in the order they were stored: the report's plans before the reply's measure.
    assert [(i.kind, i.section) for i in base.items] == [
        ("action", "二（一）"), ("action", "二（二）"), ("measure", "一"),
    ]
    figures = {i.name: i for i in base.indicators}
    assert figures["新签约项目"].value == 12 and figures["新签约项目"].headline  # 主要成效
    texts = {(s.document_id, s.section): s.text for s in base.sections}
    report = min(names)
    assert texts[(report, "一")] == "一季度全州新签约项目12个，协议投资额30亿元。"
    assert base.contact.contact == "李四" and base.contact.phone == "0878-1234567"
    assert base.contact.document == names[max(names)]


def test_an_empty_base_gives_empty_records(sessions) -> None:
    base = triage_base(load_snapshot(sessions))
    assert (base.items, base.indicators, base.sections) == ([], [], [])
    assert base.contact.contact is None and base.contact.issuer is None
