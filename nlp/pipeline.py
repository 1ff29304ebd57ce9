"""The assistant: normalise -> analyse once -> classify -> route -> compose a cited Reply.

`build_assistant(sessions, cache_dir)` loads everything once (trimmed jieba dictionary, the
exported intent model — trained only when missing or stale — and the retrieval index).
`Assistant.answer` is pure: it reads the in-memory snapshot and writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from nlp.classifier import META_FILE, FastIntentModel, IntentPrediction
from nlp.features import Analysis, WordAnalyzer, analyze
from nlp.kb import KnowledgeSnapshot, Unit, load_snapshot
from nlp.normalize import normalize
from nlp.reply import Reply
from nlp.retrieval import TfidfIndex, unit_terms
from nlp.router import Router
from nlp.synonyms import DOMAIN_TERMS_FILE, SYNONYMS_FILE, Synonyms, load_domain_terms
from nlp.tokenizer import ChineseTokenizer
from nlp.training_data import INTENTS_FILE, file_hash, load_examples

logger = logging.getLogger(__name__)
MODEL_FORMAT = 1
_NLP_DIR = Path(__file__).resolve().parent
FEATURE_CODE = tuple(
    _NLP_DIR / name
    for name in ("normalize.py", "tokenizer.py", "synonyms.py", "features.py", "training.py")
)


class Assistant:
    """Answer staff questions from the knowledge base."""

    def __init__(self, sessions: sessionmaker[Session], cache_dir: Path | str) -> None:
        self.sessions = sessions
        self.cache_dir = Path(cache_dir)
        self.synonyms: Synonyms | None = None
        self.tokenizer: ChineseTokenizer | None = None
        self.words: WordAnalyzer | None = None
        self.model: FastIntentModel | None = None
        self.snapshot = KnowledgeSnapshot()
        self.index = TfidfIndex()
        self.router: Router | None = None

    # -- loading -----------------------------------------------------------------------------

    @property
    def model_dir(self) -> Path:
        """Where the intent model and its exported arrays live."""
        return self.cache_dir / "intent"

    def load(self) -> Assistant:
        """Read the knowledge base, warm the tokenizer, load (or train) the model, index."""
        self.synonyms = Synonyms.load()
        self.snapshot = load_snapshot(self.sessions)
        user_words = load_domain_terms() + self.synonyms.all_terms() + self.snapshot.user_words()
        tokenizer = ChineseTokenizer(user_words, self.cache_dir / "jieba")
        if self.tokenizer is None or tokenizer.dictionary_key() != self.tokenizer.dictionary_key():
            self.tokenizer = tokenizer.initialize()  # warm jieba so no user pays for it
        self.words = WordAnalyzer(self.tokenizer, self.synonyms)
        self.model = self._load_or_train()
        titles = {(x.document_id, x.sid): x.title for x in self.snapshot.sections}
        self.index = TfidfIndex(0.5).build(
            self.snapshot.units,
            lambda u: self._unit_terms(u, titles.get((u.document_id, u.section))),
        )
        self.router = Router(self.snapshot, self.index, self.model.threshold, self.model.margin)
        logger.info(
            "assistant ready: %d documents, %d indicators, %d units",
            len(self.snapshot.documents), len(self.snapshot.indicators), len(self.snapshot.units),
        )
        return self

    def refresh(self) -> Assistant:
        """Reload after the knowledge base changed (e.g. an admin upload)."""
        return self.load()

    def data_hash(self) -> str:
        """Hash of everything the model depends on: training data, synonyms, dictionary."""
        assert self.tokenizer is not None
        digest = hashlib.sha256()
        digest.update(file_hash(INTENTS_FILE, SYNONYMS_FILE, DOMAIN_TERMS_FILE).encode())
        # The feature code is part of the model too: a change there must retrain.
        digest.update(file_hash(*FEATURE_CODE).encode())
        digest.update(f"{self.tokenizer.dictionary_key()}:{MODEL_FORMAT}".encode())
        return digest.hexdigest()[:24]

    def _load_or_train(self) -> FastIntentModel:
        wanted = self.data_hash()
        meta_path = self.model_dir / META_FILE
        if meta_path.exists():
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if meta.get("data_hash") == wanted:
                return FastIntentModel.load(self.model_dir)
        logger.info("intent model missing or stale: training")
        from nlp.training import train_and_save  # scikit-learn only when training

        assert self.words is not None
        texts, labels = load_examples()
        return train_and_save(texts, labels, self.words, self.model_dir, wanted)

    def _unit_terms(self, unit: Unit, title: str | None) -> list[str]:
        # The section title is part of every point's meaning ("网络招商" heads the points
        # that only say "云招商、云对接").
        assert self.words is not None
        text = f"{title}。{unit.text}" if title else unit.text
        return unit_terms(self.words(text), text)

    # -- answering ---------------------------------------------------------------------------

    def analyze(self, question: str) -> Analysis:
        """Normalise and analyse a question once."""
        assert self.words is not None, "call load() first"
        return analyze(normalize(question), self.words)

    def classify(self, analysis: Analysis) -> IntentPrediction:
        """Return the ranked intents."""
        assert self.model is not None, "call load() first"
        return self.model.predict(analysis)

    def answer(self, question: str) -> Reply:
        """Answer one question; never writes anything."""
        assert self.router is not None, "call load() first"
        analysis = self.analyze(question)
        if not analysis.text or not analysis.chars:
            return Reply(intent="out_of_scope", answered=False, text="请输入您的问题。")
        prediction = self.classify(analysis)
        return self.router.route(self.router.query(analysis.text, analysis, prediction))


def build_assistant(sessions: sessionmaker[Session], cache_dir: Path | str) -> Assistant:
    """Build and load the assistant (the one place its start-up cost is paid)."""
    return Assistant(sessions, cache_dir).load()
