#!/usr/bin/env python3
"""The one entry point: `python run_bot.py --help` lists every subcommand."""

from __future__ import annotations

import argparse
import sys

from bot.logging_setup import configure_logging
from bot.settings import SettingsError, load_settings
from cli import SUBCOMMANDS

NO_TOKEN_HINT = (
    "未设置 TELEGRAM_BOT_TOKEN，进入控制台对话；"
    "在 .env 或环境变量中设置 TELEGRAM_BOT_TOKEN 后运行 make run 即连接 Telegram。"
)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="run_bot.py",
        description="楚雄州投资促进局 assistant: Telegram bot, console chat and tools.",
    )
    parser.add_argument("--db", metavar="URL", help="database URL (overrides DATABASE_URL)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for entry in SUBCOMMANDS:
        child = sub.add_parser(entry.name, help=entry.help, description=entry.help)
        entry.module.add_arguments(child)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, load settings and run the chosen subcommand."""
    parser = build_parser()
    args = parser.parse_args(argv)
    overrides = {"database_url": args.db} if args.db else {}
    try:
        settings = load_settings(**overrides)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    configure_logging(settings.log_level, [settings.token] if settings.token else [])
    command = args.command
    if command is None:
        command = "serve" if settings.token else "chat"
        if command == "chat":
            print(NO_TOKEN_HINT, file=sys.stderr)
        args = parser.parse_args([*(argv or sys.argv[1:]), command])
    entry = next(e for e in SUBCOMMANDS if e.name == command)
    return entry.module.run(args, settings)


if __name__ == "__main__":
    sys.exit(main())
