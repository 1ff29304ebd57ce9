"""What every handler is given: Services, opened once from Settings and passed in.

open_services opens the database (migrated, the default base ingested); bot/bootstrap.py adds
the NLP pipeline on top. The split keeps commands that never answer a question (kb, ingest,
proposals, db) from importing the pipeline (numpy, jieba, the snapshot store) at start.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from db.startup_lock import startup_lock
from knowledge.ingest import ensure_default_base, reread_stale

if TYPE_CHECKING:
    from nlp.kb import KnowledgeSnapshot
    from nlp.reply import Reply
    from nlp.tokenizer import ChineseTokenizer
    from nlp.triage import Triager

SOURCES_DIR = Path(__file__).resolve().parent.parent / "knowledge" / "sources"
T = TypeVar("T")


class Answerer(Protocol):
    """What handlers need of the assistant (nlp.pipeline.Assistant; tests wrap it)."""

    def answer(self, question: str) -> Reply: ...

    def refresh(self) -> None:
        """Reload after the knowledge base changed (an upload was ingested)."""


class Versioned(Generic[T]):
    """One value built for a version key and rebuilt when the key changes; thread-safe.

    Handlers run on the Telegram runtime's worker threads, so two first requests can ask for
    the same value at once: the lock makes the second wait for the first build instead of
    building its own, and no reader sees a value half replaced.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entry: tuple[Hashable, T] | None = None

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """Return the value built for `key`, building it first when missing or stale."""
        with self._lock:
            if self._entry is None or self._entry[0] != key:
                self._entry = (key, build())
            return self._entry[1]

    def current(self) -> T | None:
        """The value built last, if any (without building)."""
        with self._lock:
            return self._entry[1] if self._entry is not None else None

    def put(self, key: Hashable, value: T) -> None:
        """Install a value built elsewhere (a warm tokenizer a test shares, for one)."""
        with self._lock:
            self._entry = (key, value)


class BaseMark:
    """The knowledge-base version this worker last loaded, and the lock that makes one reload
    at a time (bot/kb_watch.py): an upload's handler and the watcher may both notice it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version: tuple[int, int] | None = None


@dataclass(frozen=True)
class Services:
    """Everything a handler needs; built by open_services/build_services, never at import time.

    Frozen: what changes while the bot runs is not a field but lives behind a synchronised
    holder (the assistant swaps its own state on refresh; the triage models are Versioned).
    """

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    assistant: Answerer | None = None
    # Triage's snapshot and tokenizer when there is no assistant to borrow them from (the
    # snapshot per base version, the tokenizer once), and the triager fitted on one snapshot;
    # see bot/proposal_service.py.
    knowledge: Versioned[KnowledgeSnapshot] = field(default_factory=Versioned)
    tokenizer: Versioned[ChineseTokenizer] = field(default_factory=Versioned)
    triager: Versioned[Triager] = field(default_factory=Versioned)
    base: BaseMark = field(default_factory=BaseMark)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()


def open_services(settings: Settings, *, assistant: Answerer | None = None) -> Services:
    """Open the database (migrated, default base ingested); the assistant when given."""
    url = settings.resolved_database_url
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    # Workers starting together take turns: one migrates and loads the default base, the rest
    # wait and find it done (bot/bootstrap.py builds the model files under the same lock).
    with startup_lock(engine):
        upgrade(url, engine)
        ensure_default_base(sessions, SOURCES_DIR)
        reread_stale(sessions)
    return Services(settings=settings, engine=engine, sessions=sessions, assistant=assistant)
