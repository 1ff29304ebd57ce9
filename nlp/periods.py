"""What period, year and place a question asks about, and whether the base holds it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_PERIODS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("FY", re.compile(r"全年|1-12月|年度|一整年")),
    ("H2", re.compile(r"下半年|7-12月|7至12月|7到12月")),
    ("Q34", re.compile(r"前三季度|1-9月|三季度|四季度|第三季度|第四季度")),
    ("Q1", re.compile(r"一季度|第一季度|1-3月")),
    ("H1", re.compile(r"上半年|前半年|1-6月|1至6月|1到6月|半年")),
)
_HELD_PERIODS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("FY", re.compile(r"全年|1-12月|年度|一整年")),
    ("H2", re.compile(r"下半年|7-12月")),
    ("Q34", re.compile(r"1-9月|前三季度")),
    ("Q1", re.compile(r"1-3月|一季度")),
    ("H1", re.compile(r"上半年|1-[456]月|半年")),
)
_YEAR = re.compile(r"(20\d\d)\s*年?")
_RELATIVE_YEAR = {"去年": -1, "前年": -2, "明年": 1, "今年": 0, "本年": 0}
# "比去年同期增长" is how a growth rate is defined, not a question about last year.
_BASELINE = re.compile(
    r"(?:比|较|与|同|对比|相比|相较)(?:于)?(?:去年|上年)(?:同期)?(?:相比)?|去年同期"
)
PLACES = (
    "楚雄市",
    "禄丰",
    "双柏",
    "牟定",
    "南华",
    "姚安",
    "大姚",
    "永仁",
    "元谋",
    "武定",
    "昆明",
    "大理",
    "曲靖",
    "玉溪",
    "红河",
    "全省",
    "云南省",
    "全国",
)
# "全年目标" / "年度任务" name the target's horizon, not the period asked about.
_TARGET_WORDS = re.compile(r"目标|任务|计划|进度")
PERIOD_NAMES = {"FY": "全年", "H1": "上半年", "H2": "下半年", "Q1": "一季度", "Q34": "前三季度"}


@dataclass(frozen=True)
class Scope:
    """The period, year and places named in a question."""

    period: str | None = None
    year: int | None = None
    places: tuple[str, ...] = ()


@lru_cache(maxsize=4096)
def held_period(text: str | None) -> str | None:
    """Return the period code of an indicator's period text ("1-6月" -> "H1")."""
    for code, pattern in _HELD_PERIODS:
        if text and pattern.search(text):
            return code
    return None


def question_scope(text: str, latest_year: int | None) -> Scope:
    """Return the period, year and places a normalised question names."""
    period = next((code for code, pattern in _PERIODS if pattern.search(text)), None)
    if period == "FY" and _TARGET_WORDS.search(text):
        period = next(
            (c for c, p in _PERIODS if c != "FY" and p.search(_PERIODS[0][1].sub("", text))),
            None,
        )
    year = None
    match = _YEAR.search(text)
    if match:
        year = int(match.group(1))
    elif latest_year is not None:
        relative = _BASELINE.sub("", text)
        for word, delta in _RELATIVE_YEAR.items():
            if word in relative:
                year = latest_year + delta
                break
    places = tuple(p for p in PLACES if p in text)
    return Scope(period, year, places)
