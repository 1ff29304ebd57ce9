"""The composition root: build every long-lived object once, from Settings, and pass it in."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from db.startup_lock import startup_lock

if TYPE_CHECKING:
    from nlp.pipeline import Assistant

SOURCES_DIR = Path(__file__).resolve().parent.parent / "knowledge" / "sources"


@dataclass
class Services:
    """Everything a handler needs; built by build_services(), never at import time."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    assistant: Assistant | None = None
    extras: dict[str, Any] = field(default_factory=dict)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()


def build_services(settings: Settings, *, with_nlp: bool = True) -> Services:
    """Open the database (migrated, default base ingested) and load the NLP pipeline."""
    url = settings.resolved_database_url
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    services = Services(settings=settings, engine=engine, sessions=sessions)
    from knowledge.ingest import ensure_default_base

    # Workers starting together take turns: one migrates and loads the default base (and
    # builds the model files other workers on this host then just read), the rest wait.
    with startup_lock(engine):
        upgrade(url, engine)
        ensure_default_base(sessions, SOURCES_DIR)
        if with_nlp:
            from nlp.pipeline import build_assistant

            services.assistant = build_assistant(sessions, settings.var_dir / "model")
    return services
