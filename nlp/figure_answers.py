"""The figure strategy: the asked figure, for the place and period asked, or an informed no.

A question's place, year and months filter the figures before anything is ranked, so a
question about one county never gets another's figure. When the question does not choose
(no place, or no period), the latest figure answers and the reply says what else is held.
"""

from __future__ import annotations

import logging

from nlp import compose
from nlp.compose import figure_scope
from nlp.context import StrategyContext
from nlp.figures import Figure, Ranking, names_every_word
from nlp.kb_records import DocumentInfo, IndicatorInfo
from nlp.query import NEAR_VERBATIM, Candidate, Query
from nlp.reply import Reply
from scope.labels import number_label
from scope.periods import Period
from scope.places import HOME_PREFECTURE, Place, make_place, same_place

logger = logging.getLogger(__name__)

FIGURE_FLOOR = 0.3  # name match of the best figure's indicator
NEAR_EQUAL_FIGURES = 0.05  # same name in several documents: within this, the latest wins
MAX_HELD = 6  # places/periods named in a decline
MAX_OTHERS = 3  # other places/periods named under an answer
MAX_DISTINCT = 12  # distinct places/periods read for those (records are built only for these)
UNKNOWN_LABEL = "未注明地区"


def answer_indicator(ctx: StrategyContext, query: Query) -> Candidate | None:
    """Look the figure up by name/synonym/qualifier within the asked scope; the asked one first."""
    # Places choose among a label's rows; they are not part of the label asked for.
    topic = without_places(ctx, query.text)
    ranking = ctx.figures.ranked(topic, query.analysis.canonical, query.scope)
    if ranking.best < FIGURE_FLOOR:
        return None
    figures = [f for f in ranking.figures if f.base >= FIGURE_FLOOR]
    if not figures:
        return Candidate(_not_held(ctx, query, ranking), 1.0)
    asked = query.scope.places
    if len(asked) > 1:
        # "攀枝花仁和区": the place named last is the most specific one asked.
        figures = [f for f in figures if _is_place(_place(ctx, f), asked[-1])]
        if not figures:
            return Candidate(_not_held(ctx, query, ranking), 1.0)
    best = _choose(ctx, query, figures)
    reply = compose.figure_reply(best, ctx.snapshot, query.prediction.confidence)
    others = _others(ctx, query, ranking, best)
    if others:
        lines = reply.text.split("\n")
        lines.insert(len(lines) - 1, "库中另有：" + "；".join(others))
        reply.text = "\n".join(lines)
    # Evidence is the name match alone; the aspect bonus only chose among this row's figures.
    evidence = min(1.0, best.base)
    if names_every_word(topic, query.analysis.canonical, best.indicator.name):
        evidence = max(evidence, NEAR_VERBATIM)
    return Candidate(reply, evidence)


def without_places(ctx: StrategyContext, text: str) -> str:
    """Return the question without the places it names (they choose rows, not the label)."""
    for mention in reversed(ctx.gazetteer.find(text)):
        text = text[: mention.start] + " " + text[mention.end :]
    return text


def _choose(ctx: StrategyContext, query: Query, figures: list[Figure]) -> Figure:
    """Among near-equal matches: the bureau's own place when none is asked, then the latest."""
    asked = query.scope.places
    floor = figures[0].score - NEAR_EQUAL_FIGURES
    top = [f for f in figures if f.score >= floor]

    def preference(figure: Figure) -> tuple[bool, bool, int]:
        doc = ctx.snapshot.document(figure.indicator.document_id)
        place, period = figure_scope(figure.indicator, doc)
        achieved = figure.indicator.kind != "plan" or figure.asked == "target"
        home = not asked and place == HOME_PREFECTURE
        return achieved, home, (period.year or 0) * 100 + (period.end or 0)

    # Sorted by score already; max() keeps the first of equal keys, so ties go to the best.
    return max(top, key=preference)


def _is_place(name: str, asked: Place) -> bool:
    return bool(name) and same_place(make_place(name), asked)


def _doc(ctx: StrategyContext, figure: Figure) -> DocumentInfo | None:
    return ctx.snapshot.document(figure.indicator.document_id)


def _place(ctx: StrategyContext, figure: Figure) -> str:
    return figure_scope(figure.indicator, _doc(ctx, figure))[0]


def _held(ctx: StrategyContext, rows: list[int]) -> list[tuple[str, Period, IndicatorInfo]]:
    """Distinct (place, period) of some rows of one label, latest first (a dozen at most)."""
    seen: dict[tuple[str, str], tuple[str, Period, IndicatorInfo]] = {}
    for row in ctx.figures.distinct_scopes(rows, MAX_DISTINCT):
        ind = ctx.figures.indicators.record(row)
        place, period = figure_scope(ind, ctx.snapshot.document(ind.document_id))
        seen.setdefault((place, period.label()), (place, period, ind))
    return sorted(
        seen.values(), key=lambda item: -((item[1].year or 0) * 100 + (item[1].end or 0))
    )


def _not_held(ctx: StrategyContext, query: Query, ranking: Ranking) -> Reply:
    """Decline a place or period no document holds, naming what the base does hold."""
    held = _held(ctx, ranking.held)
    name = held[0][2].name if held else "该指标"
    asked = " ".join(x for x in (query.scope.place_names, _asked_period(query)) if x)
    listing = "、".join(
        f"{place or UNKNOWN_LABEL} {period.label()}" for place, period, _ in held[:MAX_HELD]
    )
    text = f"已收录的文件中没有{asked or '所问范围'}的“{name}”数据。"
    if listing:
        text += f"库中有：{listing}。"
    suggestions = [f"{p}{period.label()}{name}是多少" for p, period, _ in held[:2] if p]
    logger.info("declined %r: scope %s not held", query.text, asked)
    return compose.decline_reply("indicator", query.prediction.confidence, text, suggestions)


def _asked_period(query: Query) -> str:
    period = query.scope.period
    return period.label() if period.year or period.span else ""


def _others(ctx: StrategyContext, query: Query, ranking: Ranking, best: Figure) -> list[str]:
    """Other places/periods holding the same figure, when the question did not choose."""
    scope = query.scope
    if scope.places and (scope.span or scope.year):
        return []
    chosen = figure_scope(best.indicator, ctx.snapshot.document(best.indicator.document_id))
    out = []
    for place, period, ind in _held(ctx, ranking.held):
        same = (place, period.label()) == (chosen[0], chosen[1].label())
        if same or ind.name != best.indicator.name:
            continue
        value = f"{number_label(ind.value)}{ind.unit}"
        out.append(f"{place or UNKNOWN_LABEL} {period.label()} {value}")
        if len(out) == MAX_OTHERS:
            break
    return out
