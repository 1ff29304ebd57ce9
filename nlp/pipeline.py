"""The assistant: normalise -> analyse once -> classify -> route -> compose a cited Reply.

`build_assistant(sessions, cache_dir)` loads everything once (trimmed jieba dictionary, the
exported intent model — trained only when missing or stale — and the retrieval index).
`Assistant.answer` is pure: it reads the in-memory snapshot and writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from nlp.classifier import META_FILE, FastIntentModel, IntentPrediction
from nlp.features import Analysis, WordAnalyzer, analyze
from nlp.kb import KnowledgeSnapshot, Unit, load_snapshot
from nlp.normalize import normalize
from nlp.reply import Reply
from nlp.retrieval import TfidfIndex, unit_terms
from nlp.router import Router, looks_like_proposal, triage_reply
from nlp.synonyms import DOMAIN_TERMS_FILE, SYNONYMS_FILE, Synonyms, load_domain_terms
from nlp.tokenizer import ChineseTokenizer
from nlp.training_data import (
    INTENTS_FILE,
    examples_hash,
    file_hash,
    kb_examples,
    load_examples,
)

logger = logging.getLogger(__name__)
MODEL_FORMAT = 1
PIVOT_SLOPE = 0.5  # retrieval length normalisation: long points are not drowned by short ones
_NLP_DIR = Path(__file__).resolve().parent
INDEX_CODE = (_NLP_DIR / "kb.py", _NLP_DIR / "retrieval.py")
FEATURE_CODE = tuple(
    _NLP_DIR / name
    for name in ("normalize.py", "tokenizer.py", "synonyms.py", "features.py", "training.py")
)


@dataclass(frozen=True)
class _State:
    """Everything one answer reads; swapped as a whole so a refresh never mixes versions."""

    tokenizer: ChineseTokenizer
    words: WordAnalyzer
    model: FastIntentModel
    snapshot: KnowledgeSnapshot
    router: Router


class Assistant:
    """Answer staff questions from the knowledge base."""

    def __init__(self, sessions: sessionmaker[Session], cache_dir: Path | str) -> None:
        self.sessions = sessions
        self.cache_dir = Path(cache_dir)
        self._state: _State | None = None

    # -- loading -----------------------------------------------------------------------------

    @property
    def model_dir(self) -> Path:
        """Where the intent model and its exported arrays live."""
        return self.cache_dir / "intent"

    def load(self) -> Assistant:
        """Read the knowledge base, warm the tokenizer, load (or train) the model, index."""
        synonyms = Synonyms.load()
        snapshot = load_snapshot(self.sessions)
        user_words = load_domain_terms() + synonyms.all_terms() + snapshot.user_words()
        tokenizer = ChineseTokenizer(user_words, self.cache_dir / "jieba")
        old = self._state
        if old is not None and old.tokenizer.dictionary_key() == tokenizer.dictionary_key():
            tokenizer = old.tokenizer
        else:
            tokenizer.initialize()  # warm jieba so no user pays for it
        words = WordAnalyzer(tokenizer, synonyms)
        extra = kb_examples(snapshot)
        model = self._load_or_train(words, self.data_hash(tokenizer, extra), extra)
        index = self._load_or_build_index(snapshot, words, tokenizer)
        router = Router(snapshot, index, model.threshold, model.margin)
        self._state = _State(tokenizer, words, model, snapshot, router)
        logger.info(
            "assistant ready: %d documents, %d indicators, %d units",
            len(snapshot.documents), len(snapshot.indicators), len(snapshot.units),
        )
        return self

    def refresh(self) -> Assistant:
        """Reload after the knowledge base changed (e.g. an admin upload)."""
        return self.load()

    def data_hash(
        self,
        tokenizer: ChineseTokenizer | None = None,
        extra: tuple[list[str], list[str]] | None = None,
    ) -> str:
        """Hash of everything the model depends on: training data, code, dictionary."""
        tokenizer = tokenizer or self.state.tokenizer
        digest = hashlib.sha256()
        digest.update(file_hash(INTENTS_FILE, SYNONYMS_FILE, DOMAIN_TERMS_FILE).encode())
        extra = extra if extra is not None else kb_examples(self.state.snapshot)
        digest.update(examples_hash(*extra).encode())
        # The feature code is part of the model too: a change there must retrain.
        digest.update(file_hash(*FEATURE_CODE).encode())
        digest.update(f"{tokenizer.dictionary_key()}:{MODEL_FORMAT}".encode())
        return digest.hexdigest()[:24]

    def _load_or_train(
        self, words: WordAnalyzer, wanted: str, extra: tuple[list[str], list[str]]
    ) -> FastIntentModel:
        meta_path = self.model_dir / META_FILE
        if meta_path.exists():
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if meta.get("data_hash") == wanted:
                return FastIntentModel.load(self.model_dir)
        logger.info("intent model missing or stale: training")
        from nlp.training import train_and_save  # scikit-learn only when training

        texts, labels = load_examples()
        return train_and_save(
            texts + extra[0], labels + extra[1], words, self.model_dir, wanted
        )

    def _load_or_build_index(
        self, snapshot: KnowledgeSnapshot, words: WordAnalyzer, tokenizer: ChineseTokenizer
    ) -> TfidfIndex:
        """Load the saved retrieval index for this exact base, else build and save it."""
        digest = hashlib.sha256()
        digest.update(f"{snapshot.fingerprint}:{tokenizer.dictionary_key()}:{PIVOT_SLOPE}".encode())
        digest.update(file_hash(*FEATURE_CODE, *INDEX_CODE, SYNONYMS_FILE).encode())
        for unit in snapshot.units:
            digest.update(f"{unit.document_id}|{unit.section}|{unit.text}\n".encode())
        path = self.cache_dir / "index" / f"units_{digest.hexdigest()[:20]}"
        if path.is_dir():
            try:
                return TfidfIndex.load(path, snapshot.units, PIVOT_SLOPE)
            except (OSError, ValueError, KeyError) as exc:  # a torn or old file: rebuild
                logger.warning("retrieval index %s unreadable (%s): rebuilding", path.name, exc)
        index = TfidfIndex(PIVOT_SLOPE).build(snapshot.units, _UnitTerms(words, snapshot))
        for old in path.parent.glob("units_*") if path.parent.exists() else ():
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink(missing_ok=True)
        index.save(path)
        return index

    # -- state -------------------------------------------------------------------------------

    @property
    def state(self) -> _State:
        """The loaded state (raises if load() was never called)."""
        if self._state is None:
            raise RuntimeError("Assistant.load() must be called first")
        return self._state

    @property
    def words(self) -> WordAnalyzer:
        """The word analyzer shared by classifier and retrieval."""
        return self.state.words

    @property
    def model(self) -> FastIntentModel:
        """The exported intent model."""
        return self.state.model

    @property
    def snapshot(self) -> KnowledgeSnapshot:
        """The in-memory knowledge base."""
        return self.state.snapshot

    @property
    def router(self) -> Router:
        """The router over the current snapshot."""
        return self.state.router

    # -- answering ---------------------------------------------------------------------------

    def analyze(self, question: str) -> Analysis:
        """Normalise and analyse a question once."""
        return analyze(normalize(question), self.state.words)

    def classify(self, analysis: Analysis) -> IntentPrediction:
        """Return the ranked intents."""
        return self.state.model.predict(analysis)

    def answer(self, question: str) -> Reply:
        """Answer one question; never writes anything."""
        state = self.state  # one consistent version even if refresh() runs meanwhile
        text = normalize(question)
        if looks_like_proposal(text):
            return triage_reply(1.0)  # skip analysing a pasted proposal: it goes to triage
        analysis = analyze(text, state.words)
        if not analysis.text or not analysis.chars:
            return Reply(intent="out_of_scope", answered=False, text="请输入您的问题。")
        prediction = state.model.predict(analysis)
        return state.router.route(state.router.query(analysis.text, analysis, prediction))


class _UnitTerms:
    """Retrieval terms of a unit: its words and bigrams, with its section title prepended."""

    def __init__(self, words: WordAnalyzer, snapshot: KnowledgeSnapshot) -> None:
        self.words = words
        self.titles = {(s.document_id, s.sid): s.title for s in snapshot.sections}
        self.memo: dict[str, list[str]] = {}

    def __call__(self, unit: Unit) -> list[str]:
        # The title is part of every point's meaning ("网络招商" heads points that only say
        # "云招商、云对接").
        title = self.titles.get((unit.document_id, unit.section))
        text = f"{title}。{unit.text}" if title else unit.text
        terms = self.memo.get(text)
        if terms is None:
            # Reports repeat boilerplate sentences year after year: tokenise each once.
            terms = self.memo[text] = unit_terms(self.words(text), text)
        return terms


def build_assistant(sessions: sessionmaker[Session], cache_dir: Path | str) -> Assistant:
    """Build and load the assistant (the one place its start-up cost is paid)."""
    return Assistant(sessions, cache_dir).load()
