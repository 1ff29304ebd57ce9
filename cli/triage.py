"""`run_bot.py triage FILE|- [--json] [--save]`: analyse a proposal and draft the reply."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from bot.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this subcommand's options."""
    parser.add_argument("file", metavar="FILE", help="proposal as .txt/.docx/.pdf, or - for stdin")
    parser.add_argument("--json", action="store_true", help="print the triage result as JSON")
    parser.add_argument("--save", action="store_true", help="store it as a tracked proposal")
    parser.add_argument("--by", metavar="NAME", default="cli", help="who registers it (--save)")
    parser.add_argument(
        "--received", metavar="YYYY-MM-DD", help="date of receipt (default today, --save)"
    )
    parser.add_argument("--docx", metavar="PATH", help="also write the draft reply as .docx")


def _read(source: str, max_bytes: int) -> str:
    if source == "-":
        return sys.stdin.read()
    from knowledge.loaders import load_path

    return load_path(Path(source), max_bytes=max_bytes).text


def _print_text(triaged) -> None:
    from bot.proposal_handlers import triage_summary

    print(triage_summary(triaged))
    print("\n—— 答复草稿 ——")
    print(triaged.draft_text)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Triage the text, optionally store it, and print text or JSON."""
    from bot import proposal_service
    from bot.services import open_services
    from knowledge.errors import IngestError
    from nlp.triage import TriageError

    try:
        text = _read(args.file, settings.max_upload_bytes)
        received = dt.date.fromisoformat(args.received) if args.received else dt.date.today()
    except (IngestError, OSError, ValueError) as exc:
        print(f"无法读取提案：{exc}", file=sys.stderr)
        return 2
    services = open_services(settings)
    try:
        if args.save:
            triaged = proposal_service.triage_and_store(
                services, text, actor=args.by, today=received
            )
        else:
            triaged = proposal_service.triage(services, text)
    except TriageError as exc:
        print(exc, file=sys.stderr)
        return 2
    finally:
        services.close()
    if args.docx:
        from nlp.draft_docx import render_docx

        Path(args.docx).write_bytes(render_docx(triaged.draft))
    if args.json:
        print(json.dumps(triaged.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_text(triaged)
    return 0
