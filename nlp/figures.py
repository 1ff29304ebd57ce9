"""Match a question to the figure it asks for: indicator by name/synonym/qualifier, then aspect.

An indicator row offers up to four figures: its value, its target, its progress and its gap
to target. The question's cue words say which one is asked ("目标" -> target, "进度/完成" ->
progress, "高于/提前" -> gap); the asked figure goes first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.kb import IndicatorInfo

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_ASPECT_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("progress", re.compile(r"进度|完成了|完成全年|完成率|完成多少|完成的|完成情况|完成比例")),
    ("gap", re.compile(r"高于|超过目标|超出|超目标|提前|差距|比目标|多出|高出")),
    ("target", re.compile(r"目标|任务|计划")),
)
# Question words that carry no topic; removed before name matching.
_STOP = re.compile(
    r"多少|几个|几次|几场|几家|几项|几|是什么|有多少|一共|总共|达到|了|的|吗|呢|啊|呀|是|有|"
    r"百分之|今年|上半年|1-6月|同比|请问|情况|怎么样|金额|数量|数|人数|个数|次数"
)


_QUANTITY = re.compile(
    r"多少|几|数|率|比重|占比|增长|增幅|增速|目标|进度|规模|金额|总额|%|百分|完成|高于|提前"
)


def _bigrams(*texts: str) -> set[str]:
    grams: set[str] = set()
    for text in texts:
        compact = "".join(ch for ch in text.lower() if ch.isalnum())
        grams.update(compact[i : i + 2] for i in range(len(compact) - 1))
    return grams


def asked_aspect(question: str) -> str:
    """Return which figure the question asks for: value, target, progress or gap."""
    for aspect, pattern in _ASPECT_CUES:
        if pattern.search(question):
            return aspect
    return "value"


def first_number(text: str | None) -> float | None:
    """Return the first number in `text`, if any."""
    match = _NUMBER.search(text or "")
    return float(match.group()) if match else None


def _name_aspect(name: str) -> str:
    if "进度" in name and "时序" not in name:
        return "progress"
    if re.search(r"高于|超过|提前", name):
        return "gap"
    if "目标" in name:
        return "target"
    return "value"


@dataclass(frozen=True)
class Figure:
    """One figure an indicator offers, with the aspect it answers."""

    indicator: IndicatorInfo
    aspect: str
    value: float
    unit: str
    score: float


def name_score(question: str, canonical: list[str], indicator: IndicatorInfo) -> float:
    """Return 0..1: how well the question names this indicator (bigram overlap)."""
    query = _bigrams(_STOP.sub(" ", question), *canonical)
    if not query:
        return 0.0
    name = _bigrams(indicator.name + (indicator.qualifier or ""))
    if not name:
        return 0.0
    around = name | _bigrams(indicator.context or indicator.quote)
    shared = len(query & name)
    covered = len(query & around) / len(query)
    score = 0.35 * shared / len(query) + 0.35 * shared / len(name) + 0.30 * covered
    if covered < 0.7 and not _QUANTITY.search(question):
        # No word asks for a quantity and much of the question is about something else
        # ("招商项目清单制度"): this is probably not a figure question.
        score *= 0.6
    return score


def figures_of(indicator: IndicatorInfo, base: float) -> list[Figure]:
    """Return the figures an indicator row offers, each scored `base` before aspect fit."""
    out = [Figure(indicator, _name_aspect(indicator.name), indicator.value, indicator.unit, base)]
    if indicator.target_value is not None:
        unit = indicator.unit if indicator.unit == "%" else ""
        out.append(Figure(indicator, "target", indicator.target_value, unit, base))
    progress = first_number(indicator.progress)
    if progress is not None:
        out.append(Figure(indicator, "progress", progress, "%", base))
    gap = first_number(indicator.gap)
    if gap is not None:
        out.append(Figure(indicator, "gap", gap, "个百分点", base))
    return out


def rank_figures(
    question: str, canonical: list[str], indicators: list[IndicatorInfo]
) -> list[Figure]:
    """Return every candidate figure, best first: name match plus aspect fit."""
    aspect = asked_aspect(question)
    ranked: list[Figure] = []
    for indicator in indicators:
        base = name_score(question, canonical, indicator)
        if base <= 0:
            continue
        for figure in figures_of(indicator, base):
            ranked.append(_with_aspect_fit(figure, aspect))
    ranked.sort(key=lambda f: -f.score)
    return ranked


def _with_aspect_fit(figure: Figure, asked: str) -> Figure:
    if figure.aspect == asked:
        bonus = 0.25
    elif asked == "value":
        bonus = -0.2
    else:
        bonus = -0.15
    return Figure(figure.indicator, figure.aspect, figure.value, figure.unit, figure.score + bonus)
