"""`run_bot.py db upgrade`: bring the database schema up to date."""

from __future__ import annotations

import argparse

from bot.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this subcommand's options."""
    parser.add_argument("action", choices=["upgrade"], help="upgrade: apply all migrations")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Apply migrations to the configured database."""
    from db.migrate import upgrade

    upgrade(settings.resolved_database_url)
    print("数据库已升级到最新版本")
    return 0
