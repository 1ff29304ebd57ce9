from __future__ import annotations

from knowledge.items import extract_items, kind_of_title
from knowledge.records import Section


def test_kind_of_title() -> None:
    assert kind_of_title("主要工作开展情况") == "measure"
    assert kind_of_title("主要做法") == "measure"
    assert kind_of_title("下步重点工作") == "action"
    assert kind_of_title("下一步工作打算") == "action"
    assert kind_of_title("今后工作措施") == "action"
    assert kind_of_title("上半年工作成效") is None


def test_children_of_a_measures_heading_become_items_with_points() -> None:
    sections = [
        Section(id="一", title="工作成效", text="增长5%。"),
        Section(id="二", title="主要做法"),
        Section(
            id="二（一）",
            parent_id="二",
            level=2,
            title="强化招商",
            text="一是开展招商。二是举办推介。",
            points=["开展招商", "举办推介"],
        ),
        Section(id="三", title="下步打算"),
        Section(id="三（一）", parent_id="三", level=2, title="抓落实", text="确保落地。"),
    ]
    items = extract_items(sections, "summary")
    assert [(i.kind, i.section, i.title) for i in items] == [
        ("measure", "二（一）", "强化招商"),
        ("action", "三（一）", "抓落实"),
    ]
    assert items[0].points == ["开展招商", "举办推介"]


def test_numbered_subsections_fold_into_points() -> None:
    sections = [
        Section(id="二", title="办理情况"),
        Section(id="二1", parent_id="二", level=3, title="完善网络"),
        Section(id="二1（1）", parent_id="二1", level=4, title="新建中心", text="新建中心6个。"),
        Section(id="二1（2）", parent_id="二1", level=4, title="改造市场", text="改造市场3个。"),
    ]
    items = extract_items(sections, "reply")
    assert len(items) == 1
    assert items[0].section == "二1"
    assert items[0].points == ["新建中心6个。", "改造市场3个。"]


def test_leaf_heading_with_own_text_is_one_item() -> None:
    items = extract_items(
        [Section(id="三", title="下一步工作打算", text="加快项目落地。")], "reply"
    )
    assert [(i.kind, i.section) for i in items] == [("action", "三")]


def test_reply_answering_each_ask_keeps_its_answers_as_measures() -> None:
    sections = [
        Section(id="一", title="基本情况", text="全县新增企业5家。"),
        Section(id="二", title="关于融资难的问题", text="协调银行发放贷款。"),
        Section(id="三", title="关于用地保障", text="优先保障重点项目用地。"),
    ]
    items = extract_items(sections, "reply")
    assert [(i.kind, i.section) for i in items] == [("measure", "二"), ("measure", "三")]
