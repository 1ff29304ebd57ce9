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
