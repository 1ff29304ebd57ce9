"""Proposal triage: what a proposal asks, which topic, and what of the bureau's work bears on it.

`Triager(tokenizer).fit(base)` fits word IDF on the knowledge base (sections and items) and
profiles every measure, planned action and indicator; `analyze(text, earlier)` returns a
`TriageResult`. Relatedness mixes word TF-IDF cosine with topic affinity (the keyword topics of
`nlp.topics`), so a proposal about 部门联动 and 政策体系 still finds 完善体制机制 when the words
differ. A text outside the bureau's field gets 非本局业务 and no matches at all.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from nlp.normalize import normalize, normalize_for_match, to_simplified
from nlp.tokenizer import ChineseTokenizer
from nlp.topics import OUT_OF_SCOPE, TopicCatalog, TopicScores
from nlp.triage_kb import KbIndicator, KbItem, TriageBase
from nlp.triage_meta import extract_meta, is_chrome
from nlp.triage_result import (
    AskMatch,
    EarlierProposal,
    RelatedIndicator,
    RelatedItem,
    SimilarProposal,
    TriageResult,
)
from nlp.triage_text import extract_asks
from zhtext.hashing import content_hash as text_hash

__all__ = [
    "EarlierProposal",
    "RelatedIndicator",
    "RelatedItem",
    "SimilarProposal",
    "TriageError",
    "TriageResult",
    "TriageTooLarge",
    "Triager",
    "content_hash",
]

STOPWORDS_FILE = Path(__file__).resolve().parent / "data" / "proposal_stopwords.txt"
DEFAULT_MAX_CHARS = 20_000
# Relatedness = WORD_WEIGHT * word cosine + TOPIC_WEIGHT * topic affinity
#   + TITLE_WEIGHT * share of the item title's character pairs found in the proposal's focus.
# Item titles are the distilled point of a measure ("建立清单化管理机制促项目落地"), and
# character pairs survive segmentation differences (落地率 / 落地).
WORD_WEIGHT = 0.4
TOPIC_WEIGHT = 0.4
TITLE_WEIGHT = 0.2
# An item's topics: half from its title (a title states the point; one strong keyword there
# is full coverage), half from its body, where a long paragraph touches many topics in passing.
TITLE_TOPIC_SHARE = 0.5
TITLE_SATURATION = 2.0
MIN_RELATED_SCORE = 0.15
MAX_RELATED = 10
MIN_INDICATOR_SCORE = 0.2
MAX_INDICATORS = 10
MIN_SIMILAR_SCORE = 0.35
DUPLICATE_SCORE = 0.9
MAX_KEYWORDS = 10
MAX_REASON_WORDS = 4
# An ask is answered by an item only above this relatedness (the whole text's floor is lower:
# one sentence has fewer words to go wrong with), at most MAX_PER_ASK of each kind.
MIN_ASK_SCORE = 0.25
MAX_PER_ASK = 2
# Near-duplicates show in their opening; comparing only that keeps 500 comparisons fast.
SIMILARITY_CHARS = 4000
_NOT_A_WORD = re.compile(r"^[\d.%‰]+$|^[a-z]$")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
# Pinyin a page printed after each character ("协(xié)商"), copied along with the text.
_RUBY = re.compile(r"(?<=[\u4e00-\u9fff])[（(][a-zü\u00e0-\u01dc]{1,7}[）)]")
# Control characters and lone surrogates: meaningless in a proposal, and invalid in a .docx.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# Full-width letters and digits (and the ideographic space) to ASCII; punctuation stays.
_FULL_WIDTH_ALNUM = {
    **{c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)},
    **{c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)},
    **{c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)},
    0x3000: 0x20,
}


class TriageError(ValueError):
    """A proposal text that cannot be triaged; the message is one Chinese sentence."""


class TriageTooLarge(TriageError):
    """The text is over the size cap."""


def content_hash(text: str) -> str:
    """Hash a proposal's text so that width, spacing and script variants hash the same."""
    return text_hash(normalize_for_match(text))


def load_stopwords(path: Path = STOPWORDS_FILE) -> frozenset[str]:
    """Read the stopword list (whitespace-separated, '#' starts a comment line)."""
    words: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.lstrip().startswith("#"):
            words.update(line.split())
    return frozenset(words)


def _without_chrome(text: str) -> str:
    """The text without web page furniture lines, whose words say nothing of the proposal."""
    return "\n".join(line for line in text.split("\n") if not is_chrome(line))


def scope_reason(catalog: TopicCatalog, scores: TopicScores, kind: str) -> str:
    """Say in one sentence why a text is not the bureau's business, and whose it is."""
    department = scores.department()
    other = sorted(
        (w for w in scores.hits if w in catalog.out_of_scope),
        key=lambda w: (-catalog.out_of_scope[w] * min(scores.hits[w], 3), w),
    )[:MAX_REASON_WORDS]
    if department:
        area = catalog.area(department) or "其他部门工作"
        return (
            f"该{kind}主要涉及{area}（{'、'.join(other)}），不属于投资促进局职责，"
            f"宜由{department}承办。"
        )
    if other:
        words = "、".join(other)
        return f"该{kind}主要涉及其他部门工作（{words}），招商引资、投资促进方面的内容不足。"
    return f"该{kind}未涉及招商引资、投资促进工作。"


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


class Triager:
    """Fit on the base's records (nlp/triage_kb.py) once; analyze proposals many times."""

    def __init__(
        self,
        tokenizer: ChineseTokenizer,
        catalog: TopicCatalog | None = None,
        stopwords: frozenset[str] | None = None,
        max_chars: int = DEFAULT_MAX_CHARS,
    ) -> None:
        self.tokenizer = tokenizer
        self.catalog = catalog
        self.stopwords = stopwords
        self.max_chars = max_chars
        self.base = TriageBase()
        self.idf: dict[str, float] = {}
        self.unseen_idf = 1.0
        self._item_profiles: list[
            tuple[KbItem, dict[str, float], dict[str, float], frozenset[str]]
        ] = []
        self._indicator_vectors: list[tuple[KbIndicator, dict[str, float]]] = []
        # Vectors of stored proposals by (id, content hash): each is tokenised once per fit.
        self._earlier_vectors: dict[tuple[int, str], dict[str, float]] = {}

    # -- fitting -----------------------------------------------------------------------------

    def fit(self, base: TriageBase) -> Triager:
        """Fit IDF on the base's texts and profile its items and indicators."""
        if self.catalog is None:
            self.catalog = TopicCatalog.load()
        if self.stopwords is None:
            self.stopwords = load_stopwords()
        self.base = base
        self._earlier_vectors = {}
        texts = [f"{s.title}\n{s.text}" for s in base.sections]
        texts += [self._item_text(i) for i in base.items]
        self._fit_idf(texts)
        self._item_profiles = [
            (
                item,
                self.vector(self._item_text(item)),
                self._topic_strengths(item),
                char_pairs(item.title),
            )
            for item in base.items
        ]
        self._indicator_vectors = [
            (ind, self.vector(f"{ind.name} {ind.name} {ind.quote}")) for ind in base.indicators
        ]
        return self

    def _fit_idf(self, texts: list[str]) -> None:
        df: Counter[str] = Counter()
        for text in texts:
            df.update(set(self.terms(text)))
        n = len(texts)
        # Smoothed IDF as scikit-learn computes it; unseen words weigh like the rarest.
        self.idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}
        self.unseen_idf = math.log(1 + n) + 1.0

    @staticmethod
    def _item_text(item: KbItem) -> str:
        return "\n".join([item.title, item.title, item.text, *item.points])

    # -- text features -----------------------------------------------------------------------

    def terms(self, text: str) -> list[str]:
        """Return the content words of `text` (no stopwords, digits or single letters)."""
        stop = self.stopwords or frozenset()
        words = (w.lower() for w in self.tokenizer.words(normalize(text)))
        return [w for w in words if len(w) >= 2 and w not in stop and not _NOT_A_WORD.match(w)]

    def weights(self, text: str) -> dict[str, float]:
        """Return sublinear TF times IDF for each content word (not normalised)."""
        counts = Counter(self.terms(text))
        return {
            t: (1.0 + math.log(c)) * self.idf.get(t, self.unseen_idf) for t, c in counts.items()
        }

    def vector(self, text: str) -> dict[str, float]:
        """Return the unit-length TF-IDF vector of `text`."""
        weights = self.weights(text)
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {t: w / norm for t, w in weights.items()} if norm else {}

    def _topic_strengths(self, item: KbItem) -> dict[str, float]:
        assert self.catalog is not None
        body = self.catalog.score("\n".join([item.text, *item.points]), item.title).strengths()
        if not item.title.strip():
            return body
        title = self.catalog.score(item.title).strengths(TITLE_SATURATION)
        share = TITLE_TOPIC_SHARE
        return {
            k: (1 - share) * body.get(k, 0.0) + share * title.get(k, 0.0)
            for k in set(body) | set(title)
        }

    # -- analysis ----------------------------------------------------------------------------

    def analyze(self, text: str, earlier: Iterable[EarlierProposal] = ()) -> TriageResult:
        """Triage one proposal text against the knowledge base and earlier proposals."""
        assert self.catalog is not None, "call fit() first"
        text = normalize_text(text, self.max_chars)
        meta = extract_meta(text)
        asks = extract_asks(text, meta.title)
        scores = self.catalog.score(text, meta.title)
        digest = content_hash(text)
        focus = "\n".join([meta.title, meta.title, *asks, text])
        query = self.vector(focus)
        result = TriageResult(
            number=meta.number,
            kind=meta.kind,
            title=meta.title,
            proposer=meta.proposer,
            proposers=meta.proposers,
            proposer_role=meta.role,
            cosigners=meta.cosigners,
            sector=meta.sector,
            session=meta.session,
            content_hash=digest,
            chars=len(text),
            topic=OUT_OF_SCOPE,
            in_scope=scores.in_scope,
            topic_scores={k: round(v, 2) for k, v in scores.topics.items()},
            asks=asks,
            keywords=self.keywords(_without_chrome(text).replace(meta.proposer or "\0", "")),
            contact=self.base.contact,
            similar=self.similar(text, digest, earlier),
        )
        if not scores.in_scope:
            result.department = scores.department()
            result.scope_reason = scope_reason(self.catalog, scores, meta.kind)
            return result
        focus_topics = self.catalog.score("\n".join(asks), meta.title).shares()
        focus_pairs = char_pairs("\n".join([meta.title, *asks]))
        result.related = self.related(query, focus_topics or scores.shares(), focus_pairs)
        result.indicators = self.related_indicators(query, result.related)
        result.topic = self._choose_topic(scores, result.related)
        result.answers = self.match_asks(asks, focus_topics or scores.shares())
        return result

    def match_asks(self, asks: Sequence[str], topics: dict[str, float]) -> list[AskMatch]:
        """Give each ask the measures, planned actions and figures that answer it.

        An item goes to the ask it answers best, so two paragraphs of the reply never quote
        the same work; an ask with nothing above the floor gets nothing (the letter says so).
        """
        ranked = []
        for ask in asks:
            ask_topics = self.catalog.score(ask).shares() if self.catalog else {}
            query = self.vector(ask)
            items = [
                r
                for r in self.related(query, ask_topics or topics, char_pairs(ask))
                if r.score >= MIN_ASK_SCORE
            ]
            ranked.append((ask, query, items))
        best: dict[tuple[str, str | None, str], tuple[float, int]] = {}
        for index, (_ask, _query, items) in enumerate(ranked):
            for r in items:
                key = (r.document, r.section, r.title)
                if key not in best or r.score > best[key][0]:
                    best[key] = (r.score, index)
        answers = []
        for index, (ask, query, items) in enumerate(ranked):
            own = [r for r in items if best[(r.document, r.section, r.title)][1] == index]
            done = [r for r in own if r.kind == "measure"][:MAX_PER_ASK]
            planned = [r for r in own if r.kind == "action"][:MAX_PER_ASK]
            sections = {(r.document, r.section) for r in done}
            quotes: dict[str, RelatedIndicator] = {}
            for f in self.related_indicators(query, done):
                if (f.document, f.section) in sections and f.quote:
                    quotes.setdefault(f.quote, f)
            figures = list(quotes.values())[:MAX_PER_ASK]
            answers.append(AskMatch(ask=ask, done=done, planned=planned, figures=figures))
        return answers

    def _choose_topic(self, scores: TopicScores, related: Sequence[RelatedItem]) -> str:
        best = scores.best()
        if best is not None:
            return best
        for item in related:  # no topic word at all: borrow the best match's topic
            for kb_item, _vec, topics, _pairs in self._item_profiles:
                same = (kb_item.document, kb_item.section) == (item.document, item.section)
                if same and topics:
                    return max(topics, key=topics.__getitem__)
        return self.catalog.topics[0].name if self.catalog else OUT_OF_SCOPE

    def keywords(self, text: str) -> list[str]:
        """Return the proposal's most distinctive words by TF-IDF (IDF from the base).

        Words of the field (topic keywords) weigh half as much again, so 落地率 outranks 缺乏.
        """
        assert self.catalog is not None
        field = self.catalog.vocabulary()
        weights = {t: w * (1.5 if t in field else 1.0) for t, w in self.weights(text).items()}
        ranked = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
        return [t for t, _w in ranked[:MAX_KEYWORDS]]

    def related(
        self, query: dict[str, float], topics: dict[str, float], pairs: frozenset[str]
    ) -> list[RelatedItem]:
        """Rank measures and planned actions by words and topic affinity.

        `topics` holds the proposal's topic shares; affinity is the share-weighted coverage
        of those topics by the item (see `TopicScores.strengths`).
        """
        scored = []
        for item, vector, item_topics, title_pairs in self._item_profiles:
            title_share = len(title_pairs & pairs) / len(title_pairs) if title_pairs else 0.0
            score = (
                WORD_WEIGHT * _cosine(query, vector)
                + TOPIC_WEIGHT * _cosine(topics, item_topics)
                + TITLE_WEIGHT * title_share
            )
            if score >= MIN_RELATED_SCORE:
                scored.append(
                    RelatedItem(
                        kind=item.kind,
                        section=item.section,
                        title=item.title,
                        score=round(score, 3),
                        document=item.document,
                        text=item.text,
                        points=item.points,
                    )
                )
        scored.sort(key=lambda r: -r.score)
        return scored[:MAX_RELATED]

    def related_indicators(
        self, query: dict[str, float], related: Sequence[RelatedItem]
    ) -> list[RelatedIndicator]:
        """Rank indicators: own words, the score of a related item in their section, headline."""
        by_section = {(r.document, r.section): r.score for r in related}
        scored = []
        for position, (ind, vector) in enumerate(self._indicator_vectors):
            inherited = by_section.get((ind.document, ind.section), 0.0)
            score = 0.5 * _cosine(query, vector) + inherited + (0.2 if ind.headline else 0.0)
            if score >= MIN_INDICATOR_SCORE:
                scored.append(
                    RelatedIndicator(
                        **ind.model_dump(exclude={"document_id"}),
                        score=round(score, 3),
                        position=position,
                    )
                )
        scored.sort(key=lambda r: -r.score)
        # The headline figures (the summary of results) always bear on an in-scope proposal;
        # keep them even when more specific figures fill the list.
        specific = [r for r in scored if not r.headline][:MAX_INDICATORS]
        headline = [r for r in scored if r.headline][:MAX_INDICATORS]
        return sorted(specific + headline, key=lambda r: -r.score)

    def similar(
        self, text: str, digest: str, earlier: Iterable[EarlierProposal]
    ) -> list[SimilarProposal]:
        """Find stored proposals close to this text; flag (near-)duplicates."""
        vector = self.vector(text[:SIMILARITY_CHARS])
        found = []
        for other in earlier:
            same = bool(other.content_hash) and other.content_hash == digest
            score = 1.0 if same else _cosine(vector, self._earlier_vector(other))
            if score >= MIN_SIMILAR_SCORE:
                found.append(
                    SimilarProposal(
                        id=other.id,
                        number=other.number,
                        title=other.title,
                        score=round(score, 3),
                        duplicate=same or score >= DUPLICATE_SCORE,
                    )
                )
        found.sort(key=lambda s: (-s.score, s.id))
        return found[:5]

    def _earlier_vector(self, other: EarlierProposal) -> dict[str, float]:
        key = (other.id, other.content_hash)
        vector = self._earlier_vectors.get(key)
        if vector is None:
            vector = self.vector(other.text[:SIMILARITY_CHARS])
            self._earlier_vectors[key] = vector
        return vector


def char_pairs(text: str) -> frozenset[str]:
    """Return the adjacent Chinese character pairs of `text` (within runs of Han characters)."""
    runs = _HAN.findall(normalize(text))
    return frozenset(run[i : i + 2] for run in runs for i in range(len(run) - 1))


def normalize_text(text: str, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """Fold letters, digits and script to one form, keeping Chinese punctuation for display.

    Texts over the cap are refused with one message. Matching folds further (`normalize`).
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > max_chars:
        raise TriageTooLarge(
            f"提案文本共 {len(text)} 字，超过 {max_chars} 字的上限；"
            "请删去附件、表格等内容后再发送。"
        )
    text = to_simplified(_UNPRINTABLE.sub("", text).translate(_FULL_WIDTH_ALNUM))
    text = _RUBY.sub("", text)
    text = "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()
    if not text:
        raise TriageError("没有收到提案正文，请粘贴或上传提案全文。")
    return text
