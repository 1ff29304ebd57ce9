from __future__ import annotations

from nlp.kb_records import Unit
from nlp.retrieval import TfidfIndex, unit_terms

UNITS = [
    Unit(0, 1, "二（一）", "measure", "举办网络招商推介会，直播观看人数达20万人。"),
    Unit(1, 1, "三（一）", "action", "加强政银企对接，推动银行贷款投放。"),
    Unit(2, 1, "三（二）", "action", "推行一窗受理，实行全程代办。"),
]


def _terms(text: str) -> list[str]:
    return unit_terms(list(text), text)


def test_search_ranks_the_unit_sharing_the_most_specific_terms_first() -> None:
    index = TfidfIndex().build(UNITS, _terms)
    hits = index.search(unit_terms([], "银行贷款"), k=2)
    assert hits[0].unit.id == 1
    assert 0 < hits[0].score <= 1.0 + 1e-9


def test_filter_restricts_the_kinds_returned() -> None:
    index = TfidfIndex().build(UNITS, _terms)
    hits = index.search(unit_terms([], "网络招商推介会"), accept=lambda u: u.kind == "action")
    assert all(h.unit.kind == "action" for h in hits)


def test_unknown_terms_return_nothing() -> None:
    index = TfidfIndex().build(UNITS, _terms)
    assert index.search(["#火星", "火星"]) == []


def test_saved_index_loads_with_identical_scores(tmp_path) -> None:
    index = TfidfIndex(0.5).build(UNITS, _terms)
    index.save(tmp_path / "units")
    loaded = TfidfIndex.load(tmp_path / "units", UNITS, 0.5)
    query = unit_terms([], "推动银行贷款和全程代办")
    assert [(h.unit.id, round(h.score, 6)) for h in loaded.search(query)] == [
        (h.unit.id, round(h.score, 6)) for h in index.search(query)
    ]


def test_restart_loads_the_saved_index_instead_of_rebuilding(seeded_assistant) -> None:
    from nlp.pipeline import Assistant

    saved = list((seeded_assistant.cache_dir / "index").glob("seg_*/index_*/postings/weights.npy"))
    assert len(saved) == 1
    before = saved[0].stat().st_mtime_ns
    Assistant(seeded_assistant.sessions, seeded_assistant.cache_dir).load()
    assert saved[0].stat().st_mtime_ns == before


def _postings_in_one_pass(term_ids, counts, lengths, vocabulary_size, slope):
    """The index arithmetic as one whole-array pass (what the sliced build must equal)."""
    import math

    import numpy as np

    n = len(lengths)
    unit_ids = np.repeat(np.arange(n, dtype=np.int32), lengths)
    df = np.bincount(term_ids, minlength=vocabulary_size)
    idf = np.log((1 + n) / (1 + df)) + 1.0
    weights = np.asarray([1.0 + math.log(k) for k in counts]) * idf[term_ids]
    norms = np.sqrt(np.bincount(unit_ids, weights * weights, minlength=n))
    norms[norms == 0] = 1.0
    weights /= ((1.0 - slope) * norms.mean() + slope * norms)[unit_ids]
    order = np.argsort(term_ids, kind="stable")
    return idf, unit_ids[order], weights[order].astype(np.float32)


def test_sliced_build_equals_one_whole_array_pass(monkeypatch) -> None:
    import numpy as np

    import nlp.retrieval as retrieval

    rng = np.random.default_rng(3)
    lengths = rng.integers(0, 40, size=500).astype(np.int32)
    size = 300
    term_ids = np.concatenate([rng.choice(size, size=k, replace=False) for k in lengths]).astype(
        np.int32
    )
    counts = rng.integers(1, 6, size=len(term_ids)).astype(np.uint32)
    monkeypatch.setattr(retrieval, "POSTINGS_PER_SLICE", 97)  # many slices, ragged edges
    index = TfidfIndex(0.5)
    index.vocabulary = {f"t{i}": i for i in range(size)}
    index._postings(term_ids, counts, lengths)
    idf, unit_ids, weights = _postings_in_one_pass(term_ids, counts, lengths, size, 0.5)
    assert np.array_equal(index.idf, idf)
    assert np.array_equal(index.unit_ids, unit_ids)
    assert np.array_equal(index.weights, weights)
    assert index.offsets[-1] == len(term_ids)


def test_block_memo_tokenises_exactly_like_jieba(tokenizer) -> None:
    from nlp.pipeline import _BlockMemo

    memo = _BlockMemo(tokenizer)
    texts = [
        "1-6月，全县引进县外到位资金增长12.5%，高于全年目标（10%）2.5个百分点。",
        "继续实施“云招商、云签约”模式。 在紫溪镇、东瓜镇举办2场网络招商推介会",
        "PPP模式 and BOT，一是加强政银企对接\n二是探索PPP模式。",
        "州外到位资金增长19.4%，州外到位资金增长19.4%",
    ]
    for text in texts * 2:  # the second round reads the memo
        assert memo.words(text) == tokenizer.words(text)


def test_a_term_repeated_beyond_two_byte_counts_is_weighed_exactly() -> None:
    long_unit = Unit(3, 2, None, "other", "贷" * 70_000 + "款")
    index = TfidfIndex().build([*UNITS, long_unit], _terms)
    hits = index.search(unit_terms([], "贷款"), k=4)
    assert {h.unit.id for h in hits} >= {1, 3}
    import math

    def weight(term: str, unit: int) -> float:
        at = index.vocabulary[term]
        start, end = index.offsets[at], index.offsets[at + 1]
        row = start + index.unit_ids[start:end].tolist().index(unit)
        return float(index.weights[row])

    # Both terms are in units 1 and 3 (same idf): their weights differ by tf = 1 + ln(count).
    assert math.isclose(weight("贷", 3) / weight("款", 3), 1 + math.log(70_000), rel_tol=1e-5)
