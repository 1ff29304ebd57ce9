"""The one configuration object, read from the environment and an optional `.env`."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_VAR_DIR = Path("var")
LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


class SettingsError(Exception):
    """A configuration value is invalid; the message is one line naming the variable."""


def _parse_ids(value: object) -> list[int]:
    if value is None or value == "":
        return []
    if isinstance(value, int):
        return [value]
    if isinstance(value, list | tuple | set):
        return [int(v) for v in value]
    parts = [p.strip() for p in str(value).replace(";", ",").split(",")]
    ids = []
    for part in parts:
        if not part:
            continue
        if not part.lstrip("-").isdigit():
            raise ValueError(
                f"'{part}' is not a Telegram user id (expected integers separated by commas)"
            )
        ids.append(int(part))
    return ids


class Settings(BaseSettings):
    """Everything the assistant can be configured with."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org"
    database_url: str = ""
    allowed_user_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    admin_user_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    log_level: str = "INFO"
    var_dir: Path = DEFAULT_VAR_DIR
    webhook_secret: SecretStr | None = None
    max_question_chars: int = 2000
    max_triage_chars: int = 20000
    max_upload_bytes: int = 20 * 1024 * 1024
    proposal_due_days: int = 91
    reminder_days_before: int = 7
    user_rate_per_minute: int = 20
    # Several `serve --webhook` workers on one PostgreSQL: each needs its own stable name (a
    # restarted worker takes its own unfinished updates back at once; another worker's only
    # after their lease expires). Empty: the host name.
    worker_name: str = ""
    update_lease_seconds: float = Field(default=30.0, ge=1.0)
    # Rate limits (per-user questions, stranger refusals, Telegram's send rate) kept in the
    # database so every worker shares them. Unset: on for PostgreSQL, off for SQLite (one
    # process; an in-memory limit is cheaper).
    shared_limits: bool | None = None

    @field_validator("allowed_user_ids", "admin_user_ids", mode="before")
    @classmethod
    def _ids(cls, value: object) -> list[int]:
        return _parse_ids(value)

    @field_validator("telegram_api_base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _token(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        if ":" not in text or not text.split(":", 1)[0].isdigit():
            raise ValueError("does not look like a bot token (expected '<digits>:<secret>')")
        return text.strip()

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return level

    @field_validator("database_url")
    @classmethod
    def _db(cls, value: str) -> str:
        value = value.strip()
        if value and "://" not in value:
            raise ValueError("must be an SQLAlchemy URL such as sqlite:///var/kb.db")
        return value

    @property
    def resolved_database_url(self) -> str:
        """Return the database URL, defaulting to an SQLite file under var/."""
        return self.database_url or f"sqlite:///{self.var_dir / 'assistant.db'}"

    @property
    def resolved_worker_name(self) -> str:
        """Return this worker's name (the host name unless WORKER_NAME is set)."""
        return (self.worker_name.strip() or socket.gethostname())[:64]

    @property
    def limits_in_database(self) -> bool:
        """Tell whether rate limits are shared through the database."""
        if self.shared_limits is not None:
            return self.shared_limits
        return self.resolved_database_url.startswith("postgresql")

    @property
    def token(self) -> str | None:
        """Return the bot token in clear text, or None."""
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None

    def is_allowed(self, user_id: int | None) -> bool:
        """Tell whether a Telegram user may use the assistant (admins are allowed too)."""
        return user_id is not None and (
            user_id in self.allowed_user_ids or user_id in self.admin_user_ids
        )

    def is_admin(self, user_id: int | None) -> bool:
        """Tell whether a Telegram user is an administrator."""
        return user_id is not None and user_id in self.admin_user_ids


def load_settings(**overrides: object) -> Settings:
    """Build Settings, turning a validation error into one line naming the variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]).upper() if err.get("loc") else "configuration"
        message = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
        raise SettingsError(f"配置错误 {name}: {message}") from None
