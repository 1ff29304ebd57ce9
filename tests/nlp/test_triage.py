"""Triage against the shipped knowledge base: topics, related work, out of scope, duplicates."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp.tokenizer import ChineseTokenizer
from nlp.topics import OUT_OF_SCOPE
from nlp.triage import EarlierProposal, Triager, TriageTooLarge, content_hash
from nlp.triage_kb import KbContact, KbIndicator, KbItem, KbSection, TriageBase
from tests.nlp import triage_support as support
from tests.nlp.triage_support import FINANCE, FOREIGN, HOSPITAL, ONLINE, P084, SCHOOL, TRAFFIC

# Shared session fixtures (see tests/nlp/triage_support.py).
kb_base = support.kb_base
kb_triager = support.kb_triager
triage_tokenizer = support.triage_tokenizer


def test_the_base_has_items_to_relate(kb_base: TriageBase) -> None:
    sections = {(i.kind, i.section) for i in kb_base.items}
    assert {("measure", "二（五）"), ("action", "三（一）"), ("action", "三（五）")} <= sections


def test_proposal_084_ranks_lists_mechanisms_and_services_first(kb_triager: Triager) -> None:
    result = kb_triager.analyze(P084)
    top = {(r.kind, r.section) for r in result.related[:3]}
    assert top == {("measure", "二（五）"), ("action", "三（一）"), ("action", "三（五）")}
    assert result.in_scope and result.topic in {"体制机制", "项目落地"}
    assert "清单化管理" in next(r.title for r in result.related if r.section == "二（五）")
    assert all(r.score >= result.related[3].score for r in result.related[:3])


def test_proposal_084_metadata_and_asks(kb_triager: Triager) -> None:
    result = kb_triager.analyze(P084)
    assert result.proposer == "致公党楚雄市基层委"
    assert result.kind == "提案"
    assert len(result.asks) >= 3
    assert any("清单化管理" in a for a in result.asks)
    assert "落地率" in result.keywords


def test_headline_indicators_bear_on_an_in_scope_proposal(kb_triager: Triager) -> None:
    result = kb_triager.analyze(P084)
    sections = {i.section for i in result.indicators}
    assert "一" in sections or "二（五）" in sections
    assert all(i.quote for i in result.indicators)


@pytest.mark.parametrize(
    "text", [SCHOOL, HOSPITAL, TRAFFIC], ids=["school", "hospital", "traffic"]
)
def test_other_departments_work_is_out_of_scope_with_no_matches(
    kb_triager: Triager, text: str
) -> None:
    result = kb_triager.analyze(text)
    assert result.topic == OUT_OF_SCOPE
    assert not result.in_scope
    assert result.related == [] and result.indicators == []
    assert result.asks  # still read what it asks


def test_npc_suggestion_on_financing(kb_triager: Triager) -> None:
    result = kb_triager.analyze(FINANCE)
    assert result.topic == "融资"
    assert result.kind == "建议" and result.proposer == "张华"
    assert (result.related[0].kind, result.related[0].section) == ("action", "三（四）")
    assert {"融资", "担保"} <= set(result.keywords)


def test_online_promotion_finds_the_online_measure_and_its_figures(kb_triager: Triager) -> None:
    result = kb_triager.analyze(ONLINE)
    assert result.topic == "网络招商"
    assert result.related[0].section == "二（六）"
    assert any(i.section == "二（六）" and "推介会" in i.name for i in result.indicators)


def test_foreign_investment_finds_the_foreign_measure(kb_triager: Triager) -> None:
    result = kb_triager.analyze(FOREIGN)
    assert result.topic == "外资"
    assert result.related[0].section == "二（七）"
    assert any(i.name == "实际到位外资" for i in result.indicators)


def test_the_same_proposal_twice_is_a_duplicate(kb_triager: Triager) -> None:
    first = kb_triager.analyze(P084)
    stored = EarlierProposal(id=7, title=first.title, text=P084, content_hash=first.content_hash)
    other = EarlierProposal(id=8, text=FINANCE, content_hash=content_hash(FINANCE))
    again = kb_triager.analyze(P084, [other, stored])
    assert again.duplicate_of == 7
    assert [s.id for s in again.similar if s.duplicate] == [7]


def test_a_lightly_edited_copy_is_still_flagged(kb_triager: Triager) -> None:
    edited = P084.replace("近年来，", "").replace("定期会商", "定期召开会议")
    stored = EarlierProposal(id=3, text=P084, content_hash=content_hash(P084))
    result = kb_triager.analyze(edited, [stored])
    assert result.content_hash != stored.content_hash
    assert result.duplicate_of == 3


def test_a_different_proposal_is_not_a_duplicate(kb_triager: Triager) -> None:
    stored = EarlierProposal(id=3, text=P084, content_hash=content_hash(P084))
    result = kb_triager.analyze(ONLINE, [stored])
    assert result.duplicate_of is None


def test_keywords_use_idf_from_the_base(kb_triager: Triager) -> None:
    assert kb_triager.idf["招商引资"] < kb_triager.unseen_idf
    assert kb_triager.idf.get("学校", kb_triager.unseen_idf) == kb_triager.unseen_idf


def test_json_has_exactly_the_documented_keys(kb_triager: Triager) -> None:
    data = kb_triager.analyze(P084).to_json("草稿")
    assert list(data) == [
        "meta",
        "topic",
        "in_scope",
        "department",
        "scope_reason",
        "asks",
        "keywords",
        "related",
        "indicators",
        "similar",
        "draft",
    ]
    assert set(data["related"][0]) == {"kind", "section", "title", "score"}
    assert list(data["meta"]) == [
        *("title", "kind", "number", "proposers", "role", "cosigners", "sector", "session")
    ]


def test_over_the_cap(kb_triager: Triager) -> None:
    with pytest.raises(TriageTooLarge):
        kb_triager.analyze("建议加快项目落地。" * 3000)


def test_another_issuers_base(triage_tokenizer: ChineseTokenizer) -> None:
    """A county bureau's summary, not the shipped document: the same rules apply."""
    doc = "双柏县投促局〔2022〕5号"
    items = [
        KbItem(
            kind="measure",
            document_id=1,
            document=doc,
            section="二（一）",
            title="深化园区标准厂房招商",
            text="新建标准厂房12万平方米，引进入驻企业15家。",
        ),
        KbItem(
            kind="measure",
            document_id=1,
            document=doc,
            section="二（二）",
            title="开展驻点招商",
            text="在昆明、成都设立驻点招商小组，走访企业80家。",
        ),
        KbItem(
            kind="action",
            document_id=1,
            document=doc,
            section="三（一）",
            title="强化金融服务",
            text="推动设立产业引导基金，加强政银企对接，缓解企业融资难。",
        ),
    ]
    snapshot = TriageBase(
        items=items,
        indicators=[
            KbIndicator(
                document_id=1,
                document=doc,
                section="二（一）",
                name="新建标准厂房",
                value=12,
                unit="万平方米",
                quote="新建标准厂房12万平方米，引进入驻企业15家。",
            )
        ],
        sections=[
            KbSection(document_id=1, section=i.section or "", title=i.title, text=i.text)
            for i in items
        ],
        contact=KbContact(contact="李四", phone="0878-1234567"),
    )
    triager = Triager(triage_tokenizer).fit(snapshot)
    finance = triager.analyze(FINANCE)
    assert finance.related[0].section == "三（一）"
    assert finance.related[0].document == doc
    assert triager.analyze(SCHOOL).related == []


def test_business_environment_proposal(kb_triager: Triager) -> None:
    result = kb_triager.analyze(support.BUSINESS_ENV)
    assert result.topic == "营商环境与服务"
    assert ("action", "三（五）") in {(r.kind, r.section) for r in result.related[:2]}
    assert len(result.asks) == 4  # 一是…四是 inside one paragraph


def test_industry_chain_suggestion(kb_triager: Triager) -> None:
    result = kb_triager.analyze(support.INDUSTRY_CHAIN)
    assert result.topic == "产业链招商"
    assert (result.related[0].kind, result.related[0].section) == ("measure", "二（二）")
    assert "三（三）" in {r.section for r in result.related[:3]}


def test_rural_sanitation_is_out_of_scope(kb_triager: Triager) -> None:
    assert kb_triager.analyze(support.VILLAGE).topic == OUT_OF_SCOPE


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(min_size=1, max_size=400))
def test_any_text_is_triaged_or_refused_with_a_message(kb_triager: Triager, text: str) -> None:
    from nlp.draft import build_draft, render_text
    from nlp.draft_docx import render_docx
    from nlp.triage import TriageError

    hostile = "建议<b>加快</b>招商\u202e引资\x00项目'; DROP TABLE proposals;--" + text
    for candidate in (text, hostile):
        try:
            result = kb_triager.analyze(candidate)
        except TriageError as exc:
            assert str(exc)
            continue
        draft = build_draft(result)
        assert render_text(draft)
        assert render_docx(draft)[:2] == b"PK"


TITLE_084 = (
    "关于加强部门联动、强化政策体系建设，切实提高招商引资项目落地率，推动经济社会快速发展的提案"
)


@pytest.mark.parametrize(
    "asks",
    [
        "一、加强部门联动\n二、强化政策体系建设\n三、切实提高招商引资项目落地率",
        "建议：加强部门联动，强化政策体系建设，切实提高招商引资项目落地率。",
        "一是各部门要协同联动，形成合力；二是要出台完善的招商引资政策；三是要做好项目落地的跟踪服务。",
        "建议州委州政府高度重视招商引资项目落地问题，加强统筹协调，完善考核机制，强化要素保障。",
    ],
    ids=["headings", "one-sentence", "yishi-ershi", "colloquial"],
)
def test_title_and_asks_of_084_in_other_wordings(kb_triager: Triager, asks: str) -> None:
    result = kb_triager.analyze(f"{TITLE_084}\n{asks}")
    assert {r.section for r in result.related[:3]} == {"二（五）", "三（一）", "三（五）"}
