"""Route a classified question to the strategy for its intent; decline honestly when unsure.

Intent thresholds (absolute confidence and top-two margin) come from held-out folds and are
stored with the model. Evidence floors below are on the strategies' own scores: a figure's
name-match score and a sentence's tf-idf cosine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from nlp import compose
from nlp.classifier import IntentPrediction
from nlp.compare import answer_comparison, is_comparison
from nlp.context import StrategyContext
from nlp.documents import answer_document
from nlp.entities import EntityIndex
from nlp.features import Analysis
from nlp.figure_answers import answer_indicator
from nlp.figures import FigureIndex
from nlp.kb import KnowledgeSnapshot
from nlp.passages import answer_entity, answer_measure, answer_plan
from nlp.periods import question_scope
from nlp.query import NEAR_VERBATIM, Candidate, Query, content_words
from nlp.reply import Reply
from nlp.retrieval import Hit, SearchIndex, unit_terms
from scope.places import Gazetteer
from zhtext.proposal import looks_like_proposal

logger = logging.getLogger(__name__)

PHRASE_BONUS = 0.1  # per canonical term found verbatim in a point
STRONG_EVIDENCE = 0.75  # enough to answer even when the intent itself was unsure
RECENT_DOCUMENTS = 20  # without a year, these newest documents are searched first
PREFERRED_MIN_SCORE = 0.1  # below this, the preferred documents lose to a whole-base search
RUNNER_UP_FLOOR = 0.05  # intents less likely than this are not worth a strategy run
CONTENT_INTENTS = ("indicator", "measure", "plan", "entity", "document")


Strategy = Callable[[StrategyContext, Query], Candidate | None]


class Router:
    """Answer questions from one knowledge snapshot and its retrieval index."""

    def __init__(
        self, snapshot: KnowledgeSnapshot, index: SearchIndex, threshold: float, margin: float
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
            {d.id: d.subject for d in snapshot.documents},
        )
        # Places the base holds are known by their bare names too ("攀枝花" in a question).
        self.gazetteer = Gazetteer(
            [*(d.subject for d in snapshot.documents if d.subject), *self.figures.place_names]
        )
        years = [d.year for d in snapshot.documents if d.year]
        self.latest_year = max(years) if years else None
        # Newest first, like snapshot.documents: a year's documents without scanning them all.
        self.documents_by_year: dict[int, list[int]] = {}
        for d in snapshot.documents:
            if d.year:
                self.documents_by_year.setdefault(d.year, []).append(d.id)
        self.context = StrategyContext(
            snapshot, index, self.figures, self.entities, self.gazetteer,
            self.documents_by_year, self.search,
        )  # fmt: skip

    def query(self, text: str, analysis: Analysis, prediction: IntentPrediction) -> Query:
        """Bundle what the strategies need about one question."""
        scope = question_scope(text, self.latest_year, self.gazetteer)
        return Query(text, analysis, prediction, scope)

    def route(self, query: Query) -> Reply:
        """Return the reply for a classified question."""
        pred = query.prediction
        if looks_like_proposal(query.text):
            return triage_reply(1.0)
        sure = pred.confidence >= self.threshold and pred.margin >= self.margin
        if pred.intent == "help" and sure:
            return compose.help_reply(pred.confidence, query.text)
        if pred.intent == "triage":
            return triage_reply(pred.confidence)
        if is_comparison(self.context, query):
            # Across places or periods: a cited table of one figure, whatever the intent model
            # makes of words like 历年 or 谁高; no matching figure falls through to the rest.
            compared = answer_comparison(self.context, query)
            if compared is not None:
                compared.reply.confidence = pred.confidence
                return compared.reply
        content = [
            i for i, p in pred.ranking[:3] if i in CONTENT_INTENTS and p >= RUNNER_UP_FLOOR
        ]
        overruling = pred.intent == "out_of_scope" and sure
        if overruling:
            # Words from a newly added document are unknown to the classifier ("标准厂房"):
            # an indicator the base names almost verbatim (a calibrated name match) still
            # gets its answer.
            candidates, floor = ["indicator"], NEAR_VERBATIM
        elif pred.intent in CONTENT_INTENTS:
            # The intent is content: answer from the best-supported of the top intents (the
            # loop stops early when the top intent's own evidence is strong).
            candidates = content
            floor = 0.0
        else:
            # Leaning help/out-of-scope: answer only on strong evidence.
            candidates, floor = content[:2], STRONG_EVIDENCE
        found: list[Candidate] = []
        for intent in candidates:
            candidate = STRATEGIES[intent](self.context, query)
            if candidate is None or (overruling and not candidate.reply.answered):
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
            pred.intent,
            pred.confidence,
            "抱歉，已收录的文件中没有找到这个问题的答案。",
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
            out += [f"{i.name}是多少" for i in self.snapshot.first_indicators(2)]
            latest = self.snapshot.documents[0].id if self.snapshot.documents else -1
            out += [i.title for i in self.snapshot.items_of(latest) if i.title][:2]
        return list(dict.fromkeys(out))[:4]

    def search(self, query: Query, kinds: tuple[str, ...] | None, k: int = 8) -> list[Hit]:
        """Retrieve sentences for the question, optionally only of some item kinds."""
        words = content_words(query)
        canonical = set(query.analysis.canonical)
        terms = unit_terms(words, " ".join(w for w in words if w not in canonical))
        spans = self._preferred_spans(query)
        hits = self.index.search(terms, k=k, spans=spans, kinds=kinds) if spans else []
        if not hits or hits[0].score < PREFERRED_MIN_SCORE:
            hits = self.index.search(terms, k=k, kinds=kinds)
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


    def _preferred_spans(self, query: Query) -> list[tuple[int, int]] | None:
        """Return the unit ranges of the asked year's documents, else of the latest ones."""
        docs = self.snapshot.documents
        if query.scope.year:
            chosen = self.documents_by_year.get(query.scope.year, [])
        elif len(docs) > RECENT_DOCUMENTS:
            chosen = [d.id for d in docs[:RECENT_DOCUMENTS]]
        else:
            return None  # a small base: one search over everything
        return self.snapshot.unit_spans(chosen) if chosen else None


# -- strategies ------------------------------------------------------------------------------


def triage_reply(confidence: float) -> Reply:
    """Say that a pasted proposal goes to triage (the bot routes long texts there)."""
    return Reply(
        intent="triage",
        confidence=confidence,
        answered=False,
        text="这段文字像一份提案或建议，请发送全文，我来分析要点并起草答复。",
    )


def _topic(reply: Reply) -> str:
    first = reply.text.split("\n", 1)[0]
    return first.strip("【】").split("：")[0][:30]


STRATEGIES: dict[str, Strategy] = {
    "indicator": answer_indicator,
    "measure": answer_measure,
    "plan": answer_plan,
    "entity": answer_entity,
    "document": answer_document,
}
