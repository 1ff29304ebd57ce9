"""`chat`: the console transport; runs the same handlers.handle and prints what Telegram shows."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot import handlers, render
from bot.incoming import Incoming
from nlp.reply import Attachment

if TYPE_CHECKING:
    from bot.services import Services

PROMPT = "> "
EXIT_WORDS = frozenset({"exit", "quit", "退出"})


def parse_line(line: str, *, is_admin: bool = True) -> Incoming:
    """Turn a typed line into an Incoming (a leading / makes it a command)."""
    text = line.strip()
    if text.startswith("/") and len(text) > 1:
        head, _, rest = text[1:].partition(" ")
        try:
            args = shlex.split(rest)
        except ValueError:
            args = rest.split()
        return Incoming(
            text=text, command=head.lower(), args=args, source="console", is_admin=is_admin
        )
    return Incoming(text=text, source="console", is_admin=is_admin)


def show(reply_text: str, out: TextIO) -> None:
    """Print one rendered reply and a blank line."""
    out.write(reply_text + "\n\n")
    out.flush()


def chat(services: Services, stdin: TextIO, out: TextIO, *, interactive: bool = False) -> int:
    """Read lines until EOF or “exit”; answer each through handlers.handle."""
    buttons: dict[str, str] = {}
    while True:
        if interactive:
            out.write(PROMPT)
            out.flush()
        line = stdin.readline()
        if not line or line.strip().lower() in EXIT_WORDS:
            return 0
        if not line.strip():
            continue
        incoming = _pressed(line.strip(), buttons) or parse_line(line)
        reply = handlers.handle(incoming, services)
        rendered = render.render(reply)
        if rendered.keyboard:
            buttons = {f"[{b.label}]": b.data for row in rendered.keyboard for b in row}
        text = render.plain(rendered)
        for attachment in reply.attachments:
            text += f"\n（附件：{_save(services, attachment)}）"
        show(text, out)


def _save(services: Services, attachment: Attachment) -> str:
    """Keep an attachment (a draft, the 台账) under var/attachments; return where, or its name."""
    if not attachment.data:
        return attachment.filename
    folder = services.settings.var_dir / "attachments"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / Path(attachment.filename).name
        target.write_bytes(attachment.data)
    except OSError:
        return attachment.filename
    return str(target)


def _pressed(line: str, buttons: dict[str, str]) -> Incoming | None:
    # Typing a button as shown, e.g. "[出处]", presses it, as a tap would in Telegram.
    data = buttons.get(line) or buttons.get(f"[{line}]")
    if data is None:
        return None
    return Incoming(callback=data, source="console", is_admin=True)
