"""Logging configured once, with every secret masked wherever it would appear."""

from __future__ import annotations

import logging
import sys

MASK = "***TOKEN***"


class SecretMaskFilter(logging.Filter):
    """Replace secrets in a record's message, arguments and exception text."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]
        # A bot token's part after the bot id is the secret, and it survives any encoding of
        # the ':' (httpx logs file URLs as bot123%3AAAH...), so it is masked on its own too.
        parts = [s.partition(":")[2] for s in self.secrets if s.partition(":")[0].isdigit()]
        self._masked = sorted(set(self.secrets + [p for p in parts if p]), key=len, reverse=True)

    def mask(self, text: str) -> str:
        """Return `text` with every secret replaced by a mask."""
        for secret in self._masked:
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not break logging
            message = str(record.msg)
        record.msg = self.mask(message)
        record.args = None
        if record.exc_info:
            formatter = logging.Formatter()
            record.exc_text = self.mask(formatter.formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = self.mask(record.stack_info)
        return True


def configure_logging(level: str, secrets: list[str] | None = None) -> None:
    """Configure the root logger; quiet httpx (its URLs carry the token) and jieba."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(SecretMaskFilter(secrets or []))
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "jieba", "apscheduler", "matplotlib", "PIL", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
