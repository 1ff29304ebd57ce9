"""What place, year and span of months a question asks about (the scope package's rules)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scope.periods import Period, find_span, find_year
from scope.places import (
    BARE_ZONE_RE,
    HOME_PREFECTURE,
    HOME_PROVINCE,
    Gazetteer,
    Place,
    bare_zone,
    make_place,
)

# "全年目标" / "年度任务" name the target's horizon, not the period asked about.
_TARGET_WORDS = re.compile(r"目标|任务|计划|进度")
# Scope words a question uses for the bureau's own prefecture and province.
_HOME_WORDS = {"全州": HOME_PREFECTURE, "我州": HOME_PREFECTURE, "本州": HOME_PREFECTURE,
               "全省": HOME_PROVINCE, "我省": HOME_PROVINCE}  # fmt: skip


@dataclass(frozen=True)
class Scope:
    """The year, span of months and places named in a question."""

    year: int | None = None
    span: tuple[int, int] | None = None
    places: tuple[Place, ...] = ()

    @property
    def period(self) -> Period:
        """The asked period (year and span, either may be missing)."""
        return Period(self.year, *(self.span or (None, None)))

    @property
    def place_names(self) -> str:
        """The asked places as a reply names them."""
        return "、".join(p.name for p in self.places)


def question_scope(text: str, latest_year: int | None, gazetteer: Gazetteer) -> Scope:
    """Return the year, span and places a normalised question names."""
    span = find_span(text)
    if span == (1, 12) and _TARGET_WORDS.search(text):
        span = find_span(re.sub(r"全年|年度", "", text))
    year = find_year(text, latest_year, short=True)
    mentions = gazetteer.find(text)
    places = [m.place for m in mentions]
    for match in BARE_ZONE_RE.finditer(text):
        covered = any(m.start <= match.start() < m.end for m in mentions)
        if not covered:
            places.append(bare_zone(match.group()))
    for word, name in _HOME_WORDS.items():
        # "安徽全省", "淮北…全省第几": with a place named, 全省/全州 is that place's, not ours.
        if word in text and not places:
            places.append(make_place(name))
    return Scope(year, span, tuple(dict.fromkeys(places)))
