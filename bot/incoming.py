"""The transport-neutral request: what a Telegram update or a console line becomes."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator


def clean_text(value: str) -> str:
    """Drop what no database stores: NUL characters and lone UTF-16 surrogates."""
    value = value.replace("\x00", "")
    return value.encode("utf-8", "replace").decode("utf-8")


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

    @field_validator("text", "callback")
    @classmethod
    def _clean(cls, value: str | None) -> str | None:
        return clean_text(value) if value is not None else None

    @field_validator("args")
    @classmethod
    def _clean_args(cls, value: list[str]) -> list[str]:
        return [clean_text(v) for v in value]

    @property
    def arg_text(self) -> str:
        """Return the command's arguments as one string."""
        return " ".join(self.args).strip()
