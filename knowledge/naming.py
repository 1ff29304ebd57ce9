"""How indicator names are cut from a clause: strip scope, period and verbs, find the
counted noun after a figure, and clean the result into a Chinese noun phrase."""

from __future__ import annotations

import re

from knowledge.figures import period_in
from scope.wording import fold_figure_words

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
    "征集", "引进", "引入", "实施", "举办", "组织", "召开", "开展", "邀请", "接待", "走访",
    "拜访", "整理", "梳理", "储备", "谋划", "包装", "策划", "编制", "制定", "出台", "建成",
    "签订", "帮助", "服务", "培育", "认定", "确定", "推出", "发布", "审批", "办理",
)  # fmt: skip
# Verbs that also modify a noun ("审批时限", "办理时间", "服务对象"): kept when little follows.
NOMINAL_VERBS = frozenset({"审批", "办理", "服务"})
LEAD_CUT_RE = re.compile(rf"^(?:共|累计|新)?({'|'.join(CUT_VERBS)})")
VERB_END_RE = re.compile(rf"(?:{'|'.join(CUT_VERBS)}|等|的|了|与|和|对|向|为|在|以|从|其中)$")
COMPARE_RE = re.compile(
    r"^(?:高于|低于|超过|超出|少于|多于|比|较|同比|环比|同口径|增幅|增速|[超欠][序时]{2}进度)"
)
PROGRESS_RE = re.compile(r"^(?:完成|提前|滞后|落后|占|增长|下降|增加|减少|实现)")
LOCATIVE_RE = re.compile(r"(?:省外|省内|州外|州内|县外|县内|市外|市内|境外|境内|国外|国内|赴)")
MEASURE_END_RE = re.compile(
    r"(?:同比增长|同比下降|增长率|增速|增幅|增长|下降|增加|减少|占比|比重|总额|总量|规模|完成)$"
)
POST_CUT_RE = re.compile(
    r"[，,、。；;：:（(]|的|以上|以下|以内|左右|纳入|参与|参加|在线|相继|正在|已经|已|将|均|全部|分别|"
    r"进行|通过|为|用于|"
    r"入驻|落户|投产|获得|达到"
)
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
# Money said right after a class of projects is that class's money ("二产项目22个，到位资金4.1亿；
# 三产项目45个，到位资金4.8亿"): the name recurs for each class, only the class tells them apart.
PROJECT_MONEY_RE = re.compile(
    r"^(?:实际|招商引资)?(?:到位资金|资金到位|协议资金|协议引资|合同引资额?|合同资金|协议投资额?|资金)$"
)
YEAR_ONLY_RE = re.compile(r"(?:截至|截止)?\d{4}年(?:底|末)?")
MID_VERB_RE = re.compile(r"^(.{1,4}?)(?:实现|完成)(?=.{2,})")
MODIFIER_SPLIT_RE = re.compile(
    r"\d+(?:\.\d+)?(?:个|家|项|批)?[县市州区乡镇村]?|[与和了对向把将在从以为、，]"
)
CN_COUNT_RE = re.compile(r"^[一二两三四五六七八九十]+[场个次项家批]")


def strip_clause(pre: str) -> str:
    """Remove leading period, scope words and generic verbs, and trailing 达/为/共 words."""
    text = pre.strip(" 、，,；;")
    for _ in range(3):
        before = text
        period = period_in(text)
        if period and text.startswith(period):
            text = text[len(period) :]
        text = re.sub(r"^(?:\d{4}年(?!度)|(?:今年|本年)(?=\d|[一二三四上下前第]))", "", text)
        text = SCOPE_RE.sub("", text)
        text = LEAD_VERB_RE.sub("", text).strip(" 、，,")
        if text == before:
            break
    return TRAIL_RE.sub("", text)


def cut_verb(core: str) -> str:
    """Drop an adverbial prefix and its verb ("从各县市新征集年度项目" -> "年度项目")."""
    hits = [(core.rfind(v), v) for v in CUT_VERBS]
    hits = [(at, v) for at, v in hits if at >= 0 and at + len(v) < len(core)]
    if not hits:
        return core
    start, verb = max(hits, key=lambda hit: hit[0] + len(hit[1]))
    prefix = TRAIL_RE.sub("", core[:start])
    rest = core[start + len(verb) :]
    if verb in NOMINAL_VERBS and len(rest) <= 2 and not prefix.startswith(("从", "在")):
        return prefix + verb + rest  # "项目审批时限": the verb names the thing measured
    if prefix.endswith("业") and 2 <= len(prefix) <= 8 and not prefix.startswith(("从", "在")):
        return prefix + rest  # "高原特色农业引进省外到位资金": the sector names the figure
    if prefix and len(prefix) <= 4 and "、" not in prefix and not prefix.startswith(("从", "在")):
        return prefix + core[start:]  # a short actor: keep "州县开展…" without its 共
    return core[start + len(verb) :]


def tail_noun(core: str) -> str:
    """The last noun chunk of a clause ("进一步加大了与三一重能" -> "三一重能")."""
    parts = re.split(r"与|和|了|对|向|把|将|在|从|的|引进|是|为|以", core)
    tail = parts[-1] if parts else core
    return CN_COUNT_RE.sub("", tail)


def after_enumeration(core: str) -> str:
    """Return what follows "A、B等" (the group noun), or "" when a verb ends the text."""
    if "等" in core:
        rest = core.rsplit("等", 1)[1]
        return "" if VERB_END_RE.search(rest) else rest
    if VERB_END_RE.search(core) or "、" in core:
        return ""
    return core


def modifier_before_de(core: str) -> str:
    """Keep a short modifier before 的 ("4个县新签约的7个光伏项目" -> "新签约")."""
    if not core.endswith("的"):
        return ""
    chunk = MODIFIER_SPLIT_RE.split(core[:-1])[-1]
    chunk = SCOPE_RE.sub("", chunk)
    return chunk if 2 <= len(chunk) <= 8 else ""


def post_phrase(post: str) -> str:
    """The counted noun after a figure, or '' when a verb or punctuation follows."""
    text = post
    passive = re.match(r"^(?:被|已被)?(?:确定|列|评|认定|纳入)为", text)
    if passive:
        text = text[passive.end() :]
    if not text or POST_CUT_RE.match(text):
        return ""
    if re.match(r"^[县市州区乡镇村省国](?![\u4e00-\u9fff]*(?:项目|企业))", text):
        return text[0]  # "4个县": a count of places, named by the place word alone
    stop = POST_CUT_RE.search(text)
    phrase = text[: stop.start()] if stop else text
    joined = re.split(r"(?<=项目|企业|公司|集团)(?:和|与|及)", phrase, maxsplit=1)
    return joined[0]




def clean_name(name: str) -> str:
    """Drop quotes, spaces and dangling punctuation from a name."""
    name = re.sub(r"[“”‘’《》\s]", "", name)
    name = fold_figure_words(name)
    return name.strip("、，,；;：:的（(）)")


def qualifier_of(name: str) -> str | None:
    """Return the scope word a name starts with soonest (州外, 省外, 县市 ...)."""
    hits = [(name.find(q), q) for q in QUALIFIERS if q in name]
    return min(hits)[1] if hits else None
