from __future__ import annotations

from pathlib import Path

import pytest

from nlp.synonyms import SynonymFileError, Synonyms, load_domain_terms


@pytest.fixture(scope="module")
def synonyms() -> Synonyms:
    return Synonyms.load()


def test_how_people_ask_maps_to_what_documents_say(synonyms: Synonyms) -> None:
    assert "实际到位外资" in synonyms.canonical_terms("外资多少")
    assert "州外到位资金" in synonyms.canonical_terms("州外资金增长多少")
    assert "融资渠道" in synonyms.canonical_terms("融资难怎么办")


def test_a_shorter_variant_inside_a_longer_match_is_not_expanded(synonyms: Synonyms) -> None:
    # "外资" sits inside "州外资金"; the question is about 州外到位资金, not foreign capital.
    assert "实际到位外资" not in synonyms.canonical_terms("州外资金增长多少")


def test_canonical_terms_already_present_are_not_repeated(synonyms: Synonyms) -> None:
    assert "州外到位资金" not in synonyms.canonical_terms("州外到位资金")


def test_expand_appends_canonical_terms(synonyms: Synonyms) -> None:
    assert synonyms.expand(["利用外资"]) == ["利用外资", "实际到位外资"]


def test_malformed_line_is_reported_with_its_number(tmp_path: Path) -> None:
    bad = tmp_path / "syn.tsv"
    bad.write_text("# comment\n外资 利用外资\n", encoding="utf-8")
    with pytest.raises(SynonymFileError, match="line 2"):
        Synonyms.load(bad)


def test_domain_terms_skip_comments() -> None:
    terms = load_domain_terms()
    assert "到位资金" in terms
    assert not any(t.startswith("#") for t in terms)


_CANONICAL_DIGEST = """
import hashlib
from nlp.synonyms import Synonyms
from nlp.training_data import load_examples
synonyms = Synonyms.load()
texts, _ = load_examples()
found = [synonyms.canonical_terms(t) for t in texts]
print(hashlib.sha256(repr(found).encode()).hexdigest())
"""


def test_matching_does_not_depend_on_the_hash_seed() -> None:
    # Equal-length terms once followed set order: the trained model changed between runs.
    import os
    import subprocess
    import sys

    digests = {
        subprocess.run(
            [sys.executable, "-c", _CANONICAL_DIGEST],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1
