"""The transport-neutral request: what a Telegram update or a console line becomes."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Incoming(BaseModel):
    """One request to the assistant, whatever transport it came from."""

    user_id: int | None = None
    chat_id: int | None = None
    text: str = ""
    command: str | None = None
    args: list[str] = Field(default_factory=list)
    callback: str | None = None
    update_id: int | None = None
    source: Literal["telegram", "console", "inline"] = "telegram"
    is_admin: bool = False

    @property
    def arg_text(self) -> str:
        """Return the command's arguments as one string."""
        return " ".join(self.args).strip()
