"""`run_bot.py serve`: the Telegram bot, by long polling (default) or webhook."""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import logging
import signal
import sys

from bot.settings import Settings

logger = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this subcommand's options."""
    parser.add_argument("--webhook", metavar="URL", help="public HTTPS URL: run in webhook mode")
    parser.add_argument("--listen", metavar="HOST", default="127.0.0.1", help="webhook host")
    parser.add_argument("--port", metavar="N", type=int, default=8443, help="webhook port")
    parser.add_argument(
        "--poll-timeout", metavar="S", type=int, default=25, help="long-polling timeout (s)"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Build the services and serve until SIGTERM or Ctrl-C."""
    if not settings.token:
        print(
            "未设置 TELEGRAM_BOT_TOKEN，无法连接 Telegram（可用 chat 子命令在控制台使用）。",
            file=sys.stderr,
        )
        return 2
    from bot.bootstrap import build_services
    from bot.telegram.app import BotStartError

    services = build_services(settings)
    try:
        asyncio.run(serve(args, settings, services))
    except BotStartError as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        services.close()
    return 0


def webhook_secret(settings: Settings) -> str:
    """WEBHOOK_SECRET, or one derived from the token: the same in every worker.

    A random secret per process made each worker register its own, so Telegram's deliveries
    through the shared proxy got 403 from every worker but the last to start.
    """
    if settings.webhook_secret:
        return settings.webhook_secret.get_secret_value()
    token = settings.token or ""
    return hmac.new(token.encode(), b"webhook-secret", hashlib.sha256).hexdigest()


async def serve(args: argparse.Namespace, settings: Settings, services) -> None:
    """Run until SIGTERM/SIGINT: re-handle what the last run left, then poll or serve a webhook."""
    from bot.telegram.delivery import DeliveryPolicy
    from bot.telegram.runner import BotRunner, WebhookConfig

    webhook = None
    if args.webhook:
        secret = webhook_secret(settings)
        webhook = WebhookConfig(args.webhook, args.listen, args.port, secret)
    runner = BotRunner(services, DeliveryPolicy(poll_timeout=args.poll_timeout), webhook)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, runner.request_stop)
    await runner.start()
    logger.info("receiving updates by %s", "webhook" if webhook else "long polling")
    try:
        await runner.wait()
    finally:
        await runner.stop()
        logger.info("stopped")
