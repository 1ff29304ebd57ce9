"""`run_bot.py kb`: not built yet."""

from __future__ import annotations

import argparse
import sys

from bot.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this subcommand's options."""


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the subcommand."""
    print("该命令尚未实现 (kb)", file=sys.stderr)
    return 2
