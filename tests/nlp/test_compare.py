"""Across documents: one figure over periods or places, a cited row each, like with like."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from nlp.pipeline import build_assistant
from tests.nlp.compare_docs import ingest_comparison_docs


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, model_cache: Path):
    folder = tmp_path_factory.mktemp("compare")
    url = f"sqlite:///{folder / 'kb.db'}"
    upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    ingest_comparison_docs(sessions, folder)
    yield build_assistant(sessions, model_cache)
    engine.dispose()


def _values(reply) -> list[float]:
    return [f.value for f in reply.facts]


def test_yearly_series_is_one_place_full_years_in_order(assistant) -> None:
    reply = assistant.answer("姚安州外到位资金历年怎么样")
    assert reply.answered
    assert _values(reply) == [38.2, 46.8]
    assert [f.period for f in reply.facts] == ["2021年全年", "2022年全年"]
    assert "其他期间2条" in reply.text  # the half year and the quarter are held, not listed


def test_a_series_builds_only_the_figures_it_shows(assistant) -> None:
    # A label of a large base has thousands of rows: only the shown ones become records.
    built = assistant.snapshot.indicators._cached
    built.cache_clear()
    reply = assistant.answer("姚安州外到位资金历年怎么样")
    assert "其他期间2条" in reply.text  # four rows of the label held ...
    assert built.cache_info().misses == len(reply.facts) == 2  # ... two figures built


def test_every_row_cites_its_own_document(assistant) -> None:
    reply = assistant.answer("姚安县州外到位资金各季度怎么样")
    assert _values(reply) == [38.2, 20.5, 46.8, 9.6]  # chronological
    assert len(reply.citations) == len(reply.facts) == 4
    assert len({c.document_id for c in reply.citations}) == 4
    assert "姚安县2023年一季度招商引资工作简报 一" in reply.text.splitlines()[-1]


def test_who_is_higher_compares_within_one_period(assistant) -> None:
    reply = assistant.answer("姚安和大姚谁的落地率高")
    assert _values(reply) == [75.5, 70.0]
    assert [f.place for f in reply.facts] == ["大姚县", "姚安县"]
    assert "大姚县较高" in reply.text and "2022年1-6月" in reply.text


def test_who_is_lower_puts_the_lowest_first(assistant) -> None:
    reply = assistant.answer("武定和永仁谁的引进县外项目数少")
    assert _values(reply) == [6, 10]
    assert "永仁县较低" in reply.text


def test_places_share_a_period_and_an_absent_place_is_named(assistant) -> None:
    reply = assistant.answer("姚安、大姚、永仁州外到位资金对比")
    assert _values(reply) == [20.5, 18.3]  # both 2022年1-6月, not 姚安's later full year
    assert {f.period for f in reply.facts} == {"2022年1-6月"}
    assert "库中没有永仁县的“州外到位资金”数据" in reply.text
    assert "46.8" not in reply.text


def test_counties_are_ranked_and_cut_at_eight_rows(assistant) -> None:
    reply = assistant.answer("楚雄州各县市引进县外项目数排名")
    values = _values(reply)
    assert values == sorted(values, reverse=True) and values[0] == 31
    assert len(values) == 8
    assert "其他地区2条" in reply.text
    assert "楚雄州的" not in reply.text  # the container is not a missing county
    assert {f.unit for f in reply.facts} == {"个"}


def test_a_table_never_mixes_labels_or_units(assistant) -> None:
    reply = assistant.answer("姚安县州外到位资金历年对比")
    assert {(f.name, f.unit) for f in reply.facts} == {("州外到位资金", "亿元")}


def test_a_year_no_document_holds_is_declined_naming_what_is_held(assistant) -> None:
    reply = assistant.answer("2020年姚安州外到位资金历年情况")
    assert not reply.answered
    assert "2020年" in reply.text and "姚安县 2021年全年" in reply.text
    assert "38.2" not in reply.text


def test_a_single_question_keeps_the_single_figure_answer(assistant) -> None:
    reply = assistant.answer("姚安县2022年州外到位资金是多少")
    assert reply.answered and _values(reply) == [46.8]
    assert "对比" not in reply.text


def test_a_county_rank_question_is_not_a_ranking(assistant) -> None:
    # "第几" asks for one rank figure: the comparison strategy stays out of it.
    reply = assistant.answer("姚安县引进县外项目数排名第几")
    assert "各地对比" not in reply.text


def test_comparison_runs_on_every_backend(sessions, tmp_path: Path, model_cache: Path) -> None:
    ingest_comparison_docs(sessions, tmp_path)
    reply = build_assistant(sessions, model_cache).answer("姚安和大姚谁的落地率高")
    assert _values(reply) == [75.5, 70.0]


def test_two_counties_written_together_are_two_places(assistant) -> None:
    # No separator between the names: neither county contains the other.
    reply = assistant.answer("姚安大姚谁的落地率高")
    assert [f.place for f in reply.facts] == ["大姚县", "姚安县"]
