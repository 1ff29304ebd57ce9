"""Match a question to the figure it asks for: indicator by name/synonym/qualifier, then aspect.

An indicator row offers up to four figures: its value, its target, its progress and its gap
to target. The question's cue words say which one is asked ("目标" -> target, "进度/完成" ->
progress, "高于/提前" -> gap); the asked figure goes first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from nlp.kb import IndicatorInfo
from nlp.kb_tables import IndicatorTable
from nlp.periods import held_period

ASPECT_BONUS = 0.25
ASPECT_WINDOW = 0.12  # names scoring within this of the best compete on the asked aspect
# Scope words that make two otherwise equal names different figures.
QUALIFIERS = (
    "州外",
    "省外",
    "市外",
    "县外",
    "境外",
    "国外",
    "州内",
    "省内",
    "市内",
    "县内",
    "州级",
    "省级",
    "市级",
    "县级",
    "县市",
    "乡镇",
)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_NUMBER_UNIT = re.compile(r"(-?\d+(?:\.\d+)?)\s*(个百分点|%|万美元|亿元|万元|万人|个|次|家|项)?")
_ASPECT_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("gap", re.compile(r"高于|超过目标|超出|超目标|提前|时序|差距|(?<!占)比目标|多出|高出")),
    ("progress", re.compile(r"进度|完成了|完成全年|完成率|完成多少|完成的|完成情况|完成比例")),
    ("target", re.compile(r"目标|任务|计划")),
)
# Question words that carry no topic; removed before name matching.
_STOP = re.compile(
    r"多少|几个|几次|几场|几家|几项|几|是什么|有多少|一共|总共|达到|了|的|吗|呢|啊|呀|是|有|"
    r"百分之|今年|上半年|1-6月|同比|请问|情况|怎么样"
)


# "Which ...?" asks for names (counties, companies), not for a figure.
_WHICH = re.compile(r"哪几|哪些|哪个|哪家|哪里|在哪|是谁|有谁")
# Unit words a question may use, and the units that answer them.
_UNIT_CUES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"人数|多少人|几人|多少万人"), ("人",)),
    (re.compile(r"几次|多少次|次数"), ("次",)),
    (re.compile(r"几场|多少场"), ("场",)),
    (re.compile(r"几家|多少家|(?:多少|几个)(?:企业|公司|客商|商会)|企业数"), ("家",)),
    (re.compile(r"(?:多少|几)个?项目|项目数"), ("个", "项")),
    (re.compile(r"百分|%|率|比重|占比|增幅|增速|增长|涨"), ("%",)),
    (re.compile(r"多少钱|金额|美元|亿|万元"), ("元",)),
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
    if re.search(r"高于|超过|提前|时序", name):
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
    source: str = "value"  # which field it comes from: value | target | progress | gap
    base: float = 0.0  # the name match alone (evidence that this is the asked indicator)
    asked: str = "value"  # the aspect the question asked for


def question_bigrams(question: str, canonical: list[str]) -> set[str]:
    """Return the bigrams of the question's content words plus its canonical terms."""
    return _bigrams(_STOP.sub(" ", question), *canonical)


_NO_YEAR = np.iinfo(np.int32).min  # a document without a year, in an int32 array


@dataclass
class _Group:
    """Indicator rows sharing one label (name + qualifier + unit) across documents, newest first.

    Members are row numbers of the indicator table; a figure is built only for the few rows a
    question expands, so a large base's figures stay in its memory-mapped table.
    """

    name: frozenset[str]
    around: frozenset[str]
    qualifiers: frozenset[str]
    unit: str
    members: np.ndarray
    by_year: dict[int | None, np.ndarray]
    by_period: dict[str | None, np.ndarray]


MEMBERS_PER_GROUP = 3  # documents expanded per matching label (asked year/period, else latest)


class FigureIndex:
    """Indicator labels with their bigrams precomputed, bigram postings, members by recency.

    The same figure recurs in every year's report; matching is done once per distinct label,
    then the asked year's (or the latest) documents supply the values.
    """

    def __init__(
        self,
        indicators: IndicatorTable | list[IndicatorInfo],
        document_rank: dict[int, int] | None = None,
        document_year: dict[int, int | None] | None = None,
    ) -> None:
        if not isinstance(indicators, IndicatorTable):
            indicators = IndicatorTable.from_records(list(indicators))
        self.indicators = indicators
        self.groups: list[_Group] = []
        self.postings: dict[str, list[int]] = {}
        table = indicators.table
        rank, year = document_rank or {}, document_year or {}
        docs, doc_of_row = np.unique(np.asarray(table["doc"]), return_inverse=True)
        row_rank = np.asarray([rank.get(int(d), 0) for d in docs], dtype=np.int64)[doc_of_row]
        years = [year.get(int(d)) for d in docs]
        self._row_year = np.asarray([_NO_YEAR if y is None else y for y in years], dtype=np.int64)[
            doc_of_row
        ]
        periods = table["period"].vocabulary
        self._held = [held_period(p) for p in periods]  # by period code
        self._row_period = np.asarray(table["period"].codes)
        # Rows in document rank order (stable: reading order within a document).
        order = np.argsort(row_rank, kind="stable")
        name_codes = np.asarray(table["name"].codes, dtype=np.int64)[order]
        qualifier_codes = np.asarray(table["qualifier"].codes, dtype=np.int64)[order]
        unit_codes = np.asarray(table["unit"].codes, dtype=np.int64)[order]
        keys = (name_codes * (len(table["qualifier"].vocabulary) + 1) + qualifier_codes) * (
            len(table["unit"].vocabulary) + 1
        ) + unit_codes
        combos, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        group_of_combo = np.zeros(len(combos), dtype=np.int64)
        by_label: dict[tuple[str, str], int] = {}
        # Labels in order of first appearance: groups are numbered as the rows first meet them.
        for combo in np.argsort(first, kind="stable"):
            head = int(order[first[combo]])
            indicator = indicators.record(head)
            # Names are stripped of the same filler words as questions ("同比", "的").
            label = _STOP.sub(" ", indicator.name + " " + (indicator.qualifier or ""))
            number = by_label.get((label, indicator.unit))
            if number is None:
                number = by_label[(label, indicator.unit)] = len(self.groups)
                self.groups.append(self._new_group(label, indicator))
            group_of_combo[combo] = number
        group_of_row = group_of_combo[inverse]
        members = order[np.argsort(group_of_row, kind="stable")]
        ends = np.cumsum(np.bincount(group_of_row, minlength=len(self.groups)))
        for number, group in enumerate(self.groups):
            start = int(ends[number - 1]) if number else 0
            self._set_members(group, members[start : int(ends[number])])

    def _new_group(self, label: str, indicator: IndicatorInfo) -> _Group:
        name = frozenset(_bigrams(label))
        around = frozenset(name | _bigrams(indicator.context or indicator.quote))
        scope = frozenset(q for q in QUALIFIERS if q in label)
        for gram in around:
            self.postings.setdefault(gram, []).append(len(self.groups))
        empty = np.zeros(0, dtype=np.int64)
        return _Group(name, around, scope, indicator.unit, empty, {}, {})

    def _set_members(self, group: _Group, rows: np.ndarray) -> None:
        """Give a group its rows, and the rows of each year and each period, newest first."""
        group.members = rows
        years = self._row_year[rows]
        for value in dict.fromkeys(years.tolist()):
            key = None if value == _NO_YEAR else int(value)
            group.by_year[key] = rows[years == value]
        held = np.asarray([self._held[c] or "" for c in self._row_period[rows]], dtype=object)
        for value in dict.fromkeys(held.tolist()):
            group.by_period[value or None] = rows[held == value]

    def _scored_groups(self, question: str, canonical: list[str]) -> list[tuple[_Group, float]]:
        literal = question_bigrams(question, [])
        expanded = question_bigrams(question, canonical) if canonical else literal
        if not expanded:
            return []
        hit = {i for gram in expanded for i in self.postings.get(gram, ())}
        quantity_less = not _QUANTITY.search(question)
        asked = frozenset(q for q in QUALIFIERS if q in question)
        out = []
        for i in sorted(hit):
            group = self.groups[i]
            # Synonyms are alternatives: they may help a match but never dilute a literal one.
            score = max(
                _score(query, group.name, group.around, question, quantity_less)
                for query in (literal, expanded)
                if query
            )
            if asked and group.qualifiers and not asked & group.qualifiers:
                score *= 0.5  # asked 市外, this is 州外: a different figure
            out.append((group, score + _unit_fit(question, group.unit)))
        return out

    def scored(self, question: str, canonical: list[str]) -> list[tuple[IndicatorInfo, float]]:
        """Return (newest indicator of each matching label, name score)."""
        return [
            (self.indicators.record(int(g.members[0])), score)
            for g, score in self._scored_groups(question, canonical)
        ]

    def rank(
        self,
        question: str,
        canonical: list[str],
        year: int | None = None,
        period: str | None = None,
    ) -> list[Figure]:
        """Return candidate figures, best first: name match plus aspect fit."""
        aspect = asked_aspect(question)
        scored = [(g, base) for g, base in self._scored_groups(question, canonical) if base > 0]
        if not scored:
            return []
        # The name decides which indicator; the aspect only chooses among near-equal names
        # (asked "外资完成目标没有": report the foreign-capital figure held, not another
        # indicator that happens to have a progress figure).
        best = max(base for _g, base in scored)
        ranked = [
            _with_aspect_fit(figure, aspect)
            for group, base in scored
            if base >= best - ASPECT_WINDOW
            for indicator in self._members(group, year, period)
            for figure in figures_of(indicator, base)
        ]
        ranked.sort(key=lambda f: -f.score)
        return ranked

    def _members(self, group: _Group, year: int | None, period: str | None) -> list[IndicatorInfo]:
        members = group.members
        if year is not None:
            chosen = group.by_year.get(year)
            members = chosen if chosen is not None and len(chosen) else members
        if period is not None:
            if members is group.members:
                chosen = group.by_period.get(period)
            else:
                held = [self._held[c] for c in self._row_period[members]]
                chosen = members[[h == period for h in held]] if len(members) else None
            members = chosen if chosen is not None and len(chosen) else members
        return [self.indicators.record(int(row)) for row in members[:MEMBERS_PER_GROUP]]


def _score(
    query: set[str],
    name: frozenset[str],
    around: frozenset[str],
    question: str,
    quantity_less: bool,
) -> float:
    if not name:
        return 0.0
    shared = len(query & name)
    covered = len(query & around) / len(query)
    score = 0.35 * shared / len(query) + 0.35 * shared / len(name) + 0.30 * covered
    if (covered < 0.7 and quantity_less) or _WHICH.search(question):
        # No word asks for a quantity and much of the question is about something else
        # ("招商项目清单制度"), or it asks "which": probably not a figure question.
        score *= 0.6
    return score


def _unit_fit(question: str, unit: str) -> float:
    """Return a small bonus when the question's unit word matches the figure's unit.

    A count noun the figure cannot answer ("多少企业" vs a figure in 场) costs as much.
    """
    for pattern, wanted in _UNIT_CUES:
        if pattern.search(question):
            if any(w in unit for w in wanted):
                return 0.1
            return -0.2 if "%" not in wanted and unit else 0.0
    return 0.0


def figures_of(indicator: IndicatorInfo, base: float) -> list[Figure]:
    """Return the figures an indicator row offers, each scored `base` before aspect fit."""
    own = _name_aspect(indicator.name)
    out = [Figure(indicator, own, indicator.value, indicator.unit, base)]
    # A row that is itself a gap or progress figure repeats its parent's target: prefer the
    # parent's copy.
    derived = base if own == "value" else base - 0.05
    if indicator.target_value is not None and own != "target":
        parsed = number_with_unit(indicator.target)
        unit = parsed[1] if parsed else ""
        out.append(Figure(indicator, "target", indicator.target_value, unit, derived, "target"))
    for field, text in (("progress", indicator.progress), ("gap", indicator.gap)):
        parsed = number_with_unit(text)
        if parsed is not None and own != field and "时序" not in (text or ""):
            out.append(Figure(indicator, field, parsed[0], parsed[1], derived, field))
    return out


def number_with_unit(text: str | None) -> tuple[float, str] | None:
    """Return the first number in `text` with the unit written after it."""
    match = _NUMBER_UNIT.search(text or "")
    if not match:
        return None
    return float(match.group(1)), match.group(2)


def _with_aspect_fit(figure: Figure, asked: str) -> Figure:
    if figure.aspect == asked:
        bonus = ASPECT_BONUS
    elif asked == "value":
        bonus = -0.2
    else:
        bonus = -0.15
    return Figure(
        figure.indicator,
        figure.aspect,
        figure.value,
        figure.unit,
        figure.score + bonus,
        figure.source,
        figure.score,
        asked,
    )
