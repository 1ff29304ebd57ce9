"""Turn a question into tokens once; classifier and retriever both read the same Analysis.

The word analyzer is a picklable callable class (a bound jieba method or a lambda cannot be
pickled into the saved scikit-learn model). The char n-grams reproduce scikit-learn's
`analyzer="char"` exactly so the fast path and the Pipeline agree feature for feature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlp.synonyms import Synonyms
from nlp.tokenizer import ChineseTokenizer

_WHITE_SPACES = re.compile(r"\s\s+")  # the same pattern scikit-learn's char analyzer uses
CHAR_NGRAMS = (1, 3)
MAX_ANALYZED_CHARS = 200


class WordAnalyzer:
    """Callable text -> words (lower-cased) plus the canonical synonyms they stand for."""

    def __init__(self, tokenizer: ChineseTokenizer, synonyms: Synonyms | None = None) -> None:
        self.tokenizer = tokenizer
        self.synonyms = synonyms

    def split(self, text: str) -> tuple[list[str], list[str]]:
        """Return (words, canonical synonym terms) of `text`."""
        words = [w.lower() for w in self.tokenizer.words(text)]
        canonical = self.synonyms.canonical_terms(text) if self.synonyms is not None else []
        return words, canonical

    def __call__(self, text: str) -> list[str]:
        words, canonical = self.split(text)
        return words + canonical


def char_ngrams(text: str, ngram_range: tuple[int, int] = CHAR_NGRAMS) -> list[str]:
    """Return character n-grams exactly as scikit-learn's analyzer='char' (lowercase) does."""
    text = _WHITE_SPACES.sub(" ", text.lower())
    min_n, max_n = ngram_range
    grams: list[str] = []
    if min_n == 1:
        grams = list(text)
        min_n += 1
    for n in range(min_n, min(max_n + 1, len(text) + 1)):
        grams.extend(text[i : i + n] for i in range(len(text) - n + 1))
    return grams


@dataclass
class Analysis:
    """One question, analysed once: normalised text, words (+synonyms) and char n-grams."""

    text: str
    words: list[str]
    chars: list[str]
    canonical: list[str] = field(default_factory=list)

    @property
    def bigrams(self) -> list[str]:
        """Return the character bigrams (used by retrieval and name matching)."""
        return [g for g in self.chars if len(g) == 2]


def analyze(text: str, words: WordAnalyzer) -> Analysis:
    """Analyse normalised `text` once for every downstream component.

    Only the first MAX_ANALYZED_CHARS count: longer text is a pasted document whose opening
    says what it is, and the cost of a question must not grow with what is pasted.
    """
    text = text[:MAX_ANALYZED_CHARS]
    tokens, canonical = words.split(text)
    return Analysis(
        text=text, words=tokens + canonical, chars=char_ngrams(text), canonical=canonical
    )
