"""The Telegram transport: build the PTB Application and its thin callbacks.

Callbacks only adapt: Update -> Incoming -> handlers.handle (in a worker thread, so the event
loop never blocks on NLP or SQL) -> render -> send. Access is checked in group -1 before any
handler runs. Updates come from bot.telegram.polling or bot.telegram.webhook (both durable),
not PTB's Updater, so that no question is lost to a crash.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputFile,
    InputTextMessageContent,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    InlineQueryHandler,
    JobQueue,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import access, admin, handlers, render
from bot.commands import COMMANDS, menu
from bot.incoming import Incoming
from bot.logging_setup import SecretMaskFilter
from bot.reminders import schedule_reminders
from bot.shared_limits import SharedThrottle
from bot.telegram.decorate import Decorations, start_decorating
from bot.telegram.delivery import DeliveryPolicy, RetryingRateLimiter
from bot.telegram.durable import DurableDispatcher, FailureTracker, UpdateJournal
from bot.telegram.pacing import LocalPacer, Pace, Pacer, SharedPacer
from db.dead_letters import Poison
from nlp.reply import Reply

if TYPE_CHECKING:
    from bot.services import Services
    from bot.settings import Settings

logger = logging.getLogger(__name__)
T = TypeVar("T")
APOLOGY = "出错了，请稍后重试。"
TYPING_AFTER = 1.0
TYPING_EVERY = 4.5
INLINE_CACHE_SECONDS = 5
DESCRIPTION = (
    "楚雄州投资促进局工作助手：依据局内公文回答招商引资指标、措施与计划问题（附出处），"
    "并可对政协提案、人大建议进行分拣。仅供授权人员使用。"
)
SHORT_DESCRIPTION = "楚雄州投资促进局工作助手：公文问答与提案分拣"
# Loggers that print Bot API URLs, which contain the token (PTB logs them at DEBUG).
URL_LOGGERS = ("telegram.Bot", "telegram.ext.ExtBot", "httpx", "httpcore")


@dataclass
class BotRuntime:
    """What the callbacks share: configuration, services and per-process state."""

    settings: Settings
    services: Services
    policy: DeliveryPolicy
    throttle: access.Throttle | SharedThrottle
    tracker: FailureTracker = field(default_factory=FailureTracker)
    # Strangers hear the refusal at most once a minute, however much they send.
    refusals: access.Throttle | SharedThrottle = field(
        default_factory=lambda: access.Throttle(1)
    )
    executor: ThreadPoolExecutor | None = None  # blocking work; see DeliveryPolicy.workers

    def __post_init__(self) -> None:
        if self.executor is None:
            self.executor = ThreadPoolExecutor(self.policy.workers, thread_name_prefix="bot-work")

    def in_thread(self, func: Callable[..., T], *args: Any) -> asyncio.Future[T]:
        """Run blocking work (NLP, SQL) on the runtime's threads, off the event loop."""
        loop = asyncio.get_running_loop()
        return loop.run_in_executor(self.executor, functools.partial(func, *args))

    async def take(self, limit: access.Throttle | SharedThrottle, user_id: int) -> access.Verdict:
        """Spend from a user's budget; a shared one is a database call, made off the loop."""
        if isinstance(limit, SharedThrottle):
            return await self.in_thread(limit.take, user_id)
        return limit.take(user_id)

    def access_of(self, user_id: int | None) -> access.Access:
        """Return a user's access level."""
        s = self.settings
        return access.check(user_id, s.allowed_user_ids, s.admin_user_ids)


class BotData:
    """`application.bot_data`, typed through ContextTypes instead of a dict keyed by strings.

    PTB creates it with no arguments when the Application is built; build_application then
    sets the runtime, so every later reader finds it.
    """

    def __init__(self) -> None:
        self.runtime: BotRuntime | None = None
        self.callbacks: Callbacks | None = None
        # The background task that publishes the menu and descriptions (cancelled at stop).
        self.decorating: asyncio.Task[None] | None = None


# The callback context and Application with our bot_data type (user and chat data stay dicts).
BotContext = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]
BotApplication = Application[
    ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], BotData, JobQueue[BotContext]
]
CONTEXT_TYPES = ContextTypes(context=CallbackContext, bot_data=BotData)


def runtime_of(application: BotApplication) -> BotRuntime:
    """Return the runtime that build_application attached to this application."""
    runtime = application.bot_data.runtime
    if runtime is None:
        raise RuntimeError("application was not built by build_application")
    return runtime


def to_markup(rendered: render.Rendered) -> InlineKeyboardMarkup | None:
    """Turn button specs into an inline keyboard."""
    if not rendered.keyboard:
        return None
    rows = [
        [InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
        for row in rendered.keyboard
    ]
    return InlineKeyboardMarkup(rows)


class Callbacks:
    """The PTB callbacks; each adapts and delegates."""

    def __init__(self, runtime: BotRuntime, bot: ExtBot) -> None:
        self.rt = runtime
        self.bot = bot

    # -- helpers -------------------------------------------------------------------------------

    def incoming(self, update: Update, **fields: Any) -> Incoming:
        """Build the transport-neutral request from an update."""
        user, chat = update.effective_user, update.effective_chat
        user_id = user.id if user else None
        return Incoming(
            user_id=user_id,
            chat_id=chat.id if chat else user_id,
            update_id=update.update_id,
            is_admin=self.rt.access_of(user_id) is access.Access.ADMIN,
            **fields,
        )

    async def run(self, chat_id: int | None, func: Callable[..., T], *args: Any) -> T:
        """Run blocking work in a thread; show “typing…” if it takes over a second."""
        task = self.rt.in_thread(func, *args)
        wait = TYPING_AFTER
        while True:
            done, _ = await asyncio.wait({task}, timeout=wait)
            if done:
                return task.result()
            if chat_id is not None:
                with suppress(TelegramError):
                    await self.bot.send_chat_action(chat_id, ChatAction.TYPING)
            wait = TYPING_EVERY

    async def send(self, chat_id: int, reply: Reply) -> None:
        """Send a reply: escaped HTML chunks (keyboard under the last), then attachments."""
        if reply.text or not reply.attachments:
            rendered = render.render(reply)
            markup = to_markup(rendered)
            last = len(rendered.chunks) - 1
            for i, chunk in enumerate(rendered.chunks):
                await self.bot.send_message(
                    chat_id,
                    chunk,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup if i == last else None,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                )
        for attachment in reply.attachments:
            data = InputFile(attachment.data, filename=attachment.filename)
            caption = attachment.caption[:1024] or None
            if attachment.kind == "photo":
                await self.bot.send_photo(chat_id, data, caption=caption)
            else:
                await self.bot.send_document(chat_id, data, caption=caption)

    # -- gate (group -1) -----------------------------------------------------------------------

    async def gate(self, update: Update, context: BotContext) -> None:
        """Refuse strangers (no data anywhere) and throttle bursts, before any handler."""
        user = update.effective_user
        if user is None:
            raise ApplicationHandlerStop
        if self.rt.access_of(user.id) is access.Access.REFUSED:
            logger.info("refused user %s (update %s)", user.id, update.update_id)
            tell = await self.rt.take(self.rt.refusals, user.id) is access.Verdict.ALLOW
            await self._deny(update, access.REFUSAL, tell)
            raise ApplicationHandlerStop
        verdict = await self.rt.take(self.rt.throttle, user.id)
        if verdict is not access.Verdict.ALLOW:
            logger.info("throttled user %s (update %s)", user.id, update.update_id)
            await self._deny(update, access.THROTTLED, verdict is access.Verdict.DENY_NOTIFY)
            raise ApplicationHandlerStop

    async def _deny(self, update: Update, text: str, tell: bool) -> None:
        if update.inline_query:
            await update.inline_query.answer([], is_personal=True, cache_time=0)
        elif update.callback_query:
            await update.callback_query.answer()  # stop the spinner; nothing else
        elif tell and update.effective_chat:
            await self.bot.send_message(update.effective_chat.id, text)

    # -- handlers ------------------------------------------------------------------------------

    async def on_text(self, update: Update, context: BotContext) -> None:
        """Free text: a question or a proposal."""
        message = update.effective_message
        incoming = self.incoming(update, text=message.text or "")
        reply = await self.run(incoming.chat_id, handlers.handle, incoming, self.rt.services)
        await self.send(message.chat_id, reply)

    async def on_command(self, update: Update, context: BotContext) -> None:
        """A /command from the COMMANDS table (or an unknown one)."""
        message = update.effective_message
        text = message.text or message.caption or ""
        head, *args = text.split()
        name = head[1:].split("@", 1)[0].lower()
        incoming = self.incoming(update, text=text, command=name, args=args)
        reply = await self.run(incoming.chat_id, handlers.handle, incoming, self.rt.services)
        await self.send(message.chat_id, reply)

    async def on_callback(self, update: Update, context: BotContext) -> None:
        """A button press: feedback becomes a toast, everything else a new message."""
        query = update.callback_query
        incoming = self.incoming(update, callback=query.data or "")
        reply = await self.run(incoming.chat_id, handlers.handle, incoming, self.rt.services)
        if reply.intent == "feedback":
            await query.answer(reply.text)
            return
        await query.answer()
        if incoming.chat_id is not None:
            await self.send(incoming.chat_id, reply)

    async def on_inline(self, update: Update, context: BotContext) -> None:
        """Inline mode: indicator cards, personal and cached only briefly."""
        query = update.inline_query
        incoming = self.incoming(update, text=query.query, source="inline")
        cards = await self.rt.in_thread(handlers.inline, incoming, self.rt.services)
        results = [
            InlineQueryResultArticle(
                id=card.key,
                title=card.title,
                description=card.description,
                input_message_content=InputTextMessageContent(
                    render.escape(card.text)[:4096], parse_mode=ParseMode.HTML
                ),
            )
            for card in cards
        ]
        # is_personal: Telegram must never serve one user's cached results to another.
        await query.answer(results, is_personal=True, cache_time=INLINE_CACHE_SECONDS)

    async def on_document(self, update: Update, context: BotContext) -> None:
        """An uploaded file: admins' .txt/.docx/.pdf are ingested (or triaged), off the loop."""
        message = update.effective_message
        document = message.document
        incoming = self.incoming(update, text=message.caption or "")
        limit = self.rt.settings.max_upload_bytes
        refusal = admin.upload_check(incoming, document.file_name, document.file_size, limit)
        if refusal:
            await self.send(message.chat_id, Reply(intent="document", text=refusal))
            return
        uploads = Path(self.rt.settings.var_dir) / "uploads"
        uploads.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=uploads) as folder:
            path = Path(folder) / admin.safe_upload_name(document.file_name)
            telegram_file = await document.get_file()
            await telegram_file.download_to_drive(path)
            reply = await self.run(
                message.chat_id, admin.handle_upload, incoming, self.rt.services, path
            )
        await self.send(message.chat_id, reply)

    async def on_error(self, update: object, context: BotContext) -> None:
        """Log (never the token) and leave the retry, or the setting aside, to the dispatcher."""
        error = context.error
        update_id = update.update_id if isinstance(update, Update) else None
        if update_id is None or error is None:
            logger.error("error outside an update", exc_info=error)
            return
        if _transient(error):
            logger.warning("update %s: delivery failed (%s), will retry", update_id, error)
        else:
            logger.error("update %s failed", update_id, exc_info=error)
        self.rt.tracker.fail(update_id, error)

    async def give_up(self, update: Update, error: BaseException | None) -> None:
        """An update still failing after its attempts: apologise once, unless sending failed."""
        if error is not None and _transient(error):
            return
        if update.effective_chat:
            with suppress(TelegramError):
                if update.callback_query:
                    await update.callback_query.answer()
                await self.bot.send_message(update.effective_chat.id, APOLOGY)

    async def tell_admins(self, poisons: list[Poison]) -> None:
        """One notice per batch of updates newly set aside."""
        ids = "、".join(str(p.update_id) for p in poisons[:5] if p.update_id is not None)
        text = f"有{len(poisons)}条更新无法处理，已搁置（不影响其他消息）"
        text += f"：update_id {ids}" if ids else ""
        text += "。详见 /stats。"
        for admin_id in self.rt.settings.admin_user_ids:
            with suppress(TelegramError):
                await self.bot.send_message(admin_id, text)


def _transient(error: BaseException) -> bool:
    return isinstance(error, NetworkError | RetryAfter) and not isinstance(error, BadRequest)


def build_application(
    settings: Settings,
    services: Services,
    policy: DeliveryPolicy | None = None,
    updates_request: BaseRequest | None = None,
) -> BotApplication:
    """Build the Application with every handler; requests go to {root}/bot{token}/{method}.

    `updates_request`, when given, carries the getUpdates calls (the poller reads raw updates
    from it).
    """
    policy = policy or DeliveryPolicy()
    if not settings.token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    # python-telegram-bot 22.2+ gives time periods (RetryAfter.retry_after and others) as ints
    # with a deprecation warning unless this opt-in to the coming timedelta type is set; it is
    # read at each access, so setting it before the first Bot API call is enough.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    mask_token_in_library_logs(settings.token)
    root = settings.telegram_api_base_url
    builder = ApplicationBuilder().context_types(CONTEXT_TYPES)
    if updates_request is not None:
        builder = builder.get_updates_request(updates_request)
    application = (
        builder.token(settings.token)
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        .rate_limiter(RetryingRateLimiter(policy, _pacer(settings, services, policy)))
        .read_timeout(policy.read_timeout)
        .connect_timeout(policy.connect_timeout)
        .write_timeout(policy.read_timeout)
        .media_write_timeout(policy.read_timeout * 3)
        .connection_pool_size(max(8, policy.concurrency * 2))
        .updater(None)
        .build()
    )
    runtime = _runtime(settings, services, policy)
    callbacks = Callbacks(runtime, application.bot)
    register(application, callbacks)
    application.bot_data.runtime = runtime
    application.bot_data.callbacks = callbacks
    return application


def _pacer(settings: Settings, services: Services, policy: DeliveryPolicy) -> Pacer | None:
    """The send pacer: none when pacing is off, shared when workers share the limits."""
    if not policy.paced:
        return None
    pace = Pace.of(policy.overall_max_rate, policy.group_max_rate)
    if settings.limits_in_database:
        return SharedPacer(services.engine, pace)
    return LocalPacer(pace)


def _runtime(settings: Settings, services: Services, policy: DeliveryPolicy) -> BotRuntime:
    """Per-process state; the limits live in the database when workers share them."""
    rate = settings.user_rate_per_minute
    if not settings.limits_in_database:
        return BotRuntime(settings, services, policy, access.Throttle(rate))
    return BotRuntime(
        settings,
        services,
        policy,
        SharedThrottle(services.sessions, "user", rate),
        refusals=SharedThrottle(services.sessions, "refusal", 1),
    )


def mask_token_in_library_logs(token: str) -> None:
    """Mask the token in records of the loggers that print request URLs, whoever set up logging.

    run_bot.py masks it on its handler too; this also covers tests and embedding programs.
    """
    for name in URL_LOGGERS:
        library_logger = logging.getLogger(name)
        if not any(
            isinstance(f, SecretMaskFilter) and token in f.secrets for f in library_logger.filters
        ):
            library_logger.addFilter(SecretMaskFilter([token]))


def register(application: BotApplication, callbacks: Callbacks) -> None:
    """Add the gate, every COMMANDS entry and the message/button/inline/file handlers."""
    application.add_handler(TypeHandler(Update, callbacks.gate), group=-1)
    for command in COMMANDS:
        application.add_handler(CommandHandler(list(command.names), callbacks.on_command))
    application.add_handler(MessageHandler(filters.COMMAND, callbacks.on_command))
    application.add_handler(MessageHandler(filters.Document.ALL, callbacks.on_document))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, callbacks.on_text))
    application.add_handler(CallbackQueryHandler(callbacks.on_callback))
    application.add_handler(InlineQueryHandler(callbacks.on_inline))
    application.add_error_handler(callbacks.on_error)


def registered_commands(application: BotApplication) -> set[str]:
    """Return every command name a CommandHandler answers (for the agreement test)."""
    names: set[str] = set()
    for group in application.handlers.values():
        for handler in group:
            if isinstance(handler, CommandHandler):
                names |= set(handler.commands)
    return names


def dispatcher_for(application: BotApplication, services: Services) -> DurableDispatcher:
    """Return the durable dispatcher that feeds this application."""
    runtime = runtime_of(application)
    callbacks = application.bot_data.callbacks
    if callbacks is None:
        raise RuntimeError("application was not built by build_application")
    return DurableDispatcher(
        application,
        UpdateJournal(
            services.sessions,
            services.settings.resolved_worker_name,
            services.settings.update_lease_seconds,
        ),
        runtime.tracker,
        runtime.policy,
        on_set_aside=callbacks.tell_admins,
        on_give_up=callbacks.give_up,
    )


async def start(application: BotApplication, services: Services) -> None:
    """Initialise, schedule reminders, and publish the menu and descriptions in the background.

    Nothing here waits for a call that does not decide an answer.
    """
    await _initialize(application)
    await application.start()
    decorations = Decorations(menu(), DESCRIPTION, SHORT_DESCRIPTION)
    application.bot_data.decorating = start_decorating(application.bot, decorations)
    _schedule_reminders(application, services)


class BotStartError(Exception):
    """The bot could not start; the message is one Chinese line without the token."""


async def _initialize(application: BotApplication, attempts: int = 5) -> None:
    # PTB's InvalidToken text quotes the token, so it is replaced, not chained ("from None").
    for attempt in range(1, attempts + 1):
        try:
            await application.initialize()
            return
        except InvalidToken:
            raise BotStartError(
                "Bot API 拒绝了 TELEGRAM_BOT_TOKEN（令牌无效或已撤销），请检查配置。"
            ) from None
        except NetworkError as exc:
            if attempt == attempts:
                reason = type(exc).__name__
                raise BotStartError(
                    f"无法连接 Bot API（{reason}），请检查 TELEGRAM_API_BASE_URL 和网络。"
                ) from None
            await asyncio.sleep(min(10.0, 2.0**attempt))


def _schedule_reminders(application: BotApplication, services: Services) -> None:
    if application.job_queue is None:
        return

    async def send(chat_id: int, text: str) -> Any:
        return await application.bot.send_message(chat_id, text)

    try:
        schedule_reminders(application.job_queue, services, send)
    except Exception:
        logger.exception("could not schedule proposal reminders")


async def stop(application: BotApplication) -> None:
    """Stop the application and release its connections and threads."""
    decorating = application.bot_data.decorating
    if decorating is not None:
        decorating.cancel()
        await asyncio.gather(decorating, return_exceptions=True)
    with suppress(RuntimeError):
        await application.stop()
    await application.shutdown()
    runtime = application.bot_data.runtime
    if runtime is not None and runtime.executor is not None:
        runtime.executor.shutdown(wait=False)  # a job still running finishes on its own
