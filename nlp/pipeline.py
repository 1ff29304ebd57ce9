"""The assistant: normalise -> analyse once -> classify -> route -> compose a cited Reply.

`build_assistant(sessions, cache_dir)` loads everything once through the artifact contract
(nlp/artifacts.py): trimmed jieba dictionary, the exported intent model — trained only when
missing or stale — the knowledge snapshot's segments and one retrieval index per segment, built
once and memory-mapped after that. An upload adds a segment (`refresh`), nothing else.
`Assistant.answer` is pure: it reads the snapshot and writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from nlp.artifacts import obtain
from nlp.classifier import META_FILE, FastIntentModel, IntentPrediction
from nlp.columns import mapped_bytes, release_pages
from nlp.compare import answer_comparison
from nlp.features import Analysis, WordAnalyzer, analyze
from nlp.heap import return_free_heap
from nlp.kb import KnowledgeSnapshot
from nlp.kb_records import Unit
from nlp.kb_store import Segment, SnapshotStore
from nlp.normalize import normalize
from nlp.reply import Reply
from nlp.retrieval import SearchIndex, TfidfIndex, unit_terms
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
# Answers between two releases of memory (mapped columns' pages, free heap pages): what a few
# questions read stays mapped, a long run's reads do not pile up in private memory.
RELEASE_EVERY = 16
# Below this much mapped column data the pages a process reads stay few; releasing them every
# 16 answers (~2 ms) would only cost time (the default base maps well under 1 MB).
RELEASE_FROM_BYTES = 32 * 1024 * 1024
PIVOT_SLOPE = 0.5  # retrieval length normalisation: long points are not drowned by short ones
_NLP_DIR = Path(__file__).resolve().parent
# The snapshot's tables and index are a function of the base and of this code.
INDEX_CODE = tuple(
    _NLP_DIR / name
    for name in (
        "kb.py", "kb_records.py", "kb_units.py", "kb_store.py", "kb_tables.py", "columns.py",
        "retrieval.py",
    )
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
    segments: tuple[str, ...]  # the snapshot's segment names, first (base) first
    indexes: tuple[TfidfIndex, ...]  # one per segment


class IntentModelArtifact:
    """The intent model: trained on the examples plus names from the base segment."""

    name = "intent"

    def __init__(self, words: WordAnalyzer, extra: tuple[list[str], list[str]]) -> None:
        self.words = words
        self.extra = extra
        self._fingerprint = ""
        self.train_s = 0.0

    def fingerprint(self) -> str:
        """Hash of everything the model depends on: training data, code, dictionary."""
        if not self._fingerprint:
            digest = hashlib.sha256()
            digest.update(file_hash(INTENTS_FILE, SYNONYMS_FILE, DOMAIN_TERMS_FILE).encode())
            digest.update(examples_hash(*self.extra).encode())
            # The feature code is part of the model too: a change there must retrain.
            digest.update(file_hash(*FEATURE_CODE).encode())
            key = self.words.tokenizer.dictionary_key()
            digest.update(f"{key}:{MODEL_FORMAT}".encode())
            self._fingerprint = digest.hexdigest()[:24]
        return self._fingerprint

    def build(self, directory: Path) -> None:
        """Train (scikit-learn is imported only here) and export the arrays."""

        started = time.perf_counter()
        texts, labels = load_examples()
        train_and_save(
            texts + self.extra[0], labels + self.extra[1], self.words, directory,
            self.fingerprint(),
        )
        self.train_s = time.perf_counter() - started

    def load(self, directory: Path) -> FastIntentModel:
        """Load the exported arrays; a model whose meta names other data is stale."""
        meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
        if meta.get("data_hash") != self.fingerprint():
            raise ValueError("intent model trained on other data")
        return FastIntentModel.load(directory)


class SegmentIndexArtifact:
    """One segment's retrieval index, weighed with the first segment's idf (`reference`)."""

    name = "index"

    def __init__(
        self,
        segment: Segment,
        snapshot: KnowledgeSnapshot,
        words: WordAnalyzer,
        reference: TfidfIndex | None,
    ) -> None:
        self.segment = segment
        self.snapshot = snapshot
        self.words = words
        self.reference = reference

    def fingerprint(self) -> str:
        """The segment is named by its documents and the code; the dictionary by its words."""
        return self.words.tokenizer.dictionary_key()

    def build(self, directory: Path) -> None:
        """Tokenise the segment's units and write the postings."""
        logger.info("retrieval index: building it over %d units", len(self.segment.units))
        index = TfidfIndex(PIVOT_SLOPE).build(
            self.segment.units, _unit_terms(self.words), _UnitTexts(self.snapshot),
            self.reference,
        )
        index.save(directory / "postings")

    def load(self, directory: Path) -> TfidfIndex:
        """Map the postings."""
        return TfidfIndex.load(directory / "postings", self.segment.units, PIVOT_SLOPE)


class Assistant:
    """Answer staff questions from the knowledge base."""

    def __init__(self, sessions: sessionmaker[Session], cache_dir: Path | str) -> None:
        self.sessions = sessions
        self.cache_dir = Path(cache_dir)
        self.store = SnapshotStore(self.cache_dir / "index")
        self._state: _State | None = None
        self._model_key = ""
        self._answers = 0  # since the last release of mapped pages
        self._large = False  # maps enough column data to release pages as it answers
        # Seconds the last load spent training the intent model (0.0 when it was loaded):
        # the bench tells a first build of the snapshot apart from a first training.
        self.train_s = 0.0

    # -- loading -----------------------------------------------------------------------------

    @property
    def model_dir(self) -> Path:
        """Where the intent model and its exported arrays live."""
        return self.cache_dir / f"{IntentModelArtifact.name}_{self._model_key}"

    def load(self) -> Assistant:
        """Start-up: map (or build) the snapshot, warm the tokenizer, load (or train) the
        model and the indexes; segments that piled up are compacted into one first."""
        return self._load(compact=True)

    def refresh(self) -> Assistant:
        """After the knowledge base changed (an admin upload): add a segment for the new
        documents and mask the removed ones. The dictionary and the intent model stay: the
        new documents' names are added to the tokenizer's words, and the model keeps its
        vocabulary (a word it has not seen is covered by the router's near-verbatim rule)."""
        return self._load(compact=False)

    def _load(self, compact: bool) -> Assistant:
        self.train_s = 0.0
        snapshot, segments = self.store.load(self.sessions, self.code_key(), compact=compact)
        names = tuple(str(s.path.name) for s in segments if s.path is not None)
        old = self._state
        if old is not None and old.segments[:1] == names[:1]:
            # The base segment is the same: so are the dictionary and the model.
            tokenizer, words, model = old.tokenizer, old.words, old.model
        else:
            tokenizer, words, model = self._base_artifacts(segments[0] if segments else None)
        for segment in segments[1:]:
            tokenizer.add_words(segment.user_words())
        indexes: list[TfidfIndex] = []
        for n, segment in enumerate(segments):
            reused = old is not None and n < len(old.segments) and old.segments[n] == names[n]
            if reused and old is not None:
                indexes.append(old.indexes[n])
                continue
            artifact = SegmentIndexArtifact(
                segment, snapshot, words, indexes[0] if indexes else None
            )
            assert segment.path is not None
            indexes.append(obtain(artifact, segment.path))
        index = SearchIndex(indexes, snapshot.units, snapshot.alive)
        router = Router(snapshot, index, model.threshold, model.margin)
        self._state = _State(tokenizer, words, model, snapshot, router, names, tuple(indexes))
        logger.info(
            "assistant ready: %d documents, %d indicators, %d units, %d segments",
            len(snapshot.documents), len(snapshot.indicators), len(snapshot.units),
            len(segments),
        )
        # Loading read whole columns it has copied or will not read again, and parsed rows
        # it has dropped.
        self._large = mapped_bytes() >= RELEASE_FROM_BYTES
        self._release_memory()
        return self

    def _release_memory(self) -> None:
        """Unmap the columns' pages read so far and return the heap's free pages (~2 ms)."""
        self._answers = 0
        release_pages()
        return_free_heap()

    def _base_artifacts(
        self, base: Segment | None
    ) -> tuple[ChineseTokenizer, WordAnalyzer, FastIntentModel]:
        """The dictionary and the intent model, both functions of the base segment's names."""
        synonyms = Synonyms.load()
        base_words = base.user_words() if base is not None else []
        user_words = load_domain_terms() + synonyms.all_terms() + base_words
        tokenizer = ChineseTokenizer(user_words, self.cache_dir / "jieba").initialize()
        words = WordAnalyzer(tokenizer, synonyms)
        extra = kb_examples(base.snapshot()) if base is not None else ([], [])
        artifact = IntentModelArtifact(words, extra)
        self._model_key = artifact.fingerprint()
        model = obtain(artifact, self.cache_dir)
        self.train_s = artifact.train_s
        return tokenizer, words, model

    def data_hash(self) -> str:
        """The fingerprint of the loaded intent model (its data, code and dictionary)."""
        return self._model_key

    @staticmethod
    def code_key() -> str:
        """Hash of the code and data files the snapshot and its index are built with."""
        files = file_hash(*FEATURE_CODE, *INDEX_CODE, SYNONYMS_FILE, DOMAIN_TERMS_FILE)
        return f"{files}:{PIVOT_SLOPE}"

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
        self._answers += 1
        if self._answers >= RELEASE_EVERY and self._large:
            self._release_memory()
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
