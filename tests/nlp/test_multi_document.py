"""Several documents: the asked year's figure, else the latest; qualifiers never mixed up."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from nlp.pipeline import build_assistant
from tests.nlp.kb_seed import seed_later_report, seed_reply_letter


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, model_cache: Path):
    url = f"sqlite:///{tmp_path_factory.mktemp('multi') / 'kb.db'}"
    upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    seed_reply_letter(sessions)
    seed_later_report(sessions)
    yield build_assistant(sessions, model_cache)
    engine.dispose()


def test_without_a_year_the_latest_document_answers(assistant) -> None:
    reply = assistant.answer("县外到位资金增长多少")
    assert reply.facts[0].value == 8.8
    assert "2023" in reply.text and "1-9月" in reply.text


def test_the_asked_year_selects_its_document(assistant) -> None:
    reply = assistant.answer("2022年县外到位资金增长多少")
    assert reply.facts[0].value == 12.5
    assert "〔2022〕7号" in reply.text


def test_a_year_held_by_no_document_is_declined(assistant) -> None:
    reply = assistant.answer("2021年县外到位资金增长多少")
    assert not reply.answered
    assert "8.8" not in reply.text and "12.5" not in reply.text


def test_qualifier_picks_its_own_figure(assistant) -> None:
    assert assistant.answer("市外到位资金增长多少").facts[0].value == 5.0
