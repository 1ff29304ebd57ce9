"""Items: measures (work done) and planned actions (下步工作), one per section below the heading
that announces them, with 一是/二是 or numbered sub-sections as points."""

from __future__ import annotations

import re

from knowledge.records import Item, ItemKind, Section

ACTION_RE = re.compile(
    r"下步|下一步|今后|打算|下阶段|下一阶段|明年|工作计划|工作思路|工作安排|努力方向|展望|"
    r"重点任务|主要任务|工作任务|保障措施"
)
# Parts of a plan that state aims, not actions.
PLAN_PREAMBLE_RE = re.compile(r"指导思想|总体要求|基本原则|目标|总体思路|背景|基本情况|存在")
MEASURE_RE = re.compile(
    r"工作开展情况|开展情况|主要做法|做法|工作措施|主要措施|采取的措施|具体措施|工作举措|主要工作|"
    r"办理情况|落实情况|推进情况|工作情况|开展的工作|措施|举措"
)


NOT_WORK_RE = re.compile(
    r"成效|成绩|基本情况|总体情况|存在的?问题|困难和问题|主要指标|背景|指导思想"
)


def kind_of_title(title: str) -> ItemKind | None:
    """Return the item kind a heading announces, if any."""
    if ACTION_RE.search(title):
        return "action"
    if MEASURE_RE.search(title):
        return "measure"
    if "重点工作" in title or "工作重点" in title:
        return "action"
    return None


def extract_items(sections: list[Section], doc_type: str) -> list[Item]:
    """Return one item per section directly below a measures/actions heading."""
    children: dict[str | None, list[Section]] = {}
    for section in sections:
        children.setdefault(section.parent_id, []).append(section)
    items: list[Item] = []
    for section in sections:
        kind = kind_of_title(section.title)
        plan_part = doc_type == "plan" and section.parent_id is None
        if kind is None and plan_part and not PLAN_PREAMBLE_RE.search(section.title):
            kind = "action"
        if kind is None or _inside_kind(section, sections):
            continue
        below = children.get(section.id, [])
        if section.text or not below:
            items.append(_item(kind, section, {}))  # its own text (and points) as one item
        items.extend(_item(kind, child, children) for child in below)
    if items:
        return items
    return _fallback_items(sections, children, "action" if doc_type == "plan" else "measure")


def _fallback_items(
    sections: list[Section], children: dict[str | None, list[Section]], kind: ItemKind
) -> list[Item]:
    """A reply without 做法/下步 headings ("一、关于资金问题…") still reports work done."""
    leaves = [
        s
        for s in sections
        if s.id not in children
        and s.level > 0
        and s.title
        and not NOT_WORK_RE.search(s.title)
        and s.text
        and not s.id.startswith(("引言", "第"))
    ]
    return [_item(kind, section, {}) for section in leaves]


def _inside_kind(section: Section, sections: list[Section]) -> bool:
    """True when an ancestor already announces a kind (its children are the items)."""
    by_id = {s.id: s for s in sections}
    parent = by_id.get(section.parent_id) if section.parent_id else None
    while parent is not None:
        if kind_of_title(parent.title):
            return True
        parent = by_id.get(parent.parent_id) if parent.parent_id else None
    return False


def _item(kind: ItemKind, section: Section, children: dict[str | None, list[Section]]) -> Item:
    """One item; numbered sub-sections below it become its points."""
    points = list(section.points)
    for child in _descendants(section.id, children):
        if child.text.startswith(child.title):
            points.append(child.text)
        else:
            points.append(f"{child.title}{'：' + child.text if child.text else ''}")
    return Item(
        kind=kind, section=section.id, title=section.title, text=section.text, points=points
    )


def _descendants(sid: str, children: dict[str | None, list[Section]]) -> list[Section]:
    out: list[Section] = []
    for child in children.get(sid, []):
        out.append(child)
        out.extend(_descendants(child.id, children))
    return out
