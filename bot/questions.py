"""Free text the bot answers: a question goes to the assistant, a proposal to triage.

Both are logged in question_log (the /stats figures and the buttons under an answer read it).
A leaf of the bot's handlers: it imports no table of commands or buttons, so the command table
(bot/commands.py), the button table (bot/callbacks.py) and the dispatcher (bot/handlers.py)
can all import it without a cycle.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from bot import callback_data as cb
from bot import proposal_handlers
from bot.incoming import Incoming
from db import bot_records
from nlp.reply import Button, Reply

if TYPE_CHECKING:
    from bot.services import Services

UNAVAILABLE = "问答功能暂不可用，请稍后再试。"
STALE = "按钮已失效，请重新提问。"
EXAMPLES: tuple[str, ...] = (
    "上半年州外到位资金增长多少",
    "外资到位多少",
    "网络招商做了什么",
    "下一步怎么解决融资难",
    "文号是什么",
)


def triage(incoming: Incoming, services: Services) -> Reply:
    """Triage a pasted proposal (stored, summarised, a draft attached) and log it."""
    started = time.perf_counter()
    reply = proposal_handlers.triage_reply(incoming, services)
    log_question(incoming, services, incoming.text, reply, started)
    return reply


def ask(incoming: Incoming, services: Services, text: str) -> Reply:
    """Answer a question, log it, and attach the answer's buttons."""
    started = time.perf_counter()
    if services.assistant is None:
        reply = Reply(intent="out_of_scope", text=UNAVAILABLE)
    else:
        reply = services.assistant.answer(text)
    question_id = log_question(incoming, services, text, reply, started)
    return with_answer_buttons(reply, question_id)


def log_question(
    incoming: Incoming, services: Services, text: str, reply: Reply, started: float
) -> int:
    """Write one question_log row and return its id."""
    entry = bot_records.QuestionEntry(
        user_id=incoming.user_id,
        chat_id=incoming.chat_id,
        text=text[:4000],
        intent=reply.intent,
        confidence=reply.confidence,
        answered=reply.answered,
        latency_ms=(time.perf_counter() - started) * 1000.0,
        update_id=incoming.update_id,
        source=incoming.source,
    )
    with services.sessions.begin() as session:
        return bot_records.record_question(session, entry)


def with_answer_buttons(reply: Reply, question_id: int) -> Reply:
    """Add 出处 / 相关 / 👍 / 👎 and the suggestions as buttons."""
    rows = [list(row) for row in reply.buttons]
    for i, suggestion in enumerate(reply.suggestions[:4]):
        rows.append([Button(label=suggestion[:30], data=cb.encode("sg", question_id, i))])
    first = []
    if reply.citations:
        first.append(Button(label="出处", data=cb.encode("src", question_id)))
    if reply.answered:
        first.append(Button(label="相关", data=cb.encode("rel", question_id)))
    if first:
        rows.append(first)
    rows.append(
        [
            Button(label="👍", data=cb.encode("fb", question_id, "+")),
            Button(label="👎", data=cb.encode("fb", question_id, "-")),
        ]
    )
    return reply.model_copy(update={"buttons": rows})


def example_buttons() -> list[list[Button]]:
    """Return one button per example question."""
    return [[Button(label=q, data=cb.encode("ex", i))] for i, q in enumerate(EXAMPLES)]
