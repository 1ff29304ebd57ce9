"""Helpers for the database-fault tests: hold a question inside its handler, read replies."""

from __future__ import annotations

import threading

from devtools.fake_bot_api import FakeBotAPI


class HeldAnswers:
    """Make a question containing MARK wait inside assistant.answer until released.

    The update is then stored and its handler running, so a fault injected meanwhile hits the
    handler's own database write (the question log), deterministically.
    """

    MARK = "（稍候）"

    def __init__(self, assistant) -> None:
        self.inner = assistant.answer
        self.entered = threading.Event()
        self.release = threading.Event()
        assistant.answer = self

    def __call__(self, text: str):
        if self.MARK in text:
            self.entered.set()
            self.release.wait(60)
        return self.inner(text)


def texts(api: FakeBotAPI, chat: int) -> list[str]:
    """Return the texts of the messages sent to a chat, in order."""
    return [str(c.params.get("text", "")) for c in api.sent("sendMessage", chat)]
