"""`run_bot.py chat`: an interactive console chat through the same handlers as Telegram."""

from __future__ import annotations

import argparse
import sys

from bot.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this subcommand's options."""


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Build the services and chat on stdin/stdout until EOF or “exit”."""
    from bot.bootstrap import build_services
    from bot.console import chat

    services = build_services(settings)
    try:
        interactive = sys.stdin.isatty()
        if interactive:
            print("楚雄州投资促进局工作助手（输入 exit 退出，/help 查看命令）")
        return chat(services, sys.stdin, sys.stdout, interactive=interactive)
    except KeyboardInterrupt:
        return 0
    finally:
        services.close()
