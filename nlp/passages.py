"""Passage strategies: measures, planned actions and entities, answered with their points."""

from __future__ import annotations

from nlp import compose
from nlp.context import StrategyContext
from nlp.entities import short_name
from nlp.kb_records import Unit
from nlp.query import Candidate, Query, content_words
from nlp.reply import Citation, Reply
from nlp.retrieval import Hit, unit_terms
from scope.places import make_place, same_place

RETRIEVAL_FLOOR = 0.05  # cosine of the best point (long points score low)
OTHER_KIND_WEIGHT = 0.9  # preamble/problem paragraphs vs the asked measure/plan kind
OLDER_DOCUMENT_WEIGHT = 0.9  # without a year in the question, the latest document wins ties


def _answer_points(ctx: StrategyContext, query: Query, kind: str) -> Candidate | None:
    canonical = set(query.analysis.canonical)
    own = [w for w in content_words(query) if w not in canonical]
    if not own and kind in ("measure", "action"):
        return _overview(ctx, query, kind)
    # Problems belong to the situation (measure), never to what will be done (plan).
    accepted = (kind, "other", "problem") if kind == "measure" else (kind, "other")
    hits = ctx.search(query, accepted, k=12)
    # Prefer the asked kind (a "problems" paragraph is 'other' and shares the plan's words).
    hits = [
        Hit(h.unit, h.score * (1.0 if h.unit.kind == kind else OTHER_KIND_WEIGHT)) for h in hits
    ]
    hits = _prefer_documents(ctx, query, hits)
    if not hits or hits[0].score < RETRIEVAL_FLOOR:
        return None
    top = hits[0].unit
    scores = {h.unit.id: h.score for h in hits}
    same = ctx.snapshot.units_of_section(top.document_id, top.section)
    same = [u for u in same if scores.get(u.id, 0.0) > 0] or same
    chosen = sorted(same, key=lambda u: (-scores.get(u.id, 0.0), u.id))[: compose.MAX_POINTS - 1]
    chosen.sort(key=lambda u: u.id)
    # A close runner-up from another section (often the preamble's summary) goes last.
    elsewhere = [
        h.unit
        for h in hits[1:]
        if h.unit.section != top.section
        and h.unit.document_id == top.document_id
        and h.score >= 0.5 * hits[0].score
    ]
    chosen += elsewhere[:1]
    section = ctx.snapshot.section(top.document_id, top.section)
    heading = f"【{section.sid} {section.title}】" if section and section.title else ""
    intent = "plan" if kind == "action" else kind
    reply = compose.points_reply(intent, heading, chosen, ctx.snapshot, 0.0)
    if query.scope.places and not _about_asked_place(ctx, query, top.document_id):
        # No document of the asked place holds this: say whose text it is instead.
        doc = ctx.snapshot.document(top.document_id)
        whose = doc.subject if doc and doc.subject else "其他地区"
        note = f"注意：库中没有{query.scope.place_names}的相关文件，以下内容出自{whose}的文件。"
        reply.text = f"{note}\n{reply.text}"
    return Candidate(reply, min(1.0, hits[0].score * 2))


def _about_asked_place(ctx: StrategyContext, query: Query, document_id: int) -> bool:
    doc = ctx.snapshot.document(document_id)
    if doc is None or not doc.subject:
        return False
    subject = make_place(doc.subject)
    return any(same_place(subject, asked) for asked in query.scope.places)


def _prefer_documents(ctx: StrategyContext, query: Query, hits: list[Hit]) -> list[Hit]:
    """Keep the asked place's and year's documents when there are hits in them; else favour
    the latest."""

    def year(document_id: int) -> int | None:
        doc = ctx.snapshot.document(document_id)
        return doc.year if doc else None

    if query.scope.places:
        about = [h for h in hits if _about_asked_place(ctx, query, h.unit.document_id)]
        hits = about or hits

    if query.scope.year:
        same = [h for h in hits if year(h.unit.document_id) == query.scope.year]
        if same:
            return same
    latest = ctx.snapshot.documents[0].id if ctx.snapshot.documents else None
    weighted = [
        Hit(h.unit, h.score * (1.0 if h.unit.document_id == latest else OLDER_DOCUMENT_WEIGHT))
        for h in hits
    ]
    return sorted(weighted, key=lambda h: -h.score)


def _overview(ctx: StrategyContext, query: Query, kind: str) -> Candidate | None:
    """List the titles of every measure/plan of the latest document (the whole plan)."""
    snapshot = ctx.snapshot
    if not snapshot.documents:
        return None
    latest = snapshot.documents[0].id
    items = snapshot.items_of(latest)
    titles = [(i.section, i.title) for i in items if i.kind == kind and i.title]
    titles = [t for t in titles if t[0] is not None] or [
        (s.sid, s.title) for s in snapshot.sections_of(latest) if s.level > 1 and s.kind == kind
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


def answer_measure(ctx: StrategyContext, query: Query) -> Candidate | None:
    """Retrieve the work done that the question is about; list its points."""
    return _answer_points(ctx, query, "measure")


def answer_plan(ctx: StrategyContext, query: Query) -> Candidate | None:
    """Retrieve the planned actions the question is about; list its points."""
    return _answer_points(ctx, query, "action")


def answer_entity(ctx: StrategyContext, query: Query) -> Candidate | None:
    """Find sentences naming the company, project or place asked about."""
    names = ctx.entities.find(query.text, "".join(content_words(query)))
    units: list[Unit] = []
    if names:
        name = names[0]
        short = short_name(name)
        units = [
            h.unit
            for h in ctx.index.search(
                unit_terms([], short), k=3, accept=lambda u: name in u.text or short in u.text
            )
        ]
        units.sort(key=lambda u: u.id)
    if units:
        reply = compose.points_reply("entity", f"【{name}】", units, ctx.snapshot, 0.0)
        return Candidate(reply, 0.9)
    hits = ctx.search(query, None, k=3)
    if not hits or hits[0].score < RETRIEVAL_FLOOR:
        return None
    chosen = sorted((h.unit for h in hits if h.score >= 0.6 * hits[0].score), key=lambda u: u.id)
    reply = compose.points_reply("entity", "", chosen, ctx.snapshot, 0.0)
    return Candidate(reply, min(1.0, hits[0].score * 2))
