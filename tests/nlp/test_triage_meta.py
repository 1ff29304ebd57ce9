"""What a proposal says about itself, read from texts shaped like real ones (our own words)."""

from __future__ import annotations

import pytest

from nlp.triage import normalize_text
from nlp.triage_meta import extract_meta, extract_session, is_chrome, proposer_label
from tests.nlp import proposal_samples as s


def meta(text: str):
    return extract_meta(normalize_text(text))


def test_a_web_page_never_gives_its_navigation_or_date_as_title() -> None:
    m = meta(s.WEB_ELDERLY)
    assert m.title == "关于加强农村养老服务体系建设的提案"
    assert m.kind == "提案" and m.session == "州政协十二届四次会议"
    assert (m.proposer, m.role) == ("李桂芳", "委员")


def test_bracketed_digest_with_co_signing_deputies() -> None:
    m = meta(s.IRRIGATION)
    assert m.title == "关于加快山区小型农田水利设施修复的建议"
    assert (m.proposer, m.role, m.cosigners, m.kind) == ("杨文", "代表", 3, "建议")


def test_suggestion_form_flattened_onto_one_line() -> None:
    m = meta(s.ROAD_FORM)
    assert m.title == "加强通村公路养护管理"
    assert m.proposer == "普志华" and m.kind == "建议"
    assert m.session == "楚雄州第十二届人民代表大会第三次会议"


def test_party_committee_proposal_with_number() -> None:
    m = meta(s.CLINIC)
    assert (m.number, m.kind, m.role) == ("045", "提案", "党派")
    assert m.proposer == "民盟楚雄州委会"


def test_online_system_fields() -> None:
    m = meta(s.PARK_SYSTEM)
    assert m.title == "关于加快楚雄高新区产业园区精准招商的提案"
    assert (m.number, m.proposer, m.role, m.sector) == ("12", "赵敏", "委员", "经济界")
    assert m.session == "十二届一次"


def test_a_cppcc_proposal_titled_as_a_suggestion_is_still_a_proposal() -> None:
    text = "州政协十二届二次会议第36号提案\n关于扩大对港澳招商的建议\n提案人：周琳\n"
    text += "建议组织赴港推介。"
    m = meta(text)
    assert (m.kind, m.number, m.title) == ("提案", "36", "关于扩大对港澳招商的建议")


def test_headline_naming_a_member_gives_the_topic_after_the_colon() -> None:
    text = "发布时间：2024-02-01\n州人大代表张丽：让园区配套跟上招商步伐\n张丽建议完善园区配套。"
    m = meta(text)
    assert m.title == "让园区配套跟上招商步伐" and m.proposer == "张丽" and m.role == "代表"


def test_pinyin_copied_from_a_page_is_dropped() -> None:
    assert normalize_text("政协(xié)会议(yì)") == "政协会议"


@pytest.mark.parametrize(
    "line",
    [
        "当前位置：首页 > 新闻",
        "发布时间：2024-01-01",
        "2024-01-01 10:00",
        "楚雄融媒",
        "责任编辑：王敏",
    ],
)
def test_page_chrome_lines(line: str) -> None:
    assert is_chrome(line)


def test_a_title_line_is_not_chrome() -> None:
    assert not is_chrome("关于加快园区建设的提案")


def test_session_keeps_its_place_word_only() -> None:
    assert extract_session("在出席州十二届人大三次会议时") == "州十二届人大三次会议"
    assert extract_session("十四届全国人大一次会议第8号建议") == "十四届全国人大一次会议"


def test_proposer_label() -> None:
    assert proposer_label("陈华", "代表", 3) == "陈华（代表，等3名）"
    assert (
        proposer_label("民盟楚雄州委会", "党派", None, "民盟楚雄州委会")
        == "民盟楚雄州委会（党派）"
    )
    assert proposer_label(None, None) == ""
