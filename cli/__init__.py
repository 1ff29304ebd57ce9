"""Subcommands of run_bot.py: each module has add_arguments(parser) and run(args, settings).

Every subcommand module is imported here, eagerly: their top levels import only the standard
library and bot.settings, so `--help` stays fast. Each imports its heavy dependencies (the NLP
pipeline, scikit-learn, PTB, the bench baselines) inside run(), which keeps a cold `ask` or
`kb list` from paying for what `serve` or `bench` need. Those function-level imports are for
start-up time only, and the CLI is the one place the architecture test allows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from cli import ask, chat, db, evaluate, ingest, kb, proposals, serve, triage
from cli import bench as bench_command


@dataclass(frozen=True)
class Subcommand:
    """One entry of the command line."""

    name: str
    module: ModuleType
    help: str


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand("serve", serve, "Run the Telegram bot (long polling, or --webhook)"),
    Subcommand("chat", chat, "Interactive console chat (same handlers as Telegram)"),
    Subcommand("ask", ask, "Answer one question, or a batch of JSON lines"),
    Subcommand("triage", triage, "Triage a proposal text (file or - for stdin)"),
    Subcommand("ingest", ingest, "Ingest .txt/.docx/.pdf files or folders"),
    Subcommand("kb", kb, "Inspect the knowledge base (list, show, export)"),
    Subcommand("proposals", proposals, "List, show and update tracked proposals"),
    Subcommand("evaluate", evaluate, "NLU report: cross-validation and dev set"),
    Subcommand("bench", bench_command, "Benchmark latency, scale, start-up and end to end"),
    Subcommand("db", db, "Database maintenance (upgrade)"),
)
