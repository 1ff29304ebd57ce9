"""The whole-run secret scan: no token a test uses may appear in any log, error or report text.

tests/conftest.py installs a RecordingHandler on the root logger for the whole run (root at
DEBUG, so every logger's records reach it) and feeds every test report (failure text, captured
output) to the scan. At the end the recorded records and the subprocess logs tests keep (*.log
under the run's temporary folder) are scanned for every known secret.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from devtools.fake_bot_api import TOKEN as FAKE_API_TOKEN

# Every token or secret the tests hand to the bot. Keep in sync: test_token_scan.py checks the
# constants of the modules that define their own.
TEST_TOKENS = (
    FAKE_API_TOKEN,  # the fake Bot API's token: every end-to-end test
    "123456:ABC-secret-token-value",  # tests/bot/test_settings.py TOKEN
    "42:WRONGsecretXYZ0123456789",  # tests/bot/test_crash_recovery.py, the rejected token
    "s3cret-Token_for-tests",  # tests/bot/test_webhook.py SECRET (webhook secret_token)
)
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def secret_part(token: str) -> str:
    """Return what must never leak: the part after the bot id (a bot id alone is public)."""
    bot_id, sep, secret = token.partition(":")
    return secret if sep and bot_id.isdigit() else token


def known_secrets() -> list[str]:
    """Return the secrets to look for: the test tokens, and a real token if one is set."""
    tokens = list(TEST_TOKENS)
    for name in ("TELEGRAM_BOT_TOKEN", "WEBHOOK_SECRET"):
        if os.environ.get(name):
            tokens.append(os.environ[name])
    return sorted({secret_part(t) for t in tokens if len(secret_part(t)) >= 8})


def find_secrets(text: str, secrets: Iterable[str]) -> list[str]:
    """Return the secrets that occur in `text`."""
    return [s for s in secrets if s in text]


def format_record(record: logging.LogRecord, formatter: logging.Formatter | None = None) -> str:
    """Return a record as a handler would write it: message, exception text and stack."""
    formatter = formatter or logging.Formatter(FORMAT)
    try:
        return formatter.format(record)
    except Exception:  # a bad format string: keep the raw parts, they may hold the secret
        return f"{record.name}: {record.msg!r} % {record.args!r} {record.exc_text or ''}"


class RecordingHandler(logging.Handler):
    """Append every record, formatted with its exception and stack, to a JSON-lines file."""

    def __init__(self, path: Path) -> None:
        super().__init__(logging.DEBUG)
        self.path = path
        self.setFormatter(logging.Formatter(FORMAT))
        self._stream = path.open("a", encoding="utf-8")
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        line = {"logger": record.name, "text": format_record(record, self.formatter)}
        self._stream.write(json.dumps(line, ensure_ascii=False) + "\n")
        self.count += 1

    def close(self) -> None:
        self.acquire()
        try:
            if not self._stream.closed:
                self._stream.close()
        finally:
            self.release()
        super().close()


@dataclass
class Hit:
    """One place a secret was found."""

    where: str
    secret: str
    text: str

    def describe(self) -> str:
        """One line for the summary, with the secret itself masked."""
        masked = self.text.replace(self.secret, "<SECRET>")
        return f"{self.where}: {masked[:500]}"


def scan_records(path: Path, secrets: list[str]) -> tuple[int, list[Hit]]:
    """Scan a RecordingHandler file; return (records, hits)."""
    records, hits = 0, []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            records += 1
            record = json.loads(line)
            for secret in find_secrets(record["text"], secrets):
                hits.append(Hit(f"log record of {record['logger']}", secret, record["text"]))
    return records, hits


def scan_files(paths: Iterable[Path], secrets: list[str]) -> tuple[int, list[Hit]]:
    """Scan whole text files (subprocess logs); return (files, hits)."""
    files, hits = 0, []
    for path in paths:
        files += 1
        text = path.read_text(encoding="utf-8", errors="replace")
        for secret in find_secrets(text, secrets):
            line = next(x for x in text.splitlines() if secret in x)
            hits.append(Hit(str(path), secret, line))
    return files, hits


@dataclass
class RunScan:
    """The scan's state over one test run."""

    secrets: list[str]
    handler: RecordingHandler
    reports: int = 0
    hits: list[Hit] = field(default_factory=list)
    summary: str = ""

    def attach(self) -> None:
        """Make sure every record of every logger reaches the recorder."""
        root = logging.getLogger()
        if self.handler not in root.handlers:
            root.addHandler(self.handler)
        if root.level != logging.DEBUG:
            root.setLevel(logging.DEBUG)

    def scan_report(self, where: str, text: str) -> None:
        """Scan a test report's text (failure, captured output and logs)."""
        self.reports += 1
        self.hits += [Hit(where, s, text) for s in find_secrets(text, self.secrets)]

    def finish(self, log_files: Iterable[Path]) -> list[Hit]:
        """Stop recording, scan everything, fill `summary`, and return every hit."""
        logging.getLogger().removeHandler(self.handler)
        self.handler.close()
        records, record_hits = scan_records(self.handler.path, self.secrets)
        files, file_hits = scan_files(log_files, self.secrets)
        self.hits += record_hits + file_hits
        self.summary = (
            f"token scan: {records} records, {files} files, {self.reports} reports, "
            f"{len(self.hits)} hits ({len(self.secrets)} secrets looked for)"
        )
        return self.hits
