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
from knowledge.naming import clean_name, qualifier_of
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
        values = _values_after(sentence, mark.end())
        head_start = _clause_start(sentence, mark.start())
        head = sentence[head_start : mark.start()]
        named, own_topic = _places_and_topic(head)
        if named:
            places, topic = named, own_topic
        elif places:
            verb = _VERB_NAMES.get(mark.group(1) or "", "")
            own_topic = f"{topic}{head.strip(' ，,')}{verb}"
        if not places or len(values) != len(places) or not own_topic:
            continue
        name = clean_name(own_topic)
        for place, figure in zip(places, values, strict=True):
            found.append(Indicator(
                name=name, value=figure[0], unit=figure[1], period=period, section=sid,
                quote=sentence, qualifier=qualifier_of(name), place=place,
            ))  # fmt: skip
        end = values[-1][2]
        rest = rest[:head_start] + "□" * (end - head_start) + rest[end:]
    return ListFigures(found, rest)


def _clause_start(sentence: str, before: int) -> int:
    starts = [m.end() for m in _CLAUSE_START.finditer(sentence, 0, before)]
    return starts[-1] if starts else 0


def _values_after(sentence: str, start: int) -> list[tuple[float, str, int]]:
    """The run of figures right after the list mark, separated only by 、 ， 和."""
    out: list[tuple[float, str, int]] = []
    cursor = start
    tail = sentence[start:]
    for figure in figures_in(tail):
        between = sentence[cursor : start + figure.start]
        if out and not _BETWEEN.match(between):
            break
        if not out and between.strip():
            break
        out.append((figure.value, figure.unit, start + figure.end))
        cursor = start + figure.end
    return out


def _places_and_topic(head: str) -> tuple[list[str], str]:
    """Split "玉溪、保山、楚雄、大理的签约项目落地率" into its places and its topic."""
    mentions = GAZETTEER.find(head)
    if len(mentions) < 2:
        return [], ""
    # The places must be the head's enumeration: consecutive, joined by 、 / 和 / 及.
    for left, right in pairwise(mentions):
        if not _BETWEEN.match(head[left.end : right.start]):
            return [], ""
    topic = head[mentions[-1].end :].lstrip("的")
    return [m.place.name for m in mentions], topic
