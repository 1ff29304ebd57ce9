"""分别为 / 依次为 lists: one figure per place, never one figure for the whole list.

"昆明、曲靖、红河、楚雄省外到位资金分别为1286.4亿元、652.3亿元、476.9亿元和198.7亿元，
同比分别增长12.8%、15.6%、10.9%和17.3%" holds eight figures: each place's amount and growth.
The places are read with the gazetteer (so a bare 楚雄 is 楚雄州); a second list in the same
sentence ("同比分别增长…") reuses the first list's places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from knowledge.figures import figures_in
from knowledge.identity import GAZETTEER
from knowledge.naming import clean_name, qualifier_of, strip_clause
from knowledge.records import Indicator

_MARK = re.compile(r"(?:分别|依次)(为|是|达到|达|完成|实现|增长|下降|提高|占|居)?")
_BETWEEN = re.compile(r"^[\s、，,和及与]*$")
_CLAUSE_START = re.compile(r"[，,；;：:。]")
_VERB_NAMES = {"增长": "增长", "下降": "下降", "提高": "提高"}


@dataclass
class ListFigures:
    """The figures of the lists in one sentence, and the sentence with them blanked out."""

    indicators: list[Indicator]
    rest: str


def list_figures(sentence: str, sid: str, period: str | None) -> ListFigures:
    """Expand every 分别为 list of the sentence into per-place indicators."""
    found: list[Indicator] = []
    rest = sentence
    places: list[str] = []
    topic = ""
    for mark in _MARK.finditer(sentence):
        lead, values = _values_after(sentence, mark.end())
        head_start = _clause_start(sentence, mark.start())
        head = sentence[head_start : mark.start()]
        pairs = _pairs_after(sentence, mark, head_start, (sid, period))
        if pairs is not None:
            found.extend(pairs)
            rest = _blanked(rest, head_start, len(sentence))
            continue
        named, own_topic = _places_and_topic(head)
        if not named and not head.strip(" ，,已均都") and head_start > 0:
            # "昭通、保山…六州市的项目落地率均达到或超过30%，分别为51%、40%…"
            head_start = _clause_start(sentence, head_start - 1)
            named, own_topic = _places_and_topic(sentence[head_start : mark.start()])
        if not named and not places and head_start > 0 and not _topic_names(head):
            # "海口、儋州、澄迈和文昌签约项目较多，且项目落地率分别达到47%、49%、74%和90%"
            earlier = sentence[_clause_start(sentence, head_start - 1) : head_start]
            before, _topic = _places_and_topic(earlier)
            if before and len(before) == len(values):
                named, own_topic = before, _CONNECTIVE.sub("", head.strip(" ，,"))
        if named:
            places, topic = named, own_topic
        elif places:
            verb = _VERB_NAMES.get(mark.group(1) or "", "")
            own_topic = f"{topic}{head.strip(' ，,')}{verb}"
        own_topic = f"{own_topic}{lead}"
        if not named and not places:
            # "入园项目的履约率、落地率和开工率分别为82%、32%和41%": one figure per named rate.
            names = _topic_names(head) or _sector_names(head, lead)
            if names and len(names) == len(values):
                found.extend(
                    _listed(name, value, sentence, sid, period, None)
                    for name, value in zip(names, values, strict=True)
                )
                rest = _blanked(rest, head_start, values[-1][2])
            continue
        if not places or len(values) != len(places) or not own_topic:
            continue
        name = clean_name(own_topic)
        found.extend(
            _listed(name, figure, sentence, sid, period, place)
            for place, figure in zip(places, values, strict=True)
        )
        rest = _blanked(rest, head_start, values[-1][2])
    for top in _TOP.finditer(sentence):
        start = _clause_start(sentence, top.start())
        name = clean_name(_TOP_NAME_END.sub("", sentence[start : top.start()]))
        ranked = _ranked_places(sentence, top.end())
        if len(ranked) >= 2 and name:
            found.extend(
                _listed(name, (value, unit, end), sentence, sid, period, place)
                for place, value, unit, end in ranked
            )
            rest = _blanked(rest, start, ranked[-1][3])
    return ListFigures(found, rest)


def _pairs_after(
    sentence: str, mark: re.Match[str], head_start: int, where: tuple[str, str | None]
) -> list[Indicator] | None:
    """"全市新签约项目344个，分别为：霍邱县52个、舒城县52个…": each place with its own figure.

    The name is the clause before the total ("全市新签约项目344个"), less its period and scope.
    """
    colon = re.match(r"\s*[:：]?", sentence[mark.end() :])
    ranked = _ranked_places(sentence, mark.end() + (colon.end() if colon else 0))
    if len(ranked) < 2:
        return None
    clause_start = _clause_start(sentence, head_start - 1) if head_start else 0
    total = sentence[clause_start:head_start]
    figures = figures_in(total)
    name = clean_name(strip_clause(total[: figures[0].start] if figures else ""))
    if not name:
        return None
    return [
        _listed(name, (value, unit, end), sentence, *where, place)
        for place, value, unit, end in ranked
    ]


# "招商引资区外到位资金完成总量排在前三位的是岑溪市82.0亿元，万秀区80.3亿元，藤县77.4亿元"
_TOP = re.compile(
    r"(?:(?:排在?|位居|居)前[二三四五六2-6]位?的?|前[二三四五六2-6]名)(?:是|为|依次为|依次是)"
)
_TOP_NAME_END = re.compile(r"(?:完成)?(?:总量|总额|总数)?$")
_LOCAL_ZONE = re.compile(r"[省州市县区]?(?:经济技术开发区|经济开发区|高新区|经开区|开发区)")
_RANK_GAP = re.compile(r"[\s，,、和及；;]*")


def _ranked_places(sentence: str, cursor: int) -> list[tuple[str, float, str, int]]:
    """The "place figure, place figure…" run after a top-N phrase."""
    out = []
    while True:
        cursor = _RANK_GAP.match(sentence, cursor).end()
        mentions = GAZETTEER.find(sentence[cursor : cursor + 12])
        local = _LOCAL_ZONE.match(sentence, cursor)
        if mentions and mentions[0].start == 0:
            name, after = mentions[0].place.name, cursor + mentions[0].end
        elif local:  # "市开发区39个": the city's own zone, named by its kind
            name, after = local.group(), local.end()
        else:
            return out
        figures = figures_in(sentence[after : after + 16])
        if not figures or figures[0].start != 0:
            return out
        figure = figures[0]
        out.append((name, figure.value, figure.unit, after + figure.end))
        cursor = after + figure.end


def _listed(
    name: str,
    figure: tuple[float, str, int],
    sentence: str,
    sid: str,
    period: str | None,
    place: str | None,
) -> Indicator:
    return Indicator(
        name=name, value=figure[0], unit=figure[1], period=period, section=sid,
        quote=sentence, qualifier=qualifier_of(name), place=place,
    )  # fmt: skip


def _blanked(text: str, start: int, end: int) -> str:
    return text[:start] + "□" * (end - start) + text[end:]


_CONNECTIVE = re.compile(r"^(?:且|并且|并|其|而且|同时)")
_TOPIC_SPLIT = re.compile(r"[、]|(?<=率)[和与及]")


# "一、二、三产业分别到位资金为5.4亿元、29.1亿元、19.2亿元", "第一、二、三产业分别…".
_SECTORS = re.compile(r"第?([一二三])(?:、|和|及)第?([一二三])(?:(?:、|和|及)第?([一二三]))?产业?")


def _sector_names(head: str, lead: str) -> list[str]:
    """One name per sector of an enumeration of 一/二/三产业: 一产到位资金, 二产到位资金…"""
    match = _SECTORS.search(head)
    if match is None:
        return []
    noun = clean_name(re.sub(r"(?:为|是|达到?|分别)$", "", head[match.end() :] + lead))
    if not noun:
        return []
    return [f"{n}产{noun}" for n in match.groups() if n]


def _topic_names(head: str) -> list[str]:
    """"项目履约率、开工率与资金到位率" -> 项目履约率, 项目开工率, 项目资金到位率.

    The owner of the first rate ("入园项目的…", "项目…") owns them all; only lists of rates
    are read this way, where the shared owner is unambiguous.
    """
    items = [i.strip(" ，,") for i in _TOPIC_SPLIT.split(strip_clause(head))]
    if len(items) < 2 or not all(i.endswith("率") and 2 <= len(i) <= 14 for i in items):
        return []
    first = items[0]
    owner, _, rate = first.rpartition("的")
    if not owner and len(first) > 3:
        owner, rate = first[:-3], first[-3:]
    names = [clean_name(owner + item) for item in (rate or first, *items[1:])]
    return names if all(names) else []


def _clause_start(sentence: str, before: int) -> int:
    starts = [m.end() for m in _CLAUSE_START.finditer(sentence, 0, before)]
    return starts[-1] if starts else 0


def _values_after(sentence: str, start: int) -> tuple[str, list[tuple[float, str, int]]]:
    """The noun a list mark may carry ("分别到位资金") and the run of figures after it.

    Figures are separated only by 、 ， 和; when only the last carries its unit ("51、40和30%"),
    the others take it.
    """
    lead = _LEAD.match(sentence, start)
    noun = lead.group(1) if lead else ""
    cursor = start + len(lead.group(0)) if lead else start
    bare = _BARE_RUN.match(sentence, cursor)
    if bare:
        numbers = re.findall(r"\d+(?:\.\d+)?", bare.group("numbers"))
        unit = bare.group("unit")
        values = [(float(n), unit, bare.end()) for n in numbers]
        return noun, values
    out: list[tuple[float, str, int]] = []
    for figure in figures_in(sentence[cursor:]):
        between = sentence[cursor : cursor + figure.start] if not out else sentence[
            out[-1][2] : cursor + figure.start
        ]
        if not _BETWEEN.match(between):
            break
        out.append((figure.value, figure.unit, cursor + figure.end))
    return noun, out


# A short noun between 分别 and the figures: "分别到位资金40.7亿、39.05亿…".
_LEAD = re.compile(r"([\u4e00-\u9fff]{2,8}?)(?=\d)")
_BARE_RUN = re.compile(
    r"(?P<numbers>\d+(?:\.\d+)?(?:[、,，和及与]\d+(?:\.\d+)?)+)\s*(?P<unit>%|个百分点|亿元|万元|万美元|个|家|项)"
)
# "4州市" / "六州市" after an enumeration counts it; it is not part of the topic.
_GROUP_COUNT = re.compile(
    r"^[0-9一二两三四五六七八九十]+个?(?:州市|县市|县区|市县|州|市|县|区|省)"
)
_TOPIC_END = re.compile(r"(?:均|都|已|共|全部|合计|累计|[\d，,]).*$")


def _places_and_topic(head: str) -> tuple[list[str], str]:
    """Split "玉溪、保山、楚雄、大理的签约项目落地率" into its places and its topic."""
    mentions = GAZETTEER.find(head)
    if len(mentions) < 2:
        return [], ""
    # The places must be the head's enumeration: consecutive, joined by 、 / 和 / 及.
    for left, right in pairwise(mentions):
        if not _BETWEEN.match(head[left.end : right.start]):
            return [], ""
    topic = _GROUP_COUNT.sub("", head[mentions[-1].end :]).lstrip("的")
    return [m.place.name for m in mentions], _TOPIC_END.sub("", topic)
