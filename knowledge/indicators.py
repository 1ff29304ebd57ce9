"""Indicators: every quantitative statement, named by the thing measured.

A name is built from the clause itself: the subject noun phrase before the figure plus the
measure word ("州外到位资金增长"), or the counted noun after it ("举办3场网络招商推介会").
A clause without its own subject inherits one: comparisons and progress ("高于全年目标…",
"完成全年目标进度…") attach to the last figure's subject, and a clause that starts with a
place or 赴 ("省内会见客商50次") keeps the actor of the clause before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.figures import (
    PEOPLE_UNITS,
    PHYSICAL_UNITS,
    Figure,
    clauses,
    figures_in,
    period_in,
    sentences,
    target_in,
)
from knowledge.identity import GAZETTEER, leading_place
from knowledge.lists import list_figures
from knowledge.naming import (
    COMPARE_RE,
    DEPENDENT_NAME_RE,
    LEAD_CUT_RE,
    LOCATIVE_RE,
    MEASURE_END_RE,
    MID_VERB_RE,
    PEOPLE_VERB_RE,
    PROGRESS_OF_TARGET_RE,
    PROGRESS_RE,
    PROJECT_MONEY_RE,
    SCOPE_RE,
    TRAIL_RE,
    VERB_END_RE,
    YEAR_ONLY_RE,
    after_enumeration,
    clean_name,
    cut_verb,
    modifier_before_de,
    post_phrase,
    qualifier_of,
    strip_clause,
    tail_noun,
)
from knowledge.records import Indicator, Section
from knowledge.tables import is_table_row, table_indicators
from scope.labels import number_label
from scope.places import SCOPE_WORDS


@dataclass
class _State:
    """What a paragraph has said so far: its period, subject and last main figure."""

    period: str | None = None
    topic: str = ""
    main: Indicator | None = None
    last: Indicator | None = None
    actor: str = ""
    sentence_topic: str = ""
    place: str | None = None  # the sentence's own place or scope word (全县), if it names one
    classes: bool = False  # the sentence counts several classes of projects, each with money
    sector: str = ""  # "全州绿色食品产业新引进项目58个，…": the industry every figure is about


_CLASS_COUNT = re.compile(r"([\u4e00-\u9fff]{1,12}?项目)(?:共计|共|达)?\d+个")
_CLASS_MONEY = re.compile(
    r"(?:到位资金|协议资金|协议引资|合同引资额?|合同资金|协议投资额?|引资资金)\d"
)


def _counts_classes(sentence: str) -> bool:
    """"一产项目25个，合同引资额10.9亿元，二产项目117个，合同引资额147.9亿元…": several classes of
    projects, each followed by its own money. "其中续建项目85个、新建项目54个，累计到位资金162亿元"
    gives money once, after the last class: it is the whole's."""
    counts = list(_CLASS_COUNT.finditer(sentence))
    if len(counts) < 2:
        return False
    ends = [m.start() for m in counts[1:]] + [len(sentence)]
    classes = set()
    for here, end in zip(counts, ends, strict=True):
        segment = sentence[here.end() : end]
        if _CLASS_MONEY.search(segment):
            classes.add(here.group(1))
    return len(classes) >= 2


# A sentence that opens (after its period and scope word) with an industry speaks for it.
_SECTOR_LEAD = re.compile(
    r"^(?:\d{4}年|今年|上半年|\d{1,2}-\d{1,2}月|一季度|前三季度)?[，,]?"
    r"(?:全[省州市县区]|我[省州市县区])([\u4e00-\u9fff]{2,8}产业)(?!链|园|结构|项目占比)"
)
CAPITAL_RE = re.compile(r"资金|资本|投资|外资")
COMPARED_YEAR_RE = re.compile(r"(?:比|较|与|同)(?:\d{4}年|去年|上年)(?:同期)?(?:相比)?")


def section_indicators(section: Section, inherited_period: str | None) -> list[Indicator]:
    """Return the indicators of one section's own text."""
    found: list[Indicator] = []
    table: list[str] = []
    for paragraph in [*section.text.split("\n"), ""]:
        if is_table_row(paragraph):
            table.append(paragraph)
            continue
        if table:
            found.extend(table_indicators(table, section.id, inherited_period))
            table = []
        state = _State(period=inherited_period)
        for sentence in sentences(paragraph):
            state.actor = ""
            state.sentence_topic = ""
            state.place = None
            state.classes = _counts_classes(sentence)
            sector = _SECTOR_LEAD.match(sentence)
            state.sector = sector.group(1) if sector else ""
            listed = list_figures(sentence, section.id, state.period)
            found.extend(listed.indicators)
            for clause in clauses(listed.rest):
                found.extend(_clause(clause, sentence, section.id, state))
    return found


def _clause(clause: str, quote: str, sid: str, state: _State) -> list[Indicator]:
    figures = figures_in(clause)
    head = clause[: figures[0].start] if figures else clause
    # "较2021年减少30个工作日": a comparison base, not the period the figure is for.
    head = COMPARED_YEAR_RE.sub("", head)
    period = period_in(head)
    if period is None and figures:
        year = re.search(r"\d{4}年(?!度)", head)
        period = year.group(0) if year else None
    if period is None and not figures and YEAR_ONLY_RE.fullmatch(clause.strip()):
        period = clause.strip()  # "2022年，全州…": the year the figures belong to
    if period:
        state.period = period
    place = leading_place(head)
    if place:
        state.place = place
    out: list[Indicator] = []
    cursor = 0
    for figure in figures:
        pre = clause[cursor : figure.start]
        post = clause[figure.end :]
        indicator = _indicator(pre, post, figure, clause, quote, sid, state)
        if indicator is not None:
            out.append(indicator)
            state.last = indicator
            cursor = figure.end
    rank = _rank(clause, quote, sid, state)
    if rank is not None:
        out.append(rank)
    return out


_RANK_RE = re.compile(
    r"(?P<what>[\u4e00-\u9fff]{0,6}?)(?:位居|居于|排名|位列|排位|居|排|列)"
    r"(?P<scope>全国|全省|全州|全市|全县|全区|同类)?第(?P<n>[一二三四五六七八九十]{1,3}|\d{1,3})(?:位|名)?"
)
_CN_RANK = {c: n for n, c in enumerate("零一二三四五六七八九十")}


def _rank(clause: str, quote: str, sid: str, state: _State) -> Indicator | None:
    """"进度居全省第二位": the rank of the figure the sentence is about, as its own figure."""
    match = _RANK_RE.search(clause)
    if match is None or state.main is None:
        return None
    n = match.group("n")
    if n.isdigit():
        value = int(n)
    elif n.startswith("十"):
        value = 10 + _CN_RANK.get(n[1:], 0) if len(n) > 1 else 10
    else:
        tens, _, ones = n.partition("十")
        value = _CN_RANK[tens] * 10 + _CN_RANK.get(ones, 0) if "十" in n else _CN_RANK[n]
    what = match.group("what").strip("，,、")
    name = f"{state.main.name}{what}{match.group('scope') or ''}排名"
    return Indicator(
        name=name, value=value, unit="位", period=state.period, section=sid, quote=quote,
        qualifier=qualifier_of(name), place=state.place, kind="rank",
    )


def _indicator(
    pre: str, post: str, figure: Figure, clause: str, quote: str, sid: str, state: _State
) -> Indicator | None:
    core = strip_clause(pre)
    if core in ("增", "增幅") and figure.unit == "%":
        core = "同比增长"  # "市外到位资金增15.65%": a growth rate without 同比
    target = target_in(clause)
    kind = "compare" if COMPARE_RE.match(core) else "progress" if PROGRESS_RE.match(core) else ""
    if kind and (state.main or state.topic):
        name = _inherited_name(core, kind, state)
    else:
        name = _own_name(core, pre, post, figure, state)
        kind = ""
    name = _without_place(clean_name(name), state.place)
    if state.sector and state.sector not in name:
        name = state.sector + name.removeprefix("新")
    if len(name) < 2:
        return None
    indicator = Indicator(
        name=name,
        value=figure.value,
        unit=figure.unit,
        period=state.period,
        section=sid,
        quote=quote,
        qualifier=qualifier_of(name),
        place=state.place,
    )
    _attach(indicator, kind, core, target, state)
    return indicator


def _without_place(name: str, place: str | None) -> str:
    """"楚雄市州外到位资金" is 州外到位资金 about 楚雄市: the place is kept apart from the name."""
    if not place or place in SCOPE_WORDS:
        return name
    mention = GAZETTEER.find(name[:12])
    if mention and mention[0].start == 0 and mention[0].place.name == place:
        rest = clean_name(strip_clause(name[mention[0].end :]))
        return rest if len(rest) >= 2 else name
    return name


def _inherited_name(core: str, kind: str, state: _State) -> str:
    core = re.sub(r"(高于|低于|超过|超出)(?:全年|年度)?目标(?:任务)?", r"\1目标", core)
    core = re.sub(r"[（(][^）)]*[）)]", "", core)
    base = _compared(core, state)
    if kind == "compare" and base is not None:
        return base.name + core
    # "完成全年目标任务45亿元的": the target's amount is a figure of its own, not the name.
    core = re.sub(r"\d+(?:\.\d+)?(?:亿元|万元|万美元|个|项|%)", "", core)
    return (state.topic or (state.main.name if state.main else "")) + core


def _compared(
    core: str, state: _State, target: tuple[str, float] | None = None
) -> Indicator | None:
    """What a comparison refers to: a rate is compared with a rate target, else the main figure.

    "完成全年目标560亿元的104.7%" names an amount target: it belongs to the amount, not to the
    growth rate said just before it.
    """
    last = state.last
    amount_target = target is not None and not target[0].endswith("%")
    if "目标" in core and last is not None and last.unit == "%" and last is not state.main:
        return state.main if amount_target else last
    return state.main


def _own_name(core: str, pre: str, post: str, figure: Figure, state: _State) -> str:
    post_np = post_phrase(post)
    total = re.search(r"累计|合计|总计|共计", pre)
    if not core and not post_np and total and state.topic and state.main is not None:
        return state.topic.removeprefix("新增").removeprefix("新") + "累计"
    if figure.unit in PEOPLE_UNITS:
        verb = PEOPLE_VERB_RE.match(post)
        if verb and core:
            return f"{tail_noun(core)}{verb.group(1)}人数"
    # "省内会见客商50次" keeps its actor; "省外到位资金…" is a figure's own name, not an act.
    if LOCATIVE_RE.match(core) and state.actor and not CAPITAL_RE.search(core):
        name = state.actor + core
    elif post_np and (not core or VERB_END_RE.search(core) or "、" in core):
        listed = after_enumeration(core) or modifier_before_de(core)
        lead = LEAD_CUT_RE.match(SCOPE_RE.sub("", pre.strip(" 、，,")))
        verb = lead.group(1) if lead and not listed and len(post_np) <= 3 else ""
        name = verb + listed + post_np
    elif post_np and figure.unit.lstrip("万亿") in PHYSICAL_UNITS:
        name = tail_noun(core) + post_np
    else:
        core = core.rsplit("等", 1)[1] if "等" in core[1:] else core
        name = strip_clause(cut_verb(TRAIL_RE.sub("", core)))
    name = MID_VERB_RE.sub(r"\1", name)  # "园区实现工业增加值" -> "园区工业增加值"
    topic = state.sentence_topic or ""
    dependent = DEPENDENT_NAME_RE.match(clean_name(name)) and topic
    if dependent or (
        state.classes and PROJECT_MONEY_RE.match(clean_name(name)) and topic.endswith("项目")
    ):
        # What follows ("占全部投资的73.97%", "同比增长9%") is about this amount, not the count.
        state.topic = topic + clean_name(name)
        return state.topic
    _remember(clean_name(name), state)
    return name


def _remember(name: str, state: _State) -> None:
    located = LOCATIVE_RE.search(name)
    if located and located.start() > 0:
        state.actor = name[: located.start()]
    state.topic = MEASURE_END_RE.sub("", name) or name
    state.sentence_topic = state.topic


def _attach(
    indicator: Indicator, kind: str, core: str, target: tuple[str, float] | None, state: _State
) -> None:
    figure_text = f"{number_label(indicator.value)}{indicator.unit}"
    main = _compared(core, state, target)
    if kind == "compare" and "目标" in core:
        gap = f"{re.sub(r'[（(][^）)]*[）)]', '', core)}{figure_text}"
        gap = re.sub(r"(高于|低于|超过|超出)(?:全年|年度)?目标", r"\1目标", gap)
        indicator.gap = gap
        if target:
            indicator.target, indicator.target_value = target
        if main is not None and main.gap is None:
            main.gap = gap
            if target and main.target is None:
                main.target, main.target_value = target
        return
    if kind == "progress" and PROGRESS_OF_TARGET_RE.search(core):
        indicator.progress = f"{core}{figure_text}"
        if target and indicator.target is None:
            indicator.target, indicator.target_value = target
        if main is not None and main.progress is None:
            main.progress = indicator.progress
            if target and main.target is None:
                main.target, main.target_value = target  # "完成X，占目标Y的Z%": both sides
        return
    if not kind:
        if target:
            indicator.target, indicator.target_value = target
        state.main = indicator
