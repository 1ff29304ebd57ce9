from __future__ import annotations

from knowledge.sections import build_sections, heading_of, split_title


def test_heading_levels() -> None:
    assert heading_of("一、上半年工作成效") == (1, "一", "上半年工作成效")
    assert heading_of("（三）产业链招商") == (2, "三", "产业链招商")
    assert heading_of("(二)优化服务") == (2, "二", "优化服务")
    assert heading_of("1.完善流通网络") == (3, "1", "完善流通网络")
    assert heading_of("（2）引进企业") == (4, "2", "引进企业")
    assert heading_of("1.5亿元投资到位") is None
    assert heading_of("近年来，我局") is None


def test_section_ids_nest_like_the_genre() -> None:
    paragraphs = [
        "引言段落。",
        "一、工作成效",
        "增长5%。",
        "二、主要做法",
        "（一）强化招商",
        "正文。",
        "（二）优化服务",
        "1.简化流程",
        "（1）一窗受理。",
        "三、下步打算",
        "（一）抓落实。",
    ]
    sections, preamble = build_sections(paragraphs)
    ids = [s.id for s in sections]
    assert preamble == ["引言段落。"]
    assert ids == [
        "一",
        "二",
        "二（一）",
        "二（二）",
        "二（二）1",
        "二（二）1（1）",
        "三",
        "三（一）",
    ]
    by_id = {s.id: s for s in sections}
    assert by_id["二（二）1"].parent_id == "二（二）"
    assert by_id["一"].text == "增长5%。"
    assert by_id["三（一）"].title == "抓落实"


def test_title_and_body_on_one_line() -> None:
    assert split_title("完善体制机制，为招商提供保障。一是建立制度。") == (
        "完善体制机制，为招商提供保障",
        "一是建立制度。",
    )
    assert split_title("优化环境，明确职责") == ("优化环境，明确职责", "")


def test_content_line_keeps_its_figures_as_text() -> None:
    title, text = split_title("新建商贸中心6个，改造市场3个。")
    assert title == "新建商贸中心6个"
    assert text == "新建商贸中心6个，改造市场3个。"


def test_quarter_range_is_not_a_heading() -> None:
    sections, preamble = build_sections(["一、二季度全县招商形势良好。"])
    assert sections == [] and preamble == ["一、二季度全县招商形势良好。"]


def test_heading_colon_is_not_part_of_the_title() -> None:
    sections, _ = build_sections(["（一）主要做法：", "加强招商。"])
    assert sections[0].title == "主要做法"
