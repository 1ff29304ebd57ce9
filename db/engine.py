"""Engine and session factory; SQLite gets WAL, foreign keys and a busy timeout."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

CONNECT_TIMEOUT_SECONDS = 5


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers (the bot) run while a writer (ingestion) commits.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str, **kwargs: object) -> Engine:
    """Create an engine for `url`; SQLite files get their folder created first."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # A server that was restarted leaves dead connections in the pool: pre-ping replaces them
    # on checkout, so the bot recovers by itself without a restart. A bounded connect timeout
    # keeps an unreachable server from holding worker threads (libpq waits forever by default).
    kwargs.setdefault("pool_pre_ping", True)
    if parsed.get_backend_name() == "postgresql":
        given = kwargs.pop("connect_args", None)
        extra = given if isinstance(given, dict) else {}
        kwargs["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_SECONDS, **extra}
    return create_engine(url, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return a session factory; callers frame each unit of work with `.begin()`."""
    return sessionmaker(engine, expire_on_commit=False)
