"""Reply -> Telegram HTML chunks (≤4096, split at line breaks, all text escaped) + buttons."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from bot.callback_data import MAX_BYTES
from nlp.reply import Reply

MAX_CHARS = 4096


@dataclass(frozen=True)
class ButtonSpec:
    """One inline button: its label and callback data."""

    label: str
    data: str


@dataclass
class Rendered:
    """What a transport sends: HTML chunks in order, then the keyboard under the last one."""

    chunks: list[str] = field(default_factory=list)
    keyboard: list[list[ButtonSpec]] = field(default_factory=list)


def escape(text: str) -> str:
    """Escape text for Telegram's HTML parse mode (only <, > and & are special)."""
    return html.escape(text, quote=False)


def _pieces(line: str, limit: int) -> list[str]:
    """Cut one raw line so each escaped piece fits `limit` (never inside an entity)."""
    pieces: list[str] = []
    current, size = [], 0
    for char in line:
        width = len(escape(char))
        if size + width > limit:
            pieces.append(escape("".join(current)))
            current, size = [], 0
        current.append(char)
        size += width
    pieces.append(escape("".join(current)))
    return pieces


def split_html(text: str, limit: int = MAX_CHARS) -> list[str]:
    """Escape `text` and split it into chunks of at most `limit` characters at line breaks."""
    chunks: list[str] = []
    current = ""
    for line in text.replace("\r\n", "\n").split("\n"):
        for piece in _pieces(line, limit) if len(escape(line)) > limit else [escape(line)]:
            candidate = f"{current}\n{piece}" if current else piece
            if current and len(candidate) > limit:
                chunks.append(current)
                candidate = piece
            current = candidate
    if current.strip():
        chunks.append(current)
    return [c for c in (c.strip("\n") for c in chunks) if c.strip()] or ["…"]


def keyboard(reply: Reply) -> list[list[ButtonSpec]]:
    """Return the reply's buttons, dropping any whose data would break Telegram's limit."""
    rows = []
    for row in reply.buttons:
        specs = [
            ButtonSpec(b.label[:64], b.data)
            for b in row
            if b.label and 0 < len(b.data.encode("utf-8")) <= MAX_BYTES
        ]
        if specs:
            rows.append(specs)
    return rows


def render(reply: Reply, limit: int = MAX_CHARS) -> Rendered:
    """Turn a Reply into escaped HTML chunks and a keyboard."""
    return Rendered(chunks=split_html(reply.text or "…", limit), keyboard=keyboard(reply))


def plain(rendered: Rendered) -> str:
    """Show a rendering as the console prints it: text, then buttons as [label]."""
    text = "\n".join(html.unescape(chunk) for chunk in rendered.chunks)
    rows = ["  ".join(f"[{b.label}]" for b in row) for row in rendered.keyboard]
    return "\n".join([text, *rows]) if rows else text
