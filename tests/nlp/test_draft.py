"""Draft replies: the genre's structure, and every sentence quoted from a cited section."""

from __future__ import annotations

import io

import docx

from nlp.draft import PLACEHOLDER, build_draft, opening_line, render_docx, render_text, salutation
from nlp.triage import Triager
from nlp.triage_kb import KnowledgeSnapshot
from tests.nlp import triage_support as support
from tests.nlp.triage_support import FINANCE, P084, SCHOOL

HEADINGS = ["一、工作成效", "二、主要工作开展情况", "三、下步重点工作"]

# Shared session fixtures (see tests/nlp/triage_support.py).
kb_snapshot = support.kb_snapshot
kb_triager = support.kb_triager
triage_tokenizer = support.triage_tokenizer


def _cited_texts(snapshot: KnowledgeSnapshot) -> dict[str | None, str]:
    """Everything each section of the base says (section text, items, quotes)."""
    texts: dict[str | None, str] = {}
    for s in snapshot.sections:
        texts[s.section] = texts.get(s.section, "") + s.text
    for i in snapshot.items:
        texts[i.section] = texts.get(i.section, "") + i.text + "".join(i.points)
    for q in snapshot.indicators:
        texts[q.section] = texts.get(q.section, "") + q.quote
    return texts


def test_084_draft_has_the_genre_structure(kb_triager: Triager) -> None:
    text = render_text(build_draft(kb_triager.analyze(P084)))
    lines = text.splitlines()
    assert lines[0] == "致公党楚雄市基层委："
    assert lines[1].startswith("您委《关于加强部门联动") and lines[1].endswith(
        "》已交我局办理，现答复如下："
    )
    positions = [text.index(h) for h in HEADINGS]
    assert positions == sorted(positions)
    assert "建立清单化管理机制促项目落地" in text.split(HEADINGS[1])[1].split(HEADINGS[2])[0]
    assert "完善体制机制" in text.split(HEADINGS[2])[1]
    assert "联系人：" in text and "〔出处：" in text


def test_every_drafted_sentence_is_quoted_from_its_cited_section(
    kb_triager: Triager, kb_snapshot: KnowledgeSnapshot
) -> None:
    texts = _cited_texts(kb_snapshot)
    for proposal in (P084, FINANCE):
        draft = build_draft(kb_triager.analyze(proposal))
        assert draft.citations
        for sentence in draft.citations:
            assert sentence.section is not None
            assert sentence.text in texts[sentence.section], sentence


def test_the_contact_line_comes_from_the_base(kb_triager: Triager) -> None:
    draft = build_draft(kb_triager.analyze(P084))
    contact = kb_triager.snapshot.contact
    assert contact.contact and contact.contact in draft.contact_line


def test_a_deputy_is_addressed_in_person(kb_triager: Triager) -> None:
    draft = build_draft(kb_triager.analyze(FINANCE))
    assert draft.addressee == "张华代表"
    assert draft.opening.startswith("您提出的《关于破解中小企业融资难题")


def test_salutation_follows_who_proposed_it() -> None:
    assert salutation("王芳", "提案") == "王芳委员"
    assert salutation("张华", "建议") == "张华代表"
    assert salutation("致公党楚雄市基层委", "提案") == "致公党楚雄市基层委"
    assert salutation(None, "提案") is None


def test_opening_line_for_an_organisation() -> None:
    line = opening_line("关于发展夜间经济的提案", "民盟楚雄州委", "提案")
    assert line == "您委《关于发展夜间经济的提案》已交我局办理，现答复如下："


def test_out_of_scope_draft_invents_nothing(kb_triager: Triager) -> None:
    draft = build_draft(kb_triager.analyze(SCHOOL))
    assert draft.parts == [] and draft.citations == []
    assert "不属于我局职责范围" in draft.note and "十日内" in draft.note


def test_a_part_with_nothing_to_cite_gets_a_placeholder(kb_triager: Triager) -> None:
    text = render_text(build_draft(kb_triager.analyze(FINANCE)))
    part_two = text.split(HEADINGS[1])[1].split(HEADINGS[2])[0]
    assert PLACEHOLDER in part_two or "〔出处：" in part_two


def test_docx_holds_the_same_draft(kb_triager: Triager) -> None:
    draft = build_draft(kb_triager.analyze(P084))
    data = render_docx(draft)
    assert data[:2] == b"PK"
    paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert draft.opening in paragraphs
    assert all(h in paragraphs for h in HEADINGS)
    assert any("清单化" in p for p in paragraphs)


def test_results_part_quotes_headline_figures_without_repeating_measures(
    kb_triager: Triager,
) -> None:
    draft = build_draft(kb_triager.analyze(P084))
    results = {s.text for b in draft.parts[0].blocks for s in b.sentences}
    measures = {s.text for b in draft.parts[1].blocks for s in b.sentences}
    assert results and not results & measures
    assert all(s.section == "一" for b in draft.parts[0].blocks for s in b.sentences)
    assert any("州外到位资金增长19.4%" in text for text in results)
