"""The composition root: build every long-lived object once, from Settings, and pass it in."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.proposal_service import get_triager
from bot.settings import Settings
from db.engine import make_engine, make_session_factory
from db.migrate import upgrade

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
    upgrade(url, engine)
    sessions = make_session_factory(engine)
    from knowledge.ingest import ensure_default_base, rescope_stored

    ensure_default_base(sessions, SOURCES_DIR)
    rescope_stored(sessions)
    services = Services(settings=settings, engine=engine, sessions=sessions)
    if with_nlp:
        from nlp.pipeline import build_assistant

        # Every built artifact (dictionary, intent model, snapshot segments and their indexes,
        # the triager) is obtained here, before the first request.
        services.assistant = build_assistant(sessions, settings.var_dir / "model")
        get_triager(services)
    return services
