"""The figure strategy: the asked indicator's asked figure, for a period and place held."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from nlp import compose
from nlp.figures import Figure
from nlp.kb import DocumentInfo, IndicatorInfo
from nlp.periods import PERIOD_NAMES, held_period
from nlp.query import Candidate, Query
from nlp.reply import Reply

if TYPE_CHECKING:
    from nlp.router import Router

logger = logging.getLogger(__name__)

FIGURE_FLOOR = 0.3  # name match of the best figure's indicator
NEAR_EQUAL_FIGURES = 0.05  # same name in several documents: within this, the latest wins


def answer_indicator(router: Router, query: Query) -> Candidate | None:
    """Look the figure up by name/synonym/qualifier and period; the asked figure first."""
    figures = router.figures.rank(
        query.text, query.analysis.canonical, query.scope.year, query.scope.period
    )
    if not figures or figures[0].base < FIGURE_FLOOR:
        return None
    best = _prefer_matching_document(router, query, figures)
    refusal = _scope_refusal(router, query, best)
    if refusal is not None:
        return Candidate(refusal, 1.0)
    reply = compose.figure_reply(best, router.snapshot, query.prediction.confidence)
    # Evidence is the name match alone; the aspect bonus only chose among this row's figures.
    return Candidate(reply, min(1.0, best.base))


def _prefer_matching_document(router: Router, query: Query, figures: list[Figure]) -> Figure:
    """Take the asked year's (and period's) figure when held, else the latest document's."""
    snapshot = router.snapshot
    floor = figures[0].score - NEAR_EQUAL_FIGURES
    scope = query.scope

    def year_of(figure: Figure) -> int | None:
        doc = snapshot.document(figure.indicator.document_id)
        return doc.year if doc else None

    if scope.year:
        # A strong match in the asked year beats a slightly better match in another year.
        same_year = [f for f in figures if year_of(f) == scope.year and f.base >= FIGURE_FLOOR]
        if same_year:
            figures, floor = same_year, same_year[0].score - NEAR_EQUAL_FIGURES
    if scope.period:
        same_period = [f for f in figures if held_period(f.indicator.period) == scope.period]
        if same_period and same_period[0].base >= FIGURE_FLOOR:
            figures, floor = same_period, same_period[0].score - NEAR_EQUAL_FIGURES
    top = [f for f in figures if f.score >= floor]

    def recency(figure: Figure) -> str:
        doc = snapshot.document(figure.indicator.document_id)
        return str(doc.date) if doc and doc.date else ""

    # Sorted by score already; max() keeps the first of equal keys, so ties go to the best.
    return max(top, key=recency)


def _scope_refusal(router: Router, query: Query, figure: Figure) -> Reply | None:
    """Decline, naming what is held, when the asked period, year or place is not held."""
    ind = figure.indicator
    doc = router.snapshot.document(ind.document_id)
    held = compose.period_label(ind, doc)
    scope = query.scope
    asked = None
    if scope.year and doc and doc.year and scope.year != doc.year:
        asked = f"{scope.year}年"
    elif scope.period and held_period(ind.period) and scope.period != held_period(ind.period):
        asked = PERIOD_NAMES[scope.period]
    elif scope.places and not any(p in _place_text(ind, doc) for p in scope.places):
        asked = "、".join(scope.places)
    if asked is None:
        return None
    text = f"已收录的文件中没有{asked}的“{ind.name}”数据；现有的是{held}的数据。"
    suggestion = f"{held}{ind.name}是多少"
    logger.info("declined %r: period/place %s not held", query.text, asked)
    return compose.decline_reply("indicator", query.prediction.confidence, text, [suggestion])


def _place_text(ind: IndicatorInfo, doc: DocumentInfo | None) -> str:
    """Return where a figure is about: its own words and its document's issuer and title."""
    own = f"{ind.name}{ind.qualifier or ''}{ind.quote}"
    return own + (f"{doc.issuer or ''}{doc.title}{doc.number or ''}" if doc else "")
