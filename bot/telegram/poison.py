"""Read raw updates one by one, so one the library cannot parse is set aside, not fatal.

python-telegram-bot parses a whole getUpdates answer at once: a single update it cannot read
(a field this version does not know, a required one missing) raises for the batch, and Telegram
keeps redelivering it. Parsing each update on its own isolates it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, Update

from bot.logging_setup import SecretMaskFilter
from db.dead_letters import FAILING, UNREADABLE, Poison


def error_text(exc: BaseException, secrets: list[str]) -> str:
    """Return `Type: message` with every secret masked (the token above all)."""
    return SecretMaskFilter(secrets).mask(f"{type(exc).__name__}: {exc}")


def update_id_of(item: object) -> int | None:
    """Return the update_id of a raw update, if it has a usable one."""
    if isinstance(item, dict) and type(item.get("update_id")) is int:
        return item["update_id"]
    return None


@dataclass
class Parsed:
    """A batch split into updates the library read and poison to set aside."""

    updates: list[Update] = field(default_factory=list)
    raw: dict[int, dict[str, Any]] = field(default_factory=dict)
    poison: list[Poison] = field(default_factory=list)
    last_id: int | None = None  # the highest update_id seen, readable or not


def parse_items(items: list[Any], bot: Bot) -> Parsed:
    """Parse raw updates one by one; those that fail become poison with the masked error."""
    parsed = Parsed()
    secrets = [bot.token]
    for item in items:
        update_id = update_id_of(item)
        if update_id is not None:
            parsed.last_id = max(update_id, parsed.last_id or update_id)
        try:
            if update_id is None:
                raise ValueError("not an update object with an integer update_id")
            update = Update.de_json(item, bot)
        except Exception as exc:  # the library may raise anything on a shape it does not know
            payload = json.dumps(item, ensure_ascii=False, default=str)
            parsed.poison.append(Poison(update_id, payload, UNREADABLE, error_text(exc, secrets)))
            continue
        parsed.updates.append(update)
        parsed.raw[update_id] = item
    return parsed


def parse_body(body: bytes, bot: Bot) -> Parsed:
    """Parse a webhook body; invalid JSON becomes poison too (Telegram would resend it)."""
    try:
        item = json.loads(body)
    except ValueError as exc:
        text = body.decode("utf-8", errors="replace")
        return Parsed(poison=[Poison(None, text, UNREADABLE, error_text(exc, [bot.token]))])
    return parse_items([item], bot)


def failing(update_id: int, exc: BaseException | None, secrets: list[str]) -> Poison:
    """Return the poison record of an update whose handling kept failing."""
    error = error_text(exc, secrets) if exc is not None else "failed"
    return Poison(update_id, None, FAILING, error)
