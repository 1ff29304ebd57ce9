"""Draft replies: one paragraph per ask, the genre's parts, every sentence quoted and cited."""

from __future__ import annotations

import datetime as dt

from nlp.draft import (
    NOTHING_DONE,
    build_draft,
    letter_title,
    opening_line,
    render_text,
    salutation,
    suggested_outcome,
)
from nlp.triage import Triager
from nlp.triage_kb import TriageBase
from tests.nlp import proposal_samples as samples
from tests.nlp import triage_support as support
from tests.nlp.triage_support import FINANCE, P084, SCHOOL

# Shared session fixtures (see tests/nlp/triage_support.py).
kb_base = support.kb_base
kb_triager = support.kb_triager
triage_tokenizer = support.triage_tokenizer
DAY = dt.date(2026, 3, 9)


def _cited_texts(snapshot: TriageBase) -> dict[str | None, str]:
    """Everything each section of the base says (section text, items, quotes)."""
    texts: dict[str | None, str] = {}
    for s in snapshot.sections:
        texts[s.section] = texts.get(s.section, "") + s.text
    for i in snapshot.items:
        texts[i.section] = texts.get(i.section, "") + i.text + "".join(i.points)
    for q in snapshot.indicators:
        texts[q.section] = texts.get(q.section, "") + q.quote
    return texts


def test_one_paragraph_per_ask_in_the_genres_order(kb_triager: Triager) -> None:
    result = kb_triager.analyze(P084)
    draft = build_draft(result, today=DAY)
    text = render_text(draft)
    lines = text.splitlines()
    assert lines[0] == "关于《" + result.title + "》的答复"
    assert lines[1] == "致公党楚雄市基层委："
    assert lines[2] == f"你委提出的《{result.title}》收悉，现答复如下："
    assert len(draft.paragraphs) == len(result.asks) == 3
    headings = [p.heading for p in draft.paragraphs]
    assert headings == [
        "一、关于加强部门联动",
        "二、关于强化政策体系建设",
        "三、关于切实提高项目落地率",
    ]
    assert [text.index(h) for h in headings] == sorted(text.index(h) for h in headings)
    third = text.split(headings[2])[1]
    assert "清单" in third.split("（二）")[0]  # done: the project list measure, quoted
    assert "三（一）" in text.split(headings[1])[1].split(headings[2])[0]  # 完善体制机制
    tail = text.split("感谢您对投资促进工作的关心和支持，欢迎继续提出宝贵意见和建议。")[1]
    assert tail.index("2026年3月9日") < tail.index("联系人：") < tail.index("答复类别：")
    assert "公开属性：主动公开" in tail and "抄送：州政协提案委员会" in tail


def test_every_quoted_sentence_comes_from_its_cited_section_once(
    kb_triager: Triager, kb_base: TriageBase
) -> None:
    texts = _cited_texts(kb_base)
    for proposal in (P084, FINANCE, samples.PARK_SYSTEM):
        draft = build_draft(kb_triager.analyze(proposal))
        quoted = [s.text for s in draft.citations]
        assert quoted and len(quoted) == len(set(quoted))
        for sentence in draft.citations:
            assert sentence.section is not None
            assert sentence.text in texts[sentence.section], sentence


def test_an_ask_the_base_says_nothing_about_gets_an_honest_line(kb_triager: Triager) -> None:
    draft = build_draft(kb_triager.analyze(FINANCE))
    empty = [p for p in draft.paragraphs if p.empty]
    assert empty, "the base has nothing on guarantee funds or bonds"
    text = render_text(draft)
    assert text.count(NOTHING_DONE) >= len(empty)
    assert any(p.planned for p in draft.paragraphs)  # 拓宽融资渠道 is planned
    assert draft.outcome == "B"


def test_a_deputy_is_addressed_by_name_and_role(kb_triager: Triager) -> None:
    result = kb_triager.analyze(samples.IRRIGATION.replace("水利", "园区"))
    draft = build_draft(result)
    assert draft.addressee == "杨文代表"
    assert draft.opening.startswith("您提出的《")
    assert draft.copy_to.startswith("州人大常委会代表工作委员会")


def test_a_numbered_proposal_names_its_session_and_number_in_the_title(
    kb_triager: Triager,
) -> None:
    result = kb_triager.analyze("州政协十二届二次会议\n第36号提案\n" + P084)
    assert letter_title(result) == "关于州政协十二届二次会议第36号提案的答复"


def test_salutation_and_opening() -> None:
    assert salutation("王芳", "提案") == "王芳委员"
    assert salutation("张华", "建议") == "张华代表"
    assert salutation("张华", "提案", "代表") == "张华代表"
    assert salutation("致公党楚雄市基层委", "提案") == "致公党楚雄市基层委"
    assert salutation(None, "提案") is None
    assert opening_line("关于发展夜间经济的提案", "民盟楚雄州委", "提案").startswith("你委提出的")
    assert opening_line("关于A的建议", "县工商联", "提案").startswith("你单位提出的")


def test_out_of_scope_draft_invents_nothing_and_says_why(kb_triager: Triager) -> None:
    draft = build_draft(kb_triager.analyze(SCHOOL))
    assert draft.paragraphs == [] and draft.citations == []
    assert "教育体育局" in draft.note and "十日内" in draft.note
    assert draft.outcome is None and draft.publicity == "不予公开"


def test_suggested_outcome() -> None:
    from nlp.draft import AskParagraph, CitedSentence

    quote = CitedSentence(text="已开展。", document="d")
    assert suggested_outcome([AskParagraph(heading="一", done=[quote])]) == "A"
    assert suggested_outcome([AskParagraph(heading="一", planned=[quote])]) == "B"
    assert suggested_outcome([AskParagraph(heading="一")]) == "C"
