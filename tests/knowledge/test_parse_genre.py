"""The whole parser on documents of the genre that are not the shipped source."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.parse import parse_text
from tests.conftest import SOURCE_DOC
from tests.knowledge.conftest import BUREAU_SUMMARY, COUNTY_REPLY, PREFECTURE_REPLY

FUZZ_ALPHABET = (
    "一二三四五、，。；：“”《》（）()0123456789.%个项亿元万人次家是要年月日县公司等其中增长目标\n "
)


def test_county_reply_metadata() -> None:
    doc = parse_text(COUNTY_REPLY)
    assert doc.number == "禄商复〔2022〕第12号"
    assert doc.issuer == "禄丰县商务局"
    assert doc.title == "关于县十八届人大二次会议第35号建议的答复"
    assert doc.addressee == "李明代表"
    assert doc.date == dt.date(2022, 10, 18)
    assert (doc.contact, doc.contact_phone) == ("王芳", "0878-4123456")
    assert doc.cc == ["县人大常委会人代工委", "县政府督查室"]
    assert doc.classification == ["B类", "依申请公开"]
    assert doc.doc_type == "reply"
    assert doc.proposal is not None and doc.proposal.number == "35"
    assert doc.proposal.kind == "建议"
    assert doc.proposal.title == "关于加快县域商贸流通体系建设的建议"


def test_county_reply_sections_and_items() -> None:
    doc = parse_text(COUNTY_REPLY)
    ids = [s.id for s in doc.sections]
    assert ids[:3] == ["引言", "一", "二"]
    assert "二1（2）" in ids and "三2" in ids
    kinds = [(i.kind, i.section) for i in doc.items]
    assert ("measure", "二1") in kinds and ("measure", "二2") in kinds
    assert ("action", "三1") in kinds and ("action", "三2") in kinds
    plan = next(i for i in doc.items if i.section == "三2")
    assert plan.points == ["建设村级服务站", "培训电商人才500人次"]
    assert not any("联系人" in s.text for s in doc.sections)  # the footer is not body


def test_county_reply_indicators() -> None:
    doc = parse_text(COUNTY_REPLY)
    by = {i.name: i for i in doc.indicators}
    total = by["社会消费品零售总额"]
    assert (total.value, total.unit, total.period, total.section) == (
        45.6,
        "亿元",
        "2022年1-9月",
        "一",
    )
    growth = by["社会消费品零售总额同比增长"]
    assert (growth.value, growth.target, growth.gap) == (8.2, "10%", "低于目标1.8个百分点")
    assert by["农村消费品零售额同比增长"].value == 11.5
    assert by["新建乡镇商贸中心"].section == "二1（1）"
    assert by["引进企业"].value == 4
    assert by["限上企业累计"].value == 126
    assert by["新建冷库"].period == "2023年"


def test_county_reply_entities() -> None:
    doc = parse_text(COUNTY_REPLY)
    names = {e.name: e.type for e in doc.entities}
    assert names["永辉超市"] == "org"
    assert names["云南建投物流有限公司"] == "org"
    assert names["金秋购物节"] == "programme"
    assert names["王芳"] == "person"
    assert doc.cited_documents == ["禄丰县促进消费十条措施"]


def test_work_summary_without_addressee() -> None:
    doc = parse_text(BUREAU_SUMMARY)
    assert doc.number == "大商发〔2023〕7号"
    assert doc.issuer == "大理州商务局"
    assert doc.title == "大理州商务局2023年上半年工作总结"
    assert doc.doc_type == "summary"
    assert doc.date == dt.date(2023, 7, 10)
    by = {i.name: i for i in doc.indicators}
    assert by["实际利用外资"].value == 1200 and by["实际利用外资"].period == "1-6月"
    assert by["实际利用外资同比增长"].value == 15.3
    assert by["签约项目"].value == 32
    kinds = {(i.kind, i.section) for i in doc.items}
    assert {("measure", "二（一）"), ("measure", "二（二）"), ("action", "三（一）")} <= kinds


def test_unstructured_text_is_kept_as_paragraphs_with_a_warning() -> None:
    doc = parse_text("今年以来招商工作进展顺利。\n\n全县新增企业12家。")
    assert doc.warnings
    assert [s.id for s in doc.sections] == ["第1段", "第2段"]
    assert doc.indicators[0].section == "第2段"


def test_prefecture_reply_letter_with_closing_formula() -> None:
    doc = parse_text(PREFECTURE_REPLY)
    assert doc.number == "红发改函〔2023〕45号"
    assert doc.issuer == "红河州发展和改革委员会"
    assert doc.proposal is not None and doc.proposal.number == "0128"
    assert doc.proposal.session == "州政协十二届二次会议"
    assert (doc.contact, doc.contact_phone) == ("赵磊", "0873-3051234")
    assert doc.cc == ["州政协提案委员会", "州人民政府督查室"]
    assert not any("特此函复" in s.text for s in doc.sections)
    by = {i.name: i for i in doc.indicators}
    assert by["园区规模以上工业增加值"].period == "2022年"
    assert by["园区规模以上工业增加值同比增长"].value == 10.5
    assert by["省级以上园区"].value == 13
    assert by["项目审批时间"].unit == "个工作日"
    assert by["园区营业收入"].period == "2023年"
    kinds = {(i.kind, i.section) for i in doc.items}
    assert ("measure", "二（二）") in kinds and ("action", "四（一）") in kinds
    assert not any(i.section == "三" for i in doc.items)  # 存在问题 is neither


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(FUZZ_ALPHABET)), max_size=300))
def test_parser_never_fails_and_quotes_come_from_the_text(text: str) -> None:
    doc = parse_text(text)
    for indicator in doc.indicators:
        assert indicator.quote and indicator.quote in doc.text
        assert indicator.name


PLAN = """楚雄州投资促进局2024年招商引资工作计划

一、指导思想

以招商引资高质量发展为主线。

二、主要目标

全年实现招商引资到位资金300亿元以上，同比增长10%；新签约项目120个，总投资850亿元。

三、重点任务

（一）聚焦绿色能源招商。一是引进光伏组件企业5家；二是推进储能项目落地。

（二）优化营商环境。

四、保障措施

加强组织领导，严格考核奖惩。
"""


def test_work_plan_targets_and_actions() -> None:
    doc = parse_text(PLAN)
    assert doc.doc_type == "plan"
    assert doc.issuer == "楚雄州投资促进局"
    by = {i.name: i for i in doc.indicators}
    assert by["招商引资到位资金"].value == 300
    assert by["招商引资到位资金同比增长"].value == 10
    assert by["新签约项目总投资"].value == 850  # a dependent name keeps its subject
    items = {(i.kind, i.section) for i in doc.items}
    assert items == {("action", "三（一）"), ("action", "三（二）"), ("action", "四")}


def _hard_wrap(text: str, width: int) -> str:
    """Imitate PDF extraction: every line cut at `width`, page numbers between pages."""
    lines = []
    for paragraph in text.split("\n"):
        lines.extend(paragraph[i : i + width] for i in range(0, len(paragraph), width))
    out = []
    for n, line in enumerate(lines, start=1):
        out.append(line)
        if n % 25 == 0:
            out.append(f"- {n // 25} -")
    return "\n".join(out)


@pytest.mark.parametrize("width", [22, 28, 34])
@pytest.mark.parametrize("name", ["source", "prefecture"])
def test_pdf_like_wrapping_changes_nothing(name: str, width: int) -> None:
    text = SOURCE_DOC.read_text(encoding="utf-8") if name == "source" else PREFECTURE_REPLY
    plain, wrapped = parse_text(text), parse_text(_hard_wrap(text, width))
    assert [s.id for s in wrapped.sections] == [s.id for s in plain.sections]
    key = lambda doc: [(i.name, i.value, i.unit, i.section) for i in doc.indicators]  # noqa: E731
    assert key(wrapped) == key(plain)
    assert (wrapped.number, wrapped.date, wrapped.contact) == (
        plain.number,
        plain.date,
        plain.contact,
    )
