"""Compact, versioned callback payloads that fit Telegram's 64-byte limit.

Format: ``<version>|<action>|<arg>|<arg>...``; arguments are short ASCII tokens (ids, signs).
Anything that does not decode is ignored by the caller, so forged or stale data does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

VERSION = "1"
MAX_BYTES = 64
SEPARATOR = "|"
ACTIONS = frozenset({"src", "rel", "fb", "sg", "ex", "zb", "it", "doc", "p"})


class CallbackDataError(ValueError):
    """A payload is malformed, too long, from another version or names an unknown action."""


@dataclass(frozen=True)
class CallbackPayload:
    """A decoded button press."""

    action: str
    args: tuple[str, ...] = ()

    def int_arg(self, index: int = 0) -> int:
        """Return argument `index` as an integer or raise CallbackDataError."""
        try:
            return int(self.args[index])
        except (IndexError, ValueError) as exc:
            raise CallbackDataError(f"argument {index} of {self.action} is not an id") from exc


def encode(action: str, *args: object) -> str:
    """Encode an action and its arguments; raise CallbackDataError when over 64 bytes."""
    if action not in ACTIONS:
        raise CallbackDataError(f"unknown action {action!r}")
    parts = [VERSION, action, *(str(a) for a in args)]
    if any(SEPARATOR in p for p in parts):
        raise CallbackDataError("arguments must not contain the separator")
    data = SEPARATOR.join(parts)
    if len(data.encode("utf-8")) > MAX_BYTES:
        raise CallbackDataError(f"callback data over {MAX_BYTES} bytes")
    return data


def decode(data: str | None) -> CallbackPayload:
    """Decode a payload made by encode(); raise CallbackDataError for anything else."""
    if not data or len(data.encode("utf-8")) > MAX_BYTES:
        raise CallbackDataError("empty or oversized callback data")
    parts = data.split(SEPARATOR)
    if len(parts) < 2 or parts[0] != VERSION:
        raise CallbackDataError("unknown callback data version")
    if parts[1] not in ACTIONS:
        raise CallbackDataError(f"unknown action {parts[1]!r}")
    return CallbackPayload(parts[1], tuple(parts[2:]))
