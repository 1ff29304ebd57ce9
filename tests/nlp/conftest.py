"""Shared NLP fixtures: one warmed tokenizer per test session (jieba loading is the slow part)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.tokenizer import ChineseTokenizer

DOMAIN_WORDS = ["州外到位资金", "省外到位资金", "一把手", "五个一百", "实际到位外资", "到位资金"]


@pytest.fixture(scope="session")
def jieba_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder shared by the session's tokenizers."""
    return tmp_path_factory.mktemp("jieba")


@pytest.fixture(scope="session")
def tokenizer(jieba_cache: Path) -> ChineseTokenizer:
    """A warmed tokenizer with a few domain words."""
    return ChineseTokenizer(DOMAIN_WORDS, jieba_cache).initialize()


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache dir for the session: the intent model trains once, later loads."""
    return tmp_path_factory.mktemp("nlp-cache")


@pytest.fixture(scope="module")
def seeded_assistant(tmp_path_factory: pytest.TempPathFactory, model_cache: Path):
    """An assistant over a SQLite base holding the small test letter."""
    from db.engine import make_engine, make_session_factory
    from db.migrate import upgrade
    from nlp.pipeline import build_assistant
    from tests.nlp.kb_seed import seed_reply_letter

    url = f"sqlite:///{tmp_path_factory.mktemp('kb') / 'kb.db'}"
    upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    seed_reply_letter(sessions)
    yield build_assistant(sessions, model_cache)
    engine.dispose()
