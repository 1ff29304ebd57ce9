"""Transport-neutral dispatch: handle(incoming, services) -> Reply.

Telegram and the console both call `handle`; it never touches a transport. A button press is
decoded and looked up in bot/callbacks.py's table, a command in bot/commands.py's table, free
text goes to bot/questions.py (a question to the assistant, a proposal to triage). This module
imports those tables and nothing imports it back, which keeps the bot's imports one-way.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot import browse
from bot import callback_data as cb
from bot.callbacks import CALLBACK_ACTIONS, proposal_callback
from bot.commands import find_command
from bot.incoming import Incoming
from bot.questions import STALE, ask, log_question, triage
from nlp.reply import Reply
from zhtext.proposal import looks_like_proposal

if TYPE_CHECKING:
    from bot.services import Services

logger = logging.getLogger(__name__)

TOO_LONG = "内容过长（{n}字），请控制在{limit}字以内，或将提案作为文件发送。"
DB_UNAVAILABLE = "数据库暂时无法访问，这条消息没有处理，请稍后重试。"


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


def handle_callback(incoming: Incoming, services: Services) -> Reply:
    """Decode a button press and run its action; stale or forged data gets a short notice."""
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
