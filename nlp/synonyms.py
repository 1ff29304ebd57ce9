"""The kept synonym table: how staff ask -> the terms the documents use."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from nlp.normalize import fold_for_match

DATA_DIR = Path(__file__).resolve().parent / "data"
SYNONYMS_FILE = DATA_DIR / "synonyms.tsv"
DOMAIN_TERMS_FILE = DATA_DIR / "domain_terms.txt"


class SynonymFileError(ValueError):
    """A line of the synonym table is malformed."""


def _parse_line(line: str, number: int) -> tuple[str, list[str]] | None:
    line = line.strip()
    if not line or line.startswith("#"):
        return None
    if "\t" not in line:
        raise SynonymFileError(f"line {number}: expected 'canonical<TAB>variant|variant'")
    canonical, variants = line.split("\t", 1)
    forms = [fold_for_match(v) for v in variants.split("|") if v.strip()]
    return fold_for_match(canonical), forms


@dataclass
class Synonyms:
    """Variant -> canonical terms, with longest-variant-first substring matching."""

    table: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = SYNONYMS_FILE) -> Synonyms:
        """Read the table from a TSV file."""
        table: dict[str, list[str]] = {}
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            parsed = _parse_line(line, number)
            if parsed is None:
                continue
            canonical, variants = parsed
            for variant in variants:
                table.setdefault(variant, [])
                if canonical not in table[variant]:
                    table[variant].append(canonical)
        return cls(table)

    def __post_init__(self) -> None:
        # Canonical terms are matched too, so a variant inside one is not expanded.
        terms = set(self.table) | {c for cs in self.table.values() for c in cs}
        # Longest first; ties by text, so matching (and the trained model) never depends on
        # the process's string hash seed.
        self._order = sorted(terms, key=lambda t: (-len(t), t))
        # Terms by first character: a text is checked only for terms that can start in it (an
        # index build analyses hundreds of thousands of sentences against ~300 terms).
        self._starting: dict[str, list[int]] = {}
        for n, term in enumerate(self._order):
            self._starting.setdefault(term[0], []).append(n)

    def canonical_terms(self, text: str) -> list[str]:
        """Return the canonical terms whose variants occur in `text` (already normalised)."""
        text = fold_for_match(text)
        original = text
        found: list[str] = []
        starting = self._starting
        possible = sorted({n for ch in starting.keys() & set(text) for n in starting[ch]})
        for term in (self._order[n] for n in possible):
            if term not in text:
                continue
            # Mask the match so a shorter variant inside it ("招商" in "网络招商", "外资" in
            # "州外资金") is not read as a second, different term.
            text = text.replace(term, "\x00")
            for canonical in self.table.get(term, ()):
                if canonical not in found and canonical not in original:
                    found.append(canonical)
        return found

    def expand(self, terms: Iterable[str]) -> list[str]:
        """Return `terms` followed by the canonical terms any of them is a variant of."""
        terms = list(terms)
        extra: list[str] = []
        for term in terms:
            for canonical in self.table.get(fold_for_match(term), ()):
                if canonical not in terms and canonical not in extra:
                    extra.append(canonical)
        return terms + extra

    def all_terms(self) -> list[str]:
        """Return every canonical term and variant (for the tokenizer's user dictionary)."""
        terms = set(self.table)
        for canonicals in self.table.values():
            terms.update(canonicals)
        return sorted(terms)


def load_domain_terms(path: Path = DOMAIN_TERMS_FILE) -> list[str]:
    """Read the kept list of the field's terms (one a line, # comments)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]
