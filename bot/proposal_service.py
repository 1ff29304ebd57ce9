"""Proposal use cases shared by Telegram, the console and the CLI: triage, draft, store.

The fitted Triager is an artifact like the assistant's (nlp/artifacts.py): fitted on the
assistant's knowledge snapshot (the one read model answers use) under that snapshot's
fingerprint, saved, and loaded by the next start. The composition root builds it at start-up
(bot/bootstrap.py) and a reload of the base has it rebuilt in the background, so a triage
request only reads it.
"""

from __future__ import annotations

import datetime as dt
import logging
import pickle
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db import proposals as store
from db import queries
from nlp.artifacts import obtain
from nlp.draft import DraftReply, build_draft, render_text
from nlp.kb import KnowledgeSnapshot
from nlp.kb_store import load_snapshot
from nlp.synonyms import Synonyms, load_domain_terms
from nlp.tokenizer import ChineseTokenizer
from nlp.training_data import file_hash
from nlp.triage import EarlierProposal, Triager, TriageResult
from nlp.triage_kb import triage_base

if TYPE_CHECKING:
    from bot.services import Services

logger = logging.getLogger(__name__)
# The tokenizer is built once per process: its words change only with a restart.
TOKENIZER_KEY = "jieba"
TRIAGER_FILE = "triager.pickle"
_NLP = Path(__file__).resolve().parent.parent / "nlp"
# The fit is a function of this code and of the snapshot code its records are read through.
TRIAGE_CODE = tuple(
    _NLP / n
    for n in (
        "triage.py", "triage_kb.py", "triage_text.py", "topics.py",
        "kb.py", "kb_records.py", "kb_tables.py", "kb_store.py",
    )
)


def build_tokenizer(snapshot: KnowledgeSnapshot, model_dir: Path) -> ChineseTokenizer:
    """Build the same tokenizer the assistant builds (same words, same cache), warmed."""
    words = load_domain_terms() + Synonyms.load().all_terms() + snapshot.user_words()
    return ChineseTokenizer(words, model_dir / "jieba").initialize()


def knowledge(services: Services) -> KnowledgeSnapshot:
    """The snapshot the answers read; without an assistant (the CLI), one built in memory."""
    snapshot = getattr(services.assistant, "snapshot", None)
    if isinstance(snapshot, KnowledgeSnapshot):
        return snapshot
    with services.sessions() as session:
        version = queries.base_version(session)
    return services.knowledge.get(version, lambda: load_snapshot(services.sessions))


def _tokenizer(services: Services) -> ChineseTokenizer:
    assistant_tokenizer = getattr(services.assistant, "tokenizer", None)
    if isinstance(assistant_tokenizer, ChineseTokenizer):
        return assistant_tokenizer
    model_dir = services.settings.var_dir / "model"
    build = lambda: build_tokenizer(knowledge(services), model_dir)  # noqa: E731
    return services.tokenizer.get(TOKENIZER_KEY, build)


class TriagerArtifact:
    """The triager fitted on the base's sections, items and figures (see nlp/artifacts.py)."""

    name = "triager"

    def __init__(
        self, snapshot: KnowledgeSnapshot, tokenizer: ChineseTokenizer, max_chars: int
    ) -> None:
        self.snapshot = snapshot
        self.tokenizer = tokenizer
        self.max_chars = max_chars
        code = file_hash(*TRIAGE_CODE)[:12]
        self._key = f"{snapshot.fingerprint}-{max_chars}-{code}-{tokenizer.dictionary_key()}"

    def fingerprint(self) -> str:
        """The snapshot's documents, the triage code and the dictionary."""
        return self._key

    def build(self, directory: Path) -> None:
        """Fit on the snapshot's records and pickle the result."""
        base = triage_base(self.snapshot)
        triager = Triager(self.tokenizer, max_chars=self.max_chars).fit(base)
        with (directory / TRIAGER_FILE).open("wb") as handle:
            pickle.dump(triager, handle, protocol=pickle.HIGHEST_PROTOCOL)
        logger.info(
            "triager fitted on %d items, %d indicators", len(base.items), len(base.indicators)
        )

    def load(self, directory: Path) -> Triager:
        """Unpickle (a file this program wrote) and attach the live tokenizer."""
        with (directory / TRIAGER_FILE).open("rb") as handle:
            triager: Triager = pickle.load(handle)
        triager.tokenizer = self.tokenizer
        return triager


def get_triager(services: Services) -> Triager:
    """Return the Triager of the current knowledge base (built at start-up; after an upload,
    rebuilt in the background by `refresh_triager`)."""
    artifact = TriagerArtifact(
        knowledge(services), _tokenizer(services), services.settings.max_triage_chars
    )
    # Versioned builds once per fingerprint under its lock: start-up, an upload's background
    # rebuild and a request may meet.
    return services.triager.get(
        artifact.fingerprint(), lambda: obtain(artifact, services.settings.var_dir / "model")
    )


def refresh_triager(services: Services) -> threading.Thread:
    """Rebuild the triager for the changed base off the request's path."""
    thread = threading.Thread(
        target=get_triager, args=(services,), daemon=True, name="triager-refresh"
    )
    thread.start()
    return thread


def earlier_proposals(session: Session) -> list[EarlierProposal]:
    """Return stored proposals as comparison records."""
    return [
        EarlierProposal(
            id=p.id, number=p.number, title=p.title, text=p.text, content_hash=p.content_hash
        )
        for p in store.recent_proposals(session)
    ]


@dataclass(frozen=True)
class Triaged:
    """A triage result with its draft, and where it was stored (if it was)."""

    result: TriageResult
    draft: DraftReply
    draft_text: str
    proposal_id: int | None = None
    due_date: dt.date | None = None
    created: bool = False

    def to_json(self) -> dict:
        """Return the CLI's documented JSON."""
        return self.result.to_json(self.draft_text)


def triage(services: Services, text: str, *, today: dt.date | None = None) -> Triaged:
    """Triage `text` against the base and stored proposals (raises TriageError)."""
    triager = get_triager(services)
    with services.sessions() as session:
        earlier = earlier_proposals(session)
    result = triager.analyze(text, earlier)
    draft = build_draft(result, today=today)
    return Triaged(result=result, draft=draft, draft_text=render_text(draft))


def triage_and_store(services: Services, text: str, *, actor: str, today: dt.date) -> Triaged:
    """Triage `text` and store it; an exact duplicate is not stored twice."""
    triaged = triage(services, text, today=today)
    result = triaged.result
    try:
        with services.sessions.begin() as session:
            existing = store.find_by_hash(session, result.content_hash)
            if existing is not None:
                return _stored(triaged, existing.id, existing.due_date, created=False)
            proposal = store.add_proposal(
                session,
                text=text,
                content_hash=result.content_hash,
                title=result.title,
                number=result.number,
                kind=result.kind,
                proposer=result.proposer,
                topic=result.topic,
                triage=triaged.to_json(),
                received=today,
                due_days=services.settings.proposal_due_days,
                duplicate_of_id=result.duplicate_of,
                actor=actor,
                meta=store.ProposalFields(
                    proposer_role=result.proposer_role,
                    cosigners=result.cosigners,
                    sector=result.sector,
                    session=result.session,
                    department=result.department,
                ),
            )
            return _stored(triaged, proposal.id, proposal.due_date, created=True)
    except IntegrityError:
        # Someone stored the same text between our check and our insert (unique hash).
        with services.sessions() as session:
            existing = store.find_by_hash(session, result.content_hash)
            if existing is None:
                raise
            return _stored(triaged, existing.id, existing.due_date, created=False)


def _stored(triaged: Triaged, pid: int, due: dt.date, *, created: bool) -> Triaged:
    return Triaged(
        result=triaged.result,
        draft=triaged.draft,
        draft_text=triaged.draft_text,
        proposal_id=pid,
        due_date=due,
        created=created,
    )
