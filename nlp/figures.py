"""Match a question to the figure it asks for: indicator by name/synonym/qualifier, then aspect.

An indicator row offers up to four figures: its value, its target, its progress and its gap
to target. The question's cue words say which one is asked ("目标" -> target, "进度/完成" ->
progress, "高于/提前" -> gap); the asked figure goes first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nlp.kb_records import IndicatorInfo
from nlp.kb_tables import IndicatorTable
from nlp.periods import Scope
from scope.periods import PERIOD_WORDS, Period, find_span
from scope.places import SCOPE_RE, UNKNOWN_PLACE, Place, make_place, same_place
from scope.wording import fold_figure_words

ASPECT_BONUS = 0.25
ASPECT_WINDOW = 0.12  # names scoring within this of the best compete on the asked aspect
SCOPE_WINDOW = 0.3  # how much worse a name may match when the best one is not held in scope
# Scope words that make two otherwise equal names different figures.
QUALIFIERS = (
    "州外", "省外", "市外", "县外", "境外", "国外", "州内", "省内", "市内", "县内",
    "州级", "省级", "市级", "县级", "县市", "乡镇",
)
_SHARE_OF = re.compile(r"占(?!比)")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_NUMBER_UNIT = re.compile(r"(-?\d+(?:\.\d+)?)\s*(个百分点|%|万美元|亿元|万元|万人|个|次|家|项)?")
_ASPECT_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("gap", re.compile(r"高于|超过目标|超出|超目标|提前|时序|差距|(?<!占)比目标|多出|高出")),
    # "完成了多少" asks for the amount done; "完成了百分之几 / 完成进度" for the share of target.
    (
        "progress",
        re.compile(
            r"进度|完成全年|完成率|完成的比例|完成情况|完成比例|完成了?几成|"
            r"完成.{0,12}(?:百分之|百分比|的多少|多少%|比例)"
        ),
    ),
    ("target", re.compile(r"目标|任务|计划")),
)
# Question words that carry no topic; removed before name matching.
_STOP = re.compile(
    r"多少|几个|几次|几场|几家|几项|几|是什么|有多少|一共|总共|达到|了|的|吗|呢|啊|呀|是|有|"
    r"百分之|今年|上半年|1-6月|同比|请问|情况|怎么样|招商引资"
)


# "Which ...?" asks for names (counties, companies), not for a figure.
_WHICH = re.compile(r"哪几|哪些|哪个|哪家|哪里|在哪|是谁|有谁")
# Unit words a question may use, and the units that answer them.
_UNIT_CUES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"第几|排名|排第|排位|名次|位次|排几"), ("位",)),
    (re.compile(r"人数|多少人|几人|多少万人"), ("人",)),
    (re.compile(r"几次|多少次|次数"), ("次",)),
    (re.compile(r"几场|多少场"), ("场",)),
    (re.compile(r"几家|多少家|(?:多少|几个)(?:企业|公司|客商|商会)|企业数"), ("家",)),
    (re.compile(r"(?:多少|几)个?项目|项目数|项目(?:多少|几)个|几个$|多少个$|几项"), ("个", "项")),
    (re.compile(r"百分|%|率|比重|占比|增幅|增速|增长|涨|下降|降幅|减少|回落"), ("%",)),
    (re.compile(r"多少钱|金额|美元|亿|万元|资金|投资额|引资|总投资"), ("元",)),
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
    # "完成州下达任务超出计划进度目标" is how far ahead, whatever else the name says.
    if re.search(r"高于|超过|超出|提前|时序|欠进度|落后", name):
        return "gap"
    if "进度" in name or re.search(r"(?:完成|占).*(?:目标|任务)", name):
        return "progress"
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
    # Periods choose among a label's rows; they are not part of the label asked for.
    text = fold_figure_words(PERIOD_WORDS.sub(" ", question))
    return _bigrams(_STOP.sub(" ", text), *canonical)


def names_every_word(question: str, canonical: list[str], name: str) -> bool:
    """True when every content word of the question is in the figure's name ("全州落地率" and
    签约项目落地率): the question asks for that figure, however short it is."""
    asked = question_bigrams(SCOPE_RE.sub(" ", question), [])  # 全州: a place, not a word
    return len(asked) >= 2 and asked <= _bigrams(fold_figure_words(name), *canonical)


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


MEMBERS_PER_GROUP = 3  # rows expanded per matching label after the scope filter


class FigureIndex:
    """Indicator labels with their bigrams precomputed, bigram postings, members by recency.

    The same figure recurs in every year's and every county's report; matching is done once
    per distinct label, then the rows of the asked place, year and months supply the values.
    """

    def __init__(
        self,
        indicators: IndicatorTable | list[IndicatorInfo],
        document_rank: dict[int, int] | None = None,
        document_year: dict[int, int | None] | None = None,
        document_subject: dict[int, str | None] | None = None,
    ) -> None:
        if not isinstance(indicators, IndicatorTable):
            indicators = IndicatorTable.from_records(list(indicators))
        self.indicators = indicators
        self.groups: list[_Group] = []
        self.postings: dict[str, list[int]] = {}
        table = indicators.table
        rank, year = document_rank or {}, document_year or {}
        subject = document_subject or {}
        docs, doc_of_row = np.unique(np.asarray(table["doc"]), return_inverse=True)
        row_rank = np.asarray([rank.get(int(d), 0) for d in docs], dtype=np.int64)[doc_of_row]
        self._scope_rows(table, docs, doc_of_row, year, subject)
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
        members = order[np.argsort(group_of_row, kind="stable")].astype(np.int32)
        ends = np.cumsum(np.bincount(group_of_row, minlength=len(self.groups)))
        for number, group in enumerate(self.groups):
            start = int(ends[number - 1]) if number else 0
            group.members = members[start : int(ends[number])]

    def _scope_rows(
        self,
        table: object,
        docs: np.ndarray,
        doc_of_row: np.ndarray,
        year: dict[int, int | None],
        subject: dict[int, str | None],
    ) -> None:
        """Give every row a place code, a year and its months (document's when not its own)."""
        doc_year = np.asarray([year.get(int(d)) or 0 for d in docs], dtype=np.int64)
        own_year = np.asarray(table["year"], dtype=np.int64)
        self._row_year = np.where(own_year > 0, own_year, doc_year[doc_of_row])
        self._row_start = np.asarray(table["month_start"], dtype=np.int64)
        self._row_end = np.asarray(table["month_end"], dtype=np.int64)
        # Rows stored without months (written before figures had a scope): read the months
        # from their period text, once per distinct text.
        spans = [find_span(text or "") or (0, 0) for text in table["period"].vocabulary]
        codes = np.asarray(table["period"].codes, dtype=np.int64)
        if spans and len(codes):
            starts = np.asarray([s for s, _e in spans] + [0], dtype=np.int64)[codes]
            ends = np.asarray([e for _s, e in spans] + [0], dtype=np.int64)[codes]
            missing = self._row_start == 0
            self._row_start = np.where(missing, starts, self._row_start)
            self._row_end = np.where(missing, ends, self._row_end)
        plan = table["kind"].code("plan")
        self._row_plan = (np.asarray(table["kind"].codes) == plan).astype(np.int64)
        names = [n or UNKNOWN_PLACE for n in table["place"].vocabulary]
        doc_subject = [subject.get(int(d)) or UNKNOWN_PLACE for d in docs]
        self.place_names: list[str] = list(dict.fromkeys([*names, *doc_subject]))
        code = {name: n for n, name in enumerate(self.place_names)}
        own = np.asarray(table["place"].codes, dtype=np.int64)
        name_code = np.asarray([code[n] for n in names] or [0], dtype=np.int64)
        subject_code = np.asarray([code[n] for n in doc_subject] or [0], dtype=np.int64)
        self._row_place = np.where(
            own >= 0, name_code[np.maximum(own, 0)], subject_code[doc_of_row]
        ) if len(own) else own
        self._places = [make_place(n) if n else None for n in self.place_names]
        # Four bytes a row is plenty (codes, years, months): half the memory at 350,000 rows.
        for name in ("_row_year", "_row_start", "_row_end", "_row_plan", "_row_place"):
            setattr(self, name, getattr(self, name).astype(np.int32))

    def achieved_scopes(self, rows: list[int]) -> list[tuple[int, str, Period]]:
        """(row, place, period) of the rows that are not plans (all of them when every row is
        a plan), from the arrays; one Period per distinct period (a label of a large base has
        thousands of rows and a few dozen periods)."""
        picked = np.asarray(rows, dtype=np.int64)
        achieved = picked[self._row_plan[picked] == 0] if len(picked) else picked
        if len(achieved):
            picked = achieved
        names, periods = self.place_names, {}
        out = []
        for row, place, year, start, end in zip(
            picked.tolist(), self._row_place[picked].tolist(), self._row_year[picked].tolist(),
            self._row_start[picked].tolist(), self._row_end[picked].tolist(), strict=True,
        ):
            period = periods.get((year, start, end))
            if period is None:
                period = periods[(year, start, end)] = Period(year or None, start or None,
                                                              end or None)
            out.append((row, names[place], period))
        return out

    def _new_group(self, label: str, indicator: IndicatorInfo) -> _Group:
        grams = _bigrams(label)
        if indicator.unit == "%" and _SHARE_OF.search(label):
            grams.add("占比")  # "占全部投资的73.97%" is what "占比多少" asks for
        name = frozenset(grams)
        around = frozenset(name | _bigrams(indicator.context or indicator.quote))
        scope = frozenset(q for q in QUALIFIERS if q in label)
        for gram in around:
            self.postings.setdefault(gram, []).append(len(self.groups))
        return _Group(name, around, scope, indicator.unit, np.zeros(0, dtype=np.int64))

    def _scored_groups(self, question: str, canonical: list[str]) -> list[tuple[_Group, float]]:
        literal = question_bigrams(question, [])
        expanded = question_bigrams(question, canonical) if canonical else literal
        if not expanded:
            return []
        hit = {i for gram in expanded for i in self.postings.get(gram, ())}
        quantity_less = not _QUANTITY.search(question)
        wanted = _wanted_units(question)
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
            out.append((group, score + _unit_fit(wanted, group.unit)))
        return out

    def scored(self, question: str, canonical: list[str]) -> list[tuple[IndicatorInfo, float]]:
        """Return (newest indicator of each matching label, name score)."""
        return [
            (self.indicators.record(int(g.members[0])), score)
            for g, score in self._scored_groups(question, canonical)
        ]

    def rank(
        self, question: str, canonical: list[str], scope: Scope | None = None
    ) -> list[Figure]:
        """Return candidate figures of the asked place and period, best first."""
        return self.ranked(question, canonical, scope).figures

    def ranked(
        self, question: str, canonical: list[str], scope: Scope | None = None
    ) -> Ranking:
        """Rank figures in scope; also say what the best-named label holds out of scope."""
        aspect = asked_aspect(question)
        scored = [(g, base) for g, base in self._scored_groups(question, canonical) if base > 0]
        if not scored:
            return Ranking([], [], 0.0)
        # The name decides which indicator; the aspect only chooses among near-equal names
        # (asked "外资完成目标没有": report the foreign-capital figure held, not another
        # indicator that happens to have a progress figure).
        best = max(base for _g, base in scored)
        close = [(g, base) for g, base in scored if base >= best - ASPECT_WINDOW]
        ranked = self._figures(close, scope, aspect)
        if not ranked and scope is not None:
            # The best-named label is not held for this place or period; a near name may be
            # ("州外到位资金" when "…完成全年目标" matched the question's words a little better).
            wider = [(g, base) for g, base in scored if base >= best - SCOPE_WINDOW]
            ranked = self._figures(wider, scope, aspect)
        ranked.sort(key=lambda f: -f.score)
        top = max(close, key=lambda pair: pair[1])[0]
        held = [int(r) for r in top.members]
        return Ranking(ranked, held, best)

    def _figures(
        self, groups: list[tuple[_Group, float]], scope: Scope | None, aspect: str
    ) -> list[Figure]:
        return [
            _with_aspect_fit(figure, aspect)
            for group, base in groups
            for row in self._members(group, scope)
            for figure in figures_of(self.indicators.record(int(row)), base)
        ]

    def label_rows(
        self,
        question: str,
        canonical: list[str],
        scope: Scope | None = None,
        keep_place: Callable[[str], bool] | None = None,
    ) -> LabelRows:
        """Every row of the one best-named label that holds the asked scope (any asked place).

        A comparison lists all of a label's rows (the single-figure path expands a few), and
        only one label's: one name, qualifier and unit, so the rows compare like for like.
        Among near-equal names, the one holding more of the asked places wins ("落地率": the
        签约项目落地率 of 楚雄 and 大理, not 攀枝花's 项目落地率). `keep_place` narrows the
        places further by name (各县市: county-level places only).
        """
        allowed = None
        if keep_place is not None:
            allowed = [n for n, name in enumerate(self.place_names) if keep_place(name)]
        scored = sorted(
            ((g, base) for g, base in self._scored_groups(question, canonical) if base > 0),
            key=lambda pair: -pair[1],
        )
        if not scored:
            return LabelRows([], [], 0.0)
        best = scored[0][1]
        choices = []
        for group, base in scored:
            if base < best - SCOPE_WINDOW:
                break
            rows = self._in_scope(group.members, scope)
            if allowed is not None:
                rows = rows[np.isin(self._row_place[rows], allowed)]
            if len(rows):
                asked = scope is not None and len(scope.places) > 1
                places = len(set(self._row_place[rows].tolist())) if asked else 0
                choices.append((base >= best - ASPECT_WINDOW, places, base, rows))
        held = [int(r) for r in scored[0][0].members]
        if not choices:
            return LabelRows([], held, best)
        _close, _places, base, rows = max(choices, key=lambda c: c[:3])
        return LabelRows([int(r) for r in rows], held, base)

    def distinct_scopes(self, rows: list[int], limit: int) -> list[int]:
        """One row per distinct (place, year, months) among `rows`, latest first, at most
        `limit` (arrays only: a label of a large base has thousands of rows)."""
        if not rows:
            return []
        picked = np.asarray(rows, dtype=np.int64)
        keys = np.stack(
            (
                self._row_place[picked],
                self._row_year[picked],
                self._row_start[picked],
                self._row_end[picked],
            ),
            axis=1,
        )
        _unique, first = np.unique(keys, axis=0, return_index=True)
        heads = picked[first]
        recency = self._row_year[heads] * 100 + self._row_end[heads]
        return [int(r) for r in heads[np.argsort(-recency, kind="stable")][:limit]]

    def _in_scope(self, rows: np.ndarray, scope: Scope | None) -> np.ndarray:
        """The rows of the asked year, span and (any of the) asked places."""
        if scope is not None and len(rows):
            keep = np.ones(len(rows), dtype=bool)
            if scope.year:
                # A page that never says its year is not taken for the asked year: the decline
                # lists it ("许昌市 1-10月") for the reader to judge.
                keep &= self._row_year[rows] == scope.year
            if scope.span:
                keep &= (self._row_start[rows] == scope.span[0]) & (
                    self._row_end[rows] == scope.span[1]
                )
            if scope.places:
                codes = [n for n, p in enumerate(self._places) if p and _asked(p, scope.places)]
                keep &= np.isin(self._row_place[rows], codes)
            rows = rows[keep]
        return rows

    def _members(self, group: _Group, scope: Scope | None) -> np.ndarray:
        """The group's rows in the asked scope, latest period first (a few of them)."""
        rows = self._in_scope(group.members, scope)
        # Achieved before planned, then the latest year and the longest span of that year;
        # the document order breaks ties.
        recency = self._row_year[rows] * 100 + self._row_end[rows] - 10_000 * self._row_plan[rows]
        rows = rows[np.argsort(-recency, kind="stable")]
        return rows[: MEMBERS_PER_GROUP * 4]


@dataclass(frozen=True)
class LabelRows:
    """One label's rows in scope (document rank order); its rows regardless of scope; score."""

    rows: list[int]
    held: list[int]
    best: float


@dataclass(frozen=True)
class Ranking:
    """Figures in scope, best first; the best label's rows regardless of scope (to name them)."""

    figures: list[Figure]
    held: list[int]
    best: float


def _asked(place: Place, asked: tuple[Place, ...]) -> bool:
    return any(same_place(place, a) for a in asked)


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


_PROGRESS_UNITS = ("%",)


def _wanted_units(question: str) -> tuple[str, ...] | None:
    """The units the question's words ask for (read once per question), None when it says none.

    "到位资金完成州下达任务的多少" asks a share of the task, though its words say 资金.
    """
    if asked_aspect(question) == "progress":
        return _PROGRESS_UNITS
    return next((wanted for pattern, wanted in _UNIT_CUES if pattern.search(question)), None)


def _unit_fit(wanted: tuple[str, ...] | None, unit: str) -> float:
    """Return a small bonus when the figure's unit is one the question asks for.

    A count noun the figure cannot answer ("多少企业" vs a figure in 场) costs as much.
    """
    if wanted is None:
        return 0.0
    if any(w in unit for w in wanted):
        return 0.1
    return -0.2 if "%" not in wanted and unit else 0.0


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
        figure.indicator, figure.aspect, figure.value, figure.unit, figure.score + bonus,
        figure.source, figure.score, asked,
    )
