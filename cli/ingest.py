"""`run_bot.py ingest PATH... [--json]`: add .txt/.docx/.pdf files (folders recursively)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bot.settings import Settings

PROGRESS_FROM = 5  # draw a progress bar when at least this many files are given


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this subcommand's options."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--max-mb", type=float, default=None, help="size limit per file (MB)")


def collect(paths: list[str]) -> list[Path]:
    """Expand folders (recursively, skipping hidden files) into supported files."""
    from knowledge.loaders import SUPPORTED

    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUPPORTED
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            files.extend(found)
        else:
            files.append(path)
    return files


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Ingest every file; one line per file; non-zero exit when any failed."""
    from tqdm import tqdm

    from bot.services import open_services
    from knowledge.errors import IngestError
    from knowledge.ingest import ingest_path

    max_bytes = int(args.max_mb * 1048576) if args.max_mb else settings.max_upload_bytes
    files = collect(args.paths)
    if not files:
        print("没有找到可导入的文件（支持 .txt、.docx、.pdf）。", file=sys.stderr)
        return 1
    services = open_services(settings)
    rows: list[dict[str, Any]] = []
    # The bar goes to stderr and only to a terminal: piped output and --json stay clean.
    quiet = len(files) < PROGRESS_FROM or not sys.stderr.isatty()
    bar = tqdm(files, file=sys.stderr, unit="个文件", disable=quiet, dynamic_ncols=True)
    try:
        for path in bar:
            try:
                result = ingest_path(services.sessions, path, max_bytes=max_bytes)
                rows.append({"path": str(path), "ok": True, **_result_dict(result)})
                line, stream = result.summary(), sys.stdout
            except IngestError as exc:
                rows.append(
                    {"path": str(path), "ok": False, "error": str(exc), "kind": type(exc).__name__}
                )
                line, stream = f"失败 {exc}", sys.stderr
            if not args.json:
                # tqdm.write lifts the bar, prints the line above it and redraws it.
                tqdm.write(line, file=stream)
                stream.flush()  # a piped run shows each file as it is done
    finally:
        bar.close()
        services.close()
    failed = sum(1 for row in rows if not row["ok"])
    if args.json:
        print(
            json.dumps(
                {"files": rows, "ok": len(rows) - failed, "failed": failed},
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        print(
            f"共 {len(rows)} 个文件：成功 {len(rows) - failed}，失败 {failed}。", file=sys.stderr
        )
    return 1 if failed else 0


def _result_dict(result: object) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(result)  # type: ignore[call-overload]
