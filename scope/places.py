"""Places and organisations a figure can be about, and when two names mean the same one.

A place is named many ways: 楚雄彝族自治州 / 楚雄州 / 楚雄 / 全州 / 我州. Names are folded to one
canonical name (楚雄州) with a base (楚雄) and the administrative suffix that tells a
prefecture from a county of the same base (楚雄州 vs 楚雄市). Names the static list does not
know (攀枝花市, 宜宾市, 钒钛高新区) are recognised by their suffix, and a gazetteer can learn
more names (the places the knowledge base holds) so a bare 攀枝花 in a question is found too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from scope.regions import regions

HOME_PREFECTURE = "楚雄州"
HOME_PROVINCE = "云南省"
# The place of a figure whose document's subject could not be read: it matches no asked place.
UNKNOWN_PLACE = ""

# The bureau's own prefecture and its counties, then Yunnan's prefectures: bare forms in text
# ("南华一季度", "昆明、曲靖、红河、楚雄") are resolved through this list.
_KNOWN = (
    "楚雄州", "楚雄市", "禄丰市", "双柏县", "牟定县", "南华县", "姚安县", "大姚县", "永仁县",
    "元谋县", "武定县",
    "昆明市", "曲靖市", "玉溪市", "保山市", "昭通市", "丽江市", "普洱市", "临沧市", "红河州",
    "文山州", "西双版纳州", "大理州", "德宏州", "怒江州", "迪庆州",
    "云南省", "四川省", "贵州省", "广东省", "浙江省", "江苏省", "山东省", "福建省", "湖南省",
    "湖北省", "河南省", "河北省", "江西省", "安徽省", "陕西省", "山西省", "甘肃省", "青海省",
    "海南省", "辽宁省", "吉林省", "黑龙江省", "台湾省",
    "北京市", "上海市", "天津市", "重庆市", "广西", "西藏", "新疆", "宁夏", "内蒙古",
)  # fmt: skip
# A bare base that two known places share goes to the first listed (楚雄 -> 楚雄州).
_ALIASES = {"禄丰县": "禄丰市", "楚雄高新技术产业开发区": "楚雄高新区"}
_ZONE_SUFFIX = (
    "高新技术产业开发区", "经济技术开发区", "经济开发区", "高新区", "经开区", "开发区", "工业园区",
    "产业园区", "园区", "新区", "自贸区", "保税区", "示范区", "试验区", "合作区", "经济区",
)  # fmt: skip
_ADMIN_SUFFIX = (
    "特别行政区", "自治区", "自治州", "自治县", "地区", "盟", "省", "市", "州", "县", "区",
)  # fmt: skip
_ETHNIC = re.compile(r"^([\u4e00-\u9fff]{2,}?)(?:[\u4e00-\u9fff]{1,3}?族)+自治([州县])$")
_ETHNIC_REGION = re.compile(r"^([\u4e00-\u9fff]{2,}?)(?:[\u4e00-\u9fff]{1,3}?族)*自治区$")
# Words that end like a place but are not one, or that start a non-place phrase.
_NOT_PLACE = re.compile(
    r"^(?:全|我|本|各|该|外|内|和|与|及|省外|州外|市外|县外|城|地|辖|所在|周边|相关|有关|其他|其它|"
    r"根据|按照|依据|依照|通过|经过|围绕|结合|组织|参加|视察|调研|深入|走进|来到|前往|"
    r"同|所|市场|上|下|半年|季度|年|月)|[^\u4e00-\u9fff]|[年月日季度个家项亿万元的和与及对在向从为是有全我本各该占一二两三四五六七八九十]"
)
_NOT_BEFORE = re.compile(
    r"^(?:外|内|级|域|场|民|委|直|属|情|政|长|里|领|财|人大|代表|党|重点|招商|投资)"
)
# Characters that do not occur in place names but do in the phrases a suffix may end
# ("完成省", "到位资金州", "包括铜仁高新区", "见四川其它地市").
_NOT_NAME = re.compile(
    r"完成|实现|引进|资金|到位|同比|增长|合计|累计|目标|任务|情况|以上|以下|包括|其它|其他|会议|期间|"
    r"召开|举办|签约|新建|续建|开工|落地|推进|全面|全部|部分|各级|有关|相关|据悉|获悉|记者|日报|网讯|"
    r"自治|列入|纳入|[了的见等]"
)
_SUFFIX_AT = re.compile(
    "|".join((*_ZONE_SUFFIX, "自治州", "自治县", "省", "市", "州", "县", "区"))
)
# What may stand right before a place name: punctuation, digits, or a short function word.
_BOUNDARY = re.compile(
    r"[\s\d，,。；;：:、（()）“”\"'《》\-—至到的和与及在向从赴对于看为是了有年月会括省州市县]"
)
# Characters a name never holds inside: a stem containing one started too early.
_INSIDE_STOP = re.compile(
    r"[\s\d，,。；;：:、（()）“”\"'《》\-—会省市县的了在向从赴对于看为是年月]"
)
MAX_STEM = 6

SCOPE_WORDS = {
    "全州": "州", "我州": "州", "本州": "州", "全市": "市", "我市": "市", "本市": "市",
    "全县": "县", "我县": "县", "本县": "县", "全区": "区", "我区": "区", "本区": "区",
    "园区": "区", "全省": "省", "我省": "省", "本省": "省",
}  # fmt: skip
SCOPE_RE = re.compile("|".join(SCOPE_WORDS))


@dataclass(frozen=True)
class Place:
    """One place or zone: canonical name, base without suffix, and that suffix."""

    name: str
    base: str
    suffix: str

    @property
    def is_group(self) -> bool:
        """True for a named group of places (沿边8州市, 皖北6市), matched only by that name."""
        return self.suffix == GROUP

    @property
    def is_zone(self) -> bool:
        """True for development zones and parks (楚雄高新区), named by their whole name."""
        return self.suffix in _ZONE_SUFFIX

    @property
    def is_province(self) -> bool:
        """True for a province-level name."""
        return self.suffix in ("省", "自治区", "特别行政区") or self.name in _PROVINCE_LEVEL


_PROVINCE_LEVEL = frozenset(
    {"北京市", "上海市", "天津市", "重庆市", "广西", "西藏", "新疆", "宁夏", "内蒙古"}
)


@lru_cache(maxsize=32768)
def make_place(name: str) -> Place:
    """Fold one written name to its Place (楚雄彝族自治州 -> 楚雄州)."""
    name = _ALIASES.get(name, name)
    ethnic = _ETHNIC.match(name)
    if ethnic:
        name = ethnic.group(1) + ethnic.group(2)
    region = _ETHNIC_REGION.match(name)
    if region:
        return Place(region.group(1), region.group(1), "自治区")  # 广西壮族自治区 -> 广西
    for suffix in _ZONE_SUFFIX:
        if name.endswith(suffix):  # a bare "开发区" too: a zone of that kind, not a district
            return Place(name, name, suffix)
    group = _GROUP_RE.fullmatch(name)
    if group:  # a stored figure's place "滇中经济圈4州市" is the group, not a city
        return make_group(*group.groups())
    for suffix in _ADMIN_SUFFIX:
        if name.endswith(suffix) and len(name) > len(suffix):
            return Place(name, name[: -len(suffix)], suffix)
    return Place(name, name, "")


GROUP = "群"
_CN_COUNT = {c: str(n) for n, c in enumerate("零一二三四五六七八九十", 0)} | {"两": "2"}
_GROUP_RE = re.compile(
    r"([\u4e00-\u9fff]{2,6}?)([0-9]{1,2}|十[一二三四五六]?|[一二两三四五六七八九])个?"
    r"(州市|县市|县区|市县|地市|城市|市|县|区|州)"
)
_GROUP_STEM_STOP = re.compile(r"^(?:全|各|有|其中|共|我|本|前)|[的了在对与和及、，,年月度季半]")


def make_group(stem: str, count: str, kind: str) -> Place:
    """A group of places named by region and count: 沿边8州市, 皖北六市 (-> 皖北6市)."""
    if not count.isdigit():
        count = str(10 + int(_CN_COUNT.get(count[1:], "0"))) if count.startswith("十") and len(
            count
        ) > 1 else ("10" if count == "十" else _CN_COUNT[count])
    name = f"{stem}{count}{kind}"
    return Place(name, name, GROUP)


def _group_tail(place: Place) -> str:
    return re.sub(r"^[\u4e00-\u9fff]+", "", place.name)


def _groups(text: str) -> list[Mention]:
    out = []
    for match in _GROUP_RE.finditer(text):
        stem = match.group(1)
        for at in range(len(stem) - 1):  # the shortest-starting stem that is a name
            if not _GROUP_STEM_STOP.search(stem[at:]):
                stem = stem[at:]
                break
        else:
            continue
        place = make_group(stem, match.group(2), match.group(3))
        out.append(Mention(place, match.end() - len(place.name), match.end(), known=False))
    return out


def same_place(a: Place, b: Place) -> bool:
    """True when two names can mean the same place (a bare base matches any suffix)."""
    if a.is_group or b.is_group:
        if not (a.is_group and b.is_group):
            return False
        short, long = sorted((a, b), key=lambda p: len(p.name))
        # 滇中4州市 / 滇中经济圈4州市: the same count and kind, the same region's first words.
        return long.name.endswith(_group_tail(short)) and long.name[:2] == short.name[:2]
    if a.is_zone or b.is_zone:
        if not (a.is_zone and b.is_zone):
            return False
        # 楚雄高新区 / 高新区 / 楚雄高新技术产业开发区: the same zone written short or long.
        (stem_a, kind_a), (stem_b, kind_b) = _zone_key(a.name), _zone_key(b.name)
        kinds_match = kind_a == kind_b or _DEVELOPMENT_ZONE.issuperset((kind_a, kind_b))
        if not stem_a or not stem_b:  # a bare 开发区 / 高新区: any zone of that kind
            return kinds_match
        # 攀枝花钒钛高新区 / 钒钛高新区: a zone named with or without its city.
        return kinds_match and (stem_a.endswith(stem_b) or stem_b.endswith(stem_a))
    if a.base != b.base:
        return False
    loose = ("", "地区", "盟")  # 许昌地区 is the older name of 许昌市
    return a.suffix in loose or b.suffix in loose or a.suffix == b.suffix


# 经开区 is the short form of 经济(技术)开发区, which pages also call just 开发区.
_DEVELOPMENT_ZONE = frozenset({"开发区", "经开区"})
_ZONE_KIND = {"经济技术开发区": "经开区", "经济开发区": "经开区", "高新技术产业开发区": "高新区"}


def _zone_key(name: str) -> tuple[str, str]:
    """A zone's stem and its kind in short form: 白城经济开发区 -> (白城, 经开区)."""
    kind = _zone(name)
    return name[: len(name) - len(kind)], _ZONE_KIND.get(kind, kind)
# A development zone named only by its kind: "开发区…", "高新区…" with no name before it.
BARE_ZONE_RE = re.compile(r"开发区|高新区|经开区|工业园区|产业园区")


def bare_zone(word: str) -> Place:
    """A zone named only by its kind ("开发区省外到位资金"): any zone of that kind, no other."""
    return Place(word, word, word)


def _suffix_of(name: str) -> str:
    return next((s for s in (*_ZONE_SUFFIX, *_ADMIN_SUFFIX) if name.endswith(s)), "")


def _zone(name: str) -> str:
    return next((s for s in _ZONE_SUFFIX if name.endswith(s)), "")


@dataclass(frozen=True)
class Mention:
    """A place named in a text, and where; `known` when a list named it (not just its suffix)."""

    place: Place
    start: int
    end: int
    known: bool = True


# Bare prefecture names that are also everyday words: only their full names are places.
_COMMON_WORDS = frozenset({"中山", "大同", "安康", "吉安", "通化", "白城", "黑河", "新余", "三明",
                           "宜春", "永安", "长治", "太平", "和平", "新华", "长安"})  # fmt: skip


@cache
def _national_aliases() -> dict[str, Place]:
    """Written name -> place for the static list, then every province, prefecture and county.

    Counties are known by their full names only: a bare 和平 or 新华 is a word, not a district;
    the knowledge base teaches the bare names of the counties its documents are about.
    """
    aliases: dict[str, Place] = {}
    for name in (*_KNOWN, *_ALIASES):
        _learn(aliases, name, bare=True)
    # Current names claim a bare base before historical ones (许昌 -> 许昌市, not 许昌地区).
    for region in sorted(regions(), key=lambda r: r.name.endswith("地区")):
        if len(region.name) > 2 or not region.name.endswith("区"):  # 新区, 郊区: words first
            _learn(aliases, region.name, bare=region.level != "county", loose=True)
    return aliases


def _learn(aliases: dict[str, Place], name: str, *, bare: bool, loose: bool = False) -> None:
    """Know a name, its canonical form and (when `bare`) its base without suffix.

    A `loose` base matches any suffix: a bare 涪陵 is 涪陵区 today though the data lists the old
    涪陵市 first; the bureau's own names (楚雄 -> 楚雄州, not 楚雄市) are kept strict.
    """
    place = make_place(name)
    if len(place.name) < 2:
        return
    aliases.setdefault(name, place)
    aliases.setdefault(place.name, place)
    if bare and not place.is_zone and len(place.base) >= 2 and place.base not in _COMMON_WORDS:
        base = Place(place.name, place.base, "") if loose else place
        aliases.setdefault(place.base, base)


@cache
def _provinces() -> dict[str, str]:
    """Canonical place name -> its province's canonical name."""
    out: dict[str, str] = {}
    for region in regions():
        out.setdefault(make_place(region.name).name, make_place(region.province).name)
    return out


class Gazetteer:
    """Known names (divisions of China plus names learned from the base) and suffix recognition."""

    def __init__(self, extra: Iterable[str] = ()) -> None:
        self._aliases = dict(_national_aliases())
        for name in extra:
            _learn(self._aliases, name, bare=True)
        self._longest = max(map(len, self._aliases))

    def find(self, text: str) -> list[Mention]:
        """Return the places named in `text`, left to right, without overlaps."""
        found = [_before_qualifier(text, m) for m in self._scan(text)]
        found = [m for m in found if m is not None]
        # "楚雄4州市" after 昆明、曲靖、玉溪 counts a list; it is not a group's name.
        for group in _groups(text):
            if group.place.name[: -len(_group_tail(group.place))] not in self._aliases:
                found.append(group)
        starts = {m.start: m for m in found}
        for mention in _by_suffix(text):
            known = starts.get(mention.start)
            written = text[mention.start : mention.end]
            rest = text[known.end : mention.end] if known is not None else ""
            if rest and "自治" not in written and len(rest) - len(_suffix_of(rest)) >= 1:
                # "攀枝花仁和区": a known city, then a district of it ("铜仁高新区" stays whole).
                mention = Mention(make_place(rest), known.end, mention.end, known=False)
            found.append(mention)
        return _without_overlaps(found)

    def _scan(self, text: str) -> list[Mention]:
        """Longest known name at each position, left to right (dictionary look-ups, no regex)."""
        out: list[Mention] = []
        at = 0
        while at < len(text) - 1:
            for size in range(min(self._longest, len(text) - at), 1, -1):
                place = self._aliases.get(text[at : at + size])
                if place is not None:
                    out.append(Mention(place, at, at + size))
                    at += size
                    break
            else:
                at += 1
        return out

    def first(self, text: str) -> Place | None:
        """Return the first place named in `text`."""
        found = self.find(text)
        return found[0].place if found else None


def _by_suffix(text: str) -> list[Mention]:
    """Unknown names recognised by their suffix: the longest stem that starts at a boundary."""
    out: list[Mention] = []
    for match in _SUFFIX_AT.finditer(text):
        end = match.end()
        if _NOT_BEFORE.match(text[end : end + 1]):
            continue  # 市外 / 县级 / 区域: a scope word, not a name
        shortest = 1 if match.group() == "区" else 2  # 东区、西区
        long_name = match.group().startswith("自治") or match.group() in _ZONE_SUFFIX
        longest = MAX_STEM + 4 if long_name else MAX_STEM
        for size in range(min(longest, match.start()), shortest - 1, -1):
            stem = text[match.start() - size : match.start()]
            if size == 1 and stem in "县市州省乡镇全我本各该城园":
                break
            before = match.start() - size - 1
            if _NOT_PLACE.search(stem) or _NOT_NAME.search(stem) or _INSIDE_STOP.search(stem):
                continue
            if before >= 0 and not _BOUNDARY.match(text[before]):
                continue
            if match.group() == "区" and stem[-1] in "城山镇乡村街景社园":
                break
            out.append(Mention(make_place(stem + match.group()), before + 1, end, known=False))
            break
    return out


def _before_qualifier(text: str, mention: Mention) -> Mention | None:
    """A name right before 外/内/级 may end in the qualifier's first character.

    "云南省外到位资金" is 云南 + 省外到位资金: the place is kept, its last character goes back to
    the qualifier. A bare base before 外 with no such character to give ("楚雄外") is dropped.
    """
    if not _NOT_BEFORE.match(text[mention.end : mention.end + 1]):
        return mention
    if text.startswith(("外资", "外商"), mention.end):
        return mention  # "落户内江外资企业": 外资 is a word of its own, not a qualifier
    written = text[mention.start : mention.end]
    if written[-1] in "省州市县区" and len(written) >= 3:
        return Mention(mention.place, mention.start, mention.end - 1, mention.known)
    bare = not mention.place.suffix or written == mention.place.base
    return None if bare else mention


def _without_overlaps(mentions: list[Mention]) -> list[Mention]:
    mentions.sort(key=lambda m: (m.start, -(m.end - m.start)))
    out: list[Mention] = []
    for mention in mentions:
        if out and mention.start < out[-1].end:
            continue
        out.append(mention)
    return out


# One-character names of provinces; "来皖投资" / "入滇" / "在黔投资" say which province hosts the
# investment a report is about (while "赴粤招商" names where the bureau went, not its home).
PROVINCE_ABBREVIATIONS = {
    "滇": "云南省", "川": "四川省", "蜀": "四川省", "黔": "贵州省", "桂": "广西", "粤": "广东省",
    "闽": "福建省", "赣": "江西省", "湘": "湖南省", "鄂": "湖北省", "豫": "河南省", "皖": "安徽省",
    "苏": "江苏省", "浙": "浙江省", "鲁": "山东省", "冀": "河北省", "晋": "山西省", "陕": "陕西省",
    "秦": "陕西省", "陇": "甘肃省", "琼": "海南省", "辽": "辽宁省", "渝": "重庆市", "沪": "上海市",
    "藏": "西藏",
}  # fmt: skip
_LETTERS = "".join(PROVINCE_ABBREVIATIONS)
_HOST = re.compile(rf"(?:来|入)([{_LETTERS}])|在([{_LETTERS}])(?:投资|兴业|发展|落户)")


def host_province(text: str) -> Place | None:
    """The province a text says investment comes into ("来皖投资" -> 安徽省), if it says so."""
    match = _HOST.search(text or "")
    if match is None:
        return None
    return make_place(PROVINCE_ABBREVIATIONS[match.group(1) or match.group(2)])


@cache
def _county_bases() -> dict[str, tuple[str, ...]]:
    """Bare base -> the county-level names that share it (朝阳 -> 朝阳区, 朝阳县)."""
    out: dict[str, list[str]] = {}
    for region in regions():
        place = make_place(region.name)
        if region.level == "county" and len(place.base) >= 2 and place.base not in _COMMON_WORDS:
            out.setdefault(place.base, []).append(place.name)
    return {base: tuple(dict.fromkeys(names)) for base, names in out.items()}


def bare_county(text: str, suffix: str) -> Place | None:
    """The one county-level place of `suffix` (县/区/市) a text names only by its bare base
    ("宣传推介中江" -> 中江县); None when none or several could be meant."""
    hits = {
        name
        for base, names in _county_bases().items()
        if base in text
        for name in names
        if name.endswith(suffix)
    }
    return make_place(hits.pop()) if len(hits) == 1 else None


def province_of(place: Place | None) -> Place | None:
    """Return the province a place is in, when the divisions of China name it."""
    if place is None:
        return None
    if place.is_province:
        return place
    province = _provinces().get(place.name)
    return make_place(province) if province else None
