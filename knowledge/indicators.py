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
    format_value,
    period_in,
    sentences,
    target_in,
)
from knowledge.records import Indicator, Section
from knowledge.tables import is_table_row, table_indicators

SCOPE_RE = re.compile(
    r"^(?:其中|另外|此外|同时|目前|截至目前|截止目前|今年以来|年初以来|全州|全省|全市|全县|全区|"
    r"全国|我州|我省|我市|我县|我区|我局|本局|全局)+"
)
LEAD_VERB_RE = re.compile(
    r"^(?:共|累计|合计|总计|共计|已|已经|新(?![增建签引])|先后|相继|成功|全面|引进了?|实施了?|"
    r"力争|争取|计划|预计|确保|拟|将|[一二三四五六七八九十]+[是要]|首先|其次|最后|共有|有|"
    r"完成(?![^，]*(?:目标|进度|任务))|实现(?![^，]*(?:目标|进度)))+"
)
TRAIL_RE = re.compile(
    r"(?:共计|累计|合计|总计|达到|共有|达|为|是|共|计|仅|约|近|超|超过|逾|突破|了|已|有|分别|"
    r"完成|实现|压缩至|压缩到|缩短至|缩短到|降至|降到|降低到|提高到|提高至|提升至|提升到|控制在|"
    r"保持在|增至|增加到|达至)+$"
)
CUT_VERBS = (
    "征集",
    "引进",
    "引入",
    "实施",
    "举办",
    "组织",
    "召开",
    "开展",
    "邀请",
    "接待",
    "走访",
    "拜访",
    "整理",
    "梳理",
    "储备",
    "谋划",
    "包装",
    "策划",
    "编制",
    "制定",
    "出台",
    "建成",
    "签订",
    "帮助",
    "服务",
    "培育",
    "认定",
    "确定",
    "推出",
    "发布",
    "审批",
    "办理",
)
LEAD_CUT_RE = re.compile(rf"^(?:共|累计|新)?({'|'.join(CUT_VERBS)})")
VERB_END_RE = re.compile(rf"(?:{'|'.join(CUT_VERBS)}|等|的|了|与|和|对|向|为|在|以|从|其中)$")
COMPARE_RE = re.compile(r"^(?:高于|低于|超过|超出|少于|多于|比|较|同比|环比|增幅|增速)")
PROGRESS_RE = re.compile(r"^(?:完成|提前|滞后|落后|占|增长|下降|增加|减少|实现)")
LOCATIVE_RE = re.compile(r"(?:省外|省内|州外|州内|县外|县内|市外|市内|境外|境内|国外|国内|赴)")
MEASURE_END_RE = re.compile(
    r"(?:同比增长|同比下降|增长率|增速|增幅|增长|下降|增加|减少|占比|比重|总额|总量|规模|完成)$"
)
POST_CUT_RE = re.compile(
    r"[，,、。；;：:（(]|的|纳入|参与|参加|在线|相继|正在|已经|已|将|均|全部|分别|进行|通过|为|用于|"
    r"入驻|落户|投产|获得|达到"
)
HEAD_NOUN_RE = re.compile(r"(?:项目|企业|公司|集团|会|活动|单位|客商|园区|基地|平台|商会)$")
PEOPLE_VERB_RE = re.compile(r"^(?:参与|参加|在线)?(观看|参观|出席|参会|参与|参加|就业|培训|点击)")
QUALIFIERS = (
    "州外",
    "省外",
    "省内",
    "州内",
    "境外",
    "外资",
    "州级",
    "县市",
    "县级",
    "省级",
    "市级",
    "乡镇",
    "产业",
)
PROGRESS_OF_TARGET_RE = re.compile(r"进度|目标|任务|计划")
# Names that only make sense with the figure before them ("签约25个，总投资156亿元").
DEPENDENT_NAME_RE = re.compile(
    r"^(?:计划|协议|合同)?(?:总投资额?|投资总?额|签约金额|合同金额|总?金额|总额|总规模)$"
)
YEAR_ONLY_RE = re.compile(r"(?:截至|截止)?\d{4}年(?:底|末)?")
MID_VERB_RE = re.compile(r"^(.{1,4}?)(?:实现|完成)(?=.{2,})")
CN_COUNT_RE = re.compile(r"^[一二两三四五六七八九十]+[场个次项家批]")


@dataclass
class _State:
    """What a paragraph has said so far: its period, subject and last main figure."""

    period: str | None = None
    topic: str = ""
    main: Indicator | None = None
    last: Indicator | None = None
    actor: str = ""
    sentence_topic: str = ""


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
            for clause in clauses(sentence):
                found.extend(_clause(clause, sentence, section.id, state))
    return found


def _clause(clause: str, quote: str, sid: str, state: _State) -> list[Indicator]:
    figures = figures_in(clause)
    head = clause[: figures[0].start] if figures else clause
    period = period_in(head)
    if period is None and figures:
        year = re.search(r"\d{4}年(?!度)", head)
        period = year.group(0) if year else None
    if period is None and not figures and YEAR_ONLY_RE.fullmatch(clause.strip()):
        period = clause.strip()  # "2022年，全州…": the year the figures belong to
    if period:
        state.period = period
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
    return out


def _indicator(
    pre: str, post: str, figure: Figure, clause: str, quote: str, sid: str, state: _State
) -> Indicator | None:
    core = _strip(pre)
    target = target_in(clause)
    kind = "compare" if COMPARE_RE.match(core) else "progress" if PROGRESS_RE.match(core) else ""
    if kind and (state.main or state.topic):
        name = _inherited_name(core, kind, state)
    else:
        name = _own_name(core, pre, post, figure, state)
        kind = ""
    name = _clean(name)
    if len(name) < 2:
        return None
    indicator = Indicator(
        name=name,
        value=figure.value,
        unit=figure.unit,
        period=state.period,
        section=sid,
        quote=quote,
        qualifier=_qualifier(name),
    )
    _attach(indicator, kind, core, target, state)
    return indicator


def _inherited_name(core: str, kind: str, state: _State) -> str:
    core = re.sub(r"(高于|低于|超过|超出)(?:全年|年度)?目标(?:任务)?", r"\1目标", core)
    core = re.sub(r"[（(][^）)]*[）)]", "", core)
    base = _compared(core, state)
    if kind == "compare" and base is not None:
        return base.name + core
    return (state.topic or (state.main.name if state.main else "")) + core


def _compared(core: str, state: _State) -> Indicator | None:
    """What a comparison refers to: a rate is compared with a rate target, else the main figure."""
    last = state.last
    if "目标" in core and last is not None and last.unit == "%" and last is not state.main:
        return last
    return state.main


def _own_name(core: str, pre: str, post: str, figure: Figure, state: _State) -> str:
    post_np = _post_phrase(post)
    total = re.search(r"累计|合计|总计|共计", pre)
    if not core and not post_np and total and state.topic and state.main is not None:
        return state.topic.removeprefix("新增").removeprefix("新") + "累计"
    if figure.unit in PEOPLE_UNITS:
        verb = PEOPLE_VERB_RE.match(post)
        if verb and core:
            return f"{_tail(core)}{verb.group(1)}人数"
    if LOCATIVE_RE.match(core) and state.actor:
        name = state.actor + core
    elif post_np and (not core or VERB_END_RE.search(core) or "、" in core):
        listed = _after_enumeration(core)
        lead = LEAD_CUT_RE.match(SCOPE_RE.sub("", pre.strip(" 、，,")))
        verb = lead.group(1) if lead and not listed and len(post_np) <= 3 else ""
        name = verb + listed + post_np
    elif post_np and figure.unit.lstrip("万亿") in PHYSICAL_UNITS:
        name = _tail(core) + post_np
    else:
        core = core.rsplit("等", 1)[1] if "等" in core[1:] else core
        name = _strip(_cut_verb(TRAIL_RE.sub("", core)))
    name = MID_VERB_RE.sub(r"\1", name)  # "园区实现工业增加值" -> "园区工业增加值"
    if DEPENDENT_NAME_RE.match(_clean(name)) and state.sentence_topic:
        return state.sentence_topic + _clean(name)
    _remember(_clean(name), state)
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
    figure_text = f"{format_value(indicator.value)}{indicator.unit}"
    main = _compared(core, state)
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
        if main is not None and main.progress is None:
            main.progress = indicator.progress
        return
    if not kind:
        if target:
            indicator.target, indicator.target_value = target
        state.main = indicator


def _strip(pre: str) -> str:
    text = pre.strip(" 、，,；;")
    for _ in range(3):
        before = text
        period = period_in(text)
        if period and text.startswith(period):
            text = text[len(period) :]
        text = re.sub(r"^\d{4}年(?!度)", "", text)
        text = SCOPE_RE.sub("", text)
        text = LEAD_VERB_RE.sub("", text).strip(" 、，,")
        if text == before:
            break
    return TRAIL_RE.sub("", text)


def _cut_verb(core: str) -> str:
    """Drop an adverbial prefix and its verb ("从各县市新征集年度项目" -> "年度项目")."""
    best = -1
    for verb in CUT_VERBS:
        at = core.rfind(verb)
        if at >= 0 and at + len(verb) < len(core):
            best = max(best, at + len(verb)) if at > best else best
    if best < 0:
        return core
    verb_start = max(core.rfind(v, 0, best) for v in CUT_VERBS if core.rfind(v, 0, best) >= 0)
    prefix = TRAIL_RE.sub("", core[:verb_start])
    if prefix and len(prefix) <= 4 and "、" not in prefix and not prefix.startswith(("从", "在")):
        return prefix + core[verb_start:]  # a short actor: keep "州县开展…" without its 共
    return core[best:]


def _tail(core: str) -> str:
    """The last noun chunk of a clause ("进一步加大了与三一重能" -> "三一重能")."""
    parts = re.split(r"与|和|了|对|向|把|将|在|从|的|引进|是|为|以", core)
    tail = parts[-1] if parts else core
    return CN_COUNT_RE.sub("", tail)


def _after_enumeration(core: str) -> str:
    if "等" in core:
        rest = core.rsplit("等", 1)[1]
        return "" if VERB_END_RE.search(rest) else rest
    if VERB_END_RE.search(core) or "、" in core:
        return ""
    return core


def _post_phrase(post: str) -> str:
    """The counted noun after a figure, or '' when a verb or punctuation follows."""
    text = post
    passive = re.match(r"^(?:被|已被)?(?:确定|列|评|认定|纳入)为", text)
    if passive:
        text = text[passive.end() :]
    if not text or POST_CUT_RE.match(text):
        return ""
    if re.match(r"^[县市州区乡镇村省国](?![\u4e00-\u9fff]*(?:项目|企业))", text):
        return text[0]  # "4个县": a count of places, named by the place word alone
    phrase = ""
    for match in POST_CUT_RE.finditer(text):
        phrase = text[: match.start()]
        break
    else:
        phrase = text
    joined = re.split(r"(?<=项目|企业|公司|集团)(?:和|与|及)", phrase, maxsplit=1)
    return joined[0]


def _clean(name: str) -> str:
    name = re.sub(r"[“”‘’《》\s]", "", name)
    return name.strip("、，,；;：:的（(）)")


def _qualifier(name: str) -> str | None:
    hits = [(name.find(q), q) for q in QUALIFIERS if q in name]
    return min(hits)[1] if hits else None
