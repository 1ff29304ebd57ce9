"""Transport-neutral handling: handle(incoming, services) -> Reply, one function per job.

Telegram and the console both call `handle`; it never touches a transport. Questions are
answered by `services.assistant`, long or proposal-like texts go to triage, commands are looked
up in `bot.commands.COMMANDS`, button presses are decoded from `bot.callback_data`.
"""

from __future__ import annotations

import importlib
import logging
import time
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot import browse
from bot import callback_data as cb
from bot.incoming import Incoming
from db import bot_records
from nlp.reply import Button, Reply
from zhtext.proposal import looks_like_proposal

if TYPE_CHECKING:
    from bot.services import Services

logger = logging.getLogger(__name__)

UNAVAILABLE = "问答功能暂不可用，请稍后再试。"
TRIAGE_UNAVAILABLE = "提案分析功能暂不可用，请稍后再试。"
TOO_LONG = "内容过长（{n}字），请控制在{limit}字以内，或将提案作为文件发送。"
STALE = "按钮已失效，请重新提问。"
DB_UNAVAILABLE = "数据库暂时无法访问，这条消息没有处理，请稍后重试。"
EXAMPLES: tuple[str, ...] = (
    "上半年州外到位资金增长多少",
    "外资到位多少",
    "网络招商做了什么",
    "下一步怎么解决融资难",
    "文号是什么",
)


def database_unavailable(exc: BaseException) -> bool:
    """Tell whether an error means the database is down, unreachable or locked.

    Those heal by themselves (the engine reconnects), so the user is asked to retry; any other
    database error is a bug and goes to the transport's error handler.
    """
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeout):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def handle(incoming: Incoming, services: Services) -> Reply:
    """Answer one request; when the database is out of reach, ask the user to retry.

    Every write a handler makes is one transaction, so a request cut off by an outage wrote
    nothing (or, for a proposal, a complete record that a resend recognises by its hash).
    """
    try:
        return route(incoming, services)
    except SQLAlchemyError as exc:
        if not database_unavailable(exc):
            raise
        logger.warning(
            "database unavailable for update %s (%s): asked the user to retry",
            incoming.update_id,
            type(exc).__name__,
        )
        return Reply(intent="unavailable", text=DB_UNAVAILABLE)


def route(incoming: Incoming, services: Services) -> Reply:
    """Answer one request: a button press, a command or free text."""
    if incoming.callback is not None:
        return handle_callback(incoming, services)
    if incoming.command:
        from bot.commands import find_command  # commands import this module's handlers

        entry = find_command(incoming.command)
        if entry is None:
            return Reply(
                intent="help", text=f"未知命令 /{incoming.command}，发送 /help 查看可用命令。"
            )
        if entry.admin_only and not incoming.is_admin:
            return Reply(intent="help", text="该功能仅限管理员使用。")
        return entry.handler(incoming, services)
    return handle_text(incoming, services)


def handle_text(incoming: Incoming, services: Services) -> Reply:
    """Route free text: empty, too long, a proposal to triage, else a question."""
    text = incoming.text.strip()
    if not text:
        return Reply(intent="help", text="请输入您的问题，或发送 /help 查看示例。")
    limit = services.settings.max_triage_chars
    if len(text) > limit:
        return Reply(intent="out_of_scope", text=TOO_LONG.format(n=len(text), limit=limit))
    if looks_like_proposal(text):
        return triage(incoming.model_copy(update={"text": text}), services)
    return ask(incoming, services, text)


def triage(incoming: Incoming, services: Services) -> Reply:
    """Hand a proposal to the triage handlers when they are installed."""
    started = time.perf_counter()
    try:
        module = importlib.import_module("bot.proposal_handlers")
        reply = module.triage_reply(incoming, services)
    except ImportError:
        reply = Reply(intent="triage", text=TRIAGE_UNAVAILABLE)
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


# --- commands ---------------------------------------------------------------------------------


def start(incoming: Incoming, services: Services) -> Reply:
    """/start: greet and show example questions as buttons."""
    text = (
        "您好！我是楚雄州投资促进局工作助手。\n"
        "直接输入问题即可，例如“上半年州外到位资金增长多少”；"
        "把提案全文发给我，我会分析并起草答复。\n发送 /help 查看全部命令。"
    )
    return Reply(intent="help", answered=True, text=text, buttons=example_buttons())


def help_command(incoming: Incoming, services: Services) -> Reply:
    """/help: what the assistant can do, every command, example questions as buttons."""
    from bot.commands import visible_commands

    lines = ["我可以回答已收录文件中的问题，也可以分析提案。", "", "命令："]
    for entry in visible_commands(incoming.is_admin):
        aliases = "".join(f" /{a}" for a in entry.aliases)
        lines.append(f"/{entry.name}{aliases} — {entry.description}")
    lines += ["", "点击下面的示例问题试试："]
    return Reply(intent="help", answered=True, text="\n".join(lines), buttons=example_buttons())


def example_buttons() -> list[list[Button]]:
    """Return one button per example question."""
    return [[Button(label=q, data=cb.encode("ex", i))] for i, q in enumerate(EXAMPLES)]


def feedback_help(incoming: Incoming, services: Services) -> Reply:
    """/feedback: explain the 👍 / 👎 buttons."""
    return Reply(
        intent="help",
        answered=True,
        text="每条回答下方都有 👍 / 👎 按钮，点一下即可反馈，帮助我们改进。",
    )


def inline(incoming: Incoming, services: Services) -> list[browse.Card]:
    """Inline mode (@bot 州外到位资金): indicator cards; the query is logged like a question."""
    started = time.perf_counter()
    try:
        cards = browse.inline_cards(incoming.text, services)
        if incoming.text.strip():
            reply = Reply(intent="inline", answered=bool(cards), confidence=1.0 if cards else 0.0)
            log_question(incoming, services, incoming.text.strip(), reply, started)
    except SQLAlchemyError as exc:
        if not database_unavailable(exc):
            raise
        # No cards rather than unlogged ones: the user sees an empty list and types again.
        logger.warning("database unavailable for inline query (%s)", type(exc).__name__)
        return []
    return cards


def tian(incoming: Incoming, services: Services) -> Reply:
    """/tian: proposals, from the triage handlers when installed."""
    try:
        module = importlib.import_module("bot.proposal_handlers")
    except ImportError:
        return Reply(intent="proposal", text=TRIAGE_UNAVAILABLE)
    return module.tian_reply(incoming, services)


# --- buttons ----------------------------------------------------------------------------------


def handle_callback(incoming: Incoming, services: Services) -> Reply:
    """Decode a button press and run its action; stale or forged data gets a short notice."""
    from bot.callbacks import CALLBACK_ACTIONS, proposal_callback

    data = incoming.callback or ""
    proposal = proposal_callback(incoming, services, data)
    if proposal is not None:
        return proposal
    try:
        payload = cb.decode(data)
        return CALLBACK_ACTIONS[payload.action](incoming, services, payload)
    except (cb.CallbackDataError, KeyError, IndexError):
        logger.info("ignored callback data %r from %s", data[:64], incoming.user_id)
        return Reply(intent="help", text=STALE)
