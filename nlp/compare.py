"""The comparison strategy: one figure across places or periods, as a short cited table.

"州外到位资金历年怎么样" lists one place's figure period by period; "楚雄和大理谁的落地率高" lists
one period's figure place by place. Every row is one indicator label (one name, qualifier and
unit), so a table never mixes 亿元 with % or a gap with a share; each row names its document
and section. Places compare within one period when they share one, so 谁高 is never decided
between a quarter and a whole year.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from nlp import compose
from nlp.context import StrategyContext
from nlp.figure_answers import FIGURE_FLOOR, without_places
from nlp.kb import KnowledgeSnapshot
from nlp.kb_records import IndicatorInfo
from nlp.periods import Scope
from nlp.query import Candidate, Query
from nlp.reply import Citation, Fact, Reply
from scope.labels import number_label
from scope.periods import FULL_YEAR, Period
from scope.places import HOME_PREFECTURE, HOME_PROVINCE, make_place, province_of, same_place
from scope.regions import regions

MAX_ROWS = 8
HOME = make_place(HOME_PROVINCE)
MAX_HELD = 6
_PERIOD_CUES = re.compile(r"历年|各年度?|逐年|每年|近几年|历季|各季度?|每个?季度?|逐季|趋势|走势")
_YEARLY = re.compile(r"历年|各年|逐年|每年|近几年")
_QUARTERLY = re.compile(r"季")
_RANK_CUES = re.compile(
    r"谁|哪个|哪家|哪里|哪些|排名|排行|高低|最高|最低|最多|最少|前几(?!个?月)|前三(?!季)|前五|"
    r"(?:各|分)(?:县|州|市|区|地)"
)
_COMPARE_CUES = re.compile(r"对比|比较|比一比|相比较")
# "排名第几 / 居第几位" asks for one place's rank figure, not a ranking.
_ONE_RANK = re.compile(r"第几|排第|名次|位次|几位")
_COUNTIES = re.compile(r"县市|县区|区县|市县|各县|哪个县")
_PREFECTURES = re.compile(r"州市|地市|各州|哪个州")
# 谁低 / 哪个少 / 最低: ascending; the low word ends the question ("谁的项目数少").
_LOW = re.compile(r"最低|最少|最小|最慢|倒数|(?:低|少|小|慢)(?:一些|一点|些)?[吗呢？?。！!]*$")
# Cue and connective words: removed before the label is matched, like places.
_NOT_TOPIC = re.compile(
    "|".join(
        (
            _PERIOD_CUES.pattern, _RANK_CUES.pattern, _COMPARE_CUES.pattern,
            r"各地|各县|各州|县市|州市|[和与及跟、，,]|更?高|更?低|多还是|怎么样|如何|分别",
        )
    )
)


@dataclass(frozen=True)
class Row:
    """One line of a table: a row of the indicator table with its place and period.

    The figure itself is built only when read (`indicator`): a label of a large base has
    thousands of rows, and a table shows eight of them.
    """

    row: int
    place: str
    period: Period
    records: Callable[[int], IndicatorInfo] = dataclasses.field(compare=False, repr=False)

    @property
    def indicator(self) -> IndicatorInfo:
        """The row's figure (the indicator table keeps recently built ones)."""
        return self.records(self.row)

    @property
    def when(self) -> int:
        """Sort key: chronological by year, then last month, then first month."""
        return ((self.period.year or 0) * 100 + (self.period.end or 0)) * 100 + (
            self.period.start or 0
        )


@dataclass
class Table:
    """The rows to show, along which axis, what was asked but not held, what was left out."""

    axis: str  # place | period
    rows: list[Row]
    missing: list[str] = dataclasses.field(default_factory=list)
    more: str = ""  # what else the label holds: "其他期间2条、其他地区5条"
    rank: bool = False  # rows ordered by value: a 谁高 / 排名 question

    @property
    def name(self) -> str:
        """The indicator's name (one label for every row)."""
        return self.rows[0].indicator.name

    @property
    def unit(self) -> str:
        """The unit every row shares."""
        return self.rows[0].indicator.unit


def is_comparison(ctx: StrategyContext, query: Query) -> bool:
    """True when the question asks across places or periods rather than for one figure."""
    text = query.text
    if _PERIOD_CUES.search(text) or _COMPARE_CUES.search(text):
        return True
    if _RANK_CUES.search(text) and not _ONE_RANK.search(text):
        return True
    # The scope's places are deduplicated already: fewer than two means no second place.
    return len(query.scope.places) >= 2 and len(_separate_places(ctx, text)) >= 2


def _separate_places(ctx: StrategyContext, text: str) -> list[str]:
    """Places named apart ("南华、牟定"); a place right after another narrows it (攀枝花仁和区)."""
    out: list[str] = []
    last_end = -1
    for mention in ctx.gazetteer.find(text):
        if mention.start == last_end and out and _narrows(out[-1], mention.place.name):
            out[-1] = mention.place.name
        else:
            out.append(mention.place.name)
        last_end = mention.end
    # "云南前三季度红河…": a province named with a place inside it only says where that is.
    provinces = {p.name for p in (province_of(make_place(n)) for n in out) if p is not None}
    inner = [n for n in out if n not in provinces or not make_place(n).is_province]
    if len(inner) < len(out) and any(province_of(make_place(n)) for n in inner):
        out = inner
    return list(dict.fromkeys(out))


def _narrows(outer: str, inner: str) -> bool:
    """True when `inner` may lie inside `outer`: a county after a prefecture or province."""
    level = make_place(outer)
    return (level.is_province or outer in _prefecture_names()) and inner not in (
        _prefecture_names() if not level.is_province else ()
    )


def answer_comparison(
    ctx: StrategyContext, query: Query, forced: bool = False
) -> Candidate | None:
    """A table of the asked figure across places or periods; None when no label matches.

    `forced` (the /chart command) compares even without a cue word: the asked places, else
    the periods of one place.
    """
    table = build_table(ctx, query, forced)
    if table is None:
        return None
    if isinstance(table, Reply):
        return Candidate(table, 1.0)
    reply = table_reply(table, ctx.snapshot, query.prediction.confidence)
    return Candidate(reply, 1.0)


def build_table(ctx: StrategyContext, query: Query, forced: bool = False) -> Table | Reply | None:
    """Return the table for a comparison, an informed decline, or None (not a figure)."""
    text = query.text
    places = _separate_places(ctx, text)
    if _COUNTIES.search(text) or _PREFECTURES.search(text):
        # 楚雄州各县市: the prefecture contains the rows asked for; it is not one of them.
        level = _county_names() if _COUNTIES.search(text) else _prefecture_names()
        places = [p for p in places if make_place(p).name in level]
    axis = "place" if len(places) >= 2 or _asks_ranking(text) else "period"
    scope = _rows_scope(query.scope, text, axis)
    topic = _NOT_TOPIC.sub(" ", without_places(ctx, text))
    keep = (lambda place: _eligible(place, text, places)) if axis == "place" else None
    found = ctx.figures.label_rows(topic, query.analysis.canonical, scope, keep)
    if found.best < FIGURE_FLOOR:
        return None
    rows = _rows(ctx, found.rows)
    if not rows:
        return _not_held(ctx, query, found.held)
    if axis == "place":
        table = _by_place(rows, text, places)
        return table if table is not None else _not_held(ctx, query, found.held)
    return _by_period(ctx, rows, query.scope, text) if forced or len(rows) > 1 else None


def _asks_ranking(text: str) -> bool:
    return bool(_RANK_CUES.search(text)) and not _ONE_RANK.search(text)


def _rows_scope(scope: Scope, text: str, axis: str) -> Scope:
    """The scope rows are filtered by: 楚雄州各县市 lists the counties, not 楚雄州 itself."""
    if axis == "place" and (_COUNTIES.search(text) or _PREFECTURES.search(text)):
        level = _county_names() if _COUNTIES.search(text) else _prefecture_names()
        return dataclasses.replace(scope, places=tuple(p for p in scope.places if p.name in level))
    return scope


def _rows(ctx: StrategyContext, numbers: list[int]) -> list[Row]:
    """The label's rows as table rows; plans only when nothing achieved is held."""
    record = ctx.figures.indicators.record
    return [Row(n, place, period, record) for n, place, period in
            ctx.figures.achieved_scopes(numbers)]


def _by_place(rows: list[Row], text: str, asked: list[str]) -> Table | None:
    """One row per place, in the period most of them share (else each place's latest)."""
    # Decided once per distinct place: a label of a large base has thousands of rows.
    eligible = {p for p in {r.place for r in rows} if _eligible(p, text, asked)}
    rows = [r for r in rows if r.place in eligible]
    if not rows:
        return None
    names = {p: make_place(p).name if p else "" for p in eligible}
    by_place: dict[str, list[Row]] = {}
    for row in sorted(rows, key=lambda r: -r.when):
        by_place.setdefault(names[row.place], []).append(row)
    counts: dict[Period, int] = {}
    for place_rows in by_place.values():
        for period in {r.period for r in place_rows}:
            counts[period] = counts.get(period, 0) + 1
    common = max(counts, key=lambda p: (counts[p], (p.year or 0) * 100 + (p.end or 0)))
    chosen = [
        next((r for r in place_rows if r.period == common), place_rows[0])
        for place_rows in by_place.values()
    ]
    rank = _asks_ranking(text)
    if rank or not asked:
        chosen.sort(key=lambda r: r.indicator.value, reverse=not _LOW.search(text))
    else:
        order = {name: n for n, name in enumerate(asked)}
        chosen.sort(key=lambda r: min(
            (n for name, n in order.items() if _same(name, r.place)), default=len(order)
        ))
    missing = [name for name in asked if not any(_same(name, r.place) for r in chosen)]
    shown = chosen[:MAX_ROWS]
    more = _more(("其他地区", len(chosen) - len(shown)), ("其他期间", len(rows) - len(chosen)))
    return Table("place", shown, missing, more, rank)


def _eligible(place: str, text: str, asked: list[str]) -> bool:
    """Places a place-axis table lists: the asked ones, else the asked level's, else any."""
    if asked and len(asked) >= 2:
        return any(_same(name, place) for name in asked)
    if _COUNTIES.search(text):
        return place in _county_names()
    if _PREFECTURES.search(text):
        # 各州市: the prefectures of the bureau's province, not a neighbour's city.
        return place in _prefecture_names() and province_of(make_place(place)) == HOME
    return bool(place) and not make_place(place).is_province


def _by_period(ctx: StrategyContext, rows: list[Row], scope: Scope, text: str) -> Table:
    """One place's rows period by period, chronological: the asked place, else the bureau's."""
    places = [r.place for r in rows]
    if scope.places:
        place = scope.places[-1].name
    elif any(_same(HOME_PREFECTURE, p) for p in places):
        place = HOME_PREFECTURE
    else:
        place = max(set(places), key=places.count)
    mine = [r for r in rows if _same(place, r.place)]
    seen: dict[Period, Row] = {}
    for row in mine:  # document rank order: the newest document's copy of a period wins
        seen.setdefault(row.period, row)
    series = list(seen.values())
    if _YEARLY.search(text):
        series = _prefer(series, lambda p: p.span in (FULL_YEAR, None))
    elif _QUARTERLY.search(text):
        series = _prefer(series, lambda p: p.end in (3, 6, 9, 12))
    series.sort(key=lambda r: r.when)
    shown = series[-MAX_ROWS:]
    more = _more(("其他期间", len(seen) - len(shown)), ("其他地区", len(rows) - len(mine)))
    return Table("period", shown, [], more)


def _more(*counts: tuple[str, int]) -> str:
    return "、".join(f"{what}{n}条" for what, n in counts if n > 0)


def _prefer(rows: list[Row], keep: Callable[[Period], bool]) -> list[Row]:
    """The rows whose period passes `keep`, when at least two do (else all)."""
    kept = [r for r in rows if keep(r.period)]
    return kept if len(kept) >= 2 else rows


def _same(name: str, place: str) -> bool:
    return bool(name) and bool(place) and same_place(make_place(name), make_place(place))


@cache
def _county_names() -> frozenset[str]:
    return frozenset(make_place(r.name).name for r in regions() if r.level == "county")


@cache
def _prefecture_names() -> frozenset[str]:
    return frozenset(make_place(r.name).name for r in regions() if r.level == "prefecture")


# -- reply -----------------------------------------------------------------------------------


def table_reply(table: Table, snapshot: KnowledgeSnapshot, confidence: float) -> Reply:
    """Compose the table: a heading, one cited line per row, what is missing or left out."""
    periods = {r.period for r in table.rows}
    if table.axis == "place":
        shared = f"（{next(iter(periods)).label()}）" if len(periods) == 1 else ""
        head = f"{table.name}各地对比{shared}："
    else:
        head = f"{table.name}分期对比（{table.rows[0].place or '未注明地区'}）："
    lines = [head]
    facts: list[Fact] = []
    citations: list[Citation] = []
    for n, row in enumerate(table.rows, 1):
        ind = row.indicator
        doc = snapshot.document(ind.document_id)
        value = _value(ind)
        label = doc.label if doc else "知识库"
        source = f"{label} {ind.section}".rstrip() if ind.section else label
        where = row.place or "未注明地区"
        lines.append(f"{n}. {where} {row.period.label()}：{value}（{source}）")
        facts.append(
            Fact(
                name=ind.name, value=ind.value, unit=ind.unit, period=row.period.label(),
                target=ind.target, section=ind.section, quote=ind.quote, progress=ind.progress,
                gap=ind.gap, document=doc.label if doc else None, place=row.place or None,
            )
        )
        citations.append(
            Citation(
                document=doc.label if doc else "", section=ind.section, quote=ind.quote,
                document_id=ind.document_id,
            )
        )
    verdict = _verdict(table, periods)
    if verdict:
        lines.insert(1, verdict)
    if table.missing:
        lines.append(f"库中没有{'、'.join(table.missing)}的“{table.name}”数据。")
    if table.more:
        lines.append(f"库中另有{table.more}，未列出。")
    return Reply(
        intent="indicator", confidence=confidence, answered=True, text="\n".join(lines),
        facts=facts, citations=citations,
    )


def _value(ind: IndicatorInfo) -> str:
    number = number_label(ind.value)
    if ind.unit == "位":
        return f"第{number}位"
    return compose.hedged(number, ind.unit, ind.quote)


def _verdict(table: Table, periods: set[Period]) -> str:
    """Who is higher, said only when the places are compared within one period."""
    if table.axis != "place" or not table.rank or len(table.rows) < 2:
        return ""
    if len(periods) > 1:
        return "注意：各地数据期间不同，不宜直接比较高低。"
    first, second = table.rows[0], table.rows[1]
    if first.indicator.value == second.indicator.value:
        return f"{first.place}与{second.place}相同。"
    lower = first.indicator.value < second.indicator.value
    if len(table.rows) > 2:
        return f"{first.place}{'最低' if lower else '最高'}：{_value(first.indicator)}。"
    word = "较低" if lower else "较高"
    a, b = _value(first.indicator), _value(second.indicator)
    return f"{first.place}{word}：{a}，{second.place}{b}。"


def _not_held(ctx: StrategyContext, query: Query, held_rows: list[int]) -> Reply:
    """Decline a comparison no document holds for the asked places or period."""
    # Records only for the distinct places/periods listed: a label may have thousands of rows.
    held = _rows(ctx, ctx.figures.distinct_scopes(held_rows, 2 * MAX_HELD))
    name = held[0].indicator.name if held else "该指标"
    asked = " ".join(
        x for x in (query.scope.place_names, _period_text(query.scope.period)) if x
    )
    text = f"已收录的文件中没有{asked or '所问范围'}的“{name}”数据。"
    listing = list(dict.fromkeys(f"{r.place or '未注明地区'} {r.period.label()}" for r in held))
    if listing:
        text += f"库中有：{'、'.join(listing[:MAX_HELD])}。"
    return compose.decline_reply("indicator", query.prediction.confidence, text, [])


def _period_text(period: Period) -> str:
    return period.label() if period.year or period.span else ""
