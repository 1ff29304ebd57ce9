"""Bot test fixtures: real services over a fresh database, a fake Bot API, a running bot."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from bot.bootstrap import build_services
from bot.services import Services
from bot.settings import Settings
from bot.telegram.delivery import DeliveryPolicy
from bot.telegram.runner import BotRunner
from devtools.fake_bot_api import TOKEN, FakeBotAPI

ALLOWED = 111
ALLOWED_2 = 112
ADMIN = 999
STRANGER = 666


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One var/ folder per run, so the intent model is trained once and then loaded."""
    return tmp_path_factory.mktemp("var")


def make_settings(db_url: str, var_dir: Path, **overrides: object) -> Settings:
    """Return Settings for tests: two allowed users, one admin, the fake token."""
    values: dict[str, object] = {
        "database_url": db_url,
        "var_dir": var_dir,
        "allowed_user_ids": [ALLOWED, ALLOWED_2],
        "admin_user_ids": [ADMIN],
        "telegram_bot_token": TOKEN,
        "user_rate_per_minute": 60,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def make_services(tmp_path: Path, model_dir: Path) -> Iterator[Callable[..., Services]]:
    """Build real Services (database migrated, default base ingested, real assistant)."""
    built: list[Services] = []

    def factory(db_url: str | None = None, **overrides: object) -> Services:
        url = db_url or f"sqlite:///{tmp_path / f'bot{len(built)}.db'}"
        services = build_services(make_settings(url, model_dir, **overrides))
        built.append(services)
        return services

    yield factory
    for services in built:
        services.close()


@pytest.fixture
def services(make_services: Callable[..., Services]) -> Services:
    """Real services over a fresh SQLite database."""
    return make_services()


@pytest.fixture
def fake_api() -> Iterator[FakeBotAPI]:
    """A fake Bot API server on 127.0.0.1."""
    with FakeBotAPI() as api:
        yield api


async def until(predicate: Callable[[], bool], timeout: float = 15.0) -> None:
    """Wait (without blocking the event loop) until `predicate()` holds, or fail."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)


class RunningBot(BotRunner):
    """The real Application, fed by the durable poller, against the fake server (fast timings)."""

    def __init__(self, services: Services, policy: DeliveryPolicy | None = None) -> None:
        super().__init__(
            services,
            policy
            or DeliveryPolicy(
                poll_timeout=1,
                backoff_base=0.05,
                backoff_max=0.5,
                read_timeout=1.0,
                connect_timeout=1.0,
                overall_max_rate=0,
            ),
        )


@pytest.fixture
async def running_bot(
    make_services: Callable[..., Services], fake_api: FakeBotAPI
) -> AsyncIterator[RunningBot]:
    """A bot polling the fake server, with real services over a fresh database."""
    services = make_services(telegram_api_base_url=fake_api.url)
    async with RunningBot(services) as bot:
        yield bot


@pytest.fixture
async def running_bot_any(
    make_services: Callable[..., Services], fake_api: FakeBotAPI, db_url: str
) -> AsyncIterator[RunningBot]:
    """Like running_bot, on every database backend (SQLite, and PostgreSQL when available)."""
    services = make_services(db_url=db_url, telegram_api_base_url=fake_api.url)
    async with RunningBot(services) as bot:
        yield bot
