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
    Subcommand("serve", "cli.serve", "Run the Telegram bot (long polling, or --webhook)"),
    Subcommand("chat", "cli.chat", "Interactive console chat (same handlers as Telegram)"),
    Subcommand("ask", "cli.ask", "Answer one question, or a batch of JSON lines"),
    Subcommand("triage", "cli.triage", "Triage a proposal text (file or - for stdin)"),
    Subcommand("ingest", "cli.ingest", "Ingest .txt/.docx/.pdf files or folders"),
    Subcommand("kb", "cli.kb", "Inspect the knowledge base (list, show, export)"),
    Subcommand("proposals", "cli.proposals", "List, show and update tracked proposals"),
    Subcommand("evaluate", "cli.evaluate", "NLU report: cross-validation and dev set"),
    Subcommand("bench", "cli.bench", "Benchmark latency, scale, start-up and end to end"),
    Subcommand("db", "cli.db", "Database maintenance (upgrade)"),
)
