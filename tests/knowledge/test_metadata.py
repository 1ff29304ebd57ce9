from __future__ import annotations

import datetime as dt

import pytest

from knowledge import metadata as meta


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("州投促字〔2021〕3号", "州投促字〔2021〕3号"),
        ("禄商复〔2022〕第12号", "禄商复〔2022〕第12号"),
        ("云政办发〔2020〕105号", "云政办发〔2020〕105号"),
    ],
)
def test_number_any_issuer_prefix(line: str, number: str) -> None:
    assert meta.find_number([line], line) == number


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2021年8月20日", dt.date(2021, 8, 20)),
        ("二〇二一年八月二十日", dt.date(2021, 8, 20)),
        ("二〇二二年十月十八日", dt.date(2022, 10, 18)),
        ("2023-07-05", dt.date(2023, 7, 5)),
        ("2023.7.5", dt.date(2023, 7, 5)),
        ("二○二三年十二月三十一日", dt.date(2023, 12, 31)),
    ],
)
def test_chinese_and_numeric_dates(text: str, date: dt.date) -> None:
    assert meta.parse_date(text) == date


def test_bad_date_gives_none() -> None:
    assert meta.parse_date("2021年13月40日") is None


def test_layout_and_header_fields() -> None:
    lines = [
        "A类",
        "公开",
        "某某县投资促进局文件",
        "县投促函〔2022〕8号",
        "对县政协九届二次会议第5号提案的答复",
        "民盟某某县支部：",
        "您委《关于优化营商环境的提案》已交我局办理，现答复如下：",
        "一、工作成效",
        "增长5%。",
        "某某县投资促进局",
        "2022年6月1日",
        "联系人：张三，电话：0878-1234567",
        "抄送：县政府办公室、县政协提案委",
        "某某县投资促进局办公室",
        "2022年6月1日印发",
    ]
    layout = meta.split_layout(lines)
    assert layout.header[-1] == "民盟某某县支部："
    assert layout.body[-1] == "增长5%。"
    assert meta.find_issuer(layout.header, layout.footer, None) == "某某县投资促进局"
    assert meta.find_title(layout.header) == "对县政协九届二次会议第5号提案的答复"
    assert meta.find_addressee(layout.header) == "民盟某某县支部"
    assert meta.find_date(layout.footer, layout.header) == dt.date(2022, 6, 1)
    assert meta.find_contact(layout.footer) == ("张三", "0878-1234567")
    assert meta.find_cc(layout.footer) == ["县政府办公室", "县政协提案委"]
    assert meta.find_classification(layout.header, layout.footer) == ["A类", "公开"]


def test_issuer_from_signature_when_no_header() -> None:
    assert meta.find_issuer(["工作总结"], ["某某市发展和改革委员会", "2021年1月1日"], None) == (
        "某某市发展和改革委员会"
    )


def test_classification_lines_with_labels() -> None:
    assert meta.find_classification(["公开方式：依申请公开"], []) == ["依申请公开"]
    assert meta.find_classification(["不予公开"], []) == ["不予公开"]


def test_contact_in_brackets_and_plain() -> None:
    assert meta.find_contact(["（联系人：王芳，联系电话：0878-4123456）"]) == (
        "王芳",
        "0878-4123456",
    )
    assert meta.find_contact(["联系人：雷虹 13987829669"]) == ("雷虹", "13987829669")


def test_proposal_reference_from_title_and_intro() -> None:
    ref = meta.find_proposal(
        "关于县十八届人大二次会议第35号建议的答复",
        ["您提出的《关于加快商贸流通的建议》收悉，现答复如下："],
        "李明代表",
    )
    assert ref is not None
    assert (ref.number, ref.kind, ref.session) == ("35", "建议", "县十八届人大二次会议")
    assert ref.title == "关于加快商贸流通的建议"
    assert ref.proposer == "李明代表"


def test_no_proposal_for_a_summary() -> None:
    assert meta.find_proposal("2023年上半年工作总结", [], None) is None


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("对第084号提案的答复", "reply"),
        ("2023年上半年工作总结", "summary"),
        ("2024年招商引资工作计划", "plan"),
        ("通知", "other"),
    ],
)
def test_doc_type(title: str, kind: str) -> None:
    assert meta.doc_type(title) == kind


def test_heading_with_colon_is_not_an_addressee() -> None:
    layout = meta.split_layout(["某某县2023年工作总结", "一、主要指标：", "增长5%。"])
    assert layout.body[0] == "一、主要指标："
    assert meta.find_addressee(layout.header) is None


def test_classification_from_this_document_note() -> None:
    assert meta.find_classification([], ["（此件公开发布）"]) == ["公开发布"]


def test_proposal_title_without_book_marks_and_reply_by_letter() -> None:
    ref = meta.find_proposal(
        "关于市政协十四届一次会议第C0034号提案办理情况的函",
        ["您提出的关于加快冷链物流发展的提案收悉，现将办理情况函复如下："],
        "张委员",
    )
    assert ref is not None and ref.number == "C0034"
    assert ref.title == "关于加快冷链物流发展的提案"
    assert meta.doc_type("关于市政协十四届一次会议第C0034号提案办理情况的函") == "reply"


def test_attachment_list_is_not_body() -> None:
    lines = [
        "某某县2023年工作总结",
        "一、成效",
        "增长5%。",
        "二、做法",
        "加强招商。",
        "三、打算",
        "抓落实。",
        "附件：1.项目清单",
        "2.资金明细",
        "某某县商务局",
        "2023年7月1日",
    ]
    layout = meta.split_layout(lines)
    assert layout.body[-1] == "抓落实。"
    assert layout.footer[0] == "附件：1.项目清单"
