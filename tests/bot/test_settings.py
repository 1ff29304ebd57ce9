"""Configuration: one pydantic-settings class, one clear line per bad value, token hidden."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from bot.logging_setup import SecretMaskFilter
from bot.settings import SettingsError, load_settings
from tests.conftest import ROOT

TOKEN = "123456:ABC-secret-token-value"


def test_ids_are_parsed_and_admins_are_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_USER_IDS", "1, 2,3")
    monkeypatch.setenv("ADMIN_USER_IDS", "9")
    settings = load_settings()
    assert settings.allowed_user_ids == [1, 2, 3]
    assert settings.is_allowed(9) and settings.is_admin(9)
    assert settings.is_allowed(2) and not settings.is_admin(2)
    assert not settings.is_allowed(4)


@pytest.mark.parametrize(
    ("var", "value"),
    [
        ("ALLOWED_USER_IDS", "12,abc"),
        ("ADMIN_USER_IDS", "x"),
        ("LOG_LEVEL", "LOUD"),
        ("TELEGRAM_API_BASE_URL", "ftp://x"),
        ("TELEGRAM_BOT_TOKEN", "nocolon"),
    ],
)
def test_bad_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, var: str, value: str
) -> None:
    monkeypatch.setenv(var, value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    message = str(info.value)
    assert var in message and "\n" not in message
    assert value not in message or var != "TELEGRAM_BOT_TOKEN"


def test_default_database_is_sqlite_under_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = load_settings()
    assert settings.resolved_database_url.startswith("sqlite:///var/")


def test_token_is_masked_in_messages_and_tracebacks() -> None:
    flt = SecretMaskFilter([TOKEN])
    try:
        raise RuntimeError(f"https://api.telegram.org/bot{TOKEN}/getMe failed")
    except RuntimeError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "url %s", (TOKEN,), sys.exc_info()
        )
    flt.filter(record)
    assert TOKEN not in record.getMessage()
    assert TOKEN not in (record.exc_text or "")


def test_cli_bad_setting_prints_one_line() -> None:
    env = {"ALLOWED_USER_IDS": "1,two", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [sys.executable, "run_bot.py", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "ALLOWED_USER_IDS" in lines[0]


def test_help_lists_every_subcommand() -> None:
    proc = subprocess.run(
        [sys.executable, "run_bot.py", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    for name in (
        "serve",
        "chat",
        "ask",
        "triage",
        "ingest",
        "kb",
        "proposals",
        "evaluate",
        "bench",
        "--db",
    ):
        assert name in proc.stdout
