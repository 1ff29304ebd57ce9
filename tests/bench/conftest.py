"""Bench tests reuse the NLP fixtures (a small seeded base, a session-trained model) and the
bot's model_dir (one var/ per run, for the end-to-end bench that starts a real bot)."""

from __future__ import annotations

from tests.bot.conftest import model_dir
from tests.nlp.conftest import jieba_cache, model_cache, seeded_assistant, tokenizer

__all__ = ["jieba_cache", "model_cache", "model_dir", "seeded_assistant", "tokenizer"]
