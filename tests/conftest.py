"""Shared fixtures: a fresh real database per test, on SQLite and (when reachable) PostgreSQL.

The run's own checks and summary (whole-run token scan, cases tried, per-backend outcomes,
load and fault figures, the `figures` fixture) live in the tests/run_report.py plugin.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from db.engine import make_engine, make_session_factory
from db.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DOC = ROOT / "knowledge" / "sources" / "000_6ffa5ccd38c4791f.txt"
PG_URL = os.environ.get("TEST_DATABASE_URL", "")
IN_CI = os.environ.get("CI", "").lower() == "true"


def _pg_reachable(url: str) -> bool:
    parsed = make_url(url)
    try:
        with socket.create_connection((parsed.host or "127.0.0.1", parsed.port or 5432), 2):
            return True
    except OSError:
        return False


pytest_plugins = ["tests.run_report"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--soak", action="store_true", help="run the long soak/load tests")


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that tries to reach a non-loopback address."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else str(address)
        inet = self.family in (socket.AF_INET, socket.AF_INET6)
        if inet and not (host.startswith("127.") or host in ("localhost", "::1")):
            raise RuntimeError(f"test tried to reach the network: {host}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


def _fresh_postgres_db() -> tuple[str, str]:
    admin = make_url(PG_URL)
    name = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return admin.set(database=name).render_as_string(hide_password=False), name


def _drop_postgres_db(name: str) -> None:
    engine = create_engine(make_url(PG_URL), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of a fresh, empty, migrated database: SQLite always, PostgreSQL when available."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
        upgrade(url)
        yield url
        return
    if not PG_URL or not _pg_reachable(PG_URL):
        if IN_CI:
            pytest.fail("CI=true but PostgreSQL (TEST_DATABASE_URL) is not reachable")
        pytest.skip("PostgreSQL not available: set TEST_DATABASE_URL to run these tests")
    url, name = _fresh_postgres_db()
    upgrade(url)
    try:
        yield url
    finally:
        _drop_postgres_db(name)


@pytest.fixture
def sessions(db_url: str):
    """A session factory over the fresh database."""
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    yield factory
    engine.dispose()


@pytest.fixture
def sqlite_sessions(tmp_path: Path):
    """A session factory over a fresh SQLite database only (for tests that need no server)."""
    url = f"sqlite:///{tmp_path / 'lite.db'}"
    upgrade(url)
    engine = make_engine(url)
    yield make_session_factory(engine)
    engine.dispose()
