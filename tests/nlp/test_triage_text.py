"""Reading a proposal's own text: metadata and asks (pure string functions)."""

from __future__ import annotations

import pytest

from nlp.triage import TriageError, TriageTooLarge, content_hash, normalize_text
from nlp.triage_meta import extract_meta
from nlp.triage_text import extract_asks, strip_numbering

CPPCC = """州政协十届五次会议
第０８４号提案
关于加强部门联动、强化政策体系建设，切实提高招商引资项目落地率的提案
提案人：致公党楚雄市基层委
一、存在的问题
部门之间协调配合不够，政策体系不健全，项目签约后落地率不高。
二、建议
（一）建立招商引资部门联动工作机制，明确各部门职责。
（二）完善招商引资优惠政策，健全考评奖惩机制。
"""

NPC = """关于支持县域园区标准厂房建设的建议
州人大代表 杨丽
园区标准厂房不足，企业入驻要等很久。建议统筹安排专项债券资金，加快建设标准厂房，
对入驻企业给予租金减免。"""


def test_metadata_of_a_cppcc_proposal() -> None:
    meta = extract_meta(CPPCC)
    assert meta.number == "084"
    assert meta.kind == "提案"
    assert meta.title.startswith("关于加强部门联动") and meta.title.endswith("落地率的提案")
    assert meta.proposer == "致公党楚雄市基层委"


def test_metadata_of_an_npc_suggestion_signed_by_a_deputy() -> None:
    meta = extract_meta(NPC)
    assert meta.kind == "建议"
    assert meta.proposer == "杨丽"
    assert meta.number is None


def test_party_committee_is_found_without_a_label() -> None:
    meta = extract_meta("关于发展夜间经济的提案\n民盟楚雄州委\n建议加快培育夜间消费场景。")
    assert meta.proposer == "民盟楚雄州委"


def test_title_falls_back_to_the_first_short_line() -> None:
    meta = extract_meta("加快园区招商\n建议完善园区配套，提高招商效率。")
    assert meta.title == "加快园区招商"


def test_asks_come_from_the_suggestions_part_only() -> None:
    asks = extract_asks(CPPCC, extract_meta(CPPCC).title)
    assert asks == [
        "建立招商引资部门联动工作机制，明确各部门职责。",
        "完善招商引资优惠政策，健全考评奖惩机制。",
    ]


def test_asks_without_headings_keep_proposing_sentences() -> None:
    asks = extract_asks(NPC, extract_meta(NPC).title)
    assert any(a.startswith("建议统筹安排专项债券资金") for a in asks)
    assert all("不足" not in a for a in asks)  # the problem sentence is not an ask


def test_words_containing_a_cue_do_not_make_an_ask() -> None:
    assert extract_asks("这是主要情况。重要的是要素价格。") == []


def test_asks_fall_back_to_the_title_parts() -> None:
    title = "关于加强部门联动、强化政策体系建设，切实提高招商引资项目落地率的提案"
    asks = extract_asks(title + "\n", title)
    assert asks == ["加强部门联动", "强化政策体系建设", "切实提高招商引资项目落地率"]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("一、加强联动", "加强联动"),
        ("（二）完善政策", "完善政策"),
        ("3. 优化服务", "优化服务"),
        ("一是建立台账", "建立台账"),
        ("为此建议：加快项目库建设", "加快项目库建设"),
    ],
)
def test_strip_numbering(raw: str, clean: str) -> None:
    assert strip_numbering(raw) == clean


def test_hash_ignores_width_and_spacing() -> None:
    assert content_hash("建议 加快 项目 落地。ＡＢ") == content_hash("建议加快项目落地。AB")
    assert content_hash("建议加快项目落地。") != content_hash("建议加快项目签约。")


def test_normalize_text_keeps_chinese_punctuation_and_folds_digits() -> None:
    assert normalize_text("第０８４号，關於招商") == "第084号，关于招商"


def test_over_the_cap_is_one_clear_message() -> None:
    with pytest.raises(TriageTooLarge, match="超过 100 字的上限"):
        normalize_text("建" * 101, max_chars=100)


def test_empty_text_is_refused() -> None:
    with pytest.raises(TriageError, match="没有收到提案正文"):
        normalize_text(" \n\t ")


def test_enumerated_points_inside_one_paragraph_are_all_asks() -> None:
    text = "关于优化服务的提案\n办事慢。建议：一是推行并联审批；二是全面推行代办制度；"
    text += "四是畅通投诉渠道。"
    asks = extract_asks(text, "关于优化服务的提案")
    assert asks == ["推行并联审批；", "全面推行代办制度；", "畅通投诉渠道。"]


def test_a_title_wrapped_onto_two_lines() -> None:
    text = "第12号\n关于加快园区标准厂房建设\n促进项目落地的建议\n代表：杨丽\n建议加快建设。"
    assert extract_meta(text).title == "关于加快园区标准厂房建设促进项目落地的建议"


def test_a_proposal_pasted_as_one_line() -> None:
    one_line = " ".join(CPPCC.split("\n"))
    meta = extract_meta(one_line)
    assert meta.title.endswith("落地率的提案") and meta.proposer == "致公党楚雄市基层委"
    assert extract_asks(one_line, meta.title) == extract_asks(CPPCC, meta.title)


FORM = """楚雄州第十四届人民代表大会第五次会议
代表建议第12号
案由：关于加快园区标准厂房建设的建议
领衔代表：张华（楚雄市代表团）
附议代表：李四、王五
审查意见：建议交州投资促进局办理
内容：园区标准厂房不足，企业入驻等待时间长。
办法和建议：
1.统筹专项债券资金，加快标准厂房建设。
2.对入驻企业给予租金减免。
"""


def test_the_npc_form_layout() -> None:
    meta = extract_meta(FORM)
    assert (meta.number, meta.kind, meta.proposer) == ("12", "建议", "张华")
    assert meta.title == "关于加快园区标准厂房建设的建议"
    assert extract_asks(FORM, meta.title) == [
        "统筹专项债券资金，加快标准厂房建设。",
        "对入驻企业给予租金减免。",
    ]
