"""One process at a time through start-up work (migrations, first load of the base).

Workers started together on a fresh PostgreSQL database all ran the migrations at once and
one crashed (a duplicate pg_type row). A session-level advisory lock makes the others wait;
SQLite takes an exclusive lock on a file next to the database instead.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

# Any fixed 64-bit number; it only has to differ from other advisory locks on the server.
LOCK_KEY = 0x0C8D_57A7_0001


@contextmanager
def startup_lock(engine: Engine) -> Iterator[None]:
    """Hold the database-wide start-up lock for the duration of the block."""
    url = engine.url
    if url.get_backend_name() == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": LOCK_KEY})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
                connection.commit()
        return
    database = make_url(str(url)).database
    if url.get_backend_name() != "sqlite" or not database or database.startswith(":memory"):
        yield
        return
    path = Path(database.removeprefix("file:").split("?", 1)[0] + ".startup-lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
