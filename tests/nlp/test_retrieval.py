from __future__ import annotations

from nlp.kb import Unit, split_points, split_sentences
from nlp.retrieval import TfidfIndex, unit_terms

UNITS = [
    Unit(0, 1, "二（一）", "measure", "举办网络招商推介会，直播观看人数达20万人。"),
    Unit(1, 1, "三（一）", "action", "加强政银企对接，推动银行贷款投放。"),
    Unit(2, 1, "三（二）", "action", "推行一窗受理，实行全程代办。"),
]


def _terms(unit: Unit) -> list[str]:
    return unit_terms(list(unit.text), unit.text)


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


def test_points_split_at_yi_shi_er_shi_and_layout_breaks_are_joined() -> None:
    text = "一是加强对接，推动\n\n银行贷款。二是探索PPP模式。"
    assert split_points(text) == ["一是加强对接，推动银行贷款。", "二是探索PPP模式。"]


def test_sentences_split_at_end_punctuation() -> None:
    assert split_sentences("甲乙丙。丁戊；己庚") == ["甲乙丙。", "丁戊；", "己庚"]


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

    saved = list((seeded_assistant.cache_dir / "index").glob("units_*/weights.npy"))
    assert len(saved) == 1
    before = saved[0].stat().st_mtime_ns
    Assistant(seeded_assistant.sessions, seeded_assistant.cache_dir).load()
    assert saved[0].stat().st_mtime_ns == before
