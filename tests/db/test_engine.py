"""The schema migrates on every backend and SQLite gets its pragmas."""

from __future__ import annotations

from sqlalchemy import inspect, text

from db.engine import make_engine
from db.migrate import upgrade

EXPECTED = {
    "documents",
    "sections",
    "indicators",
    "items",
    "entities",
    "proposals",
    "proposal_events",
    "reminders_sent",
    "question_log",
    "feedback",
    "received_updates",
}


def test_migrations_create_every_table(db_url: str) -> None:
    engine = make_engine(db_url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert tables >= EXPECTED
    assert "alembic_version" in tables


def test_upgrade_is_idempotent(db_url: str) -> None:
    upgrade(db_url)
    engine = make_engine(db_url)
    with engine.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    engine.dispose()
    assert version


def test_sqlite_has_wal_and_foreign_keys(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'x.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
    engine.dispose()
