"""A minimal python-telegram-bot echo bot: the yardstick the end-to-end bench runs beside ours.

PTB's own Updater and a handler that sends the text back, nothing else: what the library and
the transport cost without storage, NLP or pacing.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text:
        await message.reply_text(message.text)


async def start_echo_bot(api_root: str, token: str) -> Application:
    """Build, start and poll (as fast as the server answers) a minimal echo bot."""
    application = ApplicationBuilder().token(token).base_url(f"{api_root}/bot").build()
    application.add_handler(MessageHandler(filters.TEXT, _echo))
    await application.initialize()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0.0, timeout=1)
    await application.start()
    return application


async def stop_echo_bot(application: Application) -> None:
    """Stop polling and shut the echo bot down."""
    if application.updater is not None:
        await application.updater.stop()
    await application.stop()
    await application.shutdown()
