"""Button presses: 出处 / 相关 / 👍 / 👎 / suggestions / examples / browse entries.

CALLBACK_ACTIONS is the button table bot/handlers.py dispatches through. Actions re-answer the
logged question instead of storing answers, so a button works as long as its question_log row
exists and only for the user who asked it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from bot import browse, proposal_handlers
from bot import callback_data as cb
from bot.callback_data import CallbackPayload
from bot.incoming import Incoming
from bot.questions import EXAMPLES, STALE, ask
from db import bot_records, queries
from nlp.reply import Button, Reply

if TYPE_CHECKING:
    from bot.services import Services

MAX_SOURCE_CHARS = 1500
Action = Callable[[Incoming, "Services", CallbackPayload], Reply]


def proposal_callback(incoming: Incoming, services: Services, data: str) -> Reply | None:
    """Hand /tian buttons to the proposal handlers; None when the data is not theirs."""
    if not proposal_handlers.is_proposal_callback(data):
        return None
    return proposal_handlers.proposal_callback(incoming, services, data)


def _own_question(incoming: Incoming, services: Services, payload: CallbackPayload):
    """Return the logged question text when it was asked by the presser, else None."""
    with services.sessions() as session:
        row = bot_records.get_question(session, payload.int_arg(0))
        if row is None or row.user_id != incoming.user_id:
            return None
        return row.text


def _reanswer(incoming: Incoming, services: Services, payload: CallbackPayload) -> Reply | None:
    text = _own_question(incoming, services, payload)
    if text is None or services.assistant is None:
        return None
    return services.assistant.answer(text)


def source(incoming: Incoming, services: Services, payload: CallbackPayload) -> Reply:
    """出处: the cited paragraphs of an answer, with document number and section."""
    reply = _reanswer(incoming, services, payload)
    if reply is None or not reply.citations:
        return Reply(intent="help", text="没有找到这条回答的出处。")
    blocks = []
    with services.sessions() as session:
        for citation in reply.citations[:3]:
            head = f"【{citation.document} {citation.section or ''}】".replace(" 】", "】")
            section = None
            if citation.document_id is not None:
                section = queries.get_section(session, citation.document_id, citation.section)
            body = section.text if section is not None and section.text else citation.quote
            if len(body) > MAX_SOURCE_CHARS:
                body = body[:MAX_SOURCE_CHARS] + "…"
            blocks.append(f"{head}\n{body}")
    return Reply(intent=reply.intent, answered=True, text="\n\n".join(blocks))


def related(incoming: Incoming, services: Services, payload: CallbackPayload) -> Reply:
    """相关: the measures and plans closest to the question and its answer."""
    question = _own_question(incoming, services, payload)
    if question is None:
        return Reply(intent="help", text=STALE)
    reply = services.assistant.answer(question) if services.assistant is not None else None
    context = f"{question}\n{reply.text if reply else ''}"
    with services.sessions() as session:
        items = browse.related_items(session, context)
        lines = [f"· {browse.KIND_NAMES[i.kind]}：{i.title or i.text[:40]}" for i in items]
        buttons = [
            [Button(label=(i.title or i.text)[:40], data=cb.encode("it", i.id))] for i in items
        ]
    if not lines:
        return Reply(intent="help", text="暂无相关的措施或计划。")
    text = "相关措施和计划：\n" + "\n".join(lines)
    return Reply(intent="measure", answered=True, text=text, buttons=buttons)


def feedback(incoming: Incoming, services: Services, payload: CallbackPayload) -> Reply:
    """👍 / 👎: store the vote (one per user and answer; a second press replaces it)."""
    value = 1 if payload.args[1:2] == ("+",) else -1
    if incoming.user_id is None:
        return Reply(intent="feedback", text="控制台不记录反馈。")
    with services.sessions.begin() as session:
        stored = bot_records.record_feedback(session, payload.int_arg(0), incoming.user_id, value)
    text = "感谢反馈！" if stored else STALE
    return Reply(intent="feedback", answered=stored, text=text)


def suggestion(incoming: Incoming, services: Services, payload: CallbackPayload) -> Reply:
    """A tapped suggestion: ask it as a new question."""
    reply = _reanswer(incoming, services, payload)
    index = int(payload.args[1]) if payload.args[1:2] and payload.args[1].isdigit() else -1
    if reply is None or not 0 <= index < len(reply.suggestions):
        return Reply(intent="help", text=STALE)
    return ask(incoming, services, reply.suggestions[index])


def example(incoming: Incoming, services: Services, payload: CallbackPayload) -> Reply:
    """A tapped example question from /start or /help."""
    index = payload.int_arg(0)
    if not 0 <= index < len(EXAMPLES):
        return Reply(intent="help", text=STALE)
    return ask(incoming, services, EXAMPLES[index])


CALLBACK_ACTIONS: dict[str, Action] = {
    "src": source,
    "rel": related,
    "fb": feedback,
    "sg": suggestion,
    "ex": example,
    "zb": lambda incoming, services, p: browse.indicator_by_id(services, p.int_arg(0)),
    "it": lambda incoming, services, p: browse.item_by_id(services, p.int_arg(0)),
}
