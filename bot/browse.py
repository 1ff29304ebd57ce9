"""Browsing the knowledge base: /zb indicators, /cs measures, /jh plans, /docs, inline cards."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot import callback_data as cb
from bot.incoming import Incoming
from db import queries
from db.models import Document, Indicator, Item
from nlp.reply import Button, Reply
from scope.labels import display_name, identity_label, number_label

if TYPE_CHECKING:
    from bot.services import Services

MAX_BUTTONS = 30
MAX_CARDS = 5
KIND_NAMES = {"measure": "工作措施", "action": "下步计划"}


def document_name(doc: Document) -> str:
    """The name citations give the document (stored at ingestion; the same rule otherwise)."""
    return doc.display_name or display_name(doc.number, doc.title, doc.issuer, doc.date)


def indicator_card(ind: Indicator) -> str:
    """Return an indicator as a short card: figure, target/progress, source, quote."""
    period = f"（{ind.period}）" if ind.period else ""
    lines = [f"{ind.name}：{number_label(ind.value)}{ind.unit}{period}"]
    context = [x for x in (f"目标{ind.target}" if ind.target else "", ind.progress, ind.gap) if x]
    if context:
        lines.append("；".join(context))
    source = f"来源：{document_name(ind.document)}"
    lines.append(f"{source} {ind.section_sid}" if ind.section_sid else source)
    return "\n".join(lines)


def item_card(item: Item) -> str:
    """Return a measure or planned action with its points and source."""
    lines = [item.title or KIND_NAMES.get(item.kind, "")]
    if item.points:
        lines += [f"{i}. {p}" for i, p in enumerate(item.points, 1)]
    elif item.text:
        lines.append(item.text)
    lines.append(f"来源：{document_name(item.document)} {item.section_sid or ''}".rstrip())
    return "\n".join(lines)


def indicators(incoming: Incoming, services: Services) -> Reply:
    """/zb: without a name the list as buttons; with a name the figure."""
    name = incoming.arg_text
    with services.sessions() as session:
        if not name:
            rows = queries.current_indicators(session)
            return _listing(
                rows, "zb", "指标", lambda i: f"{i.name} {number_label(i.value)}{i.unit}"
            )
        found = queries.find_indicators(session, name)[:MAX_CARDS]
        if found:
            text = "\n\n".join(indicator_card(i) for i in found)
            return Reply(intent="indicator", answered=True, text=text)
    if services.assistant is not None:
        reply = services.assistant.answer(name)
        if reply.answered and reply.intent == "indicator":
            return reply
    return Reply(intent="indicator", text=f"未找到指标“{name}”。发送 /zb 查看全部指标。")


def measures(incoming: Incoming, services: Services) -> Reply:
    """/cs: measures (work done), optionally filtered by a keyword."""
    return _items(incoming, services, "measure")


def plans(incoming: Incoming, services: Services) -> Reply:
    """/jh: planned actions (下步重点工作), optionally filtered by a keyword."""
    return _items(incoming, services, "action")


def _items(incoming: Incoming, services: Services, kind: str) -> Reply:
    keyword = incoming.arg_text
    with services.sessions() as session:
        rows = queries.current_items(session, kind)
        if keyword:
            rows = [r for r in rows if keyword in r.title or keyword in r.text]
            if rows:
                return Reply(
                    intent="measure" if kind == "measure" else "plan",
                    answered=True,
                    text="\n\n".join(item_card(r) for r in rows[:MAX_CARDS]),
                )
            return Reply(intent="measure", text=f"没有找到包含“{keyword}”的{KIND_NAMES[kind]}。")
        return _listing(rows, "it", KIND_NAMES[kind], lambda r: r.title or r.text[:30])


def _listing(rows: list, action: str, noun: str, label) -> Reply:
    if not rows:
        return Reply(intent="document", text=f"知识库中暂无{noun}。")
    lines = [f"共{len(rows)}项{noun}，点击查看详情："]
    lines += [f"{i}. {label(r)}" for i, r in enumerate(rows, 1)]
    buttons = [
        [Button(label=f"{i}. {label(r)}"[:40], data=cb.encode(action, r.id))]
        for i, r in enumerate(rows[:MAX_BUTTONS], 1)
    ]
    return Reply(intent="document", answered=True, text="\n".join(lines), buttons=buttons)


def documents(incoming: Incoming, services: Services) -> Reply:
    """/docs: the documents in the base: 文号, title and date."""
    with services.sessions() as session:
        docs = queries.list_documents(session)
        if not docs:
            return Reply(intent="document", text="知识库中暂无文件。管理员可直接发送文件导入。")
        lines = [f"知识库共{len(docs)}份文件："]
        for i, doc in enumerate(docs, 1):
            date = f"（{doc.date.isoformat()}）" if doc.date else ""
            who = identity_label(
                doc.subject, doc.period_year, doc.period_start, doc.period_end, doc.genre
            )
            lines.append(f"{i}. {document_name(doc)}{date}\n   {who}")
    return Reply(intent="document", answered=True, text="\n".join(lines))


def indicator_by_id(services: Services, indicator_id: int) -> Reply:
    """Show one indicator (a /zb button)."""
    with services.sessions() as session:
        ind = queries.get_indicator(session, indicator_id)
        if ind is None:
            return Reply(intent="indicator", text="该指标已不在知识库中，请发送 /zb 重新查看。")
        return Reply(intent="indicator", answered=True, text=indicator_card(ind))


def item_by_id(services: Services, item_id: int) -> Reply:
    """Show one measure or planned action (a /cs or /jh button)."""
    with services.sessions() as session:
        item = queries.get_item(session, item_id)
        if item is None:
            return Reply(intent="measure", text="该条目已不在知识库中，请重新查看。")
        return Reply(intent="measure", answered=True, text=item_card(item))


@dataclass(frozen=True)
class Card:
    """One inline-mode result."""

    key: str
    title: str
    description: str
    text: str


def inline_cards(query: str, services: Services) -> list[Card]:
    """Return indicator cards for an inline query (@bot 州外到位资金)."""
    query = query.strip()[: services.settings.max_question_chars]
    with services.sessions() as session:
        rows = (
            queries.find_indicators(session, query)
            if query
            else queries.current_indicators(session)
        )[:10]
        cards = [
            Card(
                f"i{r.id}",
                r.name[:60],
                f"{number_label(r.value)}{r.unit} {r.period or ''}",
                indicator_card(r),
            )
            for r in rows
        ]
    if cards or not query or services.assistant is None:
        return cards
    reply = services.assistant.answer(query)
    if not reply.answered:
        return []
    title = reply.text.split("\n", 1)[0][:60]
    return [Card("a0", title, reply.intent, reply.text)]


def _bigrams(text: str) -> set[str]:
    chars = [c for c in text if "\u4e00" <= c <= "\u9fff" or c.isalnum()]
    return {a + b for a, b in itertools.pairwise(chars)}


def related_items(session, context: str, k: int = 5) -> list[Item]:
    """Return the measures and plans sharing the most character pairs with `context`."""
    wanted = _bigrams(context)
    scored = []
    for item in queries.current_items(session, "measure") + queries.current_items(
        session, "action"
    ):
        have = _bigrams(f"{item.title}{item.text}")
        overlap = len(wanted & have) / (1 + len(have)) ** 0.5
        if overlap > 0:
            scored.append((overlap, item.id, item))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [item for _, _, item in scored[:k]]
