"""Route a classified question to the strategy for its intent; decline honestly when unsure.

Intent thresholds (absolute confidence and top-two margin) come from held-out folds and are
stored with the model. Evidence floors below are on the strategies' own scores: a figure's
name-match score and a sentence's tf-idf cosine.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from nlp import compose
from nlp.classifier import IntentPrediction
from nlp.documents import answer_document
from nlp.entities import EntityIndex, short_name
from nlp.features import Analysis
from nlp.figures import Figure, FigureIndex
from nlp.kb import DocumentInfo, IndicatorInfo, KnowledgeSnapshot, Unit
from nlp.periods import PERIOD_NAMES, held_period, question_scope
from nlp.query import Candidate, Query
from nlp.reply import Citation, Reply
from nlp.retrieval import Hit, TfidfIndex, unit_terms

logger = logging.getLogger(__name__)

FIGURE_FLOOR = 0.3  # name match of the best figure's indicator
NEAR_EQUAL_FIGURES = 0.05  # same name in several documents: within this, the latest wins
RETRIEVAL_FLOOR = 0.05  # cosine of the best point (long points score low)
PHRASE_BONUS = 0.1  # per canonical term found verbatim in a point
STRONG_EVIDENCE = 0.75  # enough to answer even when the intent itself was unsure
OTHER_KIND_WEIGHT = 0.9  # preamble/problem paragraphs vs the asked measure/plan kind
OLDER_DOCUMENT_WEIGHT = 0.9  # without a year in the question, the latest document wins ties
RECENT_DOCUMENTS = 20  # without a year, these newest documents are searched first
PREFERRED_MIN_SCORE = 0.1  # below this, the preferred documents lose to a whole-base search
RUNNER_UP_FLOOR = 0.05  # intents less likely than this are not worth a strategy run
CONTENT_INTENTS = ("indicator", "measure", "plan", "entity", "document")
_GENERIC = re.compile(
    r"下一步|下步|今后|接下来|下阶段|重点|工作|什么|哪些|是|的|有|主要|打算|计划|做了|情况|成效|"
    r"措施|怎么|如何|开展|取得|吗|呢|了|啥|咋|都|哪|些|还|要|上半年|今年|以来"
)


Strategy = Callable[["Router", Query], Candidate | None]


class Router:
    """Answer questions from one knowledge snapshot and its retrieval index."""

    def __init__(
        self, snapshot: KnowledgeSnapshot, index: TfidfIndex, threshold: float, margin: float
    ) -> None:
        self.snapshot = snapshot
        self.index = index
        self.threshold = threshold
        self.margin = margin
        self.entities = EntityIndex(snapshot.entities)
        self.figures = FigureIndex(
            snapshot.indicators,
            {d.id: n for n, d in enumerate(snapshot.documents)},
            {d.id: d.year for d in snapshot.documents},
        )
        years = [d.year for d in snapshot.documents if d.year]
        self.latest_year = max(years) if years else None

    def query(self, text: str, analysis: Analysis, prediction: IntentPrediction) -> Query:
        """Bundle what the strategies need about one question."""
        return Query(text, analysis, prediction, question_scope(text, self.latest_year))

    def route(self, query: Query) -> Reply:
        """Return the reply for a classified question."""
        pred = query.prediction
        sure = pred.confidence >= self.threshold and pred.margin >= self.margin
        if pred.intent == "help" and sure:
            return compose.help_reply(pred.confidence)
        if pred.intent == "triage":
            return Reply(
                intent="triage", confidence=pred.confidence, answered=False,
                text="这段文字像一份提案或建议，请发送全文，我来分析要点并起草答复。",
            )
        if pred.intent == "out_of_scope" and sure:
            return self.decline(query)
        content = [
            i for i, p in pred.ranking[:3] if i in CONTENT_INTENTS and p >= RUNNER_UP_FLOOR
        ]
        if pred.intent in CONTENT_INTENTS:
            # The intent is content: answer from the best-supported of the top intents (the
            # loop stops early when the top intent's own evidence is strong).
            candidates = content
            floor = 0.0
        else:
            # Leaning help/out-of-scope: answer only on strong evidence.
            candidates, floor = content[:2], STRONG_EVIDENCE
        found: list[Candidate] = []
        for intent in candidates:
            candidate = STRATEGIES[intent](self, query)
            if candidate is None:
                continue
            if not candidate.reply.answered:
                return candidate.reply  # an informed decline (period or place not held)
            found.append(candidate)
            if intent == pred.intent and candidate.evidence >= STRONG_EVIDENCE:
                break
        if not found:
            return self.decline(query)
        probability = dict(pred.ranking)
        # Evidence scales differ by strategy; weigh each by how likely its intent is.
        best = max(found, key=lambda c: c.evidence * (0.5 + probability.get(c.reply.intent, 0)))
        if best.evidence < floor:
            return self.decline(query)
        best.reply.confidence = pred.confidence
        others = [c for c in found if c is not best and c.reply.citations]
        if not sure and others:
            # Close call between intents: answer the best supported, offer the other.
            best.reply.suggestions = [_topic(others[0].reply)]
        return best.reply

    def decline(self, query: Query) -> Reply:
        """Say the documents do not hold it; suggest the closest topics; log the would-be."""
        pred = query.prediction
        logger.info(
            "declined %r: would-be intent %s (%.2f)", query.text, pred.intent, pred.confidence
        )
        return compose.decline_reply(
            pred.intent, pred.confidence, "抱歉，已收录的文件中没有找到这个问题的答案。",
            self.suggestions(query),
        )

    def suggestions(self, query: Query) -> list[str]:
        """Return up to four nearby questions the base can answer."""
        out: list[str] = []
        scored = sorted(
            self.figures.scored(query.text, query.analysis.canonical), key=lambda pair: -pair[1]
        )
        out += [f"{indicator.name}是多少" for indicator, _score in scored[:2]]
        for hit in self.search(query, None, k=6):
            section = self.snapshot.section(hit.unit.document_id, hit.unit.section)
            if section and section.title and section.title not in out:
                out.append(section.title)
        if not out:
            # Nothing is close: offer what the base is mostly about.
            out += [f"{i.name}是多少" for i in self.snapshot.indicators[:2]]
            latest = self.snapshot.documents[0].id if self.snapshot.documents else -1
            out += [i.title for i in self.snapshot.items_of(latest) if i.title][:2]
        return list(dict.fromkeys(out))[:4]

    def search(self, query: Query, kinds: tuple[str, ...] | None, k: int = 8) -> list[Hit]:
        """Retrieve sentences for the question, optionally only of some item kinds."""
        words = _content_words(query)
        canonical = set(query.analysis.canonical)
        terms = unit_terms(words, " ".join(w for w in words if w not in canonical))
        accept = (lambda u: u.kind in kinds) if kinds else None
        span = self._preferred_span(query)
        hits = self.index.search(terms, k=k, accept=accept, span=span) if span else []
        if not hits or hits[0].score < PREFERRED_MIN_SCORE:
            hits = self.index.search(terms, k=k, accept=accept)
        phrases = [c for c in canonical if len(c) >= 4]
        if phrases:
            # A document's own term (from the synonym table) found verbatim is strong
            # evidence on top of bag-of-words similarity.
            hits = [
                Hit(h.unit, h.score + PHRASE_BONUS * sum(p in h.unit.text for p in phrases))
                for h in hits
            ]
            hits.sort(key=lambda h: -h.score)
        return hits


    def _preferred_span(self, query: Query) -> tuple[int, int] | None:
        """Return the unit range of the asked year's documents, else of the latest ones."""
        docs = self.snapshot.documents
        if query.scope.year:
            chosen = [d.id for d in docs if d.year == query.scope.year]
        elif len(docs) > RECENT_DOCUMENTS:
            chosen = [d.id for d in docs[:RECENT_DOCUMENTS]]
        else:
            return None  # a small base: one search over everything
        return self.snapshot.unit_range(chosen) if chosen else None


# -- strategies ------------------------------------------------------------------------------


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
    docs = {d.id: d for d in router.snapshot.documents}
    floor = figures[0].score - NEAR_EQUAL_FIGURES
    scope = query.scope

    def year_of(figure: Figure) -> int | None:
        doc = docs.get(figure.indicator.document_id)
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
        doc = docs.get(figure.indicator.document_id)
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


def _topic(reply: Reply) -> str:
    first = reply.text.split("\n", 1)[0]
    return first.strip("【】").split("：")[0][:30]


def _content_words(query: Query) -> list[str]:
    """Return the question's words minus question words (whole-word, so 工作机制 stays)."""
    return [w for w in query.analysis.words if _core(w)]


def _core(text: str) -> str:
    return _GENERIC.sub("", text)


def _answer_points(router: Router, query: Query, kind: str) -> Candidate | None:
    canonical = set(query.analysis.canonical)
    own = [w for w in _content_words(query) if w not in canonical]
    if not own and kind in ("measure", "action"):
        return _overview(router, query, kind)
    # Problems belong to the situation (measure), never to what will be done (plan).
    accepted = (kind, "other", "problem") if kind == "measure" else (kind, "other")
    hits = router.search(query, accepted, k=12)
    # Prefer the asked kind (a "problems" paragraph is 'other' and shares the plan's words).
    hits = [
        Hit(h.unit, h.score * (1.0 if h.unit.kind == kind else OTHER_KIND_WEIGHT)) for h in hits
    ]
    hits = _prefer_documents(router, query, hits)
    if not hits or hits[0].score < RETRIEVAL_FLOOR:
        return None
    top = hits[0].unit
    scores = {h.unit.id: h.score for h in hits}
    same = router.snapshot.units_of_section(top.document_id, top.section)
    same = [u for u in same if scores.get(u.id, 0.0) > 0] or same
    chosen = sorted(same, key=lambda u: (-scores.get(u.id, 0.0), u.id))[: compose.MAX_POINTS - 1]
    chosen.sort(key=lambda u: u.id)
    # A close runner-up from another section (often the preamble's summary) goes last.
    elsewhere = [
        h.unit for h in hits[1:]
        if h.unit.section != top.section
        and h.unit.document_id == top.document_id
        and h.score >= 0.5 * hits[0].score
    ]
    chosen += elsewhere[:1]
    section = router.snapshot.section(top.document_id, top.section)
    heading = f"【{section.sid} {section.title}】" if section and section.title else ""
    intent = "plan" if kind == "action" else kind
    reply = compose.points_reply(intent, heading, chosen, router.snapshot, 0.0)
    return Candidate(reply, min(1.0, hits[0].score * 2))


def _prefer_documents(router: Router, query: Query, hits: list[Hit]) -> list[Hit]:
    """Keep the asked year's documents when there are hits in them; else favour the latest."""
    years = {d.id: d.year for d in router.snapshot.documents}
    if query.scope.year:
        same = [h for h in hits if years.get(h.unit.document_id) == query.scope.year]
        if same:
            return same
    latest = router.snapshot.documents[0].id if router.snapshot.documents else None
    weighted = [
        Hit(h.unit, h.score * (1.0 if h.unit.document_id == latest else OLDER_DOCUMENT_WEIGHT))
        for h in hits
    ]
    return sorted(weighted, key=lambda h: -h.score)


def _overview(router: Router, query: Query, kind: str) -> Candidate | None:
    """List the titles of every measure/plan of the latest document (the whole plan)."""
    snapshot = router.snapshot
    if not snapshot.documents:
        return None
    latest = snapshot.documents[0].id
    items = snapshot.items_of(latest)
    titles = [(i.section, i.title) for i in items if i.kind == kind and i.title]
    titles = [t for t in titles if t[0] is not None] or [
        (s.sid, s.title)
        for s in snapshot.sections
        if s.document_id == latest and s.level > 1 and snapshot.kinds.get((latest, s.sid)) == kind
    ]
    if not titles:
        return None
    heading = "下步重点工作：" if kind == "action" else "主要工作："
    doc = snapshot.documents[0]
    lines = [heading, *[f"{n}. {title}" for n, (_sid, title) in enumerate(titles, 1)]]
    lines.append(compose.source_line(doc, None))
    citations = [
        Citation(document=doc.label, section=sid, quote=title, document_id=doc.id)
        for sid, title in titles
    ]
    intent = "plan" if kind == "action" else kind
    reply = Reply(intent=intent, answered=True, text="\n".join(lines), citations=citations)
    return Candidate(reply, 0.8)


def answer_measure(router: Router, query: Query) -> Candidate | None:
    """Retrieve the work done that the question is about; list its points."""
    return _answer_points(router, query, "measure")


def answer_plan(router: Router, query: Query) -> Candidate | None:
    """Retrieve the planned actions the question is about; list its points."""
    return _answer_points(router, query, "action")


def answer_entity(router: Router, query: Query) -> Candidate | None:
    """Find sentences naming the company, project or place asked about."""
    names = router.entities.find(query.text, "".join(_content_words(query)))
    units: list[Unit] = []
    if names:
        name = names[0]
        short = short_name(name)
        units = [
            h.unit
            for h in router.index.search(
                unit_terms([], short), k=3, accept=lambda u: name in u.text or short in u.text
            )
        ]
        units.sort(key=lambda u: u.id)
    if units:
        reply = compose.points_reply("entity", f"【{name}】", units, router.snapshot, 0.0)
        return Candidate(reply, 0.9)
    hits = router.search(query, None, k=3)
    if not hits or hits[0].score < RETRIEVAL_FLOOR:
        return None
    chosen = sorted((h.unit for h in hits if h.score >= 0.6 * hits[0].score), key=lambda u: u.id)
    reply = compose.points_reply("entity", "", chosen, router.snapshot, 0.0)
    return Candidate(reply, min(1.0, hits[0].score * 2))


STRATEGIES: dict[str, Strategy] = {
    "indicator": answer_indicator,
    "measure": answer_measure,
    "plan": answer_plan,
    "entity": answer_entity,
    "document": answer_document,
}
