"""`run_bot.py ask "问题"`: answer one question, or a batch of JSON lines, in one process."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this subcommand's options."""
    parser.add_argument("question", nargs="?", help="the question (omit with --batch)")
    parser.add_argument("--json", action="store_true", help="print the reply model as JSON")
    parser.add_argument(
        "--batch",
        metavar="FILE",
        help='one question per line, plain or JSON {"id", "question"}; "-" reads stdin',
    )


def _reply_json(reply, row_id: object | None = None) -> str:
    data = reply.model_dump(mode="json", exclude={"attachments"})
    if row_id is not None:
        data = {"id": row_id, **data}
    return json.dumps(data, ensure_ascii=False)


def _batch_rows(source: str) -> list[dict]:
    """Read the batch: JSON lines keep their id; a plain line is a question numbered by line."""
    text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            row = None
        rows.append(row if isinstance(row, dict) else {"id": number, "question": line.strip()})
    return rows


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Answer the question(s) and print text or JSON."""
    if not args.question and not args.batch:
        print('请给出问题，例如：run_bot.py ask "州外到位资金增长多少"', file=sys.stderr)
        return 2
    from bot.bootstrap import build_services  # heavy imports only when actually asking

    services = build_services(settings)
    assistant = services.assistant
    assert assistant is not None
    try:
        if args.batch:
            for row in _batch_rows(args.batch):
                reply = assistant.answer(str(row.get("question", "")))
                if args.json:
                    print(_reply_json(reply, row.get("id")))
                else:
                    print(f"[{row.get('id')}] {reply.text}\n")
            return 0
        reply = assistant.answer(args.question)
        print(_reply_json(reply) if args.json else reply.text)
        return 0
    finally:
        services.close()
