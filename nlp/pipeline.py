"""The assistant: normalise -> analyse once -> classify -> route -> compose a cited Reply.

`build_assistant(sessions, cache_dir)` loads everything once (trimmed jieba dictionary, the
exported intent model — trained only when missing or stale — the knowledge snapshot and its
retrieval index, both built once per base version and memory-mapped after that).
`Assistant.answer` is pure: it reads the snapshot and writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from nlp.classifier import META_FILE, FastIntentModel, IntentPrediction
from nlp.compare import answer_comparison
from nlp.features import Analysis, WordAnalyzer, analyze
from nlp.kb import KnowledgeSnapshot, Unit
from nlp.kb_store import SnapshotStore
from nlp.normalize import normalize
from nlp.reply import Reply
from nlp.retrieval import TfidfIndex, unit_terms
from nlp.router import Router, triage_reply
from nlp.synonyms import DOMAIN_TERMS_FILE, SYNONYMS_FILE, Synonyms, load_domain_terms
from nlp.tokenizer import ChineseTokenizer

# nlp.training imports scikit-learn inside its functions: importing it here costs nothing
# until a model has to be trained.
from nlp.training import train_and_save
from nlp.training_data import (
    INTENTS_FILE,
    examples_hash,
    file_hash,
    kb_examples,
    load_examples,
)
from zhtext.proposal import looks_like_proposal

logger = logging.getLogger(__name__)
MODEL_FORMAT = 1
CHART_USAGE = "请在 /chart 后写指标名称，如：/chart 州外到位资金"
PIVOT_SLOPE = 0.5  # retrieval length normalisation: long points are not drowned by short ones
_NLP_DIR = Path(__file__).resolve().parent
# The snapshot's tables and index are a function of the base and of this code.
INDEX_CODE = tuple(
    _NLP_DIR / name
    for name in ("kb.py", "kb_store.py", "kb_tables.py", "columns.py", "retrieval.py")
)
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
        snapshot, snapshot_dir = SnapshotStore(self.cache_dir / "index").load(
            self.sessions, self.code_key()
        )
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
        index = self._load_or_build_index(snapshot, snapshot_dir, words, tokenizer)
        router = Router(snapshot, index, model.threshold, model.margin)
        if snapshot.pages is not None:
            snapshot.pages.release()  # loading read whole columns; answers need few pages
        self._state = _State(tokenizer, words, model, snapshot, router)
        logger.info(
            "assistant ready: %d documents, %d indicators, %d units",
            len(snapshot.documents),
            len(snapshot.indicators),
            len(snapshot.units),
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
        texts, labels = load_examples()
        return train_and_save(texts + extra[0], labels + extra[1], words, self.model_dir, wanted)

    @staticmethod
    def code_key() -> str:
        """Hash of the code and data files the snapshot and its index are built with."""
        files = file_hash(*FEATURE_CODE, *INDEX_CODE, SYNONYMS_FILE, DOMAIN_TERMS_FILE)
        return f"{files}:{PIVOT_SLOPE}"

    def _load_or_build_index(
        self,
        snapshot: KnowledgeSnapshot,
        snapshot_dir: Path,
        words: WordAnalyzer,
        tokenizer: ChineseTokenizer,
    ) -> TfidfIndex:
        """Map the retrieval index saved with this snapshot, else build and save it."""
        # The snapshot's key covers the base and the code; the dictionary follows from both,
        # but naming it keeps an index from ever meeting another dictionary's words.
        path = snapshot_dir / f"index_{tokenizer.dictionary_key()}"
        if path.is_dir():
            try:
                return TfidfIndex.load(path, snapshot.units, PIVOT_SLOPE, snapshot.pages)
            except (OSError, ValueError, KeyError) as exc:  # a torn or old file: rebuild
                logger.warning("retrieval index %s unreadable (%s): rebuilding", path.name, exc)
        logger.info("retrieval index missing: building it over %d units", len(snapshot.units))
        index = TfidfIndex(PIVOT_SLOPE).build(
            snapshot.units, _unit_terms(words), _UnitTexts(snapshot)
        )
        for old in snapshot_dir.glob("index_*"):
            shutil.rmtree(old, ignore_errors=True)
        index.save(path)
        return TfidfIndex.load(path, snapshot.units, PIVOT_SLOPE, snapshot.pages)  # mapped

    # -- state -------------------------------------------------------------------------------

    @property
    def state(self) -> _State:
        """The loaded state (raises if load() was never called)."""
        if self._state is None:
            raise RuntimeError("Assistant.load() must be called first")
        return self._state

    @property
    def tokenizer(self) -> ChineseTokenizer:
        """The warmed tokenizer (triage reuses it instead of reading the base again)."""
        return self.state.tokenizer

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


    def compare(self, name: str) -> Reply:
        """The cross-document table of one figure (/chart NAME): its places, else its periods."""
        state = self.state
        analysis = analyze(normalize(name), state.words)
        if not analysis.text or not analysis.chars:
            return Reply(intent="indicator", text=CHART_USAGE)
        query = state.router.query(analysis.text, analysis, state.model.predict(analysis))
        found = answer_comparison(state.router.context, query, forced=True)
        if found is None:
            return Reply(intent="indicator", text=f"未找到指标“{name}”，无法作图。")
        return found.reply


class _UnitTexts:
    """What a unit is indexed as: its section title, then its text."""

    def __init__(self, snapshot: KnowledgeSnapshot) -> None:
        self.snapshot = snapshot
        self.document: int | None = None
        self.titles: dict[str, str] = {}

    def __call__(self, unit: Unit) -> str:
        # The title is part of every point's meaning ("网络招商" heads points that only say
        # "云招商、云对接").
        if unit.document_id != self.document:  # units come document by document
            self.document = unit.document_id
            self.titles = {s.sid: s.title for s in self.snapshot.sections_of(unit.document_id)}
        title = self.titles.get(unit.section) if unit.section is not None else None
        return f"{title}。{unit.text}" if title else unit.text


class _BlockMemo:
    """A tokenizer front that segments each of jieba's blocks once per index build.

    jieba cuts a text block by block (runs of CJK/alphanumerics between punctuation) and a
    block's words never depend on its neighbours, so joining the blocks' memoised words gives
    exactly jieba's words for the text; reports repeat most phrases between their figures.
    """

    def __init__(self, tokenizer: ChineseTokenizer, limit: int = 200_000) -> None:
        import jieba

        self.tokenizer = tokenizer
        self.split = jieba.re_han_default.split
        self.limit = limit
        self.memo: dict[str, list[str]] = {}

    def words(self, text: str) -> list[str]:
        out: list[str] = []
        for block in self.split(text):
            if not block:
                continue
            words = self.memo.get(block)
            if words is None:
                if len(self.memo) >= self.limit:
                    self.memo.clear()
                words = self.memo[block] = self.tokenizer.words(block)
            out += words
        return out


def _unit_terms(words: WordAnalyzer) -> Callable[[str], list[str]]:
    """Return text -> retrieval terms for an index build, through a block memo."""
    # Duck-typed: WordAnalyzer only calls .words() on its tokenizer.
    memo_words = WordAnalyzer(_BlockMemo(words.tokenizer), words.synonyms)  # type: ignore[arg-type]
    return lambda text: unit_terms(memo_words(text), text)


def build_assistant(sessions: sessionmaker[Session], cache_dir: Path | str) -> Assistant:
    """Build and load the assistant (the one place its start-up cost is paid)."""
    return Assistant(sessions, cache_dir).load()
