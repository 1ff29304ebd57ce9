"""What a proposal says about itself: title, kind, number, proposer(s) and role, session.

Pure functions over the (normalised) text. Texts often arrive pasted from a web page, so page
chrome (navigation "首页 > …", "发布时间/来源/浏览次数", site names, 责任编辑) is skipped
before a line may be the title, and titles are looked for in the order a reader would trust
them: a labelled title (【标题】, 事由：), a 关于…的提案/建议, a 《…》 named as the proposal, a
"XX委员：…" headline, and only then the first heading-like line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlp.triage_text import TITLE_PATTERN
from zhtext.sentences import split_sentences

HEAD_CHARS = 3000
META_CHARS = 2000
_SOFT_BREAK = re.compile(r"(?<=[^\s。！？：:])\n(?=[^\s一二三四五六七八九十（(])")
_LABELLED_TITLE = re.compile(
    r"(?:【(?:标题|题目|案由|事由)】|^(?:标题|题目|事由|案由)\s*[:：])\s*"
    r"([^\n【]{4,80}?)\s*(?=建议人|提案人|提出人|领衔|【|$)",
    re.MULTILINE,
)
_NAMED_TITLE = re.compile(
    r"(?:提案|建议|议案)\s*[:：]?\s*[《“]([^》”\n]{4,80})[》”]|《([^》\n]{4,80}(?:建议|提案|议案))》"
)
_HEADLINE_OF_PERSON = re.compile(
    r"^(?:原创\s*)?[^:：\n]{0,24}?(?:委员|代表|建议|提案)[\u4e00-\u9fff]{0,4}\s*[:：]\s*"
    r"([^:：\n]{4,50})$"
)
# The labelled value ends where the next form label starts ("史付兰建议内容：…").
_NEXT_LABEL = re.compile(r"建议内容|内容|事由|案由|联系|电话|单位")
_LEADING_DATE = re.compile(r"^\d{1,2}月\d{1,2}日(?:[上下]午)?[,，]?")
_DASH_TOPIC = re.compile(r"^[^—\n]*(?:建议|提案|两会|聚焦)[^—\n]*——\s*(.{4,60})$")
_NAV = re.compile(r">|＞|»|›")
_CHROME = re.compile(
    r"当前位置|您的位置|您现在的位置|您当前的位置|当前所在|您所在的位置|首页|主页|"
    r"发布时间|发布日期|更新时间|来源[:：]|浏览|阅读[:：]|点击|字号|字体|打印|分享到|"
    r"责任编辑|编辑[:：]|作者[:：]|版权|ICP|天气预报|今天是|数字报纸|扫一扫|设为首页|"
    r"加入收藏|联系我们|关于我们|热门搜索|热词|记者|通讯员|范文|文档|下载|格式[:：]|"
    r"联系电话|电话[:：]|传真|邮箱|"
    r"^\S{0,6}版[:：]|^(?:原标题|标签|关键词)[:：]"
)
_DATE_LINE = re.compile(r"^[\d\s:：./年月日-]{6,}|^\d{4}[-/.年]\d{1,2}")
_SITE_NAME = re.compile(r"^[\u4e00-\u9fff]{2,10}(?:网|报|台|在线|融媒|新闻)$")
_NUMBER = re.compile(
    r"第\s*([0-9]{1,8})\s*号"
    r"|(?:提案|建议|议案)?(?:编号|案号|序号)\s*[:：]?\s*([0-9]{1,8}(?:-[0-9]{1,4})?)"
    r"|(?:提案|建议)号\s*[:：]?\s*([0-9]{1,8})"
    r"|(?<![0-9])([0-9]{1,5})号(?:重点)?(?:提案|建议)"
)
_LABEL = (
    r"提案人|提出人|领衔人|领衔代表|提案者|提案单位|建议人|提交委员|联名人|党派|提出单位|"
    r"代表|委员"
)
# Labels that never end a name ("…管理建议人：普志华"), so no boundary is needed before them.
_STRICT_LABEL = r"提案人|提出人|领衔人|领衔代表|提案者|提案单位|建议人|联名人|提出单位"
_PROPOSER_LABEL = re.compile(
    rf"(?:【(?:{_LABEL})】|(?<![\u4e00-\u9fff])(?:{_LABEL})\s*[:：]|(?:{_STRICT_LABEL})\s*[:：]|提交委员)"
    r"\s*([^\s。；;，,【]{2,40})"
)
_CO_SIGNED = re.compile(
    r"([\u4e00-\u9fff]{2,4}?)(?:等|[、,，][^。]{0,20}?等)\s*([0-9]{1,3})\s*名[^，。\n]{0,12}?(代表|委员)"
)
_ROLE_BEFORE = re.compile(
    r"(?:政协委员|人大代表)[、，,]?\s*([\u4e00-\u9fff]{2,3})"
    r"(?=[:：，,]|说|表示|建议|提出|提交|认为|指出|介绍|在)"
)
_ROLE_AFTER = re.compile(
    r"([\u4e00-\u9fff]{2,3})(委员|代表)(?=[:：，,]|说|表示|建议|提出|提交|认为|指出|介绍|在|带来|关注)"
)
_NOT_NAME = re.compile(
    r"[政协人大会局部们的等和与及在市县区州省国党团联委员全体名]|代表|提案|建议"
)
_AFFILIATION = re.compile(r"[（(][^）)]*[）)]?$")
_SIGNED = re.compile(
    r"^\s*(?:[州市县区省]?(?:人大代表|政协委员)|代表|委员)\s*[:：]?\s*([\u4e00-\u9fff]{2,4})\s*$",
    re.MULTILINE,
)
_PARTY = re.compile(
    r"((?:[\u4e00-\u9fff]{2,6}(?:州|市|县|区))?(?:民革|民盟|民建|民进|农工党|致公党|九三学社|台盟)"
    r"[\u4e00-\u9fffa-z]{0,12}?(?:委员会|基层委|总支部?|支部|工委|委))"
)
_GROUP_NAME = re.compile(r"工商联|共青团|妇联|科协|侨联")
_GROUP = re.compile(
    r"((?:[\u4e00-\u9fff]{1,6}?(?:州|市|县|区))?(?:工商联|共青团|妇联|科协|侨联))(?:的)?(?:集体)?提案"
)
_SECTOR = re.compile(
    r"(?:界别\s*[:：]?\s*([\u4e00-\u9fff]{2,10}界))|([\u4e00-\u9fff]{2,6})界别(?:的)?提案"
)
_SESSION_CORE = re.compile(
    r"(?:政协|人大)?第?[一二三四五六七八九十]{1,3}届(?:全国)?(?:人大|政协|人民代表大会|委员会)?"
    r"第?[一二三四五六七八九十]{1,3}次(?:全体)?(?:会议)?"
)
_PLACE_CHAR = "州市县区省"
_NOT_PLACE = re.compile(r"[在出席参加召开于的是了和与]")
_WIDE_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_NPC_HINTS = ("人大", "代表", "建议人")
_CPPCC_HINTS = ("政协", "委员", "提案")
_CPPCC_MARK = re.compile(r"号(?:重点)?提案|提案人|提交委员|提案者|政协[^。\n]{0,12}会议|界别")
_NPC_MARK = re.compile(r"建议人|代表建议|人大[^。\n]{0,12}会议|人民代表大会|名代表|领衔代表")


@dataclass(frozen=True)
class ProposalMeta:
    """What the proposal says about itself."""

    number: str | None
    kind: str
    title: str
    proposer: str | None
    proposers: list[str] = field(default_factory=list)
    role: str | None = None  # 委员 / 代表 / 党派 / 团体 / 界别
    cosigners: int | None = None  # "等3名代表" -> 3
    sector: str | None = None  # 界别 (经济界) or the party
    session: str | None = None  # 州政协十二届一次会议


def is_chrome(line: str) -> bool:
    """Whether a line is web page furniture (navigation, dates, sources, site names)."""
    line = line.strip()
    return bool(
        not line
        or _NAV.search(line)
        or _CHROME.search(line)
        or _DATE_LINE.match(line)
        or _SITE_NAME.match(line)
    )


def extract_title(text: str) -> str:
    """Return the proposal's title, never a navigation, date or site line."""
    head = text[:HEAD_CHARS]
    for pattern in (_LABELLED_TITLE,):
        match = pattern.search(head)
        if match:
            return _clean_title(match.group(1))
    match = TITLE_PATTERN.search(head) or TITLE_PATTERN.search(_SOFT_BREAK.sub("", head))
    if match:
        return match.group(0).strip()
    named = _NAMED_TITLE.search(head)
    if named:
        return _clean_title(named.group(1) or named.group(2))
    return _heading_title(head)


def _clean_title(title: str) -> str:
    return title.strip().strip("《》“”\"'：:").strip()


def _heading_title(head: str) -> str:
    """The first heading-like line that is not page furniture or a header field."""
    for raw in head.splitlines():
        line = raw.strip()
        if is_chrome(line) or _is_session_header(line):
            continue
        for pattern in (_DASH_TOPIC, _HEADLINE_OF_PERSON):
            match = pattern.match(line)
            if match:
                return _clean_title(match.group(1))
        if _PROPOSER_LABEL.search(line):
            continue
        if 4 <= len(line) <= 60 and not line.endswith(("。", "：", ":", "；")):
            return line
    first = [s for s in split_sentences(head, pasted=True) if not is_chrome(s)]
    return _LEADING_DATE.sub("", first[0])[:40] if first else ""


def _is_session_header(line: str) -> bool:
    return bool(_SESSION_CORE.search(line)) and len(line) <= 40 and "关于" not in line


def extract_number(text: str) -> str | None:
    """Return the proposal number (第084号 -> '084', 编号 01-2, 3号提案) from the header."""
    match = _NUMBER.search(text[:META_CHARS].translate(_WIDE_DIGITS))
    if not match:
        return None
    return next(g for g in match.groups() if g)


def extract_session(text: str) -> str | None:
    """Return the session (州政协十二届一次会议, 三届四次), with its place word when given."""
    head = text[:META_CHARS]
    match = _SESSION_CORE.search(head)
    if not match:
        return None
    start = match.start()
    line_start = head.rfind("\n", 0, start) + 1
    opening = head[line_start:start]
    if re.fullmatch(r"[\u4e00-\u9fff]{2,12}[州市县区省]", opening) and not _NOT_PLACE.search(
        opening
    ):
        return head[line_start : match.end()]  # "盐城市盐都区第十四届…" opens its line
    if head[max(0, start - 2) : start] == "全国":
        start -= 2
    elif start and head[start - 1] in _PLACE_CHAR:
        start -= 1
        if head[max(0, start - 2) : start] == "全国":
            start -= 2
    return head[start : match.end()]


@dataclass(frozen=True)
class _Proposer:
    names: list[str]
    role: str | None
    cosigners: int | None = None
    sector: str | None = None


def extract_proposer(text: str, kind: str = "提案") -> _Proposer:
    """Find who proposes: a labelled name, "X等3名代表", "X委员", a party or group."""
    head = text[:META_CHARS]
    person_role = "代表" if kind == "建议" else "委员"
    sector = _sector(head)
    co = _CO_SIGNED.search(head)
    labelled = _PROPOSER_LABEL.search(head)
    if labelled:
        value = _NEXT_LABEL.split(_AFFILIATION.sub("", labelled.group(1)))[0].strip()
        inner = _CO_SIGNED.search(value)
        if inner:
            return _Proposer([inner.group(1)], inner.group(3), int(inner.group(2)), sector)
        if _PARTY.match(value) or _GROUP_NAME.search(value) or "党" in value:
            return _Proposer([value], "团体" if _GROUP_NAME.search(value) else "党派", None, value)
        names = [n for n in re.split(r"[、，,]", value) if n]
        return _Proposer(names, person_role, len(names) if len(names) > 1 else None, sector)
    if co and not _NOT_NAME.search(co.group(1)):
        return _Proposer([co.group(1)], co.group(3), int(co.group(2)), sector)
    signed = _SIGNED.search(head)
    if signed:
        return _Proposer([signed.group(1)], person_role, None, sector)
    party = _PARTY.search(head)
    if party:
        return _Proposer([party.group(1)], "党派", None, party.group(1))
    for pattern, role_of in ((_ROLE_AFTER, 2), (_ROLE_BEFORE, 0)):
        for match in pattern.finditer(head):
            name = match.group(1)
            if not _NOT_NAME.search(name):
                role = match.group(role_of) if role_of else _role_before(head, match.start())
                return _Proposer([name], role, None, sector)
    group = _GROUP.search(head)
    if group:
        name = group.group(1).lstrip("是由为")
        return _Proposer([name], "团体", None, name)
    if sector:
        return _Proposer([], "界别", None, sector)
    return _Proposer([], None)


def _role_before(head: str, start: int) -> str:
    return "代表" if head[start : start + 6].find("代表") >= 0 else "委员"


def _sector(head: str) -> str | None:
    match = _SECTOR.search(head)
    if not match:
        return None
    return match.group(1) or f"{match.group(2)}界别"


def guess_kind(text: str, title: str) -> str:
    """Tell a 提案 (CPPCC) from a 建议 (NPC) and an 议案; explicit marks outrank the title.

    Many CPPCC proposals are titled 关于…的建议, so "第626号提案" or 提案人 decide first.
    """
    head = text[:META_CHARS]
    if title.endswith("议案") and not title.endswith("建议案"):
        return "议案"
    cppcc = len(_CPPCC_MARK.findall(head))
    npc = len(_NPC_MARK.findall(head))
    if cppcc != npc:
        return "提案" if cppcc > npc else "建议"
    if title.endswith("的建议"):
        return "建议"
    if title.endswith("的提案"):
        return "提案"
    npc_hints = sum(head.count(h) for h in _NPC_HINTS)
    cppcc_hints = sum(head.count(h) for h in _CPPCC_HINTS)
    return "建议" if npc_hints > cppcc_hints else "提案"


def extract_meta(text: str) -> ProposalMeta:
    """Return everything the text says about the proposal."""
    title = extract_title(text)
    kind = guess_kind(text, title)
    who = extract_proposer(text, kind)
    return ProposalMeta(
        number=extract_number(text),
        kind=kind,
        title=title,
        proposer=who.names[0] if who.names else None,
        proposers=who.names,
        role=who.role,
        cosigners=who.cosigners,
        sector=who.sector,
        session=extract_session(text),
    )


def proposer_label(
    name: str | None, role: str | None, cosigners: int | None = None, sector: str | None = None
) -> str:
    """Say who proposes: 陈华（代表，等3名）, 民盟楚雄州委会（党派）, 王芳（委员，经济界）."""
    who = name or sector or ""
    notes = [role or "", f"等{cosigners}名" if cosigners else "", sector or ""]
    shown = "，".join(n for n in notes if n and n != who)
    return f"{who}（{shown}）" if who and shown else who
