"""Subcommands of run_bot.py: each module has add_arguments(parser) and run(args, settings).

Modules import their heavy dependencies inside run(), so `--help` and cold starts stay fast.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class Subcommand:
    """One entry of the command line."""

    name: str
    module: str
    help: str

    def load(self) -> ModuleType:
        """Import the module that implements this subcommand."""
        return importlib.import_module(self.module)


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand("serve", "bot.cli.serve", "Run the Telegram bot (long polling, or --webhook)"),
    Subcommand("chat", "bot.cli.chat", "Interactive console chat (same handlers as Telegram)"),
    Subcommand("ask", "bot.cli.ask", "Answer one question, or a batch of JSON lines"),
    Subcommand("triage", "bot.cli.triage", "Triage a proposal text (file or - for stdin)"),
    Subcommand("ingest", "bot.cli.ingest", "Ingest .txt/.docx/.pdf files or folders"),
    Subcommand("kb", "bot.cli.kb", "Inspect the knowledge base (list, show, export)"),
    Subcommand("proposals", "bot.cli.proposals", "List, show and update tracked proposals"),
    Subcommand("evaluate", "bot.cli.evaluate", "NLU report: cross-validation and dev set"),
    Subcommand("bench", "bot.cli.bench", "Benchmark latency, scale, start-up and end to end"),
    Subcommand("db", "bot.cli.db", "Database maintenance (upgrade)"),
)
