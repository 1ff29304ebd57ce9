"""Entities: organisations (by name suffix and by enumerations "引进A、B、C等企业"), places,
programmes and slogans in “”, and documents cited in 《》."""

from __future__ import annotations

import re

from knowledge.records import Entity, Section

CJK = "\u4e00-\u9fff"
STRONG_SUFFIX = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "公司",
    "集团",
    "商会",
    "协会",
    "银行",
    "研究院",
    "研究所",
    "大学",
    "学院",
    "医院",
    "合作社",
    "联合会",
    "促进会",
)
WEAK_SUFFIX = (
    "能源",
    "科技",
    "半导体",
    "新材料",
    "实业",
    "控股",
    "电子",
    "电力",
    "药业",
    "制药",
    "化工",
    "矿业",
    "绿能",
)
GENERIC_PREFIX = re.compile(
    r"^(?:一批|一些|各|各类|多家|国内外|国内|国外|大|大型|龙头|相关|有关|该|本|我|其|这|新|清洁|"
    r"可再生|绿色|传统|新兴|信息|高|高新|生物|数字|智能|风电|太阳能|核|氢|企业|产业|行业|重点|"
    r"全国|全省|全州|省|州|市|县|中小|民营|外资|外商|合资|投资|招商|商|开发|总|分|子|上市)+$"
)
BOUNDARY = (
    "目前已有",
    "已有",
    "引进了",
    "引进",
    "成功",
    "加大了",
    "与",
    "和",
    "及",
    "以及",
    "同",
    "跟",
    "向",
    "对",
    "为",
    "是",
    "等",
    "了",
    "由",
    "在",
    "将",
    "把",
    "使",
    "帮助",
    "包括",
    "如",
    "其中",
    "目前",
    "有",
    "邀请",
    "共",
    "并",
    "打造",
    "抓住",
    "推动",
    "支持",
    "依托",
    "围绕",
)
ENUM_RE = re.compile(
    rf"((?:[{CJK}（）()]{{2,24}}、)+[{CJK}（）()]{{2,24}})等(?:[^，。；]{{0,10}}?)"
    r"(企业|集团|公司|商会|客商|单位|媒体|平台|机构|银行|高校|院所)"
)
PLACE_RE = re.compile(
    rf"(?:(?<=[在赴到至从于、，。；：和及与\s])|^)(?=([{CJK}]{{2,4}}?(?:自治州|自治县|县|市|州|区))"
    r"(?![委政级长内外域场民直属里情区县市州]))",
    re.MULTILINE,
)
PLACE_BAD_STEM = ("以及", "和", "与", "及", "的", "在", "从", "对", "为", "园", "个", "是", "要")
PLACE_AREA_RE = re.compile(r"(?:园|片|社|景|城|新|开发|保税|示范|功能|集聚|聚集|试验|自贸|产业)$")
PLACE_STOP = re.compile(
    r"^(?:各|全|我|本|该|州|县|市|省|城|超|上|门|集|股|区|地|辖|分|外|内|沿|主城|园|社|小|大|"
    r"新|老|都|街|闹|在|从|对|为|确|指|立|一|二|三|四|五|要|今|明|去|相关|有关|紧|围|打|到|赴)"
)
PROVINCES = (
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
)
WEAK_STEM_RE = re.compile(
    r"^(?:绿色|新|清洁|可再生|传统|新兴|信息|高新|生物|数字|智能|风电|太阳能|光伏|硅|形成|继续|"
    r"打造|发展|推进|加快|上半年|下半年)"
)
HOME_PLACE_RE = re.compile(rf"^([{CJK}]{{2,6}}?(?:自治州|自治县|州|市|县|区))")
PARTNER_RE = re.compile(
    rf"(?:与|同|和)([{CJK}]{{2,8}}?)\s*\d+(?:\.\d+)?\s*(?:GW|MW|万千瓦|千瓦|万吨|吨|亿元)"
)
PARTNER_STOP_RE = re.compile(
    r"^[我各全本该]|部门|单位|机构|政府|领导|项目|企业|规模|投资|年产|日产"
)
QUOTE_RE = re.compile(r"“([^“”]{1,40})”")
DOC_RE = re.compile(r"《([^《》]{2,120})》")
SHORT_PROGRAMME_RE = re.compile(
    r"([一二两三四五六七八九十百千]+[个张大项条支])[\u4e00-\u9fff]{0,2}$"
)


def extract_entities(
    sections: list[Section], exclude_docs: set[str], issuer: str | None = None
) -> tuple[list[Entity], list[str]]:
    """Return (entities, cited document titles) found in the sections' titles and text."""
    seen: dict[tuple[str, str], Entity] = {}
    cited: list[str] = []
    known = _enumerated_names(sections) | _partner_names(sections)
    home = HOME_PLACE_RE.match(issuer or "")

    def add(name: str, kind: str, sid: str) -> None:
        key = (name, kind)
        if key not in seen:
            seen[key] = Entity(name=name, type=kind, section=sid)  # type: ignore[arg-type]

    for section in sections:
        text = f"{section.title}\n{section.text}"
        for title in DOC_RE.findall(text):
            if title not in exclude_docs:
                add(title, "document", section.id)
                if title not in cited:
                    cited.append(title)
        unquoted = DOC_RE.sub("", text)
        for name in _programmes(unquoted):
            add(name, "programme", section.id)
        orgs = _orgs(unquoted, known)
        for name in orgs:
            add(name, "org", section.id)
        for name in _places(unquoted, orgs):
            add(name, "place", section.id)
        if home and home.group(1) in unquoted:
            add(home.group(1), "place", section.id)  # the issuer's own prefecture or county
    return list(seen.values()), cited


def _partner_names(sections: list[Section]) -> set[str]:
    """A name right before a project's capacity ("与三一重能30GW拉晶项目") is a company."""
    names: set[str] = set()
    for section in sections:
        for match in PARTNER_RE.finditer(section.text):
            name = match.group(1)
            if not GENERIC_PREFIX.match(name) and not PARTNER_STOP_RE.search(name):
                names.add(name)
    return names


def _programmes(text: str) -> list[str]:
    names: list[str] = []
    for quoted in QUOTE_RE.findall(text):
        quoted = quoted.strip()
        if len(quoted) < 2 or re.fullmatch(r"[\d\s.%]+", quoted):
            continue
        names.append(quoted)
        short = SHORT_PROGRAMME_RE.search(quoted)
        if short and len(quoted) > 8 and "、" in quoted:
            names.append(quoted[short.start() :])  # “…三张牌” is also known as “三张牌”
    return names


def _enumerated_names(sections: list[Section]) -> set[str]:
    """Names listed as "A、B、C等…企业" are organisations even without a suffix."""
    names: set[str] = set()
    for section in sections:
        for match in ENUM_RE.finditer(f"{section.title}\n{section.text}"):
            for part in re.split(r"、|以及", match.group(1)):
                name = _trim_front(part)
                generic = GENERIC_PREFIX.match(name) or name in PROVINCES
                if 2 <= len(name) <= 20 and not generic:
                    names.add(name)
    return names


def _trim_front(text: str) -> str:
    """Drop a leading verb phrase: "在成功引进隆基绿能" -> "隆基绿能"."""
    best = 0
    for word in BOUNDARY:
        at = text.rfind(word)
        if at >= 0 and at + len(word) < len(text) - 1:
            best = max(best, at + len(word))
    return text[best:].strip("（）()")


def _orgs(text: str, known: set[str]) -> list[str]:
    found: list[str] = []
    alternation = "|".join(sorted(STRONG_SUFFIX + WEAK_SUFFIX, key=len, reverse=True))
    extension = re.compile(rf"(?:[（(][{CJK}]{{1,8}}[）)])?(?:{alternation})")
    taken = 0
    for match in re.finditer(alternation, text):
        if match.start() < taken:
            continue
        end = match.end()
        while (more := extension.match(text, end)) is not None:
            end = more.end()
        name = _org_name(text, match.start(), end, match.group(0))
        if name and name not in found:
            found.append(name)
            taken = end
    for name in sorted(known, key=len, reverse=True):
        if name in text and not any(name in other for other in found):
            found.append(name)
    return found


def _org_name(text: str, first: int, end: int, suffix: str) -> str | None:
    """Walk back from the first suffix to the start of the name (punctuation or a verb)."""
    begin = first
    while begin > 0 and first - begin < 20 and re.match(rf"[{CJK}（）()]", text[begin - 1]):
        begin -= 1
    stem = _trim_stem(text[begin:first])
    name = stem + text[first:end]
    if len(stem) < 1 or len(name) < 3 or GENERIC_PREFIX.match(stem):
        return None
    weak = not any(s in text[first:end] for s in STRONG_SUFFIX)
    if weak and not _listed(text, first - len(stem), end, stem):
        return None
    return name


def _listed(text: str, begin: int, end: int, stem: str) -> bool:
    """A weak-suffix name ("…能源", "…科技") counts only inside a list of names."""
    if len(stem) < 2 or WEAK_STEM_RE.match(stem):
        return False
    after = text[end : end + 1]
    before = text[begin - 1 : begin] if begin > 0 else ""
    return after in ("、", "等") or (before == "、" and after in ("，", "。", "；", "\n", ""))


def _trim_stem(text: str) -> str:
    """Keep what follows the last boundary word ("目前已有华能" -> "华能")."""
    best = 0
    for word in BOUNDARY:
        at = text.rfind(word)
        if at >= 0:
            best = max(best, at + len(word))
    return text[best:]


def _places(text: str, orgs: list[str]) -> list[str]:
    inside = "".join(orgs)
    found: list[str] = []
    for province in PROVINCES:
        if re.search(rf"{province}(?:省|市|自治区)?(?=[、，。；和及以\s]|$)", text):
            found.append(province)
    for match in PLACE_RE.finditer(text):
        name = match.group(1)
        stem = name[:-1]
        if PLACE_STOP.match(name) or any(word in stem for word in PLACE_BAD_STEM):
            continue
        if name.endswith("区") and PLACE_AREA_RE.search(stem):
            continue
        if name not in found and name not in inside:
            found.append(name)
    return found
